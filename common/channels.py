"""The plan's publicity channels (西中法〔2018〕38号 三、宣传方式和主要途径), as users pick them from numbered lists."""

ARTICLE_CHANNELS = (
    "电视专题",
    "执行直播",
    "短消息/新闻",
    "报纸（傣乡法苑）",
    "微信公众号",
    "微博",
    "网站",
    "新闻发布会",
    "公益广告",
    "其他",
)

NOTICE_CHANNELS = (
    "电视专题",
    "执行直播",
    "短消息/新闻",
    "报纸",
    "微信公众号",
    "微博",
    "新闻发布会",
    "媒体采风",
    "代表委员见证",
    "其他",
)

LINKED_CHANNELS = ("微信公众号", "微博", "网站")  # published online: an article of these types has a link

# Other names clerks give the article types; the plan's 傣乡法苑 is the newspaper's column.
ARTICLE_ALIASES = {
    "电视": "电视专题", "专题": "电视专题", "电视台": "电视专题",
    "直播": "执行直播",
    "短消息": "短消息/新闻", "新闻": "短消息/新闻", "消息": "短消息/新闻",
    "报纸": "报纸（傣乡法苑）", "报刊": "报纸（傣乡法苑）", "傣乡法苑": "报纸（傣乡法苑）", "报纸(傣乡法苑)": "报纸（傣乡法苑）",
    "微信": "微信公众号", "公众号": "微信公众号",
    "网页": "网站", "官网": "网站",
    "发布会": "新闻发布会",
    "广告": "公益广告",
}

# The type a link's site implies (its host, or a parent domain of it).
LINK_HOST_CHANNELS = {"mp.weixin.qq.com": "微信公众号", "weibo.com": "微博", "weibo.cn": "微博"}
