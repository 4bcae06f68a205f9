"""How users name weeks: nothing or 本周, 上周, or an ISO week."""

from __future__ import annotations

import pytest

from common.weeks import parse_week, week_from_words


@pytest.mark.parametrize(
    ("text", "week"),
    [("", "2026-W48"), ("本周", "2026-W48"), ("上周", "2026-W47"), ("上上周", "2026-W46"), ("2026-W47", "2026-W47"),
     ("2026w5", "2026-W05"), ("下个月", None), ("2026-W54", None)],
)
def test_week_from_words(text, week):
    assert week_from_words(text, "2026-W48") == week


def test_last_week_crosses_the_year():
    assert week_from_words("上周", "2027-W01") == "2026-W53"


def test_full_width_digits_name_the_same_week():
    assert parse_week("２０２６-Ｗ４７") == "2026-W47" and parse_week("２０２６w４７") == "2026-W47"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("第47周", "2026-W47"), ("第48周", "2026-W48"), ("第50周", "2025-W50"), ("２０２６年第１周", "2026-W01"), ("第54周", None), ("第0周", None)],
)
def test_a_week_named_as_the_labels_name_it(typed, expected):
    assert week_from_words(typed, "2026-W48") == expected
