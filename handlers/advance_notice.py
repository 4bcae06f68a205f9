"""Event advance notices (附件2 执行宣传工作近期重点策划): `预告`, `我的预告`, `修改预告 N` (`撤回预告 N`: notice_withdrawal).

The plan (四（二）) asks for major enforcement events to reach the court office at least 2 days
ahead, so media can be brought in. A late notice is still accepted, flagged, and the office told.
"""

from __future__ import annotations

from datetime import datetime

from common.channels import NOTICE_CHANNELS
from handlers.base import Context, Incoming, Refusal, Reply
from handlers.forms.draft import Draft
from handlers.forms.fields import Field, choices, listed, numbered, person_and_phone, text
from handlers.forms.form import Form, Trigger
from handlers.forms.versions import Version
from handlers.forms.when import event_span, event_time
from handlers.router import Audience, Router
from reports import notices as nt
from reports.labels import span
from storage.models import Notice
from storage.notices import create_notice, notice_history, upcoming_notices, update_notice
from storage.outbox import push_key

NAME = "notice"
HOW_TO_EDIT = "请先发送 我的预告 查看编号，再发送 修改预告 N，例如：修改预告 1。"
NONE_UPCOMING = "本单位暂无待举行的预告。发送 预告 报送新的重点执行活动。"
LIST_HEAD = "{unit} 待举行的预告："
LIST_FOOT = "发送 修改预告 N 修改，撤回预告 N 撤回。"
RECEIPT_OK = "已报送预告：{theme}，{when}，提前 {lead} 天，符合要求。已通知中院办公室。"
RECEIPT_SHORT = "已报送预告：{theme}，{when}。\n注意：仅提前 {lead} 天，提前不足{days}天。已同时告知中院办公室，今后请至少提前{days}天报送。"
WITHDRAWN_MEANWHILE = "该预告在您修改期间已被 {by} 撤回，本次修改未提交。如活动仍将举行，回复 确认 作为新预告报送；回复 取消 放弃。"
EVENT_PAST = "活动时间 {when} 已经过去，不能报送。请回复 修改 {n} 更正时间后再确认。"
ANSWER_KEYS = ("theme", "event_at", "channels", "media", "liaison", "other")


def _show_time(value: str | dict, now: datetime) -> str:
    """The event time of a draft, with its year when that is not now's."""
    return span(*event_span(value), now.tzinfo, today=now.date())


def event_when(ctx: Context, notice: Notice) -> str:
    """A stored notice's event time as its reader sees it today."""
    return nt.when(notice, ctx.tz, today=ctx.local_now().date())


FIELDS = (
    Field("theme", "宣传主题", "请填写「宣传主题」，例如：景洪法院涉民生案件集中执行行动。", text(200)),
    Field("event_at", "宣传时间", "请填写活动时间，例如：12月1日 9:30、12月3日 9:30-11:30、明天 14:00、下周三 上午。", event_time, show=_show_time),
    Field(
        "channels",
        "宣传方式",
        "请选择「宣传方式」，可多选，例如回复 1,3；也可直接填写：\n" + numbered(NOTICE_CHANNELS),
        choices(NOTICE_CHANNELS),
        show=listed,
    ),
    Field("media", "媒体参与", "请填写「媒体参与」，例如：西双版纳电视台、西双版纳报。", text(500)),
    Field("liaison", "组织联络", "请填写组织联络人和电话，例如：李华 13800138000。", person_and_phone),
    Field("other", "其他", "请填写「其他」需要说明的情况。", text(), optional=True),
)
EVENT_FIELD = next(i for i, field in enumerate(FIELDS, start=1) if field.key == "event_at")


def _begin(msg: Incoming, ctx: Context) -> dict:
    unit = ctx.unit
    meta = {"unit_id": unit.id, "unit_name": unit.name}
    if msg.keyword != "修改预告":
        return meta
    notice = numbered_notice(msg.args, ctx, HOW_TO_EDIT)
    base = len(notice_history(session=ctx.session, notice_id=notice.id))
    return meta | {"notice_id": notice.id, "base": base, "answers": _answers(_stored(notice), ctx)}


def _answers(values: dict, ctx: Context) -> dict:
    """A stored notice (its row, or a revision's snapshot) as form answers, its time in the local zone."""
    answers = {key: values[key] for key in ANSWER_KEYS}
    start, end = (_stored_moment(values, key) for key in ("event_at", "event_end"))
    local = [at and at.astimezone(ctx.tz).isoformat() for at in (start, end)]
    answers["event_at"] = {"start": local[0], "end": local[1], "part": values.get("event_part")}
    return answers


def _stored(notice: Notice) -> dict:
    """A notice row's values as a revision snapshot holds them: the answers and the event's end and part of day."""
    return {key: getattr(notice, key) for key in (*ANSWER_KEYS, "event_end", "event_part")}


def _stored_moment(values: dict, key: str) -> datetime | None:
    """A stored moment of a notice: a datetime on its row, ISO text in a revision's snapshot (None when absent)."""
    at = values.get(key)
    return datetime.fromisoformat(at) if isinstance(at, str) else at


def _version(ctx: Context, meta: dict, number: int | None) -> Version | None:
    """The notice being modified: its newest revision, or revision `number` (1 = as first sent)."""
    history = notice_history(session=ctx.session, notice_id=meta["notice_id"]) if meta.get("notice_id") else []
    if not history or (number is not None and not 1 <= number <= len(history)):
        return None
    revision = history[-1] if number is None else history[number - 1]
    return Version(history.index(revision) + 1, _answers(revision.snapshot, ctx), revision.by, revision.at)


def _recheck(ctx: Context, draft: Draft) -> str | None:
    """At confirm: a notice withdrawn meanwhile becomes a new one (if the member still wants it); a past event is refused."""
    meta = draft.meta
    notice = ctx.session.get(Notice, meta["notice_id"]) if meta.get("notice_id") else None
    if notice is not None and notice.withdrawn:
        del meta["notice_id"]
        meta["base"] = 0
        return WITHDRAWN_MEANWHILE.format(by=ctx.name_of(notice_history(session=ctx.session, notice_id=notice.id)[-1].by))
    start, end, part = event_span(draft.answers["event_at"])
    if (end if part else start) <= ctx.clock():
        return EVENT_PAST.format(when=span(start, end, part, ctx.tz, today=ctx.local_now().date()), n=EVENT_FIELD)


def _heading(meta: dict) -> str:
    return f"重点策划预告（{meta['unit_name']}）" + ("（修改）" if meta.get("notice_id") else "")


def _complete(ctx: Context, draft: Draft) -> str:
    meta, answers = draft.meta, dict(draft.answers)
    event_at, event_end, event_part = event_span(answers["event_at"])
    notice = ctx.session.get(Notice, meta["notice_id"]) if meta.get("notice_id") else None
    submitted = notice.submitted_at if notice else ctx.clock()
    lead = (event_at.astimezone(ctx.tz).date() - submitted.astimezone(ctx.tz).date()).days
    values = answers | {"event_at": event_at, "event_end": event_end, "event_part": event_part}
    values |= {"lead_days": lead, "meets_rule": lead >= ctx.config.schedule.advance_days}
    if notice is None:
        notice = create_notice(session=ctx.session, unit_id=meta["unit_id"], by=ctx.user.id, at=ctx.clock(), values=values)
    else:
        update_notice(session=ctx.session, notice=notice, by=ctx.user.id, at=ctx.clock(), values=values)
    tell_office(ctx, notice, nt.MODIFIED_TAG if meta.get("notice_id") else "")
    return _receipt(ctx, notice)


def _receipt(ctx: Context, notice: Notice) -> str:
    when = event_when(ctx, notice)
    if notice.meets_rule:
        return RECEIPT_OK.format(theme=notice.theme, when=when, lead=notice.lead_days)
    return RECEIPT_SHORT.format(theme=notice.theme, when=when, lead=notice.lead_days, days=ctx.config.schedule.advance_days)


def tell_office(ctx: Context, notice: Notice, tag: str, note: str = "") -> None:
    """Push the notice to the office groups (the office, cc the enforcement bureau), once per revision.

    A modification shows each changed field's old value beside the new, from the revision before it.
    """
    history = notice_history(session=ctx.session, notice_id=notice.id)
    before = _shown(ctx, history[-2].snapshot) if history[-1].action == "modified" else None
    fields = _shown(ctx, _stored(notice))
    text = nt.office_text(notice, ctx.unit.name, tag, ctx.config.schedule.advance_days, fields, before=before, note=note)
    ctx.push_to_groups(ctx.config.office.groups, text, key=push_key("notice", notice.id, len(history)))


def _shown(ctx: Context, values: dict) -> dict[str, str]:
    """A notice's values (row or snapshot) as the office reads them today."""
    start, end = (_stored_moment(values, key) for key in ("event_at", "event_end"))
    return nt.shown_fields(values, span(start, end, values.get("event_part"), ctx.tz, today=ctx.local_now().date()))


NOTICE = Form(
    name=NAME,
    title="预告",
    triggers=(Trigger("预告", "预告 — 报送重大执行活动（至少提前2天）"), Trigger("修改预告", "修改预告 N — 修改第 N 条预告")),
    fields=FIELDS,
    begin=_begin,
    heading=_heading,
    complete=_complete,
    recheck=_recheck,
    version=_version,
)


def _upcoming(ctx: Context) -> list[Notice]:
    return upcoming_notices(session=ctx.session, start=ctx.clock(), unit_id=ctx.unit.id)


def numbered_notice(args: str, ctx: Context, how_to: str) -> Notice:
    """Upcoming notice N of the member's unit, as `我的预告` numbers them; a Refusal saying how to name one."""
    notices = _upcoming(ctx)
    if not args.strip().isdigit() or not 1 <= int(args) <= len(notices):
        raise Refusal(how_to if notices else NONE_UPCOMING)
    return notices[int(args) - 1]


def my_notices(msg: Incoming, ctx: Context) -> Reply:
    """`我的预告`: the unit's upcoming notices, numbered for 修改预告 N / 撤回预告 N."""
    notices = _upcoming(ctx)
    if not notices:
        return Reply(NONE_UPCOMING)
    lines = [LIST_HEAD.format(unit=ctx.unit.name)]
    days = ctx.config.schedule.advance_days
    lines += [nt.list_line(i, n, event_when(ctx, n), days) for i, n in enumerate(notices, start=1)]
    return Reply("\n".join([*lines, LIST_FOOT]))


def register(router: Router) -> None:
    router.form(NOTICE)
    router.command("我的预告", who=Audience.MEMBERS, usage="我的预告 — 查看本单位待举行的预告")(my_notices)
