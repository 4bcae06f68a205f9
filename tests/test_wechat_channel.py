"""The same bot on WeChat: a whole weekly report and an advance notice through /wechat/callback in safe mode, drafts
shared with WeCom, the channel shown to the office, 素材 from WeChat, and long answers continued by customer-service message."""

from __future__ import annotations

import io

import openpyxl

from storage.models import Material, MaterialStatus, ReportRevision
from tests.support.chat import LIAISON, MEDIA, THEME, TYPED_ANSWERS, Chat, fill_until_summary, notify, stored
from tests.support.config import shanghai
from tests.support.factories import add_report
from tests.support.fake_api import FakeFile
from tests.support.wecom_sim import wecom_for

PHOTO = FakeFile(b"\xff\xd8\xff" + b"w" * 120_000, "image/jpeg", "wx-photo.jpg")


def test_a_whole_weekly_report_through_the_official_account(wechat, wechat_bot, bind, messenger):
    clerk = Chat(wechat, bind("jh1"))
    summary = fill_until_summary(clerk)
    assert summary.startswith("请核对 第48周（11月23日—29日）周报（景洪市人民法院）") and summary.endswith("回复 确认 提交；修改 N 修改第 N 项；取消 放弃。")
    assert clerk.say("确认") == "已提交（按时）：第48周（11月23日—29日）周报（景洪市人民法院），第 1 版。"
    assert [(r.submitted_by, r.via) for r in stored(wechat_bot, ReportRevision)] == [("jh1", "wechat")]
    assert "第 1 版，jh1 于 11月25日（周三）10:00 提交" in clerk.say("我的周报")
    office = wecom_for(wechat_bot)
    assert "10:00 jh1（按时，经微信公众号）" in office.say("admin1", "查询 景洪")
    office.say("admin1", "导出")
    [workbook] = [s for s in messenger.sent if s.kind == "file"]
    summary_sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["汇总"]
    assert [c.value for c in summary_sheet[3]] == ["景洪市人民法院", "已报送", summary_sheet["C3"].value, "jh1", "微信公众号", "按时", "否"]


def test_an_advance_notice_through_the_official_account_reaches_the_office_groups(wechat, bind, messenger):
    clerk = Chat(wechat, bind("jh1"))
    receipt = notify(clerk, "12月3日 9:30")
    assert receipt.startswith("已报送")
    pushed = dict((s.target, s.text) for s in messenger.sent if s.kind == "group")  # groups are sent to at once, in no order
    assert sorted(pushed) == ["enforcement", "office"]
    assert "景洪市人民法院" in pushed["office"] and "涉民生案件集中执行行动" in pushed["office"]
    assert "涉民生案件集中执行行动" in clerk.say("我的预告")


def test_a_draft_started_on_wechat_is_finished_in_wecom_and_the_reverse(wechat, wechat_bot, bind):
    on_wechat, in_wecom = Chat(wechat, bind("jh1")), Chat(wecom_for(wechat_bot), "jh1")
    on_wechat.say("周报")
    on_wechat.say_all(*TYPED_ANSWERS[:2])
    assert "（3/8）" in in_wecom.say("继续")
    in_wecom.say_all(*TYPED_ANSWERS[2:])
    in_wecom.say_all("跳过", "完成", "李华", "13800138000")
    assert "已提交（按时）" in in_wecom.say("确认")
    assert [r.via for r in stored(wechat_bot, ReportRevision)] == ["wecom"]  # the channel it was confirmed on
    in_wecom.say("预告")
    in_wecom.say(THEME)
    assert on_wechat.say("继续").startswith("（2/6）请填写活动时间")
    on_wechat.say_all("12月3日 9:30", "1,3", MEDIA, LIAISON, "跳过")
    assert "已报送" in on_wechat.say("确认")
    assert THEME in in_wecom.say("我的预告")


def test_an_image_sent_on_wechat_is_kept_as_material_from_wechats_media_get(wechat, wechat_bot, bind, fake_wechat):
    fake_wechat.files["WXMEDIA1"] = PHOTO
    clerk = Chat(wechat, bind("jh1"))
    clerk.say("周报")
    clerk.say(TYPED_ANSWERS[0])
    assert clerk.send_media("WXMEDIA1").startswith("已收到图片，作为素材附在周报（共 1 个）。")
    [material] = stored(wechat_bot, Material)
    assert (material.status, material.content, material.filename) == (MaterialStatus.STORED, PHOTO.content, "wx-photo.jpg")
    assert [c.query["media_id"] for c in fake_wechat.calls_to("media/get")] == ["WXMEDIA1"]


def test_a_failed_wechat_download_is_told_on_wechat(wechat, wechat_bot, bind, fake_wechat, messenger):
    openid = bind("jh1")
    clerk = Chat(wechat, openid)
    clerk.say("周报")
    clerk.send_media("GONE")  # WeChat no longer has it (40007)
    assert fake_wechat.texts_to(openid) == ["您 10:00 发送的图片未能保存为周报素材（下载失败），请重新发送。"]
    assert messenger.sent == []


def test_a_video_on_wechat_is_not_taken_and_the_reply_says_so(wechat, bind):
    clerk = Chat(wechat, bind("jh1"))
    clerk.say("周报")
    assert "视频请在企业微信中发送" in clerk.send_media("WXVIDEO", kind="video")


def test_a_long_answer_on_wechat_continues_as_customer_service_messages(wechat, wechat_bot, bind, fake_wechat, messenger):
    add_report(wechat_bot, "jinghong", "2026-W48", shanghai(2026, 11, 24, 9), summary="执行" * 600, effects="效果" * 600)
    admin = bind("admin1", "oADMIN")
    head = wechat.say(admin, "查询 景洪")
    assert head.endswith("（内容较长，其余部分随后发送）") and len(head.encode()) <= 2048
    rest = fake_wechat.texts_to(admin)
    assert rest and all(len(part.encode()) <= 2048 for part in rest) and "效果效果" in rest[-1]
    assert messenger.sent == []  # nothing of it through WeCom


def test_an_export_asked_on_wechat_says_the_file_comes_in_wecom(wechat, bind, messenger):
    reply = wechat.say(bind("admin1", "oADMIN"), "导出")
    assert reply.endswith("稍后以文件发给您。公众号不能发送文件，请在企业微信中查收。")
    assert [(s.kind, s.target) for s in messenger.sent] == [("file", "admin1")]


def test_an_article_shared_on_wechat_is_offered_to_this_weeks_report(wechat, wechat_bot, bind):
    clerk = Chat(wechat, bind("jh1"))
    assert "要加入本周周报吗" in clerk.share("景洪法院集中清理涉民生案件", "https://mp.weixin.qq.com/s/abc123")
    assert "景洪法院集中清理涉民生案件" in clerk.say("是")
