"""`jobs list`, `jobs run`, `scheduler` and `serve --no-scheduler` from the command line, with a temp config."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from bot.cli import main
from tests.support.fake_wecom import FakeWeCom
from tests.test_cli import EXAMPLE, ROOT, _poll, free_port


@pytest.fixture
def fake():
    with FakeWeCom() as server:
        yield server


def write_config(tmp_path, replacements: dict[str, str]) -> str:
    body = EXAMPLE.read_text(encoding="utf-8").replace('url = "sqlite:///data/bot.db"', f'url = "sqlite:///{tmp_path}/bot.db"')
    for old, new in replacements.items():
        body = body.replace(old, new)
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_jobs_list_shows_next_runs_with_holidays_applied(tmp_path, capsys):
    config = write_config(tmp_path, {})
    assert main(["--config", config, "jobs", "list", "--at", "2026-09-28T08:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "thursday_reminder  thu 15:00    2026-09-29 15:00 Tue" in lines
    assert "friday_overdue     fri 12:05    2026-09-30 12:05 Wed" in lines
    assert "friday_nudge       off          -" in lines
    assert "notice_digest      daily 09:00  2026-09-28 09:00 Mon" in lines


def test_jobs_run_twice_for_one_period_sends_once(tmp_path, capsys, fake):
    config = write_config(tmp_path, {'secret = ""': 'secret = "s"', "https://qyapi.weixin.qq.com/cgi-bin/": fake.base_url})
    run = ["--config", config, "jobs", "run", "thursday_reminder", "--at", "2026-11-26T15:00"]
    assert main(run) == 0
    assert len(fake.calls_to("webhook/send")) == 4
    assert "新推送 4 条" in capsys.readouterr().out
    assert main(run) == 0
    assert len(fake.calls_to("webhook/send")) == 4
    assert "新推送 0 条" in capsys.readouterr().out


def test_jobs_run_refuses_a_job_that_is_off(tmp_path, capsys):
    assert main(["--config", write_config(tmp_path, {}), "jobs", "run", "friday_nudge"]) == 2
    assert "friday_nudge" in capsys.readouterr().err


def lease_holders(tmp_path) -> list[str]:
    engine = create_engine(f"sqlite:///{tmp_path}/bot.db")
    try:
        with engine.connect() as connection:
            return [row[0] for row in connection.execute(text("SELECT holder FROM schedulerlease"))]
    except Exception:  # the tables do not exist yet
        return []
    finally:
        engine.dispose()


def start(tmp_path, *args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_scheduler_command_holds_the_lease_and_gives_it_up_on_sigterm(tmp_path):
    process = start(tmp_path, "--config", write_config(tmp_path, {}), "scheduler")
    try:
        deadline = time.monotonic() + 30
        while not lease_holders(tmp_path):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.1)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert lease_holders(tmp_path) == []


def test_serve_no_scheduler_leaves_the_lease_alone(tmp_path):
    port = free_port()
    process = start(tmp_path, "--config", write_config(tmp_path, {"port = 8080": f"port = {port}"}), "serve", "--no-scheduler")
    try:
        assert b'"ok"' in _poll(f"http://127.0.0.1:{port}/healthz", deadline=time.monotonic() + 30)
        assert lease_holders(tmp_path) == []
    finally:
        process.terminate()
        process.wait(timeout=10)
