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
