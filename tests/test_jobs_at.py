"""`jobs run --at` beside a live sender: the simulated moment picks the period, never the clock of claims and retries."""

from __future__ import annotations

import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from bot.runtime import build_bot
from common.clock import system_clock
from common.config_loader import load_config
from storage.engine import session_scope
from storage.outbox import Kind, Push, claim, queue
from tests.support.config import SHANGHAI
from tests.support.live_server import BotProcess, run_bot, sending_config
from tests.support.scheduling import outbox

PAST_THURSDAY = "2026-11-19T15:00"  # 2026-W47's reminder, a week before these tests were written


def test_a_future_at_leaves_alone_a_row_a_live_sender_is_sending(tmp_path, fake_wecom):
    config = sending_config(tmp_path, fake_wecom)
    live = build_bot(load_config(config))
    with session_scope(live.engine) as session:
        queue(session=session, pushes=[Push("notice:1:1:office", Kind.GROUP, "office", "预告")], now=system_clock())
        assert claim(session=session, row_id=1, now=system_clock()) is not None  # `serve` is sending it right now
    at = f"{datetime.now(SHANGHAI) + timedelta(days=30):%Y-%m-%dT%H:%M}"
    result = run_bot("--config", config, "jobs", "run", "notice_digest", "--at", at, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert fake_wecom.calls_to("webhook/send") == []
    assert [row.status for row in outbox(live)] == ["sending"]


def test_a_past_at_beside_a_running_sender_sends_each_reminder_once(tmp_path, fake_wecom):
    config = sending_config(tmp_path, fake_wecom)
    live = build_bot(load_config(config)).scheduler()  # the sender of a running `serve`, on the real clock
    fake_wecom.delays += [0.3] * 8  # each robot answers slowly, so the two senders overlap
    cli = BotProcess(Path(config), "jobs", "run", "thursday_reminder", "--at", PAST_THURSDAY)
    deadline = time.monotonic() + 60
    while cli.process.poll() is None:
        assert time.monotonic() < deadline, cli.output()
        live.deliver()
        time.sleep(0.05)
    assert cli.process.returncode == 0, cli.output()
    live.deliver()
    posts = Counter(call.query["key"] for call in fake_wecom.calls_to("webhook/send"))
    assert len(posts) == 4 and set(posts.values()) == {1}, posts
    assert {row.status for row in outbox(live)} == {"sent"}
