"""The ways members reach the bot, recorded with what they send: WeCom's app, the WeChat official account, the terminal chat."""

from __future__ import annotations

WECOM = "wecom"
WECHAT = "wechat"
CONSOLE = "console"

LABELS = {WECOM: "企业微信", WECHAT: "微信公众号", CONSOLE: "命令行"}  # as the office reads them in 查询 and the workbook
