"""Startup failures end in one line naming the key or the cause and a non-zero exit, never a traceback."""

from __future__ import annotations

import re
import socket

import pytest

from tests.support.config import EXAMPLE
from tests.support.live_server import free_port, run_bot

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) ")  # the log lines of a normal start
SQLITE_URL = 'url = "sqlite:///data/bot.db"'


def config_with(tmp_path, old: str, new: str, *, encoding: str = "utf-8"):
    """The example config with one change, saved in the given encoding."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "config.toml"
    path.write_bytes(text.replace(old, new, 1).encode(encoding))
    return path


def assert_one_line_error(result, *names: str) -> str:
    """The command failed, and besides any log lines of its start it said one line that names each of `names`."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip() and not LOG_LINE.match(line)]
    assert len(lines) == 1, result.stderr
    assert all(name in lines[0] for name in names), lines[0]
    return lines[0]


def test_unreachable_postgresql_names_the_storage_url_and_the_cause(tmp_path):
    url = f"postgresql+psycopg://bot:s3cret@127.0.0.1:{free_port()}/bot?connect_timeout=2"
    result = run_bot("--config", str(config_with(tmp_path, SQLITE_URL, f'url = "{url}"')), "initdb", cwd=tmp_path)
    line = assert_one_line_error(result, "[storage] url", "127.0.0.1")
    assert "s3cret" not in line and result.returncode == 1


def test_an_unknown_database_scheme_is_a_config_error(tmp_path):
    result = run_bot("--config", str(config_with(tmp_path, SQLITE_URL, 'url = "mysql://bot@127.0.0.1/bot"')), "initdb", cwd=tmp_path)
    assert_one_line_error(result, "[storage.url]", "postgresql+psycopg://")
    assert result.returncode == 2


def test_a_sqlite_path_that_cannot_be_created_names_the_storage_url(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    result = run_bot("--config", str(config_with(tmp_path, SQLITE_URL, f'url = "sqlite:///{tmp_path}/afile/bot.db"')), "initdb", cwd=tmp_path)
    assert_one_line_error(result, "[storage] url", "afile")


def test_a_config_saved_in_gbk_says_to_save_it_as_utf8(tmp_path):
    path = config_with(tmp_path, "[server]", "[server]", encoding="gbk")
    assert_one_line_error(run_bot("--config", str(path), "initdb", cwd=tmp_path), str(path), "UTF-8")


def test_config_naming_a_folder_says_so(tmp_path):
    assert_one_line_error(run_bot("--config", str(tmp_path), "initdb", cwd=tmp_path), str(tmp_path), "folder")


@pytest.mark.parametrize("key", ["jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2!", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2 "])
def test_an_encoding_aes_key_that_is_not_base64_names_the_key(tmp_path, key):
    path = config_with(tmp_path, "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", key)
    assert_one_line_error(run_bot("--config", str(path), "initdb", cwd=tmp_path), "[wecom.encoding_aes_key]", "43")


def test_serve_on_a_port_in_use_names_the_address(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = config_with(tmp_path, "port = 8080", f"port = {port}")
        result = run_bot("--config", str(config), "serve", cwd=tmp_path, timeout=30)
    assert_one_line_error(result, f"127.0.0.1:{port}")
