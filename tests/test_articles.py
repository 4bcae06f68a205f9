"""稿件 in the weekly report (issue 13, items 1–6 and 11), through the encrypted webhook and `python -m bot chat`.

Type first, by number or name; a link without https:// completed; `标题 https://…` split; a link pasted at the
type step or shared from WeChat (a WeCom link message) suggests its type; print and broadcast pieces without a link,
or with where they ran (stored in Article.place, shown in 查询 and both exports); the list edited, never wiped.
"""

from __future__ import annotations

import io
import sqlite3

import docx
import openpyxl
import pytest

from storage.models import Article
from tests.support.chat import TYPED_ANSWERS, Chat, draft, stored
from tests.support.config import EXAMPLE
from tests.support.live_server import run_bot

NEWSPAPER = "报纸（傣乡法苑）"
PLACE = "西双版纳报 11月24日 第3版"
SHARED = ("景洪法院发布失信被执行人名单", "https://mp.weixin.qq.com/s/shared1")  # a WeCom link message: its title and Url


def at_the_articles(chat: Chat) -> str:
    """A new weekly report filled up to its 稿件 step; the list's question."""
    chat.say("周报")
    chat.say_all(*TYPED_ANSWERS)
    return chat.say("跳过")  # 其他


def finish(chat: Chat) -> str:
    """From the 稿件 list: 完成, the contact, the phone and 确认; the receipt."""
    return chat.say_all("完成", "李华", "13800138000", "确认")


def articles(bot) -> list[tuple[str, str, str, str]]:
    """The stored articles as (title, url, channel, place)."""
    return [(a.title, a.url, a.channel, a.place) for a in stored(bot, Article)]


def send(chat: Chat, messages: list) -> str:
    """Each message in turn, a (title, url) pair as a shared link; the last reply."""
    reply = ""
    for message in messages:
        reply = chat.share(*message) if isinstance(message, tuple) else chat.say(message)
    return reply


# 1. An article without a link

@pytest.mark.parametrize("kind", ["报纸", "傣乡法苑", "4"])
@pytest.mark.parametrize("none", ["跳过", "无"])
def test_a_newspaper_article_needs_no_link(jh1, bot, kind, none):
    at_the_articles(jh1)
    assert "稿件标题" in jh1.say(kind)
    asked = jh1.say("傣乡法苑：景洪法院执行纪实")
    assert "没有链接的，写明刊播位置" in asked and "（选填，可回复 跳过）" in asked
    listed = jh1.say(none)
    assert listed.startswith("已记录第 1 篇。") and "1. 傣乡法苑：景洪法院执行纪实（报纸·傣乡法苑）" in listed
    assert finish(jh1).startswith("已提交（按时）")
    assert articles(bot) == [("傣乡法苑：景洪法院执行纪实", "", NEWSPAPER, "")]


def test_done_at_the_place_step_ends_the_article_and_the_list(jh1, bot):
    at_the_articles(jh1)
    jh1.say_all("电视", "州电视台执行专题")
    assert "（7/8）" in jh1.say("完成")
    jh1.say_all("李华", "13800138000", "确认")
    assert articles(bot) == [("州电视台执行专题", "", "电视专题", "")]


def test_a_link_for_a_newspaper_article_is_kept_as_its_link(jh1, bot):
    at_the_articles(jh1)
    jh1.say_all("报纸", "景洪法院执行纪实", "epaper.xsbnrb.com/a/123")
    finish(jh1)
    assert articles(bot) == [("景洪法院执行纪实", "https://epaper.xsbnrb.com/a/123", NEWSPAPER, "")]


def test_an_online_article_still_needs_its_link(jh1, bot):
    at_the_articles(jh1)
    jh1.say_all("公众号", "景洪法院集中清理涉民生案件")
    for word in ("跳过", "无", "完成"):
        assert "请发送稿件链接" in jh1.say(word)
    assert draft(bot)["held"] == {"channel": "微信公众号", "title": "景洪法院集中清理涉民生案件"}


@pytest.fixture
def placed(jh1, wecom, bot):
    """This week's report from jh1 with a newspaper piece given by where it ran, and a broadcast one."""
    at_the_articles(jh1)
    jh1.say_all("傣乡法苑", "景洪法院执行纪实", PLACE)
    jh1.say_all("2", "集中执行直播", "州电视台 11月25日 晚间新闻")
    finish(jh1)
    return wecom


def test_where_a_piece_ran_is_stored_in_its_own_field(placed, bot):
    assert articles(bot) == [
        ("景洪法院执行纪实", "", NEWSPAPER, PLACE),
        ("集中执行直播", "", "执行直播", "州电视台 11月25日 晚间新闻"),
    ]


def test_where_a_piece_ran_is_shown_in_the_offices_query(placed):
    lines = placed.say("admin1", "查询 景洪").splitlines()
    start = lines.index("稿件（2）：")
    assert lines[start + 1 : start + 5] == [
        f"1. 景洪法院执行纪实（{NEWSPAPER}）", f"刊播位置：{PLACE}",
        "2. 集中执行直播（执行直播）", "刊播位置：州电视台 11月25日 晚间新闻",
    ]


def test_where_a_piece_ran_is_in_the_workbooks_attachment_1_sheet(placed, messenger):
    placed.say("admin1", "导出")
    [sent] = [s for s in messenger.sent if s.kind == "file"]
    sheet = openpyxl.load_workbook(io.BytesIO(sent.content))["景洪市人民法院"]
    table = [row for row in sheet.iter_rows(values_only=True)]
    start = table.index(("稿件", "稿件标题", "链接", "类型"))
    assert table[start + 1 : start + 3] == [
        (1, "景洪法院执行纪实", f"刊播位置：{PLACE}", NEWSPAPER),
        (2, "集中执行直播", "刊播位置：州电视台 11月25日 晚间新闻", "执行直播"),
    ]


def test_where_a_piece_ran_is_in_the_word_document(placed, messenger):
    placed.say("admin1", "导出 word")
    [sent] = [s for s in messenger.sent if s.kind == "file"]
    report = docx.Document(io.BytesIO(sent.content)).tables[0]
    rows = [tuple(cell.text for cell in row.cells) for row in report.rows]
    assert ("稿件1：", f"景洪法院执行纪实\n刊播位置：{PLACE}\n类型：{NEWSPAPER}") in rows
    assert ("稿件2：", "集中执行直播\n刊播位置：州电视台 11月25日 晚间新闻\n类型：执行直播") in rows


# 2. A link without https://  3. 标题 https://…  5. the type by name, or suggested from the link

@pytest.mark.parametrize(("typed", "stored_as"), [("weibo.com/123456", "https://weibo.com/123456"),
                                                  ("mp.weixin.qq.com/s/abc", "https://mp.weixin.qq.com/s/abc")])
def test_a_link_without_its_scheme_is_completed(jh1, bot, typed, stored_as):
    at_the_articles(jh1)
    jh1.say_all("7", "景洪法院集中清理涉民生案件")
    assert jh1.say(typed).startswith("已记录第 1 篇。")
    finish(jh1)
    assert articles(bot) == [("景洪法院集中清理涉民生案件", stored_as, "网站", "")]


@pytest.mark.parametrize("typed", ["景洪法院集中清理涉民生案件 https://weibo.com/123456", "景洪法院集中清理涉民生案件：weibo.com/123456",
                                   "https://weibo.com/123456 景洪法院集中清理涉民生案件"])
def test_a_title_pasted_with_its_link_is_split_into_both(jh1, bot, typed):
    at_the_articles(jh1)
    jh1.say("微博")
    assert jh1.say(typed).startswith("已记录第 1 篇。")  # the link step is skipped: it came with the title
    finish(jh1)
    assert articles(bot) == [("景洪法院集中清理涉民生案件", "https://weibo.com/123456", "微博", "")]


def test_a_title_pasted_with_its_link_keeps_its_full_width_punctuation(jh1, bot):
    at_the_articles(jh1)
    jh1.say_all("公众号", "景洪法院：执行好声音（上） mp.weixin.qq.com/s/abc")
    finish(jh1)
    assert articles(bot) == [("景洪法院：执行好声音（上）", "https://mp.weixin.qq.com/s/abc", "微信公众号", "")]


@pytest.mark.parametrize(
    ("typed", "channel"),
    [("微信", "微信公众号"), ("公众号", "微信公众号"), ("5", "微信公众号"), ("报纸", NEWSPAPER), ("傣乡法苑", NEWSPAPER), ("电视", "电视专题"),
     ("直播", "执行直播"), ("微博", "微博"), ("发布会", "新闻发布会"), ("网站。", "网站")],
)
def test_the_type_is_taken_by_name_or_number(jh1, bot, typed, channel):
    at_the_articles(jh1)
    jh1.say_all(typed, "执行攻坚 https://www.ynfy.gov.cn/a/1")
    finish(jh1)
    assert articles(bot) == [("执行攻坚", "https://www.ynfy.gov.cn/a/1", channel, "")]


def test_a_link_pasted_at_the_type_step_suggests_the_type_and_yes_accepts_it(jh1, bot):
    at_the_articles(jh1)
    asked = jh1.say("景洪法院集中清理涉民生案件 mp.weixin.qq.com/s/abc123")
    assert "第 1 篇 · 请回复稿件类型" in asked and "根据链接，建议：微信公众号，回复 是 采用。" in asked
    assert jh1.say("是").startswith("已记录第 1 篇。")
    finish(jh1)
    assert articles(bot) == [("景洪法院集中清理涉民生案件", "https://mp.weixin.qq.com/s/abc123", "微信公众号", "")]


def test_a_bare_link_at_the_type_step_then_asks_for_the_title(jh1, bot):
    at_the_articles(jh1)
    assert "建议：微博" in jh1.say("https://m.weibo.cn/status/1")
    assert "第 1 篇 · 请发送稿件标题" in jh1.say("是")
    jh1.say("执行直播回顾")
    finish(jh1)
    assert articles(bot) == [("执行直播回顾", "https://m.weibo.cn/status/1", "微博", "")]


def test_another_type_may_be_given_instead_of_the_suggested_one(jh1, bot):
    at_the_articles(jh1)
    jh1.say("集中执行 https://weibo.com/99")
    jh1.say("网站")
    finish(jh1)
    assert articles(bot) == [("集中执行", "https://weibo.com/99", "网站", "")]


# 4. A shared article (a WeCom link message) at the 稿件 step

def test_a_link_shared_at_the_articles_becomes_an_article_with_its_title_and_link(jh1, bot):
    at_the_articles(jh1)
    asked = jh1.share(*SHARED)
    assert "第 1 篇 · 请回复稿件类型" in asked and "建议：微信公众号" in asked
    listed = jh1.say("是")
    assert listed.startswith("已记录第 1 篇。") and f"1. {SHARED[0]}（微信公众号）" in listed
    finish(jh1)
    assert articles(bot) == [(*SHARED, "微信公众号", "")]


# 6. The list is edited, never wiped

def three_articles_at_the_summary(chat: Chat) -> str:
    at_the_articles(chat)
    chat.say_all("报纸", "第一篇", PLACE)
    chat.say_all("微博", "第二篇 weibo.com/2")
    chat.say_all("网站", "第三篇 www.ynfy.gov.cn/3")
    return chat.say_all("完成", "李华", "13800138000")


def test_the_list_from_the_summary_takes_delete_modify_add_and_done(jh1, bot):
    three_articles_at_the_summary(jh1)
    listed = jh1.say("修改 6")
    assert "1. 第一篇" in listed and "3. 第三篇（网站）" in listed and "删除 N" in listed and "完成" in listed
    deleted = jh1.say("删除 1")
    assert deleted.startswith("已删除第 1 篇：第一篇") and "1. 第二篇（微博）" in deleted and "2. 第三篇（网站）" in deleted
    kept = jh1.say("修改 1")
    assert "第 1 篇 · 请回复稿件类型" in kept and "当前：微博\n回复 保留 不修改。" in kept
    assert "当前：第二篇" in jh1.say("保留")
    assert "当前：https://weibo.com/2" in jh1.say("第二篇（改）")
    assert jh1.say("保留").startswith("已更新第 1 篇。")
    assert "继续添加请回复下一篇的类型" in jh1.say("添加")
    jh1.say_all("电视", "州电视台专题", "州电视台 11月25日 晚间新闻")
    summary = jh1.say("完成")
    assert "请核对" in summary and "6. 稿件：3 篇" in summary
    jh1.say("确认")
    assert articles(bot) == [
        ("第二篇（改）", "https://weibo.com/2", "微博", ""),
        ("第三篇", "https://www.ynfy.gov.cn/3", "网站", ""),
        ("州电视台专题", "", "电视专题", "州电视台 11月25日 晚间新闻"),
    ]


def test_keep_on_each_step_of_a_re_asked_article_leaves_it_as_it_was(jh1, bot):
    three_articles_at_the_summary(jh1)
    jh1.say_all("修改 6", "修改 1")
    assert "当前：第一篇" in jh1.say("保留")
    assert f"当前：{PLACE}" in jh1.say("保留")
    assert jh1.say("保留").startswith("已更新第 1 篇。")
    jh1.say_all("完成", "确认")
    assert articles(bot)[0] == ("第一篇", "", NEWSPAPER, PLACE)


def test_a_re_asked_article_may_change_its_type_and_then_asks_what_that_type_needs(jh1, bot):
    three_articles_at_the_summary(jh1)
    jh1.say_all("修改 6", "修改 1", "公众号")
    assert jh1.say("保留").startswith("第 1 篇 · 请发送稿件链接，例如")  # a 公众号 piece has a link: no place is asked
    assert "请发送稿件链接" in jh1.say("完成")
    jh1.say_all("mp.weixin.qq.com/s/first", "完成", "确认")
    assert articles(bot)[0] == ("第一篇", "https://mp.weixin.qq.com/s/first", "微信公众号", "")


def test_back_inside_an_article_never_discards_the_articles_entered(jh1, bot):
    at_the_articles(jh1)
    jh1.say_all("报纸", "第一篇", "跳过")
    jh1.say_all("微博", "第二篇 weibo.com/2")
    jh1.say_all("网站", "第三篇")
    assert "第 3 篇 · 请发送稿件标题" in jh1.say("上一步")
    at_list = jh1.say("上一步")  # the list asks a new article's type
    assert "已录入 2 篇" in at_list and "2. 第二篇（微博）" in at_list and "继续添加请回复下一篇的类型" in at_list
    assert "（5/8）" in jh1.say("上一步")  # out of the list, to 其他: the articles stay
    assert [item["title"] for item in draft(bot)["answers"]["articles"]] == ["第一篇", "第二篇"]
    assert "已录入 2 篇" in jh1.say("跳过")
    finish(jh1)
    assert [a[0] for a in articles(bot)] == ["第一篇", "第二篇"]


def test_back_while_re_asking_an_article_leaves_it_unchanged(jh1, bot):
    three_articles_at_the_summary(jh1)
    jh1.say_all("修改 6", "修改 2", "保留")
    assert "第 2 篇 · 请回复稿件类型" in jh1.say("上一步")
    assert "已录入 3 篇" in jh1.say("上一步")
    jh1.say_all("完成", "确认")
    assert [a[0] for a in articles(bot)] == ["第一篇", "第二篇", "第三篇"]


# The whole week in no more messages than three articles took before

def test_a_week_with_a_newspaper_piece_a_shared_link_and_a_corrected_article_takes_at_most_19_messages(jh1, bot):
    messages = [
        "周报", *TYPED_ANSWERS, "跳过",
        "傣乡法苑", "景洪法院执行纪实", PLACE,  # a newspaper piece: where it ran instead of a link
        SHARED, "是",  # shared from WeChat, its suggested type accepted
        "微博", "上一步", "网站", "失信惩戒宣传 www.ynfy.gov.cn/a/1",  # the wrong type corrected
        "完成", "李华", "13800138000", "确认",
    ]
    assert send(jh1, messages).startswith("已提交（按时）")
    assert len(messages) <= 19  # before: 1 周报 + 5 + 3 × 3 per article + 1 完成 + 2 + 1 确认
    assert articles(bot) == [
        ("景洪法院执行纪实", "", NEWSPAPER, PLACE),
        (*SHARED, "微信公众号", ""),
        ("失信惩戒宣传", "https://www.ynfy.gov.cn/a/1", "网站", ""),
    ]


# `python -m bot chat`

def test_chat_fills_in_articles_by_name_with_a_place_and_a_pasted_link(tmp_path):
    lines = ["周报", "简介", "举措", "做法", "效果", "跳过", "傣乡法苑", "景洪法院执行纪实", PLACE, "失信名单公布 mp.weixin.qq.com/s/abc123", "是",
             "完成", "李华", "0691-2123456", "确认"]
    result = run_bot("--config", str(EXAMPLE), "chat", "--user", "jh_reporter", cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "根据链接，建议：微信公众号，回复 是 采用。" in result.stdout and "已记录第 2 篇。" in result.stdout
    assert "已提交（" in result.stdout
    with sqlite3.connect(tmp_path / "data" / "bot.db") as db:
        rows = db.execute("SELECT title, url, channel, place FROM article ORDER BY position").fetchall()
    assert rows == [("景洪法院执行纪实", "", NEWSPAPER, PLACE), ("失信名单公布", "https://mp.weixin.qq.com/s/abc123", "微信公众号", "")]
