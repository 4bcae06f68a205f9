"""The test configuration (two units and four groups in Asia/Shanghai) and builders for variations of it; the example config file."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from common.config import Config
from common.config_loader import config_from_dict
from tests.support.wecom_sim import AES_KEY, CORP_ID, TOKEN

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"  # what an operator starts from; the CLI and live-server tests run on it

SHANGHAI = ZoneInfo("Asia/Shanghai")

BASE_CONFIG = {
    "wecom": {"corp_id": CORP_ID, "agent_id": 1000002, "secret": "", "token": TOKEN, "encoding_aes_key": AES_KEY},
    "office": {"admins": ["admin1"], "groups": ["office", "enforcement"]},
    "groups": [
        {"id": "office", "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=office"},
        {"id": "enforcement", "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=enf"},
        {"id": "jinghong", "webhook_url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=jh"},
        {"id": "mengla", "chat_id": "chat-mengla"},
    ],
    "units": [
        {"id": "jinghong", "name": "景洪市人民法院", "members": ["jh1", "jh2"], "group": "jinghong"},
        {"id": "mengla", "name": "勐腊县人民法院", "members": ["ml1"], "group": "mengla"},
    ],
}


def shanghai(*args: int) -> datetime:
    """A moment in the configured timezone: shanghai(2026, 11, 25, 10) is Wednesday of 2026-W48, 10:00."""
    return datetime(*args, tzinfo=SHANGHAI)


def make_config(db_url: str, **overrides) -> Config:
    """BASE_CONFIG on `db_url`; a dict override updates that section, anything else replaces it."""
    raw = copy.deepcopy(BASE_CONFIG)
    raw["storage"] = {"url": db_url}
    for section, values in overrides.items():
        if isinstance(values, dict):
            raw.setdefault(section, {}).update(values)
        else:
            raw[section] = values
    return config_from_dict(raw, source="test-config")


def wecom_config(fake, tmp_path: Path) -> Config:
    """The test configuration speaking to a FakeWeCom server: a secret, its API base and its group robots."""
    return make_config(
        f"sqlite:///{tmp_path}/x.db",
        wecom={"secret": "s3cret", "api_base_url": fake.base_url},
        groups=[
            {"id": "office", "webhook_url": fake.robot_url("office")},
            {"id": "enforcement", "webhook_url": fake.robot_url("enf")},
            {"id": "jinghong", "webhook_url": fake.robot_url("jh")},
            {"id": "mengla", "chat_id": "chat-mengla"},
        ],
    )
