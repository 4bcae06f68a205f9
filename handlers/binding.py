"""Binding a WeChat follower to a member: 绑定码 and 绑定列表 for admins, 解绑, and what a stranger on the official account is told.

An admin issues a one-time code (`绑定码 <账号>` here, or `python -m bot bind-code USERID`); the member sends
`绑定 <code>` to the official account and from then on is that member there, with the same unit and role.
A follower bound to no one is only told how to bind: nothing of theirs is kept but a count of wrong codes.
"""

from __future__ import annotations

from sqlmodel import Session

from common.via import WECHAT
from handlers.base import Context, Env, Incoming, Refusal, Reply, User
from handlers.dispatcher import SUBSCRIBE, Handled, help_reply, identify
from handlers.members import account_of, labelled
from handlers.router import Audience, Router
from handlers.words import compact
from reports.labels import moment
from storage.bindings import Refused, bound_members, code_expiry, issue_code, redeem_code, unbind
from storage.units import membership_of, unit_names

BIND = "绑定"
CODE_USAGE = "请写成员的企业微信账号，如：绑定码 jh_reporter（账号见 成员列表）"
NOT_A_MEMBER = "{user} 不是任何单位的成员，也不是管理员，不能绑定微信。请先用 添加成员 添加。"
CODE_ISSUED = "{who}的微信绑定码：{code}\n有效至 {until}，仅可使用一次。请其关注本院微信公众号，发送：绑定 {code}"
LIST_HEADER = "已绑定微信公众号 {count} 人（单位：姓名（账号），绑定时间）："
LIST_ITEM = "{unit}：{who}，{at}{gone}"
UNFOLLOWED = "（已取消关注）"
NONE_BOUND = "尚无成员绑定微信公众号。"
OFFICE = "中院办公室"
UNBOUND_HERE = "已解除本微信与 {who}的绑定。如需重新绑定，请向中院办公室索取绑定码。"
UNBOUND_SELF = "已解除您的微信公众号绑定。"
NOT_BOUND_SELF = "您未绑定微信公众号。"
UNBOUND_OTHER = "已解除 {who} 的微信公众号绑定。"
NOT_BOUND_OTHER = "{who} 未绑定微信公众号。"
OTHERS_ADMINS_ONLY = "解除他人的绑定仅限中院办公室管理员；解除自己的绑定请发送：解绑"
ALREADY_BOUND = "本微信已绑定 {who}（{role}）。如需改绑，请先发送 解绑。"
BIND_ON_WECHAT = "绑定码请在本院微信公众号中发送：绑定 绑定码。"
GREETING = "您好，欢迎关注。本公众号供各法院执行宣传报送人员填报周报和重点策划预告。\n首次使用请向中院办公室索取绑定码，然后发送：绑定 绑定码（6位数字）"
HOW_TO_BIND = "您尚未绑定，暂时无法使用。请向中院办公室索取绑定码，然后发送：绑定 绑定码（6位数字），例如：绑定 123456"
BIND_USAGE = "请发送：绑定 绑定码（6位数字），例如：绑定 123456"
REFUSED = {
    Refused.WRONG: "绑定码不正确或已使用。请核对后重新发送，或向中院办公室索取新的绑定码。",
    Refused.EXPIRED: "该绑定码已过期（有效期24小时）。请向中院办公室索取新的绑定码。",
    Refused.TOO_MANY: "绑定码错误次数过多，请1小时后再试。",
}
BOUND = "绑定成功：{who}（{role}）。在此发送的指令与企业微信中相同，草稿两边通用。"


def register(router: Router) -> None:
    router.command("绑定码", who=Audience.ADMINS, usage="绑定码 <账号> — 生成成员绑定微信公众号的绑定码")(issue)
    router.command("绑定列表", who=Audience.ADMINS, usage="绑定列表 — 已绑定微信公众号的成员")(list_bindings)
    router.command("解绑", who=Audience.ANYONE, usage="解绑 — 解除微信公众号绑定")(release)
    router.command(BIND, who=Audience.ANYONE)(already_bound)


def issue(msg: Incoming, ctx: Context) -> Reply:
    """`绑定码 <账号>`: a one-time code for a member (or an admin) to bind their WeChat."""
    if not msg.args:
        return Reply(CODE_USAGE)
    return Reply(code_for(msg.args, ctx))


def code_for(user_id: str, ctx: Context) -> str:
    """A fresh code for the member (or admin), with how to use it, issued by `ctx.user`; a Refusal for anyone else."""
    if membership_of(session=ctx.session, user_id=user_id) is None and user_id not in ctx.config.office.admins:
        raise Refusal(NOT_A_MEMBER.format(user=user_id))
    now = ctx.clock()
    code = issue_code(session=ctx.session, user_id=user_id, by=ctx.user.id, now=now)
    return CODE_ISSUED.format(who=account_of(user_id, ctx), code=code, until=moment(code_expiry(now), ctx.tz))


def list_bindings(msg: Incoming, ctx: Context) -> Reply:
    """`绑定列表`: who is bound on WeChat, by unit, and who has unfollowed since."""
    bound = bound_members(session=ctx.session)
    if not bound:
        return Reply(NONE_BOUND)
    people = ctx.people(b.user_id for b in bound)
    names = unit_names(session=ctx.session, unit_ids={b.unit_id for b in bound if b.unit_id})
    lines = [LIST_HEADER.format(count=len(bound))]
    for b in bound:
        unit = names.get(b.unit_id, OFFICE) if b.unit_id else OFFICE
        gone = UNFOLLOWED if b.unsubscribed_at else ""
        lines.append(LIST_ITEM.format(unit=unit, who=labelled(people[b.user_id].name, b.user_id), at=moment(b.bound_at, ctx.tz), gone=gone))
    return Reply("\n".join(lines))


def release(msg: Incoming, ctx: Context) -> Reply:
    """`解绑`: on WeChat this follower's binding, in WeCom the member's own; an admin may name a member (`解绑 <账号>`)."""
    if msg.args:
        if not ctx.user.is_admin:
            raise Refusal(OTHERS_ADMINS_ONLY)
        done = unbind(session=ctx.session, user_id=msg.args)
        return Reply((UNBOUND_OTHER if done else NOT_BOUND_OTHER).format(who=account_of(msg.args, ctx)))
    if msg.via == WECHAT:
        unbind(session=ctx.session, openid=msg.openid)
        return Reply(UNBOUND_HERE.format(who=f"{ctx.name_of(ctx.user.id)}（{_role(ctx.user)}）"))
    return Reply(UNBOUND_SELF if unbind(session=ctx.session, user_id=ctx.user.id) else NOT_BOUND_SELF)


def already_bound(msg: Incoming, ctx: Context) -> Reply:
    """`绑定` from someone known: a follower already bound (a retry of their 绑定 included), or a WeCom member."""
    if msg.via != WECHAT:
        return Reply(BIND_ON_WECHAT)
    return Reply(ALREADY_BOUND.format(who=ctx.name_of(ctx.user.id), role=_role(ctx.user)))


def answer_stranger(msg: Incoming, session: Session, env: Env, router: Router) -> Handled:
    """A follower bound to no one: greeted when they follow, bound by a right code, else told how to bind."""
    if msg.event == SUBSCRIBE:
        return Handled(Reply(GREETING))
    if msg.kind == "event":
        return Handled(None)
    said = compact(msg.text) if msg.kind == "text" else ""
    if not said.startswith(BIND):
        return Handled(Reply(HOW_TO_BIND))
    code = said.removeprefix(BIND)
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return Handled(Reply(BIND_USAGE))
    user_id = redeem_code(session=session, code=code, openid=msg.openid, now=env.clock())
    if isinstance(user_id, Refused):
        return Handled(Reply(REFUSED[user_id]))
    return _bound(session, env, router, user_id)


def _bound(session: Session, env: Env, router: Router, user_id: str) -> Handled:
    """The new member's welcome, with their help; WeCom is asked whether it knows them (reminders reach those it does not here)."""
    ctx = Context(session, env, identify(session, env, user_id), via=WECHAT)
    if env.refresh_names is not None:
        ctx.after_commit(env.refresh_names)
    lead = BOUND.format(who=ctx.name_of(user_id), role=_role(ctx.user))
    return Handled(help_reply(router, ctx.user, lead=lead), ctx.committed_actions())


def _role(user: User) -> str:
    return user.unit.name if user.unit is not None else OFFICE
