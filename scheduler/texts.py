"""Chinese texts of the scheduled pushes, kept together so their wording can be reviewed in one place."""

from __future__ import annotations

from collections.abc import Iterable

REMINDER = "【周报提醒】{units}尚未报送本周执行宣传工作周报，截止时间为{deadline}。请在应用中发送“周报”填报。"
NUDGE = "【截止提醒】本周执行宣传工作周报将于{deadline}截止，{units}尚未报送，请抓紧发送“周报”填报。"
OVERDUE = "【逾期提醒】{units}未在{deadline}前报送本周执行宣传工作周报，已逾期，请立即发送“周报”补报。"
OFFICE_HEADER = "【周报报送情况】{week}，截止{deadline}"
OFFICE_MISSING = "未报送（{count}家）：{units}"
OFFICE_LATE = "逾期报送（{count}家）：{units}"
ALL_ON_TIME = "【周报报送情况】{week}各单位均已按时报送。"
CONSOLE = "控制台查看：{url}"
# The template message of a member on WeChat alone (common.config.TEMPLATE_VALUES): each value short, as the
# template's fields take them (a thing at most 20 characters, a phrase 5, a time as 2026年11月27日 12:00).
FOLLOWER_STATE = {"thursday_reminder": "尚未报送", "friday_nudge": "即将截止", "friday_overdue": "已逾期"}
FOLLOWER_TASK = "{week}周报{state}"
FOLLOWER_DEADLINE = "{at:%Y年%m月%d日 %H:%M}"
FOLLOWER_ACTION = "请在公众号中发送“周报”填报"
DIGEST_HEADER = "【重点策划提醒】今明后三天有{count}项执行宣传活动："
DIGEST_ITEM = "{number}. {when} {unit}：{theme}（{channels}；媒体：{media}；联络：{liaison}）"


def names(items: Iterable[str]) -> str:
    return "、".join(items)
