"""How a typed command or control word is read: the one normaliser every match goes through.

Clerks type on phones with Chinese input methods: full-width digits and spaces, a closing 。, the
quotes a help text showed around a keyword. These are read away for matching only; an answer to a
form is stored as typed.
"""

from __future__ import annotations

import unicodedata

# After NFKC, which has already turned full-width ASCII (（）＂！？，：；) into plain ASCII.
_QUOTES = "\"'`“”‘’「」『』《》〈〉【】()[]<>"
_TRAILING = ".,!?;:~。，、；：！？…"


def canonical(text: str) -> str:
    """The text as commands are matched: NFKC, single spaces, no surrounding quotes or trailing punctuation.

    A text of punctuation alone (`？`, a help keyword) is kept rather than read as nothing.
    """
    return _trimmed(" ".join(unicodedata.normalize("NFKC", text).split()))


# Full-width forms (U+FF01-FF5E) and the ideographic space, as ASCII; but the punctuation Chinese is written with.
_CHINESE_PUNCTUATION = "！（），：；？～"
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if chr(code) not in _CHINESE_PUNCTUATION} | {0x3000: " "}


def as_argument(text: str) -> str:
    """A command's free-text argument (a reason, a name) as stored: full-width letters and digits made ASCII, spaces
    collapsed, surrounding quotes and trailing punctuation dropped, but its Chinese punctuation kept (原因：链接有误，请核对).
    """
    return _trimmed(" ".join(text.translate(_HALF_WIDTH).split()))


def _trimmed(spaced: str) -> str:
    """Without surrounding quotes and trailing punctuation; a text of nothing else is kept as it is."""
    return spaced.lstrip(_QUOTES + " ").rstrip(_TRAILING + _QUOTES + " ") or spaced


def compact(text: str) -> str:
    """The canonical text without any space: how a one-word reply (`确 认`, `修改 3`) is compared."""
    # Normalised again: a combining mark that followed a space now joins the letter before it.
    return unicodedata.normalize("NFKC", canonical(text).replace(" ", ""))
