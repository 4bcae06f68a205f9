"""素材: images and videos sent during a weekly report, downloaded from the fake WeCom server's media/get after the reply."""

from __future__ import annotations

import pytest

from bot.runtime import build_bot, run_inline
from handlers.materials import MAX_BYTES, MAX_COUNT
from storage.models import Material, MaterialStatus, ReportRevision, RevisionMaterial
from tests.support.chat import TYPED_ANSWERS, draft, fill_until_summary, stored
from tests.support.config import make_config
from tests.support.fake_api import FakeFile
from tests.support.fakes import FakeSleep

PHOTO = FakeFile(b"\xff\xd8\xff" + b"p" * 250_000, "image/jpeg", "photo1.jpg")
CLIP = FakeFile(b"\x00\x00\x00\x18ftypmp4" + b"v" * 3_000_000, "video/mp4")  # no name given: the bot names it
QUESTION_2 = "（2/8）请填写「宣传举措」，例如：联合州电视台开展执行直播。"


@pytest.fixture
def bot(db_url, fake_wecom, messenger, clock):
    """The bot downloading from the fake WeCom server (the conversation fixtures build on it)."""
    config = make_config(db_url, wecom={"secret": "s3cret", "api_base_url": fake_wecom.base_url})
    fake_wecom.files.update({"photo1": PHOTO, "clip1": CLIP})
    return build_bot(config, messenger=messenger, clock=clock, background=run_inline, sleep=FakeSleep(clock))


def pushed(messenger, user: str = "jh1") -> list[str]:
    return [sent.text for sent in messenger.to(user)]


def test_an_image_during_a_report_is_downloaded_counted_in_the_summary_kept_by_each_revision_and_shown_by_query(jh1, wecom, bot, fake_wecom):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    assert jh1.send_media("photo1") == f"已收到图片，作为素材附在周报（共 1 个）。\n{QUESTION_2}"
    [material] = stored(bot, Material)
    assert (material.content, material.content_type, material.filename, material.size) == (PHOTO.content, "image/jpeg", "photo1.jpg", len(PHOTO.content))
    assert (material.status, material.kind, material.unit_id, material.sent_by) == (MaterialStatus.STORED, "image", "jinghong", "jh1")
    assert [call.query["media_id"] for call in fake_wecom.calls_to("media/get")] == ["photo1"]
    assert draft(bot)["step"] == 1 and draft(bot)["meta"]["materials"] == [material.id]
    jh1.say_all(*TYPED_ANSWERS[1:3])
    jh1.send_media("clip1", kind="video")
    assert [m.filename for m in stored(bot, Material)] == ["photo1.jpg", f"video-{material.id + 1}.mp4"]
    jh1.say_all(TYPED_ANSWERS[3], "跳过", "完成", "李华")
    assert "素材：2 个（图片 1、视频 1）\n日期：提交时自动填写" in jh1.say("13800138000")
    jh1.say("确认")
    assert [(link.revision_id, link.position) for link in stored(bot, RevisionMaterial)] == [(1, 1), (1, 2)]
    revised = jh1.say("修改")
    assert "素材：2 个（图片 1、视频 1）" in revised
    assert jh1.send_media("photo1") == "已收到图片，作为素材附在周报（共 3 个）。\n请回复 确认 提交，修改 N 修改第 N 项，继续 查看汇总，取消 放弃。"
    jh1.say("确认")
    links = {(link.revision_id, link.position) for link in stored(bot, RevisionMaterial)}
    assert links == {(1, 1), (1, 2), (2, 1), (2, 2), (2, 3)}
    assert wecom.say("admin1", "查询 景洪").splitlines()[-4:] == ["素材：3 个（图片 2、视频 1）", "1. 图片（244 KB）", "2. 视频（2.9 MB）", "3. 图片（244 KB）"]


@pytest.mark.parametrize("failure", [None, (502, None), (200, {"errcode": -1, "errmsg": "system busy"})], ids=["expired-id", "http-502", "errcode"])
def test_a_failed_download_tells_the_member_to_send_again_and_leaves_the_draft(jh1, bot, messenger, fake_wecom, failure):
    jh1.say("周报")
    jh1.say(TYPED_ANSWERS[0])
    fake_wecom.failures += [failure] if failure else []
    before = draft(bot)["answers"]
    assert jh1.send_media("photo1" if failure else "gone").startswith("已收到图片，作为素材附在周报（共 1 个）。")
    assert pushed(messenger) == ["您 10:00 发送的图片未能保存为周报素材（下载失败），请重新发送。"]
    [failed] = stored(bot, Material)
    assert (failed.status, failed.content) == (MaterialStatus.FAILED, None) and draft(bot)["answers"] == before
    assert "共 1 个" in jh1.send_media("photo1")  # sent again: the failed one is not counted
    jh1.say_all(*TYPED_ANSWERS[1:], "跳过", "完成", "李华")
    assert "素材：1 个（图片 1）" in jh1.say("13800138000")


@pytest.mark.parametrize("sized", [True, False], ids=["length-said", "length-unsaid"])
def test_a_file_over_the_limit_is_not_stored_and_the_member_is_told(jh1, bot, messenger, fake_wecom, sized):
    fake_wecom.files["huge"] = FakeFile(b"v" * (MAX_BYTES + 1), "video/mp4", sized=sized)
    jh1.say("周报")
    assert "已收到视频" in jh1.send_media("huge", kind="video")
    assert pushed(messenger) == ["您 10:00 发送的视频超过 20 MB，未能保存为周报素材。请压缩后重新发送。"]
    assert [(m.status, m.content) for m in stored(bot, Material)] == [(MaterialStatus.FAILED, None)]


def test_an_expired_token_is_fetched_again_once(jh1, bot, fake_wecom):
    fake_wecom.token_rejections = 1
    jh1.say("周报")
    jh1.send_media("photo1")
    assert [m.status for m in stored(bot, Material)] == [MaterialStatus.STORED]
    assert [call.ok for call in fake_wecom.calls_to("media/get")] == [False, True]


def test_an_image_with_no_weekly_draft_says_how_to_attach_it_and_is_not_stored(jh1, bot, fake_wecom):
    reply = jh1.send_media("photo1")
    assert reply == "图片未保存：填写周报时发送的图片、视频才会作为素材附在周报。请先发送 周报，再重新发送图片。"
    jh1.say("预告")  # a notice takes no 素材 either
    assert jh1.send_media("photo1") == reply
    assert stored(bot, Material) == [] and fake_wecom.calls_to("media/get") == []


def test_an_image_while_the_draft_asks_about_cancelling_is_kept_and_the_question_asked_again(jh1, bot):
    jh1.say("周报")
    jh1.say("取消")
    assert jh1.send_media("photo1") == "已收到图片，作为素材附在周报（共 1 个）。\n确定放弃这份周报草稿吗？回复 是 放弃，回复 否 继续填写。"
    assert "（1/8）" in jh1.say("否")


def test_a_report_keeps_at_most_so_many_materials(jh1, bot):
    fill_until_summary(jh1)
    for _ in range(MAX_COUNT):
        jh1.send_media("photo1")
    assert jh1.send_media("photo1").startswith(f"每份周报最多附 {MAX_COUNT} 个素材，本图片未保存。")
    assert len(stored(bot, Material)) == MAX_COUNT


def test_what_was_sent_to_a_dropped_draft_is_deleted_when_the_next_one_begins(jh1, bot):
    jh1.say("周报")
    jh1.send_media("photo1")
    jh1.say_all("取消", "是")
    assert len(stored(bot, Material)) == 1
    fill_until_summary(jh1)
    assert stored(bot, Material) == [] and "素材" not in jh1.say("继续")
    jh1.send_media("photo1")
    jh1.say("确认")
    assert [m.id for m in stored(bot, Material)] == [link.material_id for link in stored(bot, RevisionMaterial)]
    assert len(stored(bot, ReportRevision)) == 1
