"""At the overdue alert the office groups get the week's workbook as a file: a group robot and an app group chat, on the fake WeCom server."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.cli import main
from bot.messengers import WeComMessenger
from bot.runtime import build_bot, run_inline
from common.config_loader import load_config
from tests.support.chat import TYPED_ANSWERS, Chat, fill_until_summary
from tests.support.config import make_config, shanghai
from tests.support.fakes import FakeClock, FakeSleep
from tests.support.live_server import sending_config
from tests.support.scheduling import outbox, service_for
from tests.support.wecom_sim import wecom_for

WORKBOOK = "执行宣传周报_2026-W48.xlsx"
ALERT = shanghai(2026, 11, 27, 12, 5)
UPLOADS_DOWN = {"webhook/upload_media": (502, None), "media/upload": (503, None)}
REVISED_EFFECTS = "截止后补充：直播观看 5 万人次"


@pytest.fixture
def bot(fake_wecom, db_url, clock):
    """The office's groups: `office`, a group robot, and `bureau`, an app group chat."""
    config = make_config(
        db_url,
        wecom={"secret": "s3cret", "api_base_url": fake_wecom.base_url},
        office={"groups": ["office", "bureau"]},
        groups=[
            {"id": "office", "webhook_url": fake_wecom.robot_url("office")},
            {"id": "bureau", "chat_id": "chat-bureau"},
            {"id": "jinghong", "webhook_url": fake_wecom.robot_url("jh")},
            {"id": "mengla", "chat_id": "chat-mengla"},
        ],
    )
    return build_bot(config, messenger=WeComMessenger(config), clock=clock, background=run_inline, sleep=FakeSleep(clock))


@pytest.fixture
def jh1(bot):
    chat = Chat(wecom_for(bot), "jh1")
    fill_until_summary(chat)
    assert chat.say("确认").startswith("已提交（按时）")  # on Wednesday
    return chat


def report_sheet(content: bytes) -> list[str]:
    """Every text of the unit's 附件1 sheet in the workbook, after checking the summary sheet lists both units."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    summary = [row[:2] for row in book["汇总"].iter_rows(min_row=3, values_only=True)]
    assert summary == [("景洪市人民法院", "已报送"), ("勐腊县人民法院", "未报送")]
    return [cell for row in book["景洪市人民法院"].iter_rows(values_only=True) for cell in row if isinstance(cell, str)]


def revise_effects(chat: Chat) -> str:
    chat.say("修改")
    chat.say("修改 4")
    chat.say(REVISED_EFFECTS)
    return chat.say("确认")


def test_the_office_robot_and_app_chat_get_the_workbook_after_the_alert_text(bot, jh1, fake_wecom, clock):
    clock.set(ALERT)
    assert service_for(bot, clock).tick("friday_overdue").queued == 2 + 2 + 1  # texts and workbooks, 勐腊's alert
    [upload] = fake_wecom.calls_to("webhook/upload_media")
    assert (upload.query, upload.files["media"][0]) == ({"key": "office", "type": "file"}, WORKBOOK)
    assert [post["msgtype"] for post in fake_wecom.robot_posts("office")] == ["text", "file"]
    [(name, content)] = fake_wecom.robot_files("office")
    assert name == WORKBOOK and TYPED_ANSWERS[3] in report_sheet(content)
    assert fake_wecom.appchat_files("chat-bureau") == [(WORKBOOK, content)]  # media/upload, then appchat/send
    assert [c.query["type"] for c in fake_wecom.calls_to("media/upload")] == ["file"]


def test_the_workbook_holds_the_reports_as_at_the_alert_and_goes_once_after_an_outage(bot, jh1, fake_wecom, clock):
    fake_wecom.outages.update(UPLOADS_DOWN)
    clock.set(ALERT)
    service = service_for(bot, clock)
    service.tick("friday_overdue")
    assert fake_wecom.robot_files("office") == [] and fake_wecom.appchat_files("chat-bureau") == []
    assert "截止后修改" in revise_effects(jh1)  # after the alert, before the files could go
    fake_wecom.outages.clear()
    clock.advance(minutes=1)
    service.deliver()
    for _ in range(3):  # later rounds and a second run of the job send nothing more
        clock.advance(minutes=30)
        service.deliver()
    assert service.run_now("friday_overdue")[0].queued == 0
    [(_, robot_copy)] = fake_wecom.robot_files("office")
    assert fake_wecom.appchat_files("chat-bureau") == [(WORKBOOK, robot_copy)]
    sheet = report_sheet(robot_copy)
    assert TYPED_ANSWERS[3] in sheet and REVISED_EFFECTS not in sheet
    assert len(fake_wecom.calls_to("webhook/upload_media")) == 1 + 3  # the first round's three quick tries, then the one that went
    assert {row.status for row in outbox(bot)} == {"sent"} and all(row.content is None for row in outbox(bot))


def test_jobs_run_sends_the_workbook_once_and_a_workbook_given_up_can_still_be_retried(tmp_path, fake_wecom, capsys):
    config = sending_config(tmp_path, fake_wecom)
    member = Chat(wecom_for(build_bot(load_config(config), clock=FakeClock(shanghai(2026, 11, 25, 10)), background=run_inline)), "jh_reporter")
    fill_until_summary(member)
    assert member.say("确认").startswith("已提交（按时）")
    fake_wecom.outages["webhook/upload_media?key=REPLACE-enforcement"] = (200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    run = ["--config", config, "jobs", "run", "friday_overdue", "--at", "2026-11-27T12:05"]
    assert main(run) == 0
    assert "新推送 7 条" in capsys.readouterr().out  # 2 texts and 2 workbooks to the office groups, 3 missing units
    assert [name for name, _ in fake_wecom.robot_files("REPLACE-office")] == [WORKBOOK]
    assert fake_wecom.robot_files("REPLACE-enforcement") == []
    assert main(run) == 0 and "新推送 0 条" in capsys.readouterr().out
    fake_wecom.outages.clear()  # the bureau's robot repaired: the workbook given up still has its bytes
    assert main(["--config", config, "outbox", "retry", "--all-failed"]) == 0
    assert "重新排队 1 条" in capsys.readouterr().out
    assert fake_wecom.robot_files("REPLACE-enforcement") == fake_wecom.robot_files("REPLACE-office")
    assert len(fake_wecom.robot_files("REPLACE-office")) == 1
