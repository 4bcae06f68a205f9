"""Two web workers and one scheduler on one database, 20 users reporting at once through the encrypted webhook."""

from __future__ import annotations

import subprocess
import sys
import threading

from sqlmodel import Session, create_engine, select

from storage.models import Conversation, Report, ReportRevision, SchedulerLease
from tests.support.chat import Chat
from tests.support.live_server import BotProcess, HttpClient, bot_environment, free_port, write_config
from tests.support.wecom_sim import WeComSim

USERS = 20
CONVERSATION = ["周报", "简介", "举措", "做法", "效果", "跳过", "5", "标题", "https://example.com/a", "完成", "李华", "13800138000", "确认"]


def one_unit_per_user() -> str:
    return "".join(f'\n[[units]]\nid = "u{i:02d}"\nname = "第{i}法院"\nmembers = ["user{i:02d}"]\ngroup = "office"\n' for i in range(USERS))


def converse(user: str, workers: list[WeComSim], replies: list[str], failures: list[str]) -> None:
    """One user's whole report, each message to the other worker than the last: the workers share nothing but the database."""
    try:
        for i, text in enumerate(CONVERSATION):
            reply = Chat(workers[i % 2], user).say(text)
            if not reply or "系统" in reply:
                failures.append(f"{user} {text!r}: {reply!r}")
        replies.append(reply)
    except AssertionError as exc:  # WeComSim asserts HTTP 200
        failures.append(f"{user}: HTTP {exc}")


def test_twenty_users_two_web_workers_one_scheduler(tmp_path, db_url):
    ports = [free_port(), free_port()]
    configs = [write_config(tmp_path, port=port, db_url=db_url, extra=one_unit_per_user()) for port in ports]
    subprocess.run([sys.executable, "-m", "bot", "--config", str(configs[0]), "initdb"], cwd=tmp_path, check=True, env=bot_environment())
    processes = [BotProcess(c, "serve", "--no-scheduler", port=p) for c, p in zip(configs, ports, strict=False)]
    processes.append(BotProcess(configs[0], "scheduler"))
    try:
        for web in processes[:2]:
            web.wait_healthy()
        workers = [WeComSim(HttpClient(web.base_url)) for web in processes[:2]]
        replies, failures = [], []
        threads = [threading.Thread(target=converse, args=(f"user{i:02d}", workers, replies, failures)) for i in range(USERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert failures == []
        assert len(replies) == USERS and all(r.startswith("已提交（") for r in replies)
        engine = create_engine(db_url)
        with Session(engine) as session:
            assert len(session.exec(select(Report)).all()) == USERS
            assert len(session.exec(select(ReportRevision)).all()) == USERS
            assert session.exec(select(Conversation)).all() == []
            assert session.exec(select(SchedulerLease)).first() is not None
        engine.dispose()
    finally:
        for process in processes:
            process.stop()
