"""The baseline for bench/webhook.py: a bare Flask + wechatpy echo app on the same server as `serve`.

It decrypts, parses and encrypts a reply like the bot, and does nothing else. Run with the same
`[server]` settings the bot has (threads; a shared port when `serve` runs several processes), one
process per worker: `python -m bench.echo_app --port P [--threads 8] [--shared]`.
"""

from __future__ import annotations

import argparse

from flask import Flask, request
from wechatpy.enterprise import WeChatCrypto, create_reply, parse_message

from bot.server import listen
from common.config import ServerConfig
from tests.support.wecom_sim import AES_KEY, CORP_ID, TOKEN


def create_echo_app() -> Flask:
    app = Flask(__name__)
    crypto = WeChatCrypto(TOKEN, AES_KEY, CORP_ID)

    @app.post("/wecom/callback")
    def echo():
        args = request.args
        plain = crypto.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"])
        message = parse_message(plain)
        reply = create_reply(message.content, message).render()
        return crypto.encrypt_message(reply, args["nonce"], args["timestamp"])

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--shared", action="store_true", help="listen with SO_REUSEPORT, beside other echo processes on the port")
    options = parser.parse_args()
    listen(create_echo_app(), ServerConfig(port=options.port, threads=options.threads), shared=options.shared).run()
