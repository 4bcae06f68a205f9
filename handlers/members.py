"""添加成员 / 移除成员 / 成员列表: admins bind WeCom users to units in the database, on top of the config's members."""

from __future__ import annotations

import re

from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from storage.models import MemberSource, Unit
from storage.people import give_name
from storage.units import UnitRef, active_unit_refs, add_admin_member, members_by_unit, membership_of, remove_admin_member

ADD_USAGE = "请写成员的企业微信账号和单位，可加姓名，如：添加成员 zhangsan 景洪 张三"
REMOVE_USAGE = "请写成员的企业微信账号，如：移除成员 zhangsan"
BAD_USER_ID = "“{user}”不像企业微信账号（字母、数字、_-.@，最长64位）。"
BAD_NAME = "姓名请在 {limit} 字以内。"
ADDED = "已将 {user} 添加到{unit}。"
MOVED = "已将 {user} 从{old}调整到{unit}。"
ALREADY = "{user} 已是{unit}的成员。"
CONFIG_MEMBER = "{user} 是配置文件中{unit}的成员，不能在聊天中调整，请修改配置文件。"
REMOVED = "已移除成员 {user}。"
NOT_A_MEMBER = "{user} 不是任何单位的成员。"
MEMBERS_HEADER = "{count} 个单位的成员（姓名和企业微信账号）："
NO_MEMBERS = "（无成员）"
NAME_LIMIT = 30

# WeCom userids: 1-64 characters of letters, digits and _-.@ (doc 90195).
USER_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def register(router: Router) -> None:
    router.command("添加成员", who=Audience.ADMINS, usage="添加成员 <账号> <单位> [姓名] — 把成员加入单位")(add_member)
    router.command("移除成员", who=Audience.ADMINS, usage="移除成员 <账号> — 移除聊天中添加的成员")(remove_member)
    router.command("成员列表", who=Audience.ADMINS, usage="成员列表 [单位] — 各单位成员的姓名和账号")(list_members)


def add_member(msg: Incoming, ctx: Context) -> Reply:
    """`添加成员 <userid> <单位> [姓名]`: without a name, WeCom's is shown once it has answered (when configured)."""
    user_id, unit_text, name = [*msg.args.split(maxsplit=2), "", ""][:3]
    if not user_id or not unit_text:
        return Reply(ADD_USAGE)
    if not USER_ID.match(user_id):
        return Reply(BAD_USER_ID.format(user=user_id))
    if len(name) > NAME_LIMIT:
        return Reply(BAD_NAME.format(limit=NAME_LIMIT))
    unit = ctx.unit_named(unit_text)
    return Reply(_bind(user_id, unit, name, ctx))


def remove_member(msg: Incoming, ctx: Context) -> Reply:
    user_id = msg.args
    if not user_id:
        return Reply(REMOVE_USAGE)
    current = membership_of(session=ctx.session, user_id=user_id)
    if current is None:
        return Reply(NOT_A_MEMBER.format(user=user_id))
    who = account_of(user_id, ctx)
    if current.source == MemberSource.CONFIG:
        return Reply(CONFIG_MEMBER.format(user=who, unit=_name(current.unit_id, ctx)))
    remove_admin_member(session=ctx.session, user_id=user_id)
    return Reply(REMOVED.format(user=who))


def list_members(msg: Incoming, ctx: Context) -> Reply:
    """`成员列表 [单位]`: each unit's members as 李华（ml_reporter）, the account being what 移除成员 takes."""
    if msg.args:
        unit = ctx.unit_named(msg.args)
        units = [unit]
    else:
        units = active_unit_refs(session=ctx.session)
    members = members_by_unit(session=ctx.session, unit_ids=[u.id for u in units])
    people = ctx.people(user_id for ids in members.values() for user_id in ids)
    lines = [MEMBERS_HEADER.format(count=len(units))]
    for unit in units:
        shown = "、".join(labelled(people[user_id].name, user_id) for user_id in members.get(unit.id, []))
        lines.append(f"{unit.name}：{shown or NO_MEMBERS}")
    return Reply("\n".join(lines))


def _bind(user_id: str, unit: UnitRef, name: str, ctx: Context) -> str:
    """Bind the user (an admin-added member moves), recording the name given; a config member changes in the config only."""
    current = membership_of(session=ctx.session, user_id=user_id)
    in_config = current is not None and current.source == MemberSource.CONFIG
    if in_config and (name or current.unit_id != unit.id):
        return CONFIG_MEMBER.format(user=account_of(user_id, ctx), unit=_name(current.unit_id, ctx))
    if name:
        give_name(session=ctx.session, user_id=user_id, name=name)
    who = account_of(user_id, ctx)
    if current is None:
        add_admin_member(session=ctx.session, user_id=user_id, unit_id=unit.id)
        return ADDED.format(user=who, unit=unit.name)
    if current.unit_id == unit.id:
        return ALREADY.format(user=who, unit=unit.name)
    old = _name(current.unit_id, ctx)  # before the move: `current` is the row it updates
    add_admin_member(session=ctx.session, user_id=user_id, unit_id=unit.id)
    return MOVED.format(user=who, old=old, unit=unit.name)


def account_of(user_id: str, ctx: Context) -> str:
    """李华（ml_reporter）for an admin, who acts on the account; the bare account while the name is not known."""
    return labelled(ctx.people([user_id])[user_id].name, user_id)


def labelled(name: str, user_id: str) -> str:
    return f"{name}（{user_id}）" if name else user_id


def _name(unit_id: str, ctx: Context) -> str:
    unit = ctx.session.get(Unit, unit_id)
    return unit.name if unit else unit_id
