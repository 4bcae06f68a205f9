"""The command line, run as a user would: `python -m bot ...` in a subprocess."""

from __future__ import annotations

from tests.support.config import EXAMPLE
from tests.support.live_server import BotProcess, free_port, run_bot, write_config


def test_chat_answers_help_for_a_member(tmp_path):
    result = run_bot("--config", str(EXAMPLE), "chat", "--user", "jh_reporter", cwd=tmp_path, stdin="帮助\n")
    assert result.returncode == 0, result.stderr
    assert "可用指令" in result.stdout
    assert (tmp_path / "data" / "bot.db").exists()  # the data folder is created on first run


def test_config_falls_back_from_env_to_cwd_files(tmp_path):
    (tmp_path / "config.example.toml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_bot("initdb", cwd=tmp_path).returncode == 0
    bad = tmp_path / "config.toml"
    bad.write_text("[server\n")
    result = run_bot("initdb", cwd=tmp_path)
    assert result.returncode == 2 and "config.toml" in result.stderr
    result = run_bot("initdb", cwd=tmp_path, env={"BOT_CONFIG": str(EXAMPLE)})
    assert result.returncode == 0, result.stderr


def test_bad_config_stops_with_a_message_naming_the_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("port = 8080", 'port = "x"'), encoding="utf-8")
    result = run_bot("--config", str(bad), "initdb", cwd=tmp_path)
    assert result.returncode == 2
    assert "[server.port]" in result.stderr and str(bad) in result.stderr


def test_serve_answers_healthz_on_the_configured_port(tmp_path):
    port = free_port()
    write_config(tmp_path, port=port, name="config.toml")  # found in the working directory: no --config
    server = BotProcess(None, "serve", port=port, cwd=tmp_path)
    try:
        body = server.wait_healthy()
        assert b'"ok"' in body
    finally:
        server.stop()


def test_chat_walks_the_whole_weekly_report(tmp_path):
    lines = ["周报", "简介", "举措", "做法", "效果", "跳过", "1", "标题", "https://example.com/a", "完成", "李华", "0691-2123456", "确认", "我的周报"]
    result = run_bot("--config", str(EXAMPLE), "chat", "--user", "jh_reporter", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "请核对" in result.stdout and "已提交（" in result.stdout
    assert "8. 联系电话：0691-2123456" in result.stdout.split("已提交（")[-1]


def test_chat_drops_control_characters_before_storage(tmp_path):
    result = run_bot("--config", str(EXAMPLE), "chat", "--user", "jh_reporter", cwd=tmp_path, stdin="周报\n本周\x00开展\x07活动\n上一步\n")
    assert "当前：本周开展活动" in result.stdout, result.stderr
