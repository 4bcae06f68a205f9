"""Typed configuration, loaded once from TOML and validated with errors that name file, key and expectation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DURATION_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}  # seconds per unit of "8h", "30m", "1d", "45s"


class ConfigError(Exception):
    """A configuration problem, phrased for the operator who has to fix the file."""


@dataclass(frozen=True, order=True)
class WeeklyTime:
    """A weekday and a time of day, written in the config as "thu 15:00"; ordered within the week."""

    weekday: int  # Monday = 0, as in datetime.weekday()
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


def duration_text(duration: timedelta) -> str:
    """A duration as the config writes it: "8h", "30m", "1d", "45s"."""
    seconds = int(duration.total_seconds())
    suffix = next((s for s, size in DURATION_UNITS.items() if seconds and seconds % size == 0), "s")
    return f"{seconds // DURATION_UNITS[suffix]}{suffix}"


class HolidayPolicy(StrEnum):
    """What a holiday does to the week's moments: move them to the previous workday, or nothing."""

    PREVIOUS_WORKDAY = "previous_workday"
    IGNORE = "ignore"


class Period(StrEnum):
    """What a campaign target counts: the whole campaign, or each week, or each quarter."""

    CAMPAIGN = "campaign"
    WEEK = "week"
    QUARTER = "quarter"


@dataclass(frozen=True)
class ServerConfig:
    """Where `serve` listens, and the limits that keep idle or slow connections from crowding out WeCom."""

    host: str = "127.0.0.1"
    port: int = 8080
    max_body_bytes: int = 1048576
    threads: int = 8
    workers: int = 1  # web processes sharing the port (SO_REUSEPORT); the one started by `serve` starts the others
    connection_limit: int = 1000  # waitress's 100 lets 100 idle sockets lock everyone else out
    channel_timeout: int = 30  # seconds a connection may sit idle or half-sent (waitress: 120)
    asyncore_use_poll: bool = True  # select() fails beyond ~1,000 sockets; poll() does not
    public_url: str = ""  # where browsers reach this server (https://bot.example.gov.cn); empty: no console links

    @property
    def secure_cookies(self) -> bool:
        """Cookies only over HTTPS when the console is served over it (a plain-HTTP trial on 127.0.0.1 keeps them usable)."""
        return self.public_url.startswith("https://")


@dataclass(frozen=True)
class StorageConfig:
    url: str = "sqlite:///data/bot.db"


@dataclass(frozen=True)
class WeComConfig:
    corp_id: str
    agent_id: int
    secret: str
    token: str
    encoding_aes_key: str
    api_base_url: str = "https://qyapi.weixin.qq.com/cgi-bin/"
    authorize_url: str = "https://open.weixin.qq.com/connect/oauth2/authorize"  # web authorisation (OAuth2) inside WeCom


# What a reminder's template message can show, each under the field [wechat] reminder_template_fields maps to it:
# task 第48周周报尚未报送, deadline 2026年11月27日 12:00, state 尚未报送 (即将截止, 已逾期), unit 景洪 (the short name),
# action 请在公众号中发送“周报”填报.
TEMPLATE_VALUES = ("task", "deadline", "state", "unit", "action")


def _default_template_fields() -> dict[str, str]:
    """A library template (类目模板) of 事项 {{thing1.DATA}} and 截止时间 {{time2.DATA}}."""
    return {"thing1": "task", "time2": "deadline"}


@dataclass(frozen=True)
class WeChatConfig:
    """The WeChat official account (服务号) through which staff on personal WeChat reach the same bot."""

    app_id: str
    app_secret: str  # empty: console mode, its messages printed, not sent
    token: str
    encoding_aes_key: str = ""  # empty: plaintext mode (明文模式); else safe mode (安全模式)
    api_base_url: str = "https://api.weixin.qq.com/cgi-bin/"
    reminder_template_id: str = ""  # the template message approved in the account's back office; empty: no template pushes
    reminder_template_fields: dict[str, str] = field(default_factory=_default_template_fields)  # its field -> a TEMPLATE_VALUES name


@dataclass(frozen=True)
class ScheduleConfig:
    timezone: str = "Asia/Shanghai"
    reminder: WeeklyTime = WeeklyTime(3, time(15, 0))
    deadline: WeeklyTime = WeeklyTime(4, time(12, 0))
    overdue_alert: WeeklyTime = WeeklyTime(4, time(12, 5))
    nudge: WeeklyTime | None = None
    notice_digest: time = time(9, 0)
    misfire_grace: timedelta = timedelta(hours=8)  # written "45s", "30m", "8h", "1d"
    holiday_policy: HolidayPolicy = HolidayPolicy.PREVIOUS_WORKDAY
    exempt_weeks: list[str] = field(default_factory=list)
    advance_days: int = 2

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)



@dataclass(frozen=True)
class OfficeConfig:
    admins: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GroupConfig:
    id: str
    webhook_url: str = ""
    chat_id: str = ""


@dataclass(frozen=True)
class MemberConfig:
    """A unit's member: the WeCom userid, and the name (and phone) people see instead of it.

    Written in the config as "userid" or { id = "userid", name = "李华", phone = "13800001111" }.
    """

    id: str
    name: str = ""
    phone: str = ""


@dataclass(frozen=True)
class UnitConfig:
    id: str
    name: str
    group: str
    short_name: str = ""  # how lists on a phone name it (中院); empty: derived from the name (reports.unitmatch)
    members: list[MemberConfig] = field(default_factory=list)


@dataclass(frozen=True)
class CampaignTarget:
    """How many articles of one 类型 (an article channel) the campaign wants, in all or per week or quarter."""

    type: str
    target: int
    per: Period = Period.CAMPAIGN
    per_unit: int | None = None  # each unit's share of the target; None: the target split evenly, rounded down

    def unit_share(self, units: int) -> int:
        """What one unit is expected to contribute (0: no per-unit share); an even split leaves the remainder to nobody."""
        return self.per_unit if self.per_unit is not None else self.target // max(units, 1)


# The plan's targets (西中法〔2018〕38号 三): used when the config lists none. It gives each court one TV feature
# (two more at the office's choice) and spreads the 8 live broadcasts over the four courts; the rest it does not share out.
PLAN_TARGETS = (
    CampaignTarget("电视专题", 6, per_unit=1),
    CampaignTarget("执行直播", 8, per_unit=2),
    CampaignTarget("短消息/新闻", 20, per_unit=0),
    CampaignTarget("公益广告", 1, per_unit=0),
    CampaignTarget("报纸（傣乡法苑）", 1, per=Period.WEEK, per_unit=0),
    CampaignTarget("新闻发布会", 1, per=Period.QUARTER, per_unit=0),
)


@dataclass(frozen=True)
class CampaignConfig:
    start: date | None = None
    targets: list[CampaignTarget] = field(default_factory=list)

    def start_for(self, today: date) -> date:
        """The configured start, else July 1 of `today`'s year (the plan runs July to December)."""
        return self.start or date(today.year, 7, 1)

    def effective_targets(self) -> list[CampaignTarget]:
        return list(self.targets) or list(PLAN_TARGETS)


@dataclass(frozen=True)
class Config:
    wecom: WeComConfig
    server: ServerConfig = ServerConfig()
    storage: StorageConfig = StorageConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    office: OfficeConfig = OfficeConfig()
    groups: list[GroupConfig] = field(default_factory=list)
    units: list[UnitConfig] = field(default_factory=list)
    campaign: CampaignConfig = CampaignConfig()
    wechat: WeChatConfig | None = None  # absent: the official account's channel is off
    source: str = "<memory>"

    def unit(self, unit_id: str) -> UnitConfig | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def group(self, group_id: str) -> GroupConfig | None:
        return next((g for g in self.groups if g.id == group_id), None)
