"""The baselines for bench/webhook.py: a bare Flask + wechatpy echo app on the same WSGI server as `serve`.

With `--db URL` the echo also runs the one transaction every bot message needs (claim the MsgId, find
the sender's unit, load and save the draft) through the bot's own storage functions: the floor under
the bot's cost, without any conversation logic.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime

import waitress
from flask import Flask, request
from wechatpy.enterprise import WeChatCrypto, create_reply, parse_message

from storage.conversations import load_conversations, save_conversation
from storage.dedupe import claim_message
from storage.engine import make_engine, session_scope
from storage.migrate import upgrade
from storage.units import unit_of
from tests.support.wecom_sim import AES_KEY, CORP_ID, TOKEN


def create_echo_app(database_url: str = "") -> Flask:
    app = Flask(__name__)
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)
    transaction = message_transaction(database_url) if database_url else lambda message: None

    @app.post("/wecom/callback")
    def echo():
        args = request.args
        plain = crypto.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
        message = parse_message(plain)
        transaction(message)
        reply = create_reply(message.content, message).render()
        return crypto.encrypt_message(reply, args["nonce"], args["timestamp"])

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def message_transaction(database_url: str) -> Callable[[object], None]:
    """The bot's per-message statements, in one transaction, on a database of their own."""
    engine = make_engine(database_url)
    upgrade(engine)

    def run(message) -> None:
        now = datetime.now(UTC)
        with session_scope(engine) as session:
            claim_message(session=session, key=f"msg:{message.id}", now=now)
            unit_of(session=session, user_id=message.source)
            load_conversations(session=session, user_id=message.source)
            save_conversation(session=session, user_id=message.source, form="echo", state={"text": message.content}, now=now)

    return run


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--db", default="", help="also run the bot's per-message transaction on this database")
    options = parser.parse_args()
    waitress.serve(create_echo_app(options.db), host="127.0.0.1", port=options.port, threads=options.threads)
