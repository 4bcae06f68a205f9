"""How an advance notice (附件2) reads: its lead-time flag, its list line, and the push to the office."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reports.labels import span
from storage.models import Notice

MODIFIED_TAG = "（已修改）"
WITHDRAWN_TAG = "（已撤回）"
LEAD_OK = "提前{lead}天"
LEAD_SHORT = "⚠提前不足{days}天"
WAS = "（原 {old}）"
NOTHING = "无"
WITHDRAW_REASON = "撤回原因：{reason}"


def when(notice: Notice, tz, today: date | None = None) -> str:
    """The notice's event time: "12月3日（周四）09:30-11:30", "11月27日（周五）上午"."""
    return span(notice.event_at, notice.event_end, notice.event_part, tz, today)


def short_flag(notice: Notice, days: int) -> str:
    """"⚠提前不足2天" for a notice that missed the rule, else nothing."""
    return "" if notice.meets_rule else LEAD_SHORT.format(days=days)


def lead_flag(notice: Notice, days: int) -> str:
    """Whether the notice met the rule, always said: "提前5天" or "⚠提前不足2天"."""
    return short_flag(notice, days) or LEAD_OK.format(lead=notice.lead_days)


def list_line(index: int, notice: Notice, when: str, days: int) -> str:
    flag = short_flag(notice, days)
    return f"{index}. {when} {notice.theme}（{'、'.join(notice.channels)}）" + (f" {flag}" if flag else "")


def shown_fields(values: Mapping[str, Any], when: str) -> dict[str, str]:
    """A notice's pushed fields (its row's values or a revision's snapshot) by label, as the office reads them."""
    return {
        "宣传主题": values["theme"],
        "宣传时间": when,
        "宣传方式": "、".join(values["channels"]),
        "媒体参与": values["media"],
        "组织联络": values["liaison"],
        "其他": values["other"],
    }


def office_text(notice: Notice, unit_name: str, tag: str, days: int, fields: dict[str, str], *, before: dict[str, str] | None = None, note: str = "") -> str:
    """The push to the office groups: everything the office needs to bring in media; a change shows the old value."""
    rule = f"提前 {notice.lead_days} 天报送，符合提前{days}天要求。" if notice.meets_rule else f"{short_flag(notice, days)}（仅提前 {notice.lead_days} 天）。"
    lines = [f"【重点执行活动预告】{tag}", *([note] if note else []), f"报送单位：{unit_name}"]
    for label, value in fields.items():
        old = (before or {}).get(label, value)
        if value or old:
            lines.append(f"{label}：{value or NOTHING}" + (WAS.format(old=old or NOTHING) if old != value else ""))
    return "\n".join([*lines, rule])
