"""素材: images and videos members send during a weekly report, kept with the draft, then with each revision.

A 素材 is stored as soon as its message arrives (its WeCom MediaId, valid 3 days) and filled with its
bytes once downloaded; reads for lists and counts never load the bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session, col, select

from storage.driver import DriverStatement
from storage.models import Material, MaterialStatus, Report, ReportRevision, RevisionMaterial


class MaterialInfo(NamedTuple):
    """A 素材 as listed: without its bytes."""

    id: int
    kind: str
    status: MaterialStatus
    size: int


_INFO = (Material.id, Material.kind, Material.status, Material.size)
_SHOWN = col(Material.status) != MaterialStatus.FAILED  # the member was told to send a failed one again


def add_material(*, session: Session, unit_id: str, sent_by: str, kind: str, media_id: str, at: datetime) -> int:
    """A 素材 just received, waiting for its download; its id."""
    material = Material(unit_id=unit_id, sent_by=sent_by, kind=kind, media_id=media_id, received_at=at)
    session.add(material)
    session.flush()
    return material.id


def store_material(*, session: Session, material_id: int, content: bytes, content_type: str, filename: str) -> None:
    values = {"content": content, "content_type": content_type, "filename": filename, "size": len(content), "status": MaterialStatus.STORED}
    session.execute(update(Material).where(col(Material.id) == material_id).values(**values))


def fail_material(*, session: Session, material_id: int) -> None:
    session.execute(update(Material).where(col(Material.id) == material_id).values(status=MaterialStatus.FAILED))


def drop_unfiled_materials(*, session: Session, sent_by: str) -> None:
    """Delete what the member sent to a draft that was dropped: 素材 of theirs in no revision.

    One statement on the driver: the session holds no 素材 rows to keep in step (added ones are flushed at once).
    """
    _DROP_UNFILED.rows(session, {"sent_by": sent_by})


_DROP_UNFILED = DriverStatement(  # on the driver, as every weekly report opens with it
    lambda _dialect: delete(Material).where(col(Material.sent_by) == bindparam("sent_by"), col(Material.id).not_in(select(RevisionMaterial.material_id)))
)


def materials_by_id(*, session: Session, ids: Sequence[int]) -> list[MaterialInfo]:
    """The 素材 of these ids, in their order, failed ones left out."""
    rows = session.exec(select(*_INFO).where(col(Material.id).in_(list(ids)), _SHOWN)).all()
    found = {row[0]: MaterialInfo(*row) for row in rows}
    return [found[i] for i in ids if i in found]


def revision_materials(*, session: Session, revision_id: int) -> list[MaterialInfo]:
    """A revision's 素材 in order, failed ones left out."""
    statement = (
        select(*_INFO)
        .join(RevisionMaterial, RevisionMaterial.material_id == Material.id)
        .where(RevisionMaterial.revision_id == revision_id, _SHOWN)
        .order_by(RevisionMaterial.position)
    )
    return [MaterialInfo(*row) for row in session.exec(statement).all()]


def draft_materials(*, session: Session, unit_id: str, week: str, sent: Sequence[int]) -> list[MaterialInfo]:
    """A weekly draft's 素材, failed ones left out: the unit's current report's of the week in order, then those `sent` to the draft."""
    filed = [MaterialInfo(*row) for row in _OF_CURRENT_REPORT.rows(session, {"unit_id": unit_id, "week": week})]
    return filed + materials_by_id(session=session, ids=sent) if sent else filed


_OF_CURRENT_REPORT = DriverStatement(  # on the driver: every weekly report's summary counts them
    lambda _dialect: select(*_INFO)
    .join(RevisionMaterial, RevisionMaterial.material_id == Material.id)
    .join(ReportRevision, ReportRevision.id == RevisionMaterial.revision_id)
    .join(Report, (Report.id == ReportRevision.report_id) & (Report.current_revision == ReportRevision.number))
    .where(Report.unit_id == bindparam("unit_id"), Report.week == bindparam("week"), _SHOWN)
    .order_by(RevisionMaterial.position)
)


def link_materials(*, session: Session, report_id: int, number: int, revision_id: int, added: Sequence[int]) -> None:
    """A new revision's 素材: those of the revision before it, then `added`; none is ever dropped by a revision."""
    carried = [] if number == 1 else list(session.exec(_of_revision(report_id, number - 1)).all())
    ids = carried + [i for i in dict.fromkeys(added) if i not in carried]
    if ids:
        rows = [{"revision_id": revision_id, "material_id": material_id, "position": i} for i, material_id in enumerate(ids, start=1)]
        session.execute(insert(RevisionMaterial.__table__), rows)


def _of_revision(report_id: int, number: int):
    return (
        select(RevisionMaterial.material_id)
        .join(ReportRevision, ReportRevision.id == RevisionMaterial.revision_id)
        .where(ReportRevision.report_id == report_id, ReportRevision.number == number)
        .order_by(RevisionMaterial.position)
    )
