"""Config loading: the example file is valid, and every error names the file, the key and the expectation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from common.config import PLAN_TARGETS, CampaignConfig, ConfigError, MemberConfig, WeeklyTime
from common.config_loader import load_config
from tests.support.config import EXAMPLE


def test_example_config_carries_the_four_units_of_the_seed():
    config = load_config(EXAMPLE)
    names = [u.name for u in config.units]
    assert names == ["西双版纳州中级人民法院执行局", "景洪市人民法院", "勐海县人民法院", "勐腊县人民法院"]
    assert config.office.groups == ["office", "enforcement"]
    assert config.schedule.deadline == WeeklyTime(4, __import__("datetime").time(12, 0))
    assert str(config.schedule.reminder) == "thu 15:00"
    assert config.unit("jinghong").members == [MemberConfig("jh_reporter", "李华", "13800138000")]
    assert config.unit("mengla").members == [MemberConfig("ml_reporter")]  # written as the bare userid


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def replace(tmp_path, old: str, new: str) -> Path:
    path = tmp_path / "bad.toml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        ("port = 8080", 'port = "abc"', "server.port", "integer"),
        ("port = 8080", "port = 70000", "server.port", "1-65535"),
        ('reminder = "thu 15:00"', 'reminder = "thursday 3pm"', "schedule.reminder", "thu 15:00"),
        ('timezone = "Asia/Shanghai"', 'timezone = "Mars/Base"', "schedule.timezone", "IANA"),
        ('encoding_aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"', 'encoding_aes_key = "short"', "wecom.encoding_aes_key", "43"),
        ('token = "QDG6eK"', "", "wecom.token", "missing"),
        ('groups = ["office", "enforcement"]', 'groups = ["office", "nope"]', "office.groups", "'nope'"),
        ('group = "mengla"', 'group = "ghost"', "units.mengla.group", "'ghost'"),
        ('members = ["ml_reporter"]', 'members = ["jh_reporter"]', "units.mengla.members", "already a member"),
        ('holiday_policy = "previous_workday"', 'holiday_policy = "sometimes"', "schedule.holiday_policy", "ignore"),
        ("exempt_weeks = []", 'exempt_weeks = ["2026-W99"]', "schedule.exempt_weeks", "ISO weeks"),
        ("[server]", "[server]\nhots = 1", "server.hots", "unknown key"),
    ],
)
def test_bad_values_name_file_key_and_expectation(tmp_path, old, new, key, expected):
    path = replace(tmp_path, old, new)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert str(path) in message and f"[{key}]" in message and expected in message


def test_group_with_both_webhook_and_chat_id_is_refused(tmp_path):
    path = write(tmp_path, '\n[[groups]]\nid = "x"\nwebhook_url = "http://a"\nchat_id = "b"\n')
    with pytest.raises(ConfigError, match=r"\[groups.x\]: expected exactly one of webhook_url or chat_id"):
        load_config(path)


def test_invalid_toml_and_missing_file(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[server\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "absent.toml")


def test_example_campaign_targets_are_the_plans():
    config = load_config(EXAMPLE)
    assert config.campaign.effective_targets() == list(PLAN_TARGETS)
    assert CampaignConfig().start_for(date(2027, 3, 1)) == date(2027, 7, 1)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('type = "微博"\ntarget = 2\nper = "month"', "campaign.targets[6].per", "quarter"),
        ('type = "微博"\ntarget = 0', "campaign.targets[6].target", "positive"),
        ('type = " "\ntarget = 1', "campaign.targets[6].type", "article type"),
        ('type = "抖音"\ntarget = 1', "campaign.targets[6].type", "电视专题、执行直播"),
        ('type = "微博"\ntarget = 2\nper_unit = 3', "campaign.targets[6].per_unit", "0 (none) up to the target (2), got 3"),
        ('type = "微博"\ntarget = 2\nper_unit = -1', "campaign.targets[6].per_unit", "up to the target"),
        ('type = "微博"\ntarget = 2\nper_unit = "1"', "campaign.targets[6].per_unit", "integer"),
        ('type = "微博"\ntarget = 2\nper_units = 1', "campaign.targets[6].per_units", "unknown key"),
    ],
)
def test_bad_campaign_targets_are_named(tmp_path, text, key, expected):
    path = write(tmp_path, f"\n[[campaign.targets]]\n{text}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert f"[{key}]" in str(error.value) and expected in str(error.value)
