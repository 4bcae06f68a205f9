"""`jobs list`, `jobs run`, `scheduler` and `serve --no-scheduler` from the command line, with a temp config."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bot.cli import main
from tests.support.live_server import BotProcess, free_port, poll, write_config


def config_in(tmp_path, replacements: dict[str, str]) -> str:
    """The example config on a SQLite file in tmp_path, with `replacements` made."""
    return str(write_config(tmp_path, db_url=f"sqlite:///{tmp_path}/bot.db", replacements=replacements))


def test_jobs_list_shows_next_runs_with_holidays_applied(tmp_path, capsys):
    config = config_in(tmp_path, {})
    assert main(["--config", config, "jobs", "list", "--at", "2026-09-28T08:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "thursday_reminder  thu 15:00    2026-09-29 15:00 Tue" in lines
    assert "friday_overdue     fri 12:05    2026-09-30 12:05 Wed" in lines
    assert "friday_nudge       off          -" in lines
    assert "notice_digest      daily 09:00  2026-09-28 09:00 Mon" in lines


def test_jobs_run_twice_for_one_period_sends_once(tmp_path, capsys, fake_wecom):
    config = config_in(tmp_path, {'secret = ""': 'secret = "s"', "https://qyapi.weixin.qq.com/cgi-bin/": fake_wecom.base_url})
    run = ["--config", config, "jobs", "run", "thursday_reminder", "--at", "2026-11-26T15:00"]
    assert main(run) == 0
    assert len(fake_wecom.calls_to("webhook/send")) == 4
    assert "新推送 4 条" in capsys.readouterr().out
    assert main(run) == 0
    assert len(fake_wecom.calls_to("webhook/send")) == 4
    assert "新推送 0 条" in capsys.readouterr().out


def test_jobs_run_refuses_a_job_that_is_off(tmp_path, capsys):
    assert main(["--config", config_in(tmp_path, {}), "jobs", "run", "friday_nudge"]) == 2
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


def test_scheduler_command_holds_the_lease_and_gives_it_up_on_sigterm(tmp_path):
    scheduler = BotProcess(config_in(tmp_path, {}), "scheduler", cwd=tmp_path)
    try:
        poll(lambda: lease_holders(tmp_path), what="the scheduler taking the lease", alive=scheduler.alive)
    finally:
        assert scheduler.stop() == 0, scheduler.output()  # SIGTERM
    assert lease_holders(tmp_path) == []


def test_serve_no_scheduler_leaves_the_lease_alone(tmp_path):
    port = free_port()
    server = BotProcess(config_in(tmp_path, {"port = 8080": f"port = {port}"}), "serve", "--no-scheduler", port=port, cwd=tmp_path)
    try:
        assert b'"ok"' in server.wait_healthy()
        assert lease_holders(tmp_path) == []
    finally:
        server.stop()
