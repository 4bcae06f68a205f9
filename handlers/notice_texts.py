"""Chinese texts of the advance-notice handlers, in one place for review."""

from __future__ import annotations

from storage.models import Notice

HOW_TO_EDIT = "请先发送 我的预告 查看编号，再发送 修改预告 N，例如：修改预告 1。"
HOW_TO_WITHDRAW = "请先发送 我的预告 查看编号，再发送 撤回预告 N，例如：撤回预告 1。"
NONE_UPCOMING = "本单位暂无待举行的预告。发送 预告 报送新的重点执行活动。"
LIST_HEAD = "{unit} 待举行的预告："
LIST_FOOT = "发送 修改预告 N 修改，撤回预告 N 撤回。"
RECEIPT_OK = "已报送预告：{theme}，{when}，提前 {lead} 天，符合要求。已通知中院办公室。"
RECEIPT_SHORT = "已报送预告：{theme}，{when}。\n注意：仅提前 {lead} 天，提前不足{days}天。已同时告知中院办公室，今后请至少提前{days}天报送。"
WITHDRAWN = "已撤回预告：{theme}，{when}。已通知中院办公室。"
MODIFIED_TAG = "（已修改）"
WITHDRAWN_TAG = "（已撤回）"
LEAD_OK = "提前{lead}天"
LEAD_SHORT = "⚠提前不足{days}天"


def short_flag(notice: Notice, days: int) -> str:
    """"⚠提前不足2天" for a notice that missed the rule, else nothing."""
    return "" if notice.meets_rule else LEAD_SHORT.format(days=days)


def lead_flag(notice: Notice, days: int) -> str:
    """Whether the notice met the rule, always said: "提前5天" or "⚠提前不足2天"."""
    return short_flag(notice, days) or LEAD_OK.format(lead=notice.lead_days)


def list_line(index: int, notice: Notice, when: str, days: int) -> str:
    flag = short_flag(notice, days)
    return f"{index}. {when} {notice.theme}（{'、'.join(notice.channels)}）" + (f" {flag}" if flag else "")


def office_text(notice: Notice, unit_name: str, tag: str, days: int, when: str) -> str:
    """The push to the office groups: everything the office needs to bring in media."""
    rule = f"提前 {notice.lead_days} 天报送，符合提前{days}天要求。" if notice.meets_rule else f"{short_flag(notice, days)}（仅提前 {notice.lead_days} 天）。"
    lines = [
        f"【重点执行活动预告】{tag}",
        f"报送单位：{unit_name}",
        f"宣传主题：{notice.theme}",
        f"宣传时间：{when}",
        f"宣传方式：{'、'.join(notice.channels)}",
        f"媒体参与：{notice.media}",
        f"组织联络：{notice.liaison}",
    ]
    if notice.other:
        lines.append(f"其他：{notice.other}")
    return "\n".join(lines + [rule])
