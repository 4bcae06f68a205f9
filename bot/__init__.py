"""Composition root: Flask app, WeCom glue, CLI and outbound messengers."""

from bot.app import create_app

__all__ = ["create_app"]
