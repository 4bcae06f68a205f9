"""Typed configuration, loaded once from TOML and validated with errors that name file, key and expectation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class ConfigError(Exception):
    """A configuration problem, phrased for the operator who has to fix the file."""


@dataclass(frozen=True)
class WeeklyTime:
    """A weekday and a time of day, written in the config as "thu 15:00"."""

    weekday: int  # Monday = 0, as in datetime.weekday()
    at: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    max_body_bytes: int = 1048576
    threads: int = 8


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


@dataclass(frozen=True)
class ScheduleConfig:
    timezone: str = "Asia/Shanghai"
    reminder: WeeklyTime = WeeklyTime(3, time(15, 0))
    deadline: WeeklyTime = WeeklyTime(4, time(12, 0))
    overdue_alert: WeeklyTime = WeeklyTime(4, time(12, 5))
    nudge: WeeklyTime | None = None
    notice_digest: time = time(9, 0)
    misfire_grace: str = "8h"
    holiday_policy: str = "previous_workday"
    exempt_weeks: list[str] = field(default_factory=list)
    advance_days: int = 2

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def grace(self) -> timedelta:
        """`misfire_grace` ("45s", "30m", "8h", "1d") as a timedelta."""
        return timedelta(seconds=int(self.misfire_grace[:-1]) * _SECONDS[self.misfire_grace[-1]])


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
class UnitConfig:
    id: str
    name: str
    group: str
    members: list[str] = field(default_factory=list)


TARGET_PERIODS = ("campaign", "week", "quarter")


@dataclass(frozen=True)
class CampaignTarget:
    """How many articles of one 类型 (an article channel) the campaign wants, in all or per week or quarter."""

    type: str
    target: int
    per: str = "campaign"  # one of TARGET_PERIODS


# The plan's targets (西中法〔2018〕38号 三): used when the config lists none.
PLAN_TARGETS = (
    CampaignTarget("电视专题", 6),
    CampaignTarget("执行直播", 8),
    CampaignTarget("短消息/新闻", 20),
    CampaignTarget("公益广告", 1),
    CampaignTarget("报纸（傣乡法苑）", 1, per="week"),
    CampaignTarget("新闻发布会", 1, per="quarter"),
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
    source: str = "<memory>"

    def unit(self, unit_id: str) -> UnitConfig | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def group(self, group_id: str) -> GroupConfig | None:
        return next((g for g in self.groups if g.id == group_id), None)
