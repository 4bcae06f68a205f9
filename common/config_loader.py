"""Load a TOML file into the typed Config tree, naming file, key and expectation on any error."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import tomllib
import types
import typing
from collections import Counter
from datetime import date, time, timedelta
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from common.channels import ARTICLE_CHANNELS
from common.config import (
    DURATION_UNITS,
    TEMPLATE_VALUES,
    WEEKDAYS,
    Config,
    ConfigError,
    MemberConfig,
    ScheduleConfig,
    UnitConfig,
    WeChatConfig,
    WeComConfig,
    WeeklyTime,
)

_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_WEEK = re.compile(r"^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$")
_DURATION = re.compile(r"^(\d+)([smhd])$")
_AES_KEY = re.compile(r"^[A-Za-z0-9+/]{43}$")  # base64 of 32 bytes without its "="
_AES_KEY_EXPECTED = "expected the 43-character EncodingAESKey (letters, digits, + and /)"
_APP_ID = re.compile(r"^wx[0-9A-Za-z]{16}$")  # the official account's AppID (开发者ID)
_ACCOUNT_TOKEN = re.compile(r"^[A-Za-z0-9]{3,32}$")  # what the account's 服务器配置 accepts as Token
_TEMPLATE_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_TEMPLATE_FIELD = re.compile(r"^[A-Za-z_]+[0-9]*$")  # as the template shows it: thing1 for {{thing1.DATA}}
_DATABASE_URL = re.compile(r"^(sqlite(\+pysqlite)?|postgresql\+psycopg)://")  # the engines and drivers installed and supported
_DATABASE_URL_EXAMPLES = '"sqlite:///data/bot.db" or "postgresql+psycopg://user:password@host:5432/db"'
MAX_ADVANCE_DAYS = 60  # the plan asks for 2 days; more than two months ahead is a typo, not a rule
MAX_NAME_LENGTH = 30
_PHONE = re.compile(r"^\+?\d{7,15}$")  # once spaces and hyphens are dropped: a landline with its area code, a mobile, +86…
_MEMBER_EXAMPLE = '"userid" or { id = "userid", name = "李华", phone = "13800001111" }'


def find_config(explicit: str | None = None) -> Config:
    """--config, then $BOT_CONFIG, then ./config.toml, then ./config.example.toml."""
    for candidate in (explicit, os.environ.get("BOT_CONFIG")):
        if candidate:
            return load_config(candidate)
    for name in ("config.toml", "config.example.toml"):
        if Path(name).exists():
            return load_config(name)
    raise ConfigError("no config: pass --config PATH, set BOT_CONFIG, or create config.toml")


def load_config(path: str | Path) -> Config:
    """Read and validate a TOML config file."""
    path = Path(path)
    try:
        raw = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return config_from_dict(raw, source=str(path))


def _read_text(path: Path) -> str:
    """The file's text, or a ConfigError saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, expected a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:  # Windows editors save Chinese text as GBK unless told otherwise
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}): save the file as UTF-8") from None


def config_from_dict(raw: dict[str, Any], *, source: str = "<memory>") -> Config:
    """Build a validated Config from parsed TOML data."""
    try:
        config = _build(Config, raw, "", exclude={"source"})
        config = dataclasses.replace(config, source=source)
        _check_semantics(config)
    except _KeyError as exc:
        raise ConfigError(f"{source}: [{exc.key}]: {exc.expected}") from None
    return config


class _KeyError(Exception):
    def __init__(self, key: str, expected: str):
        super().__init__(key, expected)
        self.key, self.expected = key, expected


def _build(cls: type, table: Any, where: str, exclude: set[str] = frozenset()):
    if not isinstance(table, dict):
        raise _KeyError(where or "top level", "expected a table")
    hints = _type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)} - exclude
    unknown = sorted(set(table) - known)
    if unknown:
        raise _KeyError(_join(where, unknown[0]), f"unknown key (expected one of: {', '.join(sorted(known))})")
    values = {}
    for f in dataclasses.fields(cls):
        key = _join(where, f.name)
        if f.name in table:
            values[f.name] = _convert(hints[f.name], table[f.name], key)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise _KeyError(key, f"missing (expected {_describe(hints[f.name])})")
    return cls(**values)


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """Resolved once per class: a national config has thousands of [[units]] and [[groups]] tables."""
    return typing.get_type_hints(cls)


def _convert(hint: Any, value: Any, key: str) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _convert(next(a for a in args if a is not type(None)), value, key)
    if origin is list:
        if not isinstance(value, list):
            raise _KeyError(key, f"expected a list, got {value!r}")
        return [_convert(args[0], item, f"{key}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise _KeyError(key, f"expected a table, got {value!r}")
        return {name: _convert(args[1], item, f"{key}.{name}") for name, item in value.items()}
    if hint is MemberConfig and not isinstance(value, dict):
        return _member_by_id(value, key)
    if dataclasses.is_dataclass(hint) and hint is not WeeklyTime:
        return _build(hint, value, key)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _parse_enum(hint, value, key)
    parser = _SCALARS.get(hint)
    result = parser(value) if parser else None
    if result is None:
        raise _KeyError(key, f"expected {_describe(hint)}, got {value!r}")
    return result


def _member_by_id(value: Any, key: str) -> MemberConfig:
    """A member written as its bare userid."""
    if not isinstance(value, str):
        raise _KeyError(key, f"expected a member: {_MEMBER_EXAMPLE}, got {value!r}")
    return MemberConfig(value)


def _parse_weekly(value: Any) -> WeeklyTime | None:
    if not isinstance(value, str) or len(value.split()) != 2:
        return None
    day, clock = value.lower().split()
    at = _parse_time(clock)
    return WeeklyTime(WEEKDAYS.index(day), at) if day in WEEKDAYS and at else None


def _parse_enum(enum: type[Enum], value: Any, key: str) -> Enum:
    try:
        return enum(value)
    except ValueError:
        choices = " or ".join(f'"{member.value}"' for member in enum)
        raise _KeyError(key, f"expected {choices}, got {value!r}") from None


def _parse_duration(value: Any) -> timedelta | None:
    match = _DURATION.match(value) if isinstance(value, str) else None
    return timedelta(seconds=int(match[1]) * DURATION_UNITS[match[2]]) if match else None


def _parse_time(value: Any) -> time | None:
    match = _TIME.match(value) if isinstance(value, str) else None
    return time(int(match[1]), int(match[2])) if match else None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


_SCALARS = {
    str: lambda v: v if isinstance(v, str) else None,
    bool: lambda v: v if isinstance(v, bool) else None,
    int: lambda v: v if isinstance(v, int) and not isinstance(v, bool) else None,
    WeeklyTime: _parse_weekly,
    time: _parse_time,
    date: _parse_date,
    timedelta: _parse_duration,
}

_DESCRIPTIONS = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    WeeklyTime: 'a weekday and time such as "thu 15:00"',
    time: 'a time such as "09:00"',
    date: "a date such as 2026-07-01",
    timedelta: 'a duration such as "8h", "30m" or "1d"',
}


def _describe(hint: Any) -> str:
    if typing.get_origin(hint) is list:
        return "a list"
    return _DESCRIPTIONS.get(hint, "a table")


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _check_semantics(config: Config) -> None:
    """Rules that span keys: formats, ranges and references between sections."""
    _require(0 < config.server.port < 65536, "server.port", "expected a port number 1-65535")
    _require(config.server.max_body_bytes > 0, "server.max_body_bytes", "expected a positive integer")
    _require(0 < config.server.threads <= 256, "server.threads", "expected 1-256 worker threads")
    _require(0 < config.server.workers <= 64, "server.workers", "expected 1-64 web processes")
    _require(0 < config.server.connection_limit <= 100_000, "server.connection_limit", "expected 1-100000 open connections")
    _require(0 < config.server.channel_timeout <= 3600, "server.channel_timeout", "expected 1-3600 seconds")
    _require(_is_public_url(config.server.public_url), "server.public_url", 'expected "" or the http(s) address browsers reach this server at, such as "https://bot.example.gov.cn"')
    _require(_is_database_url(config.storage.url), "storage.url", f"expected {_DATABASE_URL_EXAMPLES}")
    _check_wecom(config.wecom)
    _check_wechat(config.wechat)
    _check_schedule(config)
    _check_names(config)
    _check_short_names(config)
    _check_groups_and_units(config)
    _check_campaign(config)


def _check_wecom(wecom: WeComConfig) -> None:
    """The callback's corp id and token matter in console mode (no secret) too: `serve` checks every callback with them."""
    _require_text(wecom.corp_id, "wecom.corp_id", "the 企业ID")
    _require_text(wecom.token, "wecom.token", "the callback Token")
    aes_key_ok = _AES_KEY.match(wecom.encoding_aes_key) is not None
    _require(aes_key_ok, "wecom.encoding_aes_key", _AES_KEY_EXPECTED)
    _require_api_base(wecom.api_base_url, "wecom.api_base_url", "https://qyapi.weixin.qq.com/cgi-bin/")
    _require(_is_http_url(wecom.authorize_url), "wecom.authorize_url", 'expected an http(s) URL such as "https://open.weixin.qq.com/connect/oauth2/authorize"')


def _check_wechat(wechat: WeChatConfig | None) -> None:
    """The official account's callback is checked with its token (and, in safe mode, its key and AppID) even in console mode."""
    if wechat is None:
        return
    _require(_APP_ID.match(wechat.app_id) is not None, "wechat.app_id", 'expected the account\'s AppID (开发者ID), such as "wx0123456789abcdef"')
    _require(_ACCOUNT_TOKEN.match(wechat.token) is not None, "wechat.token", "expected the 服务器配置 Token: 3-32 letters or digits")
    key_ok = not wechat.encoding_aes_key or _AES_KEY.match(wechat.encoding_aes_key) is not None
    _require(key_ok, "wechat.encoding_aes_key", f"{_AES_KEY_EXPECTED}, or empty for plaintext mode")
    _require_api_base(wechat.api_base_url, "wechat.api_base_url", "https://api.weixin.qq.com/cgi-bin/")
    template_ok = not wechat.reminder_template_id or _TEMPLATE_ID.match(wechat.reminder_template_id) is not None
    _require(template_ok, "wechat.reminder_template_id", "expected the template's ID (模板ID: letters, digits, - and _), or empty for none")
    _check_template_fields(wechat.reminder_template_fields)


def _check_template_fields(fields: dict[str, str]) -> None:
    """Each of the template's fields (thing1 for {{thing1.DATA}}) shows one value the reminders fill in."""
    _require(bool(fields), "wechat.reminder_template_fields", "expected at least one field, such as { thing1 = \"task\" }")
    for name, value in fields.items():
        key = f"wechat.reminder_template_fields.{name}"
        _require(_TEMPLATE_FIELD.match(name) is not None, key, "expected a template field's name as the template shows it, such as thing1")
        _require(value in TEMPLATE_VALUES, key, f"expected one of: {', '.join(TEMPLATE_VALUES)}; got {value!r}")


def _require_api_base(url: str, key: str, example: str) -> None:
    _require(_is_http_url(url) and url.endswith("/"), key, f'expected an http(s) URL ending with /, such as "{example}"')


def _check_schedule(config: Config) -> None:
    schedule = config.schedule
    try:
        ZoneInfo(schedule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _KeyError("schedule.timezone", f'expected an IANA zone such as "Asia/Shanghai", got {schedule.timezone!r}') from None
    _require(0 <= schedule.advance_days <= MAX_ADVANCE_DAYS, "schedule.advance_days", f"expected a whole number of days 0-{MAX_ADVANCE_DAYS}")
    _check_moments(schedule)
    bad = [w for w in schedule.exempt_weeks if not _WEEK.match(w)]
    _require(not bad, "schedule.exempt_weeks", f'expected ISO weeks such as "2026-W40", got {bad[:1]}')


def _check_moments(schedule: ScheduleConfig) -> None:
    """Within the week, the reminder and the nudge come before the deadline and the overdue alert after it."""
    before = f"expected a moment before the deadline ({schedule.deadline})"
    _require(schedule.reminder < schedule.deadline, "schedule.reminder", before)
    _require(schedule.nudge is None or schedule.nudge < schedule.deadline, "schedule.nudge", before)
    _require(schedule.overdue_alert > schedule.deadline, "schedule.overdue_alert", f"expected a moment after the deadline ({schedule.deadline})")


def _check_names(config: Config) -> None:
    """Ids, names and userids are never blank: they key rows, find units by name and address WeCom users."""
    for i, group in enumerate(config.groups):
        _require_text(group.id, f"groups[{i}].id", "a group id")
    for i, unit in enumerate(config.units):
        _require_text(unit.id, f"units[{i}].id", "a unit id")
        _require_text(unit.name, f"units.{unit.id}.name", "the unit's full name")
        _require(all(m.id.strip() for m in unit.members), f"units.{unit.id}.members", "expected WeCom userids, not empty")
        _check_members(unit)


def _check_members(unit: UnitConfig) -> None:
    """A member's name and phone, when given, are what the office reads and dials instead of the userid."""
    for i, member in enumerate(unit.members):
        key = f"units.{unit.id}.members[{i}]"
        name_ok = not member.name or (member.name.strip() == member.name and len(member.name) <= MAX_NAME_LENGTH)
        _require(name_ok, f"{key}.name", f"expected the member's name, at most {MAX_NAME_LENGTH} characters without surrounding spaces")
        phone_ok = not member.phone or _PHONE.match(re.sub(r"[\s-]", "", member.phone)) is not None
        _require(phone_ok, f"{key}.phone", 'expected a phone number such as "13800001111" or "0691-2123456"')


def _check_short_names(config: Config) -> None:
    """A short name, when given, names one unit only: lists of contributions show nothing else."""
    seen: dict[str, str] = {}
    for unit in config.units:
        if not unit.short_name:
            continue
        key = f"units.{unit.id}.short_name"
        _require_text(unit.short_name, key, "a short name such as \"景洪\" (or no short_name: one is derived from the name)")
        _require(unit.short_name not in seen, key, f"{unit.short_name!r} is already the short name of {seen.get(unit.short_name)!r}")
        seen[unit.short_name] = unit.id


def _check_groups_and_units(config: Config) -> None:
    group_ids = {g.id for g in config.groups}  # sets: a national config lists thousands of units and groups
    _require(len(group_ids) == len(config.groups), "groups", "expected unique group ids")
    for g in config.groups:
        _require(bool(g.webhook_url) != bool(g.chat_id), f"groups.{g.id}", "expected exactly one of webhook_url or chat_id")
        url_ok = not g.webhook_url or _is_http_url(g.webhook_url)
        _require(url_ok, f"groups.{g.id}.webhook_url", "expected the group robot's http(s) URL (…/cgi-bin/webhook/send?key=…)")
    for gid in config.office.groups:
        _require(gid in group_ids, "office.groups", f"group {gid!r} is not defined in [[groups]]")
    unit_ids = Counter(u.id for u in config.units)
    seen: dict[str, str] = {}
    for unit in config.units:
        _require(unit_ids[unit.id] == 1, f"units.{unit.id}", "expected unique unit ids")
        _require(unit.group in group_ids, f"units.{unit.id}.group", f"group {unit.group!r} is not defined in [[groups]]")
        for member in unit.members:
            _require(member.id not in seen, f"units.{unit.id}.members", f"user {member.id!r} is already a member of {seen.get(member.id)!r}")
            seen[member.id] = unit.id


def _check_campaign(config: Config) -> None:
    for i, target in enumerate(config.campaign.targets):
        key = f"campaign.targets[{i}]"
        _require(target.target > 0, f"{key}.target", "expected a positive integer")
        share_ok = target.per_unit is None or 0 <= target.per_unit <= target.target
        _require(share_ok, f"{key}.per_unit", f"expected each unit's share, 0 (none) up to the target ({target.target}), got {target.per_unit}")
        _require(target.type in ARTICLE_CHANNELS, f"{key}.type", f"expected an article type, one of: {'、'.join(ARTICLE_CHANNELS)}")


def _require(ok: bool, key: str, expected: str) -> None:
    if not ok:
        raise _KeyError(key, expected)


def _require_text(value: str, key: str, what: str) -> None:
    _require(bool(value.strip()), key, f"expected {what}, not empty")


def _is_database_url(text: str) -> bool:
    """A URL SQLAlchemy can parse, for one of the engines and drivers the bot supports and installs."""
    try:
        make_url(text)
    except (ArgumentError, ValueError):  # no scheme, or a port that is not a number
        return False
    return _DATABASE_URL.match(text) is not None


def _is_public_url(text: str) -> bool:
    """Empty (no console), or an http(s) address without query or fragment: console links are built on it."""
    return not text or (_is_http_url(text) and not urlsplit(text).query and "#" not in text)


def _is_http_url(text: str) -> bool:
    """An absolute http(s) URL with a host and no spaces: what WeCom's API and robots are reached at."""
    try:
        parts = urlsplit(text)
    except ValueError:  # a malformed IPv6 host
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in text)
