"""The weekly report (附件1 执行宣传工作周报表): the `周报` conversation and `我的周报`."""

from __future__ import annotations

from datetime import datetime

from common.channels import ARTICLE_ALIASES, ARTICLE_CHANNELS, LINK_HOST_CHANNELS, LINKED_CHANNELS
from common.weeks import shift_week
from handlers import late_reports, materials
from handlers.base import Context, Incoming, Refusal, Reply
from handlers.forms import engine
from handlers.forms.draft import Draft
from handlers.forms.fields import Field, Fill, Repeat, choice, host_of, phone, split_link, text, url
from handlers.forms.form import Form, Trigger
from handlers.forms.versions import Version
from handlers.router import Audience, Router
from reports import labels
from reports.status import submission_on_time
from storage.materials import drop_unfiled_materials
from storage.reports import REPORT_FIELDS, ArticleData, SavedReport, current_report, latest_contact, reports_of_unit, save_report
from storage.returns import open_return

NAME = "weekly"
OPEN, EDIT = "周报", "修改"
OFFER_EDIT = "如需修改，请回复 {command}。"
NO_WEEK = "只能填报本周或上周的周报，例如：周报、周报 上周。"
REVISING = "该周已提交第 {n} 版，可修改后确认提交新版本。"
DATE_LINE = "日期：提交时自动填写（{date}）"
RECEIPT = "已提交（{status}）：{heading}，第 {n} 版。"
RESUBMITTED_RECEIPT = "已重新提交（{status}）：{heading}，第 {n} 版。"
REVISED_LATE_RECEIPT = "已提交：{heading}。{week}已按时报送；本次为截止后修改（第{n}版）。"
WEEK_MOVED = "该草稿是{old}周报，已过补报期限（只能填报本周或上周），现改为{new}周报，已填内容不变。请回复 确认 提交，或 修改 N 调整。"
LATE_NOTE = "截止时间为 {deadline}。"
NONE_YET = "{unit} {week} 尚未提交周报。回复 {command} 开始填写。"
MISSED_LAST = "提示：上周{week}未报送周报，本周填完后请回复 周报 上周 补报。"
RETURNED_NOTE = "该周周报已被中院办公室退回，原因：{reason}。请回复 修改 N 修改相应项，改好后回复 确认 重新提交。"
LAST_RETURNED = "提示：上周{week}周报已被中院办公室退回，请回复 修改 上周 修改后重新提交。"
LATE_OPEN = "提示：截止时间 {deadline} 已过，提交后将标记为逾期。"
MINE_HEAD = "{heading}\n已提交（{status}），第 {n} 版，{by} 于 {at} 提交。"
MINE_RETURNED = "该版已被中院办公室退回，原因：{reason}。请回复 {command} 修改后重新提交。"
TYPE_PENDING = "类型待选"


def _contact_offer(index: int):
    def offer(ctx: Context) -> str | None:
        previous = latest_contact(session=ctx.session, unit_id=ctx.unit.id)
        return previous[index] if previous else None

    return offer


TYPE_PROMPT = (
    "请回复稿件类型的编号或名称，例如 5 或 公众号：\n1 电视专题 2 执行直播 3 短消息/新闻\n"
    "4 报纸（傣乡法苑） 5 微信公众号 6 微博\n7 网站 8 新闻发布会 9 公益广告 10 其他"
)
MORE_PROMPT = "继续添加请回复下一篇的类型：编号 1–10 或名称（如 报纸、公众号、电视）。"
TITLE_PROMPT = "请发送稿件标题，可连同链接一起发送，例如：景洪法院集中清理涉民生案件 https://mp.weixin.qq.com/s/abc123"
LINK_PROMPT = "请发送稿件链接，例如：https://mp.weixin.qq.com/s/abc123"
PLACE_PROMPT = "请发送稿件链接；没有链接的，写明刊播位置，例如：西双版纳报 11月24日 第3版、州电视台 11月25日 晚间新闻"
_article_type = choice(ARTICLE_CHANNELS, ARTICLE_ALIASES)


def _type_or_link(answer: str, now: datetime) -> str | Fill:
    """The article's type; a link (with its title) sent first instead is kept, and the type then suggested from it."""
    title, link = split_link(answer)
    return _article_type(answer, now) if link is None else _linked(title, link, now)


def _title(answer: str, now: datetime) -> str | Fill:
    """A title; a pasted `标题 https://…` becomes the title and the link."""
    title, link = split_link(answer)
    return text(200)(answer, now) if link is None else _linked(title, link, now)


def _linked(title: str, link: str, now: datetime) -> Fill:
    """A link, with the title typed beside it when there is one."""
    return Fill({"url": url(link, now)} | ({"title": text(200)(title, now)} if title else {}))


def _link_or_place(answer: str, now: datetime) -> Fill:
    """For print and broadcast: a link, or where the piece ran."""
    rest, link = split_link(answer)
    if link is not None and not rest:
        return Fill({"url": url(link, now), "place": ""})
    return Fill({"url": "", "place": text(200)(answer, now)})


def _online(item: dict) -> bool:
    return item.get("channel") in LINKED_CHANNELS


def _channel_of_link(item: dict) -> str | None:
    """The type a link's site implies: mp.weixin.qq.com is a 微信公众号 piece, weibo.com a 微博 one."""
    host = host_of(item.get("url") or "")
    return next((channel for site, channel in LINK_HOST_CHANNELS.items() if host == site or host.endswith("." + site)), None)


def show_article(item: dict) -> str:
    """An article as listed: its title and type (a shared link not given its type yet says so).

    A type with its own brackets is written without them inside the listing's: 报纸·傣乡法苑.
    """
    channel = (item.get("channel") or TYPE_PENDING).replace("（", "·").rstrip("）")
    return f"{item.get('title') or item.get('url', '')}（{channel}）"


ARTICLE_FIELDS = (
    Field("channel", "类型", TYPE_PROMPT, _type_or_link, suggest=_channel_of_link, fills=("url", "title")),
    Field("title", "稿件标题", TITLE_PROMPT, _title, fills=("url",)),
    Field("url", "链接", LINK_PROMPT, url, ask_if=_online),
    Field("url", "链接或刊播位置", PLACE_PROMPT, _link_or_place, optional=True, ask_if=lambda item: not _online(item), fills=("place",)),
)

FIELDS = (
    Field("summary", "本周执行宣传工作基本简介", "请填写「本周执行宣传工作基本简介」，例如：本周开展集中执行行动 2 次，发布宣传稿件 5 篇。", text()),
    Field("measures", "宣传举措", "请填写「宣传举措」，例如：联合州电视台开展执行直播。", text()),
    Field("practices", "宣传做法", "请填写「宣传做法」，例如：执行干警现场讲解失信惩戒措施。", text()),
    Field("effects", "宣传效果", "请填写「宣传效果」，例如：直播观看 2.3 万人次，转发 500 余次。", text()),
    Field("other", "其他", "请填写「其他」需要说明的情况。", text(), optional=True),
    Repeat(
        "articles", "稿件", ARTICLE_FIELDS, unit="篇", show_item=show_article, more_prompt=MORE_PROMPT,
        from_link=lambda title, link: {"title": title, "url": link},
    ),
    Field("contact", "联系人", "请填写联系人姓名，例如：李华。", text(50), offer=_contact_offer(0)),
    Field("phone", "联系电话", "请填写联系电话：手机号，或带区号的座机，例如 0691-2123456。", phone, offer=_contact_offer(1)),
)


def _begin(msg: Incoming, ctx: Context) -> dict:
    week = _filing_week(msg, ctx)
    unit = ctx.unit
    drop_unfiled_materials(session=ctx.session, sent_by=ctx.user.id)  # 素材 of the member's earlier draft, dropped with it
    meta = {"week": week, "unit_id": unit.id, "unit_name": unit.name}
    current = current_report(session=ctx.session, unit_id=unit.id, week=week)
    if current is not None and msg.keyword == OPEN:  # looking is not editing: 修改 opens the revision
        raise Refusal(_report_text(ctx, week, current))
    meta["base"] = current.revision.number if current else 0
    if current is not None:
        meta["answers"] = answers_of(current)
        meta["changed"] = open_return(session=ctx.session, unit_id=unit.id, week=week) is not None  # a resubmission
    return meta


def _opening_note(ctx: Context, meta: dict) -> str:
    """What to know before filling in: this report was sent back, last week's is missing or was sent back, the deadline passed."""
    week, lines = meta["week"], []
    returned = open_return(session=ctx.session, unit_id=meta["unit_id"], week=week) if meta["base"] else None
    if returned is not None:
        lines.append(RETURNED_NOTE.format(reason=returned.reason))
    last = shift_week(week, -1)
    if week == ctx.this_week() and _unreported(ctx, meta["unit_id"], last):
        lines.append(MISSED_LAST.format(week=labels.week_label(last)))
    elif week == ctx.this_week() and open_return(session=ctx.session, unit_id=meta["unit_id"], week=last):
        lines.append(LAST_RETURNED.format(week=labels.week_label(last)))
    if not meta["base"] and ctx.calendar.is_late(week, ctx.clock()):
        lines.append(LATE_OPEN.format(deadline=labels.moment(ctx.calendar.deadline(week), ctx.tz)))
    return "\n".join(lines)


def _unreported(ctx: Context, unit_id: str, week: str) -> bool:
    """A week that was due (not exempt) and has no report from the unit."""
    due = not ctx.calendar.plan(week).exempt
    return due and current_report(session=ctx.session, unit_id=unit_id, week=week) is None


def answers_of(saved: SavedReport) -> dict:
    """A stored revision as form answers, so a revision starts from the current content."""
    answers = {key: getattr(saved.revision, key) for key in REPORT_FIELDS}
    answers["articles"] = [{"channel": a.channel, "title": a.title, "url": a.url, "place": a.place} for a in saved.articles]
    return answers


def _heading(meta: dict) -> str:
    return f"{labels.week_label(meta['week'])}周报（{meta['unit_name']}）"


def _summary_note(ctx: Context, draft: Draft) -> str:
    lines = [materials.count_line(materials.materials_of(ctx.session, draft.meta))]
    if draft.meta.get("base"):
        lines.append(REVISING.format(n=draft.meta["base"]))
    lines.append(DATE_LINE.format(date=ctx.local_now().date().isoformat()))
    return "\n".join(filter(None, lines))


def _complete(ctx: Context, draft: Draft) -> str:
    meta, answers = draft.meta, draft.answers
    now = ctx.clock()
    before = reports_of_unit(session=ctx.session, unit_id=meta["unit_id"], weeks=[meta["week"]]).get(meta["week"])
    on_time = submission_on_time(ctx.calendar, meta["week"], before, now)
    number = save_report(
        session=ctx.session,
        unit_id=meta["unit_id"],
        week=meta["week"],
        answers=answers,
        articles=[_article(item) for item in answers.get("articles", [])],
        by=ctx.user.id,
        at=now,
        on_time=on_time,
        report_date=now.astimezone(ctx.tz).date(),
        materials=meta.get("materials", []),
        via=ctx.via,
    )
    if not on_time:
        late_reports.tell_office(ctx, meta, number)
    first_on_time = bool(before and before.on_time)
    if before is not None and before.returned_at:
        status = labels.revision_timeliness(first_on_time=first_on_time, on_time=on_time)
        return RESUBMITTED_RECEIPT.format(status=status, heading=_heading(meta), n=number)
    if not on_time and number > 1 and first_on_time:
        week = "本周" if meta["week"] == ctx.this_week() else "上周"
        return REVISED_LATE_RECEIPT.format(heading=_heading(meta), week=week, n=number)
    receipt = RECEIPT.format(status=labels.timeliness(on_time), heading=_heading(meta), n=number)
    if not on_time:
        receipt += LATE_NOTE.format(deadline=labels.moment(ctx.calendar.deadline(meta["week"]), ctx.tz))
    return receipt


def _article(item: dict) -> ArticleData:
    return ArticleData(title=item["title"], url=item.get("url", ""), channel=item["channel"], place=item.get("place", ""))


def _version(ctx: Context, meta: dict, number: int | None) -> Version | None:
    """The unit's stored report of the draft's week: the current revision, or revision `number`."""
    saved = current_report(session=ctx.session, unit_id=meta["unit_id"], week=meta["week"], number=number)
    if saved is None:
        return None
    revision = saved.revision
    return Version(revision.number, answers_of(saved), revision.submitted_by, revision.submitted_at)


def _recheck(ctx: Context, draft: Draft) -> str | None:
    """A draft kept past the filing window (this week or last) moves to this week, its answers kept."""
    meta, this_week = draft.meta, ctx.this_week()
    if meta["week"] in (this_week, shift_week(this_week, -1)):
        return None
    old, meta["week"], meta["base"] = meta["week"], this_week, 0
    return WEEK_MOVED.format(old=labels.week_label(old), new=labels.week_label(this_week))


WEEKLY = Form(
    name=NAME,
    title="周报",
    triggers=(
        Trigger(OPEN, "周报 — 填报本周执行宣传工作周报（周报 上周：补报上周）"),
        Trigger(EDIT, "修改 — 修改本单位已提交的周报（修改 上周：上周的）", aliases=("修改周报",)),
    ),
    fields=FIELDS,
    begin=_begin,
    heading=_heading,
    complete=_complete,
    summary_note=_summary_note,
    opening_note=_opening_note,
    recheck=_recheck,
    version=_version,
    attach=materials.attach,
)


def my_report(msg: Incoming, ctx: Context) -> Reply:
    """`我的周报 [上周]`: the unit's current report for the week, abbreviated."""
    week = _filing_week(msg, ctx)
    unit = ctx.unit
    saved = current_report(session=ctx.session, unit_id=unit.id, week=week)
    if saved is None:
        return Reply(NONE_YET.format(unit=unit.name, week=labels.week_label(week), command=_command(ctx, week, OPEN)))
    return Reply(_report_text(ctx, week, saved))


def _report_text(ctx: Context, week: str, saved: SavedReport) -> str:
    """The unit's stored report of the week, abbreviated, under who sent which version when, and how to revise it."""
    head = MINE_HEAD.format(
        heading=_heading({"week": week, "unit_name": ctx.unit.name}),
        status=labels.revision_timeliness(first_on_time=saved.report.on_time, on_time=saved.revision.on_time),
        n=saved.revision.number,
        by=ctx.name_of(saved.revision.submitted_by),
        at=labels.moment(saved.revision.submitted_at, ctx.tz),
    )
    edit = _command(ctx, week, EDIT)
    returned = open_return(session=ctx.session, unit_id=ctx.unit.id, week=week)
    if returned is not None:
        head += "\n" + MINE_RETURNED.format(reason=returned.reason, command=edit)
    foot = [] if returned is not None else [OFFER_EDIT.format(command=edit)]  # the return's line says it already
    return "\n".join([head, *engine.describe(WEEKLY, answers_of(saved), ctx.local_now()), *foot])


def _command(ctx: Context, week: str, keyword: str) -> str:
    """`keyword`, or `keyword 上周` for last week's report."""
    return keyword if week == ctx.this_week() else f"{keyword} 上周"


def _filing_week(msg: Incoming, ctx: Context) -> str:
    week = ctx.this_or_last_week(msg.args)
    if week is None:
        raise Refusal(NO_WEEK)
    return week


def register(router: Router) -> None:
    router.form(WEEKLY)
    router.command("我的周报", who=Audience.MEMBERS, usage="我的周报 — 查看本单位本周周报")(my_report)
