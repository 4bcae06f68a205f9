"""A sample week of the four example units, as long and as varied as real ones, for looking at the exported pages."""

WEEK = "2026-W48"

CONTACTS = {
    "zhongyuan": ("zy_reporter", "刀丽娟", "0691-2123456转801"),
    "jinghong": ("jh_reporter", "李华", "13800138000"),
    "menghai": ("mh_reporter", "岩温", "13908812345"),
    "mengla": ("ml_reporter", "玉香", "15887654321"),
}

LONG_SUMMARY = (
    "本周，我院紧紧围绕决胜“基本解决执行难”目标任务，持续开展“三反”“三涉”专项整治行动，集中力量攻坚一批涉民生、"
    "涉党政机关、涉金融执行案件。全周共执结案件 126 件，执行到位金额 2,386.5 万元；对 14 名失信被执行人采取限制"
    "高消费措施，司法拘留拒不履行义务的被执行人 3 人，移送涉嫌拒不执行判决、裁定罪线索 1 条。\n"
    "同时，邀请州人大代表、政协委员 6 人全程见证 11 月 25 日凌晨的集中执行行动，并与西双版纳电视台合作开展"
    "“直击执行现场”网络直播，在线观看人数达 3.2 万人次，营造了全社会共同参与、合力攻坚的良好舆论氛围。"
)


def _report(unit: str, summary: str, measures: str, practices: str, effects: str, other: str, articles: list):
    by, contact, phone = CONTACTS[unit]
    answers = dict(summary=summary, measures=measures, practices=practices, effects=effects, other=other, contact=contact, phone=phone)
    return unit, by, answers, articles


REPORTS = [
    _report(
        "zhongyuan", LONG_SUMMARY,
        "一是召开执行攻坚新闻发布会 1 场；二是在州电视台播出“攻坚执行难，法院在行动”专题第四集；三是在“傣乡法苑”专栏刊登执行稿件 2 篇。",
        "执行干警与记者同步进场，现场采访当事人；发布会通报典型案例 5 件，并答记者问。",
        "专题节目在电视台、微信公众号同步播出，公众号阅读量 1.8 万次，留言 200 余条，多家媒体转载。",
        "下周拟组织“媒体看西双版纳法院执行”采风活动，已报送重点策划。",
        [
            ("攻坚执行难，法院在行动（第四集）：“老赖”藏身橡胶林", "https://tv.xsbn.example.cn/zt/zxgj/2026/1124/ep4.html", "电视专题"),
            ("州中院召开决胜基本解决执行难新闻发布会", "https://mp.weixin.qq.com/s/Xsbn-ZhongYuan_FaBuHui_20261126_abcdefghijk", "新闻发布会"),
            ("傣乡法苑｜一起拒执案件的背后", "https://epaper.xsbnbao.example.cn/html/2026-11/27/content_88123.htm", "报纸（傣乡法苑）"),
        ],
    ),
    _report(
        "jinghong", "开展集中执行行动 2 次，执结涉民生案件 18 件，发放执行案款 96 万元。",
        "凌晨集中执行、网络直播。", "邀请人大代表全程见证，直播中由执行法官讲解强制措施。", "直播观看 1.1 万人次，当事人主动履行 4 件。", "",
        [
            ("直击执行现场：景洪法院凌晨出击", "https://live.jinghong.example.cn/2026/11/25/zhibo", "执行直播"),
            ("=HYPERLINK(\"http://example.cn\",\"点此查看\")", "https://weibo.example.cn/jhfy/4900000000000000", "微博"),
        ],
    ),
    _report(
        "menghai", "本周主要开展失信被执行人名单曝光工作，在县城主要路口电子屏滚动播放失信名单。",
        "电子屏曝光；微信公众号发布“执行看点”专栏文章。", "联合县融媒体中心制作短视频。", "短视频播放量 5,600 次。", "无",
        [("执行看点｜勐海法院曝光第十批失信被执行人名单", "https://mp.weixin.qq.com/s/menghai_zxkd_10", "微信公众号")],
    ),
    _report(
        "mengla", "本周开展涉金融执行案件专项清理，召开执行和解座谈会 1 次。",
        "座谈会、短消息。", "邀请银行、被执行人代表参加。", "促成和解 6 件，标的 310 万元。", "",
        [],
    ),
]

NOTICES = [  # unit, days after Monday it was sent, days after Monday the event is, the form's other fields
    ("jinghong", 0, 2, dict(theme="凌晨集中执行暨“直击执行现场”网络直播", channels=["执行直播", "微信公众号"],
                            media="西双版纳电视台、景洪市融媒体中心", liaison="李华 13800138000", other="邀请州人大代表 2 名见证")),
    ("zhongyuan", 1, 3, dict(theme="决胜基本解决执行难新闻发布会", channels=["新闻发布会"],
                             media="云南日报、西双版纳报、州电视台", liaison="刀丽娟 0691-2123456", other="")),
    ("mengla", 3, 4, dict(theme="涉金融案件集中兑付", channels=["短消息/新闻"], media="勐腊县融媒体中心",
                          liaison="玉香 15887654321", other="")),
    ("zhongyuan", 4, 12, dict(theme="“媒体看西双版纳法院执行”采风活动", channels=["媒体采风", "代表委员见证"],
                              media="省级驻西双版纳媒体、州内媒体", liaison="刀丽娟 0691-2123456", other="9 家媒体，约 20 人")),
]
