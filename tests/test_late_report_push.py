"""After the deadline each late submission and each revision reaches the office groups in one line; before it, nothing does."""

from __future__ import annotations

from tests.support.chat import Chat, fill_until_summary
from tests.support.config import shanghai
from tests.support.scheduling import outbox

AFTER_DEADLINE = shanghai(2026, 11, 27, 14, 0)  # the deadline is Friday 12:00
WEEK = "第48周（11月23日—29日）"


def submit(chat: Chat) -> str:
    fill_until_summary(chat)
    return chat.say("确认")


def revise(chat: Chat, *edits: str) -> str:
    """`修改` opens the stored report at its summary; each edit is a `修改 N` and its answers; then 确认."""
    chat.say("修改")
    chat.say_all(*edits)
    return chat.say("确认")


def office_texts(messenger) -> list[str]:
    """What the office groups were told, checking both groups were told the same."""
    office = [s.text for s in messenger.to("office")]
    assert [s.text for s in messenger.to("enforcement")] == office
    return office


def test_nothing_reaches_the_office_before_the_deadline(jh1, bot, messenger, clock):
    submit(jh1)
    clock.set(shanghai(2026, 11, 27, 11, 59))
    assert revise(jh1, "修改 4", "观看 3 万人次").startswith("已提交（按时）")
    assert messenger.sent == [] and outbox(bot) == []


def test_a_late_submission_is_pushed_once_with_the_unit_and_week(wecom, jh1, bot, messenger, clock):
    clock.set(AFTER_DEADLINE)
    fill_until_summary(jh1)
    receipt = wecom.say("jh1", "确认", msg_id=777)
    assert wecom.say("jh1", "确认", msg_id=777) == receipt  # WeCom re-sends the message: the same answer, nothing more
    assert office_texts(messenger) == [f"【周报逾期报送】景洪市人民法院 {WEEK}周报已于截止后提交。"]
    assert [row.key for row in outbox(bot)] == ["report:jinghong:2026-W48:1:office", "report:jinghong:2026-W48:1:enforcement"]


def test_each_revision_after_the_deadline_names_the_fields_it_changed(jh1, messenger, clock):
    assert submit(jh1).startswith("已提交（按时）")
    clock.set(AFTER_DEADLINE)
    assert "截止后修改（第2版）" in revise(jh1, "修改 4", "观看 5 万人次", "修改 6", "8", "新闻发布会实录", "https://example.com/a", "完成")
    assert "未生成新版本" in revise(jh1)  # confirmed again as it stands: nothing stored, nothing pushed
    revise(jh1, "修改 8", "0691-2123456", "修改 1", "简介改写")
    assert office_texts(messenger) == [
        f"【周报修改】景洪市人民法院 {WEEK}周报第2版（截止后修改），修改了：宣传效果、稿件。",
        f"【周报修改】景洪市人民法院 {WEEK}周报第3版（截止后修改），修改了：本周执行宣传工作基本简介、联系电话。",
    ]


def test_a_late_reports_revision_stays_late(jh1, messenger, clock):
    clock.set(AFTER_DEADLINE)
    submit(jh1)
    clock.advance(days=1)
    revise(jh1, "修改 7", "王芳")
    assert office_texts(messenger)[1] == f"【周报修改】景洪市人民法院 {WEEK}周报第2版（逾期），修改了：联系人。"


def test_last_weeks_report_filed_this_week_is_pushed_under_last_week(jh1, messenger):
    jh1.say("周报 上周")
    jh1.say_all("简介", "举措", "做法", "效果", "跳过", "完成", "李华", "13800138000")
    assert jh1.say("确认").startswith("已提交（逾期）：第47周")
    assert office_texts(messenger) == ["【周报逾期报送】景洪市人民法院 第47周（11月16日—22日）周报已于截止后提交。"]
