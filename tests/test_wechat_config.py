"""The optional [wechat] section: absent, the channel is off; present, every key is checked and named on error."""

from __future__ import annotations

import pytest

from common.config import ConfigError
from common.config_loader import load_config
from tests.support.config import EXAMPLE

SECTION = "# [wechat]\n"


def example_with_wechat(tmp_path, edits: dict[str, str] | None = None):
    """The example config with its commented [wechat] section switched on, and (old, new) edits made in it."""
    text = EXAMPLE.read_text(encoding="utf-8")
    head, _, rest = text.partition(SECTION)
    section, _, tail = rest.partition("\n\n")
    lines = [line.removeprefix("# ") for line in section.splitlines() if line.startswith("# ") and "=" in line.split("#")[1]]
    body = "\n".join(["[wechat]", *lines])
    for old, new in (edits or {}).items():
        assert old in body, old
        body = body.replace(old, new)
    path = tmp_path / "wechat.toml"
    path.write_text(f"{head}{body}\n\n{tail}", encoding="utf-8")
    return path


def test_the_example_leaves_the_channel_off():
    assert load_config(EXAMPLE).wechat is None


def test_the_examples_commented_section_loads_with_its_defaults(tmp_path):
    wechat = load_config(example_with_wechat(tmp_path)).wechat
    assert wechat.app_id == "wx0123456789abcdef" and wechat.token == "REPLACEwithYourToken"
    assert wechat.encoding_aes_key == "" and wechat.api_base_url == "https://api.weixin.qq.com/cgi-bin/"
    assert wechat.reminder_template_fields == {"thing1": "task", "time2": "deadline"}


@pytest.mark.parametrize(
    ("old", "new", "key", "expected"),
    [
        ('app_id = "wx0123456789abcdef"', 'app_id = "0123456789abcdef"', "wechat.app_id", "AppID"),
        ('token = "REPLACEwithYourToken"', 'token = "a b"', "wechat.token", "3-32 letters or digits"),
        ('token = "REPLACEwithYourToken"', 'token = ""', "wechat.token", "3-32 letters or digits"),
        ('encoding_aes_key = ""', 'encoding_aes_key = "short"', "wechat.encoding_aes_key", "or empty for plaintext mode"),
        ('api_base_url = "https://api.weixin.qq.com/cgi-bin/"', 'api_base_url = "api.weixin.qq.com"', "wechat.api_base_url", "http(s) URL"),
        ('reminder_template_id = ""', 'reminder_template_id = "模板"', "wechat.reminder_template_id", "模板ID"),
        ('time2 = "deadline"', 'time2 = "when"', "wechat.reminder_template_fields.time2", "one of: task, deadline, state, unit, action"),
        ('thing1 = "task"', '"thing 1" = "task"', "wechat.reminder_template_fields.thing 1", "template field's name"),
        ('{ thing1 = "task", time2 = "deadline" }', "{}", "wechat.reminder_template_fields", "at least one field"),
        ('{ thing1 = "task", time2 = "deadline" }', '"task"', "wechat.reminder_template_fields", "expected a table"),
        ('app_secret = ""', 'app_sceret = ""', "wechat.app_sceret", "unknown key"),
    ],
)
def test_bad_values_are_refused_naming_the_key(tmp_path, old, new, key, expected):
    path = example_with_wechat(tmp_path, {old: new})
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert f"[{key}]" in str(error.value) and expected in str(error.value)


def test_safe_mode_key_and_a_template_load(tmp_path):
    edits = {'encoding_aes_key = ""': 'encoding_aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"',
             'reminder_template_id = ""': 'reminder_template_id = "Dyvp3-Ff0cnail_CDSzk1fIc6-9lOkxsQE7exTJbwUE"'}
    wechat = load_config(example_with_wechat(tmp_path, edits)).wechat
    assert wechat.encoding_aes_key.startswith("jWmYm") and wechat.reminder_template_id.startswith("Dyvp3")
