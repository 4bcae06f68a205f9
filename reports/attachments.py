"""The labels of the plan's two forms (附件1 周报表, 附件2 近期重点策划), shared by replies and the workbook."""

REPORT_TITLE = "执行宣传工作周报表"
NOTICE_TITLE = "执行宣传工作近期重点策划"

UNIT = "单位"
REPORT_TEXT_FIELDS = (
    ("summary", "本周执行宣传工作基本简介"),
    ("measures", "宣传举措"),
    ("practices", "宣传做法"),
    ("effects", "宣传效果"),
    ("other", "其他"),
)
ARTICLE_COLUMNS = ("稿件标题", "链接", "类型")
PLACE = "刊播位置"  # where a 稿件 without a link ran, shown in its 链接 column
CONTACT, PHONE, DATE = "联系人", "联系电话", "日期"

NOTICE_COLUMNS = ("报送单位", "宣传主题", "宣传时间", "宣传方式", "媒体参与", "组织联络", "其他")
