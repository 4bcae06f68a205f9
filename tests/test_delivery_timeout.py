"""WeCom answering after the client gave up: an unknown outcome, resent in a later round and marked （重发）."""

from __future__ import annotations

import pytest

from bot.messengers import WeComMessenger
from bot.runtime import build_bot, run_inline
from common.messenger import SendError, split_text
from scheduler.delivery import PART_LIMIT
from storage.engine import session_scope
from storage.outbox import Kind, Push, queue
from tests.support.config import shanghai, wecom_config
from tests.support.factories import late_list
from tests.support.scheduling import outbox, service_for

NOTICE = "景洪市人民法院报送重点策划：涉民生案件集中执行行动，11月30日（周一）09:30。"
CLIENT_TIMEOUT, LATE_ANSWER = 0.5, 1.0  # as WeCom answering in 12 s to a client that waits 10 s


@pytest.fixture
def service(fake_wecom, tmp_path, clock):
    clock.set(shanghai(2026, 11, 26, 10, 0))
    config = wecom_config(fake_wecom, tmp_path)
    bot = build_bot(config, messenger=WeComMessenger(config, timeout=CLIENT_TIMEOUT), clock=clock, background=run_inline)
    return service_for(bot, clock)


def queue_notice(service, text: str) -> None:
    with session_scope(service.engine) as session:
        queue(session=session, pushes=[Push("notice:1:1:office", Kind.GROUP, "office", text)], now=service.clock())


def test_a_send_without_an_answer_is_not_repeated_at_once_and_its_resend_is_marked(service, fake_wecom, clock):
    queue_notice(service, NOTICE)
    fake_wecom.delays.append(LATE_ANSWER)
    assert service.deliver().retrying == 1
    assert fake_wecom.robot_texts("office") == [NOTICE]  # no quick retry: WeCom may have shown it
    [row] = outbox(service)
    assert (row.status, row.in_doubt) == ("pending", True) and "did not answer" in row.last_error
    assert service.deliver().sent == 0  # not before the next round
    clock.advance(minutes=1)
    assert service.deliver().sent == 1
    assert fake_wecom.robot_texts("office") == [NOTICE, "（重发）" + NOTICE]
    assert service.deliver().sent == 0 and not outbox(service)[0].in_doubt


def test_only_the_part_without_an_answer_is_resent_marked(service, fake_wecom, clock):
    parts = split_text(late_list(200), PART_LIMIT)
    queue_notice(service, late_list(200))
    fake_wecom.delays += [0, LATE_ANSWER]  # part 1 is answered, part 2 is not
    assert service.deliver().retrying == 1
    clock.advance(minutes=1)
    assert service.deliver().sent == 1
    assert fake_wecom.robot_texts("office") == [*parts[:2], "（重发）" + parts[1], *parts[2:]]
    assert all(len(text.encode()) <= 2048 for text in fake_wecom.robot_texts("office"))


def test_a_doubted_part_that_then_meets_an_outage_is_still_marked_when_it_goes(service, fake_wecom, clock):
    queue_notice(service, NOTICE)
    fake_wecom.delays.append(LATE_ANSWER)
    service.deliver()
    fake_wecom.failures += [(502, None)] * 3
    clock.advance(minutes=1)
    assert service.deliver().retrying == 1 and outbox(service)[0].in_doubt
    clock.advance(minutes=5)
    assert service.deliver().sent == 1
    assert fake_wecom.robot_texts("office")[-1] == "（重发）" + NOTICE


def test_an_app_message_without_an_answer_is_an_unknown_outcome(fake_wecom, tmp_path):
    messenger = WeComMessenger(wecom_config(fake_wecom, tmp_path), timeout=CLIENT_TIMEOUT)
    fake_wecom.delays.append(LATE_ANSWER)
    with pytest.raises(SendError) as error:
        messenger.send_to_users(["admin1"], "您好")
    assert error.value.retryable and error.value.maybe_delivered


def test_a_group_file_whose_message_got_no_answer_is_resent_marked_but_an_unanswered_upload_is_retried_at_once(service, fake_wecom, clock):
    with session_scope(service.engine) as session:
        workbook = Push("friday_overdue:2026-W48:office:workbook", Kind.GROUP_FILE, "office", "", filename="周报.xlsx", content=b"PK-week")
        queue(session=session, pushes=[workbook], now=service.clock())
    fake_wecom.delays += [LATE_ANSWER, 0, LATE_ANSWER]  # the first upload; its quick retry; the file message
    assert service.deliver().retrying == 1
    assert outbox(service)[0].in_doubt and len(fake_wecom.calls_to("webhook/upload_media")) == 2
    clock.advance(minutes=1)
    assert service.deliver().sent == 1
    assert fake_wecom.robot_files("office") == [("周报.xlsx", b"PK-week"), ("（重发）周报.xlsx", b"PK-week")]
