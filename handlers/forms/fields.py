"""Field specs and the parsers shared by every form. A form is an ordered tuple of these."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import SplitResult, urlsplit

from handlers.base import Context

MAX_TEXT = 2000
MAX_URL = 2000  # a link is mostly ASCII: 2,000 characters fit one WeCom message
MAX_CHOICES_TEXT = 200  # the plan's channel names are a few characters each

BAD_LINK = "链接格式不对，请发送完整网址，例如：https://mp.weixin.qq.com/s/abc123。"
BAD_HOST = "链接中的网站域名不完整，请复制完整网址，例如：https://mp.weixin.qq.com/s/abc123。"
LINK_TOO_LONG = "链接太长（{length} 个字符），请控制在 {limit} 个字符以内，可改用短链接。"

_HOST_LABEL = re.compile(r"[\w-]{1,63}")  # letters (Chinese domains too), digits, hyphens


class Invalid(Exception):
    """An answer that cannot be accepted; the message says why, in Chinese, for the user."""


ANSWER_SLOT = "{answer}"  # where, in a kept partial answer, the rest is put (12月3日 {answer}3点 至 5点)


class NeedMore(Invalid):
    """A partial answer (a date without a time): the engine keeps `partial` and asks only for the rest."""

    def __init__(self, message: str, partial: str):
        super().__init__(message)
        self.partial = partial


class Incomplete(Invalid):
    """An answer lacking what a kept partial answer supplies (a time without a date): the engine joins the two."""


class Fill(dict):
    """An answer that fills several fields at once, by key: a title pasted with its link, a link instead of a place."""


Parser = Callable[[str, datetime], Any]  # the answer and the local now; returns a JSON-friendly value
Show = Callable[[Any, datetime], str]  # an answer as read at the local now (a date in another year shows its year)
Offer = Callable[[Context], str | None]
Suggest = Callable[[dict], str | None]  # a value proposed from the answers so far (a link's domain names its type)
AskIf = Callable[[dict], bool]  # whether a field applies, given the answers so far


def as_given(value: Any, now: datetime) -> str:
    """An answer shown as it was stored."""
    return str(value)


@dataclass(frozen=True)
class Field:
    """One question: `parse` turns the reply into a JSON-friendly value or raises Invalid."""

    key: str
    label: str
    prompt: str
    parse: Parser
    optional: bool = False
    offer: Offer | None = None  # a previous answer the user may reuse by replying 1
    show: Show = as_given
    suggest: Suggest | None = None  # proposed from the item's earlier answers; accepted by replying 是
    fills: tuple[str, ...] = ()  # other keys an answer may fill (a title pasted with its link fills url)
    ask_if: AskIf | None = None  # None: always asked

    def applies(self, values: dict) -> bool:
        return self.ask_if is None or self.ask_if(values)


@dataclass(frozen=True)
class Repeat:
    """Zero or more items, each asked field by field (those that apply, and are not filled yet); the list ends with 完成.

    `from_link` turns a shared link (title, url) into a started item, when the list takes links.
    """

    key: str
    label: str
    fields: tuple[Field, ...]
    unit: str = "项"
    show_item: Callable[[dict], str] = lambda item: "｜".join(str(v) for v in item.values())
    optional: bool = True
    from_link: Callable[[str, str], dict] | None = None
    more_prompt: str = ""  # what starts the next item once some are listed (the first field's prompt by default)

    def next_field(self, item: dict) -> Field | None:
        """The item's next question: the first field that applies and has no answer yet."""
        return next((f for f in self.fields if f.applies(item) and f.key not in item), None)

    def previous_field(self, item: dict) -> Field | None:
        """The field answered just before the current one, for 上一步 inside an item."""
        current = self.next_field(item)
        answered = [f for f in self.fields[: self.fields.index(current) if current else None] if f.key in item]
        return answered[-1] if answered else None


def normalise(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms; spaces trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def text(max_length: int = MAX_TEXT) -> Parser:
    def parse(answer: str, now: datetime) -> str:
        answer = answer.strip()
        if not answer:
            raise Invalid("内容不能为空。")
        if len(answer) > max_length:
            raise Invalid(f"内容太长（{len(answer)} 字），请控制在 {max_length} 字以内。")
        return answer

    return parse


def url(answer: str, now: datetime) -> str:
    """An http(s) link of at most MAX_URL characters to a real host such as example.com; `https://` added when left out."""
    answer = with_scheme(normalise(answer))
    if len(answer) > MAX_URL:
        raise Invalid(LINK_TOO_LONG.format(length=len(answer), limit=MAX_URL))
    parts = _link_parts(answer)
    if parts is None or parts.scheme not in ("http", "https") or re.search(r"\s", answer):
        raise Invalid(BAD_LINK)
    labels = (parts.hostname or "").split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise Invalid(BAD_HOST)
    return answer


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_BARE_HOST = re.compile(r"^(?:[\w-]+\.)+[a-zA-Z]{2,}(?:[:/?#]|$)")  # weibo.com/123, mp.weixin.qq.com/s/abc


def with_scheme(link: str) -> str:
    """A link typed without its scheme (weibo.com/123456) completed with https://; others left as they are."""
    return link if _SCHEME.match(link) or not _BARE_HOST.match(link) else f"https://{link}"


_LINK_IN_TEXT = re.compile(r"(?:https?://|(?<![\w.@/])(?:[\w-]+\.)+[a-zA-Z]{2,}/)[^\s，。；]+", re.IGNORECASE)
_SEPARATORS = " \t:：,，;；|｜-—。.!！"


def split_link(answer: str) -> tuple[str, str | None]:
    """A pasted `标题 https://…` as its text and its link (None when it holds none); the text trimmed of separators.

    The title keeps its full-width punctuation (景洪法院：执行好声音): only a link typed in full-width letters is
    looked for in the normalised text.
    """
    answer = answer.strip()
    match = _LINK_IN_TEXT.search(answer)
    if match is None:
        answer = normalise(answer)
        match = _LINK_IN_TEXT.search(answer)
    if match is None:
        return answer, None
    rest = (answer[: match.start()] + " " + answer[match.end():]).strip(_SEPARATORS)
    return " ".join(rest.split()), normalise(match[0])


def host_of(link: str) -> str:
    """A stored link's host, lower-cased ("" when it has none)."""
    parts = _link_parts(with_scheme(link))
    return (parts.hostname or "") if parts else ""


def _link_parts(link: str) -> SplitResult | None:
    """The link split up, or None when it cannot be (an unclosed "[", a port that is no number)."""
    try:
        parts = urlsplit(link)
        _ = parts.port  # urllib checks the port only when it is read
    except ValueError:
        return None
    return parts


_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_LANDLINE = re.compile(r"^\(?(0(?:10|2\d)|0[3-9]\d{2})\)?-?(\d{7,8})$")  # 010 and 02x are 3-digit area codes


def phone(answer: str, now: datetime) -> str:
    """A mainland mobile number, or a landline with its area code, normalised as 0691-2123456."""
    compact = re.sub(r"[\s\u2014\u2013]+", "-", normalise(answer))
    if match := _MOBILE.match(compact.replace("-", "")):
        return match[1]
    if match := _LANDLINE.match(compact):
        return f"{match[1]}-{match[2]}"
    raise Invalid("电话格式不对，请填写手机号或带区号的座机。")


def choice(options: tuple[str, ...], aliases: dict[str, str] | None = None) -> Parser:
    """One option, by its number, its exact name or an alias."""

    def parse(answer: str, now: datetime) -> str:
        picked = pick(normalise(answer).rstrip("。.，,"), options, aliases)
        if picked is None:
            raise Invalid(f"请回复 1–{len(options)} 之间的编号，或类型名称。")
        return picked

    return parse


def choices(options: tuple[str, ...], max_length: int = MAX_CHOICES_TEXT) -> Parser:
    """One or more options as numbers ("1,3", "1、3"), names, or free text for anything else."""

    def parse(answer: str, now: datetime) -> list[str]:
        tokens = [t for t in re.split(r"[,，、;；\s]+", normalise(text(max_length)(answer, now))) if t]
        if not tokens:
            raise Invalid("内容不能为空。")
        picked = []
        for token in tokens:
            name = pick(token, options)
            if name is None and token.isdigit():
                raise Invalid(f"没有编号 {token}，请回复 1–{len(options)} 之间的编号，可多选如 1,3。")
            if (name or token) not in picked:
                picked.append(name or token)
        return picked

    return parse


_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|(?:0(?:10|2\d)|0[3-9]\d{2})-?\d{7,8})(?!\d)")


def person_and_phone(answer: str, now: datetime) -> str:
    """A liaison: a name together with a mobile or landline number."""
    answer = text(100)(answer, now)
    compact = re.sub(r"[\s]", "", normalise(answer))
    if not _PHONE_IN_TEXT.search(compact) or not _PHONE_IN_TEXT.sub("", compact).strip(":：,，"):
        raise Invalid("请写明联络人姓名和电话，例如：李华 13800138000。")
    return answer


def listed(names: list[str], now: datetime) -> str:
    """Options picked with `choices`, as 电视专题、执行直播."""
    return "、".join(names)


def pick(answer: str, options: tuple[str, ...], aliases: dict[str, str] | None = None) -> str | None:
    """An option by its number, its name, or another name for it (公众号 for 微信公众号)."""
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1]
    return answer if answer in options else (aliases or {}).get(answer)


def numbered(options: tuple[str, ...]) -> str:
    """Options as "1 电视专题  2 执行直播 ..." for a prompt."""
    return "\n".join(f"{i} {name}" for i, name in enumerate(options, start=1))
