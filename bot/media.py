"""MediaSource implementations: WeCom's media/get for what members send, and none without a WeCom secret.

WeCom doc 90254 (获取临时素材): the file comes as a plain HTTP download (Content-Type, Content-Disposition);
an error as JSON with an errcode (40007: the MediaId is unknown or older than 3 days). Files over 20 MB
need Range requests: the bot takes less than that, so one GET does.
"""

from __future__ import annotations

import re

import requests
from wechatpy.exceptions import WeChatClientException

from bot.messengers import HTTP_TIMEOUT, TOKEN_ERRORS, WeComClient
from common.config import Config
from common.media import Media, MediaError, MediaSource, MediaTooBig

CHUNK = 64 * 1024
_FILENAME = re.compile(r'filename="?([^";]+)"?')
_ERROR_TYPES = ("application/json", "text/plain")  # how WeCom answers an error instead of the file


class WeComMedia:
    """Downloads with the app's token from `api_base_url` (the token fetch included), streaming: no more than the limit is read.

    wechatpy's own `media.download` cannot serve here: it always calls qyapi.weixin.qq.com and has no timeout.
    """

    def __init__(self, client: WeComClient, http: requests.Session | None = None, timeout: float = HTTP_TIMEOUT):
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
            raise MediaError(f"WeCom media/get failed: {exc}") from exc

    def _get(self, media_id: str) -> requests.Response:
        params = {"access_token": self.client.access_token, "media_id": media_id}
        return self.http.get(f"{self.client.API_BASE_URL}media/get", params=params, stream=True, timeout=self.timeout)


class NoMedia:
    """Without a WeCom secret (console mode) nothing can be downloaded: every 素材 fails, and its sender is told."""

    def download(self, media_id: str, *, limit: int) -> Media:
        raise MediaError("[wecom] secret is empty: media cannot be downloaded")


def media_for(config: Config) -> MediaSource:
    """WeCom's media/get when a secret is configured; otherwise none."""
    wecom = config.wecom
    if not wecom.secret:
        return NoMedia()
    return WeComMedia(WeComClient(wecom.corp_id, wecom.secret, wecom.api_base_url, HTTP_TIMEOUT))


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
        raise MediaError(f"WeCom HTTP {response.status_code}")
    errcode = _errcode(response)
    if errcode is not None:
        raise MediaError(f"WeCom errcode {errcode}: {response.json().get('errmsg', '')}")
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
