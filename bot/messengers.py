"""Messenger implementations: WeCom (app messages, app group chats, group robots) and a console one.

WeCom docs: app messages 90236, app group chats 90248, group robots 91770 (files: webhook/upload_media, then a
`file` message), media upload 90253.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
from wechatpy.client.base import BaseWeChatClient
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

from common.config import Config, GroupConfig
from common.messenger import CONCURRENT_SENDS, SendError

TOKEN_ERRORS = {40001, 40014, 42001}
RETRYABLE_ERRCODES = {-1, 45009, 45033}
HTTP_TIMEOUT = 10  # seconds; past it the outcome is unknown, the message may have arrived (see _unreached)


class WeComClient(WeChatClient):
    """wechatpy's client pointed at `api_base_url` for every call, the token fetch included.

    wechatpy 1.8.18 hard-codes the gettoken URL and refetches a rejected token without limit;
    here auto-retry is off and WeComMessenger refetches at most once per call.
    """

    def __init__(self, corp_id: str, secret: str, api_base_url: str, timeout: float):
        self.API_BASE_URL = api_base_url
        super().__init__(corp_id, secret, timeout=timeout, auto_retry=False)
        keep_connections_for_every_sender(self._http)

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
        )


class WeComMessenger:
    """Sends through the WeCom app (users, files, app group chats) and group robots (webhook groups, files too)."""

    def __init__(self, config: Config, http: requests.Session | None = None, timeout: float = HTTP_TIMEOUT):
        self.agent_id = str(config.wecom.agent_id)
        self.client = WeComClient(config.wecom.corp_id, config.wecom.secret, config.wecom.api_base_url, timeout)
        self.groups = {g.id: g for g in config.groups}
        self.http = http or keep_connections_for_every_sender(requests.Session())
        self.timeout = timeout

    def send_to_users(self, user_ids: Sequence[str], text: str) -> None:
        self._call(lambda: self.client.message.send_text(self.agent_id, list(user_ids), text))

    def send_to_group(self, group_id: str, text: str, mention: Sequence[str] = ()) -> None:
        group = self._group(group_id)
        if group.webhook_url:
            self._post_robot(group.webhook_url, json={"msgtype": "text", "text": {"content": text, "mentioned_list": list(mention)}})
        else:
            self._call(lambda: self.client.appchat.send_text(group.chat_id, text))

    def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        media_id = self._upload(filename, content)
        self._call(lambda: self.client.message.send_file(self.agent_id, [user_id], media_id))

    def send_file_to_group(self, group_id: str, filename: str, content: bytes) -> None:
        """A robot uploads to its own store (its media ids serve only itself); an app group chat uses the app's."""
        group = self._group(group_id)
        if group.webhook_url:
            upload = self._post_robot(_robot_upload_url(group.webhook_url), shows_message=False, files={"media": (filename, content)})
            self._post_robot(group.webhook_url, json={"msgtype": "file", "file": {"media_id": upload["media_id"]}})
        else:
            media_id = self._upload(filename, content)
            self._call(lambda: self.client.appchat.send(group.chat_id, "file", media_id=media_id))

    def _upload(self, filename: str, content: bytes) -> str:
        """The app's temporary media id for the file (valid 3 days)."""
        media = self._call(lambda: self.client.media.upload("file", (filename, io.BytesIO(content))), shows_message=False)
        return media["media_id"]

    def _group(self, group_id: str) -> GroupConfig:
        if group_id not in self.groups:
            raise SendError(f"group {group_id!r} is not configured", retryable=False)
        return self.groups[group_id]

    def _post_robot(self, url: str, *, shows_message: bool = True, **body) -> dict:
        """One POST to a group robot (`json=` a message, or `files=` an upload); its answer, or SendError."""
        try:
            response = self.http.post(url, timeout=self.timeout, **body)
        except requests.RequestException as exc:
            raise _unreached("group robot", exc, shows_message=shows_message) from exc
        if response.status_code >= 400:
            raise SendError(f"group robot HTTP {response.status_code}", retryable=response.status_code >= 500)
        result = response.json()
        _check_errcode(result)
        return result

    def _call(self, request: Callable[[], dict], *, shows_message: bool = True) -> dict:
        return call_wecom(self.client, request, shows_message=shows_message)


def keep_connections_for_every_sender(http: requests.Session) -> requests.Session:
    """A connection per concurrent sender: requests keeps 10 per host, and the outbox sends CONCURRENT_SENDS at once."""
    adapter = requests.adapters.HTTPAdapter(pool_connections=CONCURRENT_SENDS, pool_maxsize=CONCURRENT_SENDS)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    return http


def call_wecom(client: BaseWeChatClient, request: Callable[[], dict], *, shows_message: bool = True, who: str = "WeCom") -> dict:
    """One API call through `client` (WeCom's, or the official account's: `who` names it in errors): a rejected token is
    refetched once; errors become SendError.

    `shows_message`: the call shows members a message, so one left unanswered may have done so.
    """
    try:
        try:
            return request()
        except WeChatClientException as exc:
            if exc.errcode not in TOKEN_ERRORS:
                raise
            client.fetch_access_token()
            return request()
    except WeChatClientException as exc:
        raise _as_send_error(exc, who) from exc
    except requests.RequestException as exc:
        raise _unreached(who, exc, shows_message=shows_message) from exc


def _unreached(who: str, exc: requests.RequestException, *, shows_message: bool) -> SendError:
    """A request that got no answer, to be tried again.

    One sent but not answered in time may have shown its message (maybe_delivered), so it must not be
    re-sent at once; an upload shows nothing, so it may.
    """
    if shows_message and isinstance(exc, requests.ReadTimeout):
        return SendError(f"{who} did not answer in time: {exc}", retryable=True, maybe_delivered=True)
    return SendError(f"{who} unreachable: {exc}", retryable=True)


def _robot_upload_url(webhook_url: str) -> str:
    """The robot's upload address beside its send address: webhook/upload_media?key=KEY&type=file (doc 91770)."""
    url = urlsplit(webhook_url)
    query = urlencode([*parse_qsl(url.query), ("type", "file")])
    return urlunsplit(url._replace(path=url.path.rsplit("/", 1)[0] + "/upload_media", query=query))


def _as_send_error(exc: WeChatClientException, who: str) -> SendError:
    if exc.errcode is None:  # an HTTP error status, no errcode
        status = getattr(exc.response, "status_code", None)
        return SendError(f"{who} HTTP {status}", retryable=status is None or status >= 500)
    return SendError(f"{who} errcode {exc.errcode}: {exc.errmsg}", retryable=exc.errcode in RETRYABLE_ERRCODES, errcode=exc.errcode)


def _check_errcode(result: dict) -> None:
    errcode = int(result.get("errcode", 0))
    if errcode:
        message = f"WeCom errcode {errcode}: {result.get('errmsg', '')}"
        raise SendError(message, retryable=errcode in RETRYABLE_ERRCODES, errcode=errcode)


class ConsoleMessenger:
    """Prints every outbound message: used when no WeCom secret is configured, and by `chat`."""

    def __init__(self, write: Callable[[str], None] = print):
        self.write = write

    def send_to_users(self, user_ids: Sequence[str], text: str) -> None:
        self.write(f"[发送给 {', '.join(user_ids)}]\n{text}")

    def send_to_group(self, group_id: str, text: str, mention: Sequence[str] = ()) -> None:
        at = f" @{' @'.join(mention)}" if mention else ""
        self.write(f"[群 {group_id}{at}]\n{text}")

    def send_file(self, user_id: str, filename: str, content: bytes) -> None:
        self.write(f"[文件给 {user_id}] {filename}（{len(content)} 字节）")

    def send_file_to_group(self, group_id: str, filename: str, content: bytes) -> None:
        self.write(f"[文件到群 {group_id}] {filename}（{len(content)} 字节）")

    def send_to_follower(self, openid: str, text: str) -> None:
        self.write(f"[公众号发送给 {openid}]\n{text}")

    def send_template(self, openid: str, values: str, *, key: str) -> None:
        self.write(f"[公众号模板消息给 {openid}] {values}")
