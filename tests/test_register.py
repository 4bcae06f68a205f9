"""Every text a user can see is formal: no colloquial "没看懂" or "看不懂" in any module's constants."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COLLOQUIAL = ("没看懂", "看不懂")


@pytest.mark.parametrize("package", ["handlers", "reports", "scheduler", "bot", "common", "storage"])
def test_no_colloquial_wording_in_user_texts(package):
    for path in (ROOT / package).rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not [word for word in COLLOQUIAL if word in text], path
