"""User-facing texts of the dispatcher and help, kept together for review."""

UNBOUND = "您还未绑定报送单位，暂时无法使用。请联系中院办公室将您添加到所在法院。"
NOT_TEXT = "暂只支持文字消息。回复“帮助”查看可用指令。"
ADMINS_ONLY = "抱歉，该指令仅限中院办公室管理员使用。"
MEMBERS_ONLY = "该指令需先绑定报送单位，请联系中院办公室。"
HELP_HEADER = "执行宣传报送助手，可用指令："
HELP_UNKNOWN = "没看懂这条消息。"
HELP_FOOTER = "填写中可回复：跳过、上一步、取消、帮助。"
