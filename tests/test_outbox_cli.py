"""`outbox list` and `outbox retry` as an operator runs them: `python -m bot ...` in a subprocess, then in-process for the rest."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.runtime import build_bot
from common.config_loader import load_config
from storage.engine import session_scope
from storage.outbox import Kind, Push, mark_failed, queue_new
from tests.support.config import shanghai
from tests.support.live_server import run_bot, sending_config
from tests.support.scheduling import outbox

BAD_KEY = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})


@pytest.fixture
def config(tmp_path, fake_wecom):
    """A database holding two reminders sent, one given up (a bad robot key), one waiting out an outage, and the admin's alert."""
    path = sending_config(tmp_path, fake_wecom)
    bot = build_bot(load_config(path), sleep=lambda seconds: None)  # no real waits between quick retries
    fake_wecom.outages.update({"key=REPLACE-zhongyuan": BAD_KEY, "key=REPLACE-menghai": (502, None)})
    bot.scheduler().run_now("thursday_reminder", at=shanghai(2026, 11, 19, 15, 0))
    assert [(row.target, row.status) for row in outbox(bot)] == [
        ("jinghong", "sent"), ("menghai", "pending"), ("mengla", "sent"), ("zhongyuan", "failed"), ("office_admin", "sent"),
    ]
    return path


def test_list_shows_one_line_per_push_not_sent(tmp_path, config, capsys):
    result = run_bot("--config", config, "outbox", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header, pending, failed = result.stdout.splitlines()
    assert header.split()[:6] == ["id", "key", "target", "status", "tries", "next"]
    assert pending.split()[:5] == ["2", "thursday_reminder:2026-W47:menghai", "menghai", "pending", "1"]
    assert pending.endswith("group robot HTTP 502")
    assert failed.split()[:6] == ["4", "thursday_reminder:2026-W47:zhongyuan", "zhongyuan", "failed", "1", "-"]
    assert failed.endswith("WeCom errcode 93000: invalid webhook url")
    assert main(["--config", config, "outbox", "list", "--failed"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["id", "4"]


def test_retry_sends_a_push_now_and_never_one_sent_or_a_workbook_given_up(tmp_path, config, fake_wecom, capsys):
    fake_wecom.outages.clear()
    result = run_bot("--config", config, "outbox", "retry", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "重新排队 1 条" in result.stdout and "已发送 1" in result.stdout
    assert [c.query["key"] for c in fake_wecom.calls_to("webhook/send") if c.ok][-1] == "REPLACE-menghai"
    workbook = given_up_workbook(config)
    for sent_or_bytes_gone in ("1", str(workbook)):
        assert main(["--config", config, "outbox", "retry", sent_or_bytes_gone]) == 2
        assert f"推送 {sent_or_bytes_gone} 无法重发" in capsys.readouterr().err


def test_retry_all_failed_sends_those_given_up_now(tmp_path, config, fake_wecom, capsys):
    fake_wecom.outages.clear()
    assert main(["--config", config, "outbox", "retry", "--all-failed"]) == 0
    assert "重新排队 1 条" in capsys.readouterr().out
    assert [c.query["key"] for c in fake_wecom.calls_to("webhook/send") if c.ok][-1] == "REPLACE-zhongyuan"
    assert main(["--config", config, "outbox", "list", "--failed"]) == 0
    assert "没有待发送或失败的推送" in capsys.readouterr().out


def given_up_workbook(config) -> int:
    """A workbook of `导出` given up: its bytes were dropped and its admin told instead."""
    bot = build_bot(load_config(config))
    with session_scope(bot.engine) as session:
        workbook = Push("export:m1", Kind.FILE, "office_admin", "请重发导出", filename="周报.xlsx", content=b"PK")
        [row_id] = queue_new(session=session, pushes=[workbook], now=bot.clock())
        mark_failed(session=session, row_id=row_id, attempts=1, error="WeCom errcode 40058")
    return row_id
