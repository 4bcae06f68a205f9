"""Workers started together on a fresh database: one prepares it (migrations, config sync), the others wait, and all serve."""

from __future__ import annotations

import threading
from functools import partial

from sqlmodel import Session, select

from bot.runtime import prepare_database
from storage.engine import make_engine
from storage.models import Unit
from tests.support.chat import Chat
from tests.support.config import make_config
from tests.support.live_server import BotProcess, HttpClient, free_port, write_config
from tests.support.threads import run_together
from tests.support.wecom_sim import WeComSim

WORKERS = 4


def test_workers_started_at_once_on_a_fresh_database_all_serve(tmp_path, db_url):
    ports = [free_port() for _ in range(WORKERS)]
    configs = [write_config(tmp_path, port=port, db_url=db_url) for port in ports]
    workers = [BotProcess(config, "serve", "--no-scheduler", port=port) for config, port in zip(configs, ports, strict=True)]
    try:
        for worker in workers:
            worker.wait_healthy()
        for number, worker in enumerate(workers):
            assert "执行宣传报送助手" in Chat(WeComSim(HttpClient(worker.base_url)), "jh_reporter").say("帮助"), number
        assert all(worker.alive() for worker in workers)
        assert not any("Traceback" in worker.output() for worker in workers)
    finally:
        for worker in workers:
            worker.stop()


def test_engines_opened_at_the_same_moment_on_a_fresh_database_all_prepare_it(db_url):
    """The same race without process start-up jitter: each engine is its own pool, as each worker's is."""
    config = make_config(db_url)
    engines = [make_engine(db_url) for _ in range(WORKERS)]
    barrier = threading.Barrier(WORKERS)

    def prepare(engine):
        barrier.wait()
        prepare_database(engine, config)

    run_together(*[partial(prepare, engine) for engine in engines])
    for engine in engines:
        with Session(engine) as session:
            assert session.exec(select(Unit.id).where(Unit.id == "jinghong")).one() == "jinghong"
        engine.dispose()
