"""What a revision of a weekly report changed: the labels of 附件1's fields that differ from the revision before."""

from __future__ import annotations

from reports.attachments import CONTACT, PHONE, REPORT_TEXT_FIELDS
from reports.form_rows import ARTICLES_LABEL
from storage.reports import SavedReport

LABELS = (*(label for _, label in REPORT_TEXT_FIELDS), ARTICLES_LABEL, CONTACT, PHONE)  # in 附件1's order


def changed_fields(before: SavedReport, after: SavedReport) -> list[str]:
    """The labels of the fields `after` changes from `before`, in 附件1's order (日期, filled in at each submission, left out)."""
    return [label for label, old, new in zip(LABELS, _values(before), _values(after), strict=True) if old != new]


def _values(saved: SavedReport) -> tuple:
    revision = saved.revision
    articles = [(a.title, a.url, a.channel) for a in saved.articles]
    return (*(getattr(revision, key) for key, _ in REPORT_TEXT_FIELDS), articles, revision.contact, revision.phone)


def revision_changes(revisions: list[SavedReport]) -> list[tuple[SavedReport, list[str]]]:
    """Each revision, first to current, with the labels of what it changed from the one before ([] for the first)."""
    return [(saved, changed_fields(revisions[i - 1], saved) if i else []) for i, saved in enumerate(revisions)]
