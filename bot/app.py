"""Flask app factory: the web edge of the bot."""

from __future__ import annotations

from flask import Flask, jsonify

from bot import console
from bot.callback import blueprint
from bot.runtime import Bot, build_bot
from bot.wechat_callback import Account
from bot.wechat_callback import blueprint as wechat_blueprint
from common.config_loader import find_config


def create_app(bot: Bot | None = None) -> Flask:
    """The web app over `bot`; WSGI servers call it bare (`waitress-serve --call bot:create_app`) for the discovered config."""
    bot = bot or build_bot(find_config())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = bot.config.server.max_body_bytes
    app.extensions["bot"] = bot
    app.register_blueprint(blueprint)
    app.register_blueprint(console.blueprint)
    if bot.config.wechat is not None:  # the official account's callback, only when its channel is on
        app.extensions["wechat"] = Account.of(bot.config.wechat)
        app.register_blueprint(wechat_blueprint)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
