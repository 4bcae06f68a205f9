"""What the console does besides showing: the week's files, and the two actions an admin can already take in chat (催报, 退回),
each run as the chat command itself, through `Bot.handle`, with its checks, pushes and reply.
"""

from __future__ import annotations

import uuid
from io import BytesIO

from flask import abort, request, send_file, url_for

from bot.console.access import admins_only, blueprint, the_bot, transaction, viewer
from bot.console.pages import render, this_week, week_or_404
from common.weeks import shift_week
from handlers.base import Incoming
from reports.exports import FORMATS, build_export, export_filename
from reports.week import week_data


@blueprint.get("/week/<week>/download/<fmt>")
def download(week: str, fmt: str):
    """The week's workbook or Word document, as `导出` sends it; read in a transaction, built after it."""
    admins_only()
    week = week_or_404(week)
    if fmt not in FORMATS:
        abort(404)
    bot = the_bot()
    with transaction() as session:
        data = week_data(session=session, config=bot.config, calendar=bot.calendar, week=week)
    return send_file(BytesIO(build_export(data, fmt)), as_attachment=True, download_name=export_filename(week, fmt))


@blueprint.post("/week/<week>/chase")
def chase(week: str):
    """催报 of one missing unit, as the admin would type it in chat: the same handler, checks and pushes."""
    admins_only()
    unit_id = request.form.get("unit", "")
    if week != this_week() or not unit_id:
        abort(404)
    reply = _as_chat(f"催报 {unit_id}")
    return render("done.html", reply=reply, back=url_for("console.week_page", week=week))


@blueprint.post("/report/<unit_id>/<week>/return")
def send_back(unit_id: str, week: str):
    """退回 of the unit's current report with the admin's reason, through the chat's own 退回."""
    admins_only()
    which = {this_week(): "本周", shift_week(this_week(), -1): "上周"}.get(week)
    reason = " ".join(request.form.get("reason", "").split())
    if which is None:
        abort(404)
    reply = _as_chat(f"退回 {unit_id} {which} {reason}")
    return render("done.html", reply=reply, back=url_for("console.report_page", unit_id=unit_id, week=week))


def _as_chat(text: str) -> str:
    """Run a chat command for the signed-in admin through `Bot.handle` (its own transaction, dedupe key and follow-ups)."""
    reply = the_bot().handle(Incoming(viewer().user_id, text, key=f"console:{uuid.uuid4().hex}"))
    return reply.text if reply else ""
