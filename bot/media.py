"""MediaSource implementations: media/get for what members send, at WeCom or at the official account, and none
without a secret.

WeCom doc 90254 (获取临时素材), and the official account's media/get alike: the file comes as a plain HTTP
download (Content-Type, Content-Disposition); an error as JSON with an errcode (40007: the MediaId is unknown
or older than 3 days). Files over 20 MB need Range requests: the bot takes less than that, so one GET does.
"""

from __future__ import annotations

import re

import requests
from wechatpy.exceptions import WeChatClientException

from bot.messengers import HTTP_TIMEOUT, TOKEN_ERRORS, WeComClient
from bot.wechat_api import WeChatApiClient
from common.config import Config
from common.media import Media, MediaError, MediaSource, MediaTooBig
from common.via import CONSOLE, WECHAT, WECOM

CHUNK = 64 * 1024
_FILENAME = re.compile(r'filename="?([^";]+)"?')
_ERROR_TYPES = ("application/json", "text/plain")  # how WeCom answers an error instead of the file


class ApiMedia:
    """Downloads with the client's token from its `api_base_url` (the token fetch included), streaming: no more than the
    limit is read.

    wechatpy's own `media.download` cannot serve here: it always calls Tencent's hosts and has no timeout.
    """

    def __init__(self, client: WeComClient | WeChatApiClient, http: requests.Session | None = None, timeout: float = HTTP_TIMEOUT):
        self.client = client
        self.http = http or requests.Session()
        self.timeout = timeout

    def download(self, media_id: str, *, limit: int) -> Media:
        try:
            response = self._get(media_id)
            if _errcode(response) in TOKEN_ERRORS:  # the token expired early: fetched again, once
                response.close()
                self.client.fetch_access_token()
                response = self._get(media_id)
            with response:
                return _media(response, limit)
        except (requests.RequestException, WeChatClientException) as exc:
            raise MediaError(f"media/get failed: {exc}") from exc

    def _get(self, media_id: str) -> requests.Response:
        params = {"access_token": self.client.access_token, "media_id": media_id}
        return self.http.get(f"{self.client.API_BASE_URL}media/get", params=params, stream=True, timeout=self.timeout)


class NoMedia:
    """Without a secret (console mode) nothing can be downloaded: every 素材 fails, and its sender is told."""

    def __init__(self, why: str):
        self.why = why

    def download(self, media_id: str, *, limit: int) -> Media:
        raise MediaError(self.why)


def media_for(config: Config, *, wecom: MediaSource | None = None) -> dict[str, MediaSource]:
    """Where each way of sending keeps its files: WeCom's media/get (or `wecom`), the official account's; none without a secret."""
    return {WECOM: wecom or _wecom_media(config), WECHAT: _wechat_media(config), CONSOLE: NoMedia("the terminal chat sends no files")}


def _wecom_media(config: Config) -> MediaSource:
    app = config.wecom
    if not app.secret:
        return NoMedia("[wecom] secret is empty: media cannot be downloaded")
    return ApiMedia(WeComClient(app.corp_id, app.secret, app.api_base_url, HTTP_TIMEOUT))


def _wechat_media(config: Config) -> MediaSource:
    account = config.wechat
    if account is None or not account.app_secret:
        return NoMedia("[wechat] is absent or its app_secret empty: media cannot be downloaded")
    return ApiMedia(WeChatApiClient(account))


def _errcode(response: requests.Response) -> int | None:
    """The errcode of an error answered as JSON; None for a file."""
    if not response.headers.get("Content-Type", "").startswith(_ERROR_TYPES):
        return None
    try:
        return int(response.json().get("errcode", 0))
    except (ValueError, AttributeError):
        return None


def _media(response: requests.Response, limit: int) -> Media:
    if response.status_code >= 400:
        raise MediaError(f"HTTP {response.status_code}")
    errcode = _errcode(response)
    if errcode is not None:
        raise MediaError(f"errcode {errcode}: {response.json().get('errmsg', '')}")
    declared = int(response.headers.get("Content-Length") or 0)
    if declared > limit:
        raise MediaTooBig(f"{declared} bytes, more than {limit}")
    content = _read(response, limit)
    disposition = _FILENAME.search(response.headers.get("Content-Disposition", ""))
    return Media(content, response.headers.get("Content-Type", ""), disposition[1] if disposition else "")


def _read(response: requests.Response, limit: int) -> bytes:
    """The body, stopping as soon as it passes `limit` bytes (a server may not say the length)."""
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > limit:
            raise MediaTooBig(f"more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
