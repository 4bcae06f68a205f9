"""添加成员 / 移除成员: admins bind WeCom users to units in the database, on top of the config's members."""

from __future__ import annotations

import re

from handlers.base import Context, Incoming, Reply
from handlers.router import Audience, Router
from storage.models import MemberSource, Unit
from storage.units import UnitRef, add_admin_member, membership_of, remove_admin_member

ADD_USAGE = "请写成员的企业微信账号和单位，如：添加成员 zhangsan 景洪"
REMOVE_USAGE = "请写成员的企业微信账号，如：移除成员 zhangsan"
BAD_USER_ID = "“{user}”不像企业微信账号（字母、数字、_-.@，最长64位）。"
ADDED = "已将 {user} 添加到{unit}。"
MOVED = "已将 {user} 从{old}调整到{unit}。"
ALREADY = "{user} 已是{unit}的成员。"
CONFIG_MEMBER = "{user} 是配置文件中{unit}的成员，不能在聊天中调整，请修改配置文件。"
REMOVED = "已移除成员 {user}。"
NOT_A_MEMBER = "{user} 不是任何单位的成员。"

# WeCom userids: 1-64 characters of letters, digits and _-.@ (doc 90195).
USER_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def register(router: Router) -> None:
    router.command("添加成员", who=Audience.ADMINS, usage="添加成员 <账号> <单位> — 把成员加入单位")(add_member)
    router.command("移除成员", who=Audience.ADMINS, usage="移除成员 <账号> — 移除聊天中添加的成员")(remove_member)


def add_member(msg: Incoming, ctx: Context) -> Reply:
    user_id, _, unit_text = msg.args.partition(" ")
    if not user_id or not unit_text.strip():
        return Reply(ADD_USAGE)
    if not USER_ID.match(user_id):
        return Reply(BAD_USER_ID.format(user=user_id))
    unit = ctx.unit_named(unit_text)
    return Reply(_bind(user_id, unit, ctx))


def remove_member(msg: Incoming, ctx: Context) -> Reply:
    user_id = msg.args
    if not user_id:
        return Reply(REMOVE_USAGE)
    current = membership_of(session=ctx.session, user_id=user_id)
    if current is None:
        return Reply(NOT_A_MEMBER.format(user=user_id))
    if current.source == MemberSource.CONFIG:
        return Reply(CONFIG_MEMBER.format(user=user_id, unit=_name(current.unit_id, ctx)))
    remove_admin_member(session=ctx.session, user_id=user_id)
    return Reply(REMOVED.format(user=user_id))


def _bind(user_id: str, unit: UnitRef, ctx: Context) -> str:
    current = membership_of(session=ctx.session, user_id=user_id)
    if current is None:
        add_admin_member(session=ctx.session, user_id=user_id, unit_id=unit.id)
        return ADDED.format(user=user_id, unit=unit.name)
    old_name = _name(current.unit_id, ctx)
    if current.unit_id == unit.id:
        return ALREADY.format(user=user_id, unit=unit.name)
    if current.source == MemberSource.CONFIG:
        return CONFIG_MEMBER.format(user=user_id, unit=old_name)
    add_admin_member(session=ctx.session, user_id=user_id, unit_id=unit.id)
    return MOVED.format(user=user_id, old=old_name, unit=unit.name)


def _name(unit_id: str, ctx: Context) -> str:
    unit = ctx.session.get(Unit, unit_id)
    return unit.name if unit else unit_id
