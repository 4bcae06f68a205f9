"""Values that load without complaint but could never work are refused at load, naming the key."""

from __future__ import annotations

import pytest

from common.config import ConfigError
from common.config_loader import load_config
from tests.support.config import EXAMPLE

SECRET = ('secret = ""', 'secret = "s3cret"')
OFFICE_WEBHOOK = 'webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=REPLACE-office"'


@pytest.mark.parametrize(
    ("edits", "key", "expected"),
    [
        ([SECRET, ('token = "QDG6eK"', 'token = ""')], "wecom.token", "not empty"),
        ([SECRET, ('corp_id = "wx5823bf96d3bd56c7"', 'corp_id = " "')], "wecom.corp_id", "not empty"),
        ([('token = "QDG6eK"', 'token = ""')], "wecom.token", "not empty"),  # console mode still checks callbacks
        ([('overdue_alert = "fri 12:05"', 'overdue_alert = "fri 11:00"')], "schedule.overdue_alert", "after the deadline (fri 12:00)"),
        ([('overdue_alert = "fri 12:05"', 'overdue_alert = "fri 12:00"')], "schedule.overdue_alert", "after the deadline"),
        ([('reminder = "thu 15:00"', 'reminder = "fri 13:00"')], "schedule.reminder", "before the deadline (fri 12:00)"),
        ([('# nudge = "fri 09:00"', 'nudge = "sat 09:00"')], "schedule.nudge", "before the deadline"),
        ([(OFFICE_WEBHOOK, 'webhook_url = "not a url"')], "groups.office.webhook_url", "http"),
        ([('api_base_url = "https://qyapi.weixin.qq.com/cgi-bin/"', 'api_base_url = "foo/"')], "wecom.api_base_url", "http"),
        ([('id = "zhongyuan"\nname', 'id = ""\nname')], "units[0].id", "not empty"),
        ([('name = "西双版纳州中级人民法院执行局"', 'name = "  "')], "units.zhongyuan.name", "not empty"),
        ([('short_name = "中院"', 'short_name = " "')], "units.zhongyuan.short_name", "not empty"),
        ([('name = "勐腊县人民法院"', 'name = "勐腊县人民法院"\nshort_name = "中院"')], "units.mengla.short_name", "already the short name of 'zhongyuan'"),
        ([('members = ["ml_reporter"]', 'members = ["ml_reporter", ""]')], "units.mengla.members", "not empty"),
        ([('members = ["ml_reporter"]', 'members = [{ id = "ml_reporter", nmae = "玉香" }]')], "units[3].members[0].nmae", "unknown key"),
        ([('members = ["ml_reporter"]', 'members = [{ name = "玉香" }]')], "units[3].members[0].id", "missing"),
        ([('members = ["ml_reporter"]', "members = [42]")], "units[3].members[0]", 'expected a member: "userid" or { id = "userid"'),
        ([('members = ["ml_reporter"]', 'members = [{ id = "ml_reporter", name = " " }]')], "units.mengla.members[0].name", "the member's name"),
        ([('members = ["ml_reporter"]', 'members = [{ id = "ml_reporter", phone = "1234" }]')], "units.mengla.members[0].phone", "phone number"),
        ([('members = ["ml_reporter"]', 'members = [{ id = "ml_reporter", phone = 13800138000 }]')], "units[3].members[0].phone", "a string"),
        ([("advance_days = 2", "advance_days = 99999999999")], "schedule.advance_days", "0-60"),
        ([("advance_days = 2", "advance_days = -1")], "schedule.advance_days", "0-60"),
        ([("connection_limit = 1000", "connection_limit = 0")], "server.connection_limit", "1-100000"),
        ([("channel_timeout = 30", "channel_timeout = 0")], "server.channel_timeout", "1-3600"),
        ([("asyncore_use_poll = true", 'asyncore_use_poll = "yes"')], "server.asyncore_use_poll", "true or false"),
    ],
)
def test_values_that_cannot_work_are_refused_naming_the_key(tmp_path, edits, key, expected):
    path = edited(tmp_path, edits)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert str(path) in message and f"[{key}]" in message and expected in message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('overdue_alert = "fri 12:05"', 'overdue_alert = "sat 09:00"'),
        ('reminder = "thu 15:00"', 'reminder = "mon 09:00"'),
        ('# nudge = "fri 09:00"', 'nudge = "fri 11:59"'),
        ("advance_days = 2", "advance_days = 60"),
        ('members = ["ml_reporter"]', 'members = [{ id = "ml_reporter", name = "玉香", phone = "+86 138 0013 8000" }, "ml_backup"]'),
        ('api_base_url = "https://qyapi.weixin.qq.com/cgi-bin/"', 'api_base_url = "http://10.0.0.5:8080/cgi-bin/"'),
    ],
)
def test_sensible_values_at_the_edges_still_load(tmp_path, old, new):
    load_config(edited(tmp_path, [(old, new)]))


def edited(tmp_path, edits: list[tuple[str, str]]):
    """The example config with each (old, new) applied once, as a file."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "edited.toml"
    path.write_text(text, encoding="utf-8")
    return path
