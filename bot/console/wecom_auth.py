"""WeCom web authorisation (OAuth2, scope snsapi_base) for pages opened in WeCom's browser: the authorize address, and the
userid `auth/getuserinfo` gives for its code.

developer.work.weixin.qq.com/document/path/91022 (构造网页授权链接) and 91023 (获取访问用户身份): the redirect's host must be the
app's 可信域名 exactly; a code is single-use and expires in 5 minutes; a non-member is answered with an openid, not a userid.
"""

from __future__ import annotations

from urllib.parse import urlencode

from bot.messengers import WeComClient, call_wecom
from common.config import Config
from common.messenger import SendError

AUTH_TIMEOUT = 5  # seconds: the member is waiting on the page


class AuthError(Exception):
    """WeCom could not say who opened the page."""


def authorize_url(config: Config, redirect_uri: str, state: str) -> str:
    wecom = config.wecom
    query = {"appid": wecom.corp_id, "redirect_uri": redirect_uri, "response_type": "code", "scope": "snsapi_base", "state": state,
             "agentid": str(wecom.agent_id)}
    return f"{wecom.authorize_url}?{urlencode(query)}#wechat_redirect"


def user_of_code(config: Config, code: str) -> str | None:
    """The member's userid for the code (None: not a member of the corp); AuthError when WeCom cannot be asked."""
    wecom = config.wecom
    client = WeComClient(wecom.corp_id, wecom.secret, wecom.api_base_url, AUTH_TIMEOUT)
    try:
        answer = call_wecom(client, lambda: client.get("auth/getuserinfo", params={"code": code}), shows_message=False)
    except SendError as exc:
        raise AuthError(str(exc)) from exc
    return answer.get("userid") or answer.get("UserId") or None
