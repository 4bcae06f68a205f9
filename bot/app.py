"""Flask app factory: the web edge of the bot."""

from __future__ import annotations

from flask import Flask, jsonify

from bot.callback import blueprint
from bot.runtime import Bot, build_bot
from common.config import Config


def create_app(config: Config | None = None, *, bot: Bot | None = None) -> Flask:
    """Build the web app; pass a ready `bot` (tests) or a config (production, loaded from the CLI's rules)."""
    if bot is None:
        if config is None:
            from bot.cli import find_config

            config = find_config(None)
        bot = build_bot(config)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = bot.config.server.max_body_bytes
    app.extensions["bot"] = bot
    app.register_blueprint(blueprint)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
