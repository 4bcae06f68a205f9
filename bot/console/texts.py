"""Chinese texts of the console that Python chooses (the pages' own wording is in their templates)."""

SIGN_IN_AGAIN = {
    "": "请在企业微信中向「执行宣传报送」应用发送“控制台”，点击回复中的链接进入。",
    "link": "该登录链接已失效、已使用或不正确。请在企业微信中重新发送“控制台”获取新链接（链接 10 分钟内有效，仅可使用一次）。",
    "oauth": "企业微信网页授权未完成。请在企业微信中发送“控制台”，点击回复中的链接进入。",
    "out": "您已退出控制台。",
}
FORBIDDEN = "您没有查看该页面的权限。控制台仅供中院办公室管理员和各法院报送人员查看本单位情况。"
NOT_FOUND = "页面不存在：单位、周次或周报可能有误。"
BAD_FORM = "表单已过期或来源不明，未做任何更改。请返回页面刷新后重试。"
