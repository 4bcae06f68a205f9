"""`jobs run --at` beside a live sender: the simulated moment picks the period, never the clock of claims and retries."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.runtime import build_bot
from common.clock import system_clock
from common.config_loader import load_config
from storage.engine import session_scope
from storage.outbox import Kind, Push, claim, queue
from tests.conftest import SHANGHAI
from tests.fake_wecom import FakeWeCom
from tests.live_server import BotProcess
from tests.scheduling import outbox
from tests.test_cli import run_bot
from tests.test_jobs_cli import write_config

PAST_THURSDAY = "2026-11-19T15:00"  # 2026-W47's reminder, a week before these tests were written


@pytest.fixture
def fake():
    with FakeWeCom() as server:
        yield server


def sending_config(tmp_path, fake) -> str:
    """The example config with a secret, so `python -m bot` sends to the fake WeCom server."""
    return write_config(tmp_path, {'secret = ""': 'secret = "s"', "https://qyapi.weixin.qq.com/cgi-bin/": fake.base_url})


def test_a_future_at_leaves_alone_a_row_a_live_sender_is_sending(tmp_path, fake):
    config = sending_config(tmp_path, fake)
    live = build_bot(load_config(config))
    with session_scope(live.engine) as session:
        queue(session=session, pushes=[Push("notice:1:1:office", Kind.GROUP, "office", "预告")], now=system_clock())
        assert claim(session=session, row_id=1, now=system_clock()) is not None  # `serve` is sending it right now
    at = f"{datetime.now(SHANGHAI) + timedelta(days=30):%Y-%m-%dT%H:%M}"
    result = run_bot("--config", config, "jobs", "run", "notice_digest", "--at", at, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert fake.calls_to("webhook/send") == []
    assert [row.status for row in outbox(live)] == ["sending"]


def test_a_past_at_beside_a_running_sender_sends_each_reminder_once(tmp_path, fake):
    config = sending_config(tmp_path, fake)
    live = build_bot(load_config(config)).scheduler()  # the sender of a running `serve`, on the real clock
    fake.delays += [0.3] * 8  # each robot answers slowly, so the two senders overlap
    cli = BotProcess(Path(config), "jobs", "run", "thursday_reminder", "--at", PAST_THURSDAY)
    deadline = time.monotonic() + 60
    while cli.process.poll() is None:
        assert time.monotonic() < deadline, cli.output()
        live.deliver()
        time.sleep(0.05)
    assert cli.process.returncode == 0, cli.output()
    live.deliver()
    posts = Counter(call.query["key"] for call in fake.calls_to("webhook/send"))
    assert len(posts) == 4 and set(posts.values()) == {1}, posts
    assert {row.status for row in outbox(live)} == {"sent"}
