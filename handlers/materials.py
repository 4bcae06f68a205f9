"""素材: images and videos a member sends while filling in the weekly report, kept with it.

A 素材 is stored with the message (its MediaId at WeCom or WeChat, valid 3 days), so nothing is lost if the
download fails or the process stops; the file is fetched after the reply (a video may take seconds, and
WeCom and WeChat want an answer within 5). If it cannot be had the member is told to send it again (by app
message, or on WeChat by customer-service message): the draft is never touched by a download.
"""

from __future__ import annotations

import logging
import mimetypes
from functools import partial
from typing import NamedTuple

from sqlmodel import Session

from common.media import Media, MediaError, MediaTooBig
from handlers.base import Context, Env, Incoming, to_sender
from handlers.forms.draft import Draft
from storage.materials import (
    MaterialInfo,
    add_material,
    draft_materials,
    fail_material,
    store_material,
)
from storage.models import MaterialStatus
from storage.outbox import push_key, queue

log = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024  # WeCom serves a larger file only in Range parts (doc 90254); a phone's photo is a few MB
MAX_COUNT = 20  # per report: a week's photos and clips, not an album
KINDS = {"image": "图片", "video": "视频"}

RECEIVED = "已收到{kind}，作为素材附在周报（共 {count} 个）。"
TOO_MANY = "每份周报最多附 {limit} 个素材，本{kind}未保存。"
TOO_BIG = "您 {at} 发送的{kind}超过 {limit} MB，未能保存为周报素材。请压缩后重新发送。"
NOT_DOWNLOADED = "您 {at} 发送的{kind}未能保存为周报素材（下载失败），请重新发送。"
COUNT_LINE = "素材：{count} 个（{kinds}）"
ITEM_LINE = "{n}. {kind}（{state}）"
RECEIVING = "接收中"


class _Download(NamedTuple):
    material_id: int
    msg: Incoming  # the message that sent it: where the file is kept (WeCom or WeChat), and who to tell if it cannot be had
    sent_at: str  # 10:03, to tell the member which one failed


def attach(ctx: Context, draft: Draft, msg: Incoming) -> str:
    """The weekly report's `attach`: the image or video joins the draft's 素材 and is downloaded after the reply."""
    meta = draft.meta
    kept = materials_of(ctx.session, meta)
    kind = KINDS[msg.kind]
    if len(kept) >= MAX_COUNT:
        return TOO_MANY.format(limit=MAX_COUNT, kind=kind)
    material_id = add_material(session=ctx.session, unit_id=meta["unit_id"], sent_by=ctx.user.id, kind=msg.kind, media_id=msg.media_id, at=ctx.clock())
    meta.setdefault("materials", []).append(material_id)
    meta["changed"] = True  # a revision with a new 素材 is stored even if no field changed
    job = _Download(material_id, msg, f"{ctx.local_now():%H:%M}")
    ctx.after_commit(partial(download, ctx.env, job))
    return RECEIVED.format(kind=kind, count=len(kept) + 1)


def materials_of(session: Session, meta: dict) -> list[MaterialInfo]:
    """A weekly draft's 素材: those of the unit's current report of its week, then those sent to the draft."""
    return draft_materials(session=session, unit_id=meta["unit_id"], week=meta["week"], sent=meta.get("materials", []))


def count_line(materials: list[MaterialInfo]) -> str:
    """素材：3 个（图片 2、视频 1）, or "" for none."""
    if not materials:
        return ""
    kinds = [m.kind for m in materials]
    counted = "、".join(f"{name} {kinds.count(kind)}" for kind, name in KINDS.items() if kind in kinds)
    return COUNT_LINE.format(count=len(materials), kinds=counted)


def listed(materials: list[MaterialInfo]) -> list[str]:
    """The count line, then one line per 素材 with its size (or that it is still being received)."""
    if not materials:
        return []
    lines = [ITEM_LINE.format(n=n, kind=KINDS.get(m.kind, m.kind), state=_state(m)) for n, m in enumerate(materials, start=1)]
    return [count_line(materials), *lines]


def _state(material: MaterialInfo) -> str:
    if material.status != MaterialStatus.STORED:
        return RECEIVING
    size = material.size
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def download(env: Env, job: _Download) -> None:
    """After the reply: fetch the file and store it; when it cannot be had, mark it failed and tell the member."""
    try:
        media = env.media[job.msg.via].download(job.msg.media_id, limit=MAX_BYTES)
    except MediaError as exc:
        log.warning("material %s (%s) not downloaded: %s", job.material_id, job.msg.kind, exc)
        failed = TOO_BIG if isinstance(exc, MediaTooBig) else NOT_DOWNLOADED
        text = failed.format(at=job.sent_at, kind=KINDS[job.msg.kind], limit=MAX_BYTES // 1024 // 1024)
        env.apart(partial(_give_up, job, text, env))
        return
    env.apart(partial(_store, job, media))


def _store(job: _Download, media: Media, session: Session) -> None:
    extension = mimetypes.guess_extension(media.content_type.split(";")[0].strip()) or ""
    filename = media.filename or f"{job.msg.kind}-{job.material_id}{extension}"
    store_material(session=session, material_id=job.material_id, content=media.content, content_type=media.content_type, filename=filename)


def _give_up(job: _Download, text: str, env: Env, session: Session) -> None:
    fail_material(session=session, material_id=job.material_id)
    queue(session=session, pushes=[to_sender(job.msg, push_key("material", job.material_id), text)], now=env.clock())
