"""A message's CPU in one process, step by step: the bot's WSGI app against the echo's, no server, no threads.

What bench/webhook.py cannot tell apart: how much of a message is the bot's own work, and which step of
the conversation costs it. Each app is called directly with prebuilt WSGI environs of the webhook load
(bench/load.py: 帮助, a whole weekly report, 我的周报), one message at a time; a first round of members
warms both up, a second round of fresh members is measured. Prints CPU per message for each step and on
average. Profile it with `py-spy record -- .venv/bin/python -m bench.webhook_steps`.
Run: `.venv/bin/python -m bench.webhook_steps [--members 200] [--db URL]` (default: a SQLite file).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.test import EnvironBuilder

from bench.echo_app import create_echo_app
from bench.load import CONVERSATION, member_names, signed_messages
from bench.webhook import members_config
from bot.app import create_app
from bot.runtime import build_bot
from common.config_loader import load_config
from tests.support.databases import postgres_schema
from tests.support.live_server import write_config


def environs(members: list[str], first_msg_id: int) -> dict[str, list[dict]]:
    """Each step's requests, one per member, as WSGI environs whose bodies can be read again."""
    by_member = signed_messages(members, first_msg_id)
    return {text: [_environ(*by_member[member][i]) for member in members] for i, text in enumerate(CONVERSATION)}


def _environ(query: dict, body: str) -> dict:
    built = EnvironBuilder(path="/wecom/callback", method="POST", query_string=urlencode(query), data=body.encode(), content_type="text/xml")
    return built.get_environ()


def cpu_per_message(app, requests: list[dict]) -> float:
    """Milliseconds of this process's CPU per request, each answered in full."""

    def start_response(status, _headers, _exc_info=None):
        assert status.startswith("200"), status

    started = time.process_time()
    for environ in requests:
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].getvalue())
        b"".join(app(dict(environ), start_response))
    return (time.process_time() - started) / len(requests) * 1000


def measure(database_url: str, folder: Path, members: int) -> None:
    warm, fresh = member_names(0, members), member_names(1, members)
    config = load_config(write_config(folder, db_url=database_url, extra=members_config(warm + fresh)))
    apps = {"echo": create_echo_app(), "bot": create_app(build_bot(config))}
    for app in apps.values():
        for requests in environs(warm, first_msg_id=1).values():
            cpu_per_message(app, requests)
    measured = environs(fresh, first_msg_id=10**6)
    costs = {name: {step: cpu_per_message(app, measured[step]) for step in measured} for name, app in apps.items()}
    print(f"{database_url.split(':')[0]}, {members} fresh members, CPU ms per message")
    print(f"{'echo':>8}{'bot':>8}  step")
    for step in measured:
        print(f"{costs['echo'][step]:8.3f}{costs['bot'][step]:8.3f}  {step}")
    mean = {name: sum(by_step.values()) / len(by_step) for name, by_step in costs.items()}
    print(f"{mean['echo']:8.3f}{mean['bot']:8.3f}  mean (the bot {mean['bot'] / mean['echo']:.1f}x the echo's CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--db", default="", help="a PostgreSQL URL (a schema of its own is made); default: a SQLite file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        url = stack.enter_context(postgres_schema(options.db)) if options.db else f"sqlite:///{folder}/bot.db"
        measure(url, Path(folder), options.members)


if __name__ == "__main__":
    main()
