"""The webhook benches' load: many distinct members, each member's messages in order as WeCom delivers them.

Each member sends `帮助`, then a whole weekly report (form answers, an article, `确认`) and `我的周报`. The
members are spread over a fixed number of keep-alive connections; a connection interleaves its members'
messages (A1 B1 C1 A2 B2 …) and waits for each answer before the next, so no member has two messages in
flight. Requests are signed, encrypted and written out as raw HTTP before the clock starts; the client is
asyncio on raw sockets, a few tens of microseconds per request, so it takes little of the CPU the servers share.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.support.wecom_sim import WeComSim, text_xml

CONVERSATION = (
    "帮助", "周报", "简介", "举措", "做法", "效果", "跳过", "5", "标题", "https://example.com/a", "完成", "李华", "13800138000",
    "确认", "我的周报",
)
TEXT_REPLIES_REFUSED = ("系统繁忙", "系统出错")  # the bot's answers when a message could not be handled


@dataclass
class Outcome:
    """One replay: wall time, each request's latency, the failed ones, and the reply bodies to check afterwards."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bodies: list[bytes] = field(default_factory=list)


def member_names(round_: int, members: int) -> list[str]:
    return [f"bench{round_}-{m}" for m in range(members)]


def signed_messages(members: list[str], first_msg_id: int) -> dict[str, list[tuple[dict, str]]]:
    """Each member's conversation as WeCom posts it (query and encrypted body), message ids from `first_msg_id`, timestamped now."""
    sim, now = WeComSim(client=None), int(time.time())
    return {
        member: [sim.envelope(text_xml(member, text, first_msg_id + m * 100 + i, now), nonce=f"n{m}x{i}") for i, text in enumerate(CONVERSATION)]
        for m, member in enumerate(members)
    }


def scripts(members: list[str], connections: int, first_msg_id: int) -> list[list[bytes]]:
    """Each connection's requests in order: its members' conversations interleaved, timestamped now."""
    per_member = {member: [raw_post(*posted) for posted in messages] for member, messages in signed_messages(members, first_msg_id).items()}
    lanes = [members[c::connections] for c in range(connections)]
    return [[per_member[member][i] for i in range(len(CONVERSATION)) for member in lane] for lane in lanes if lane]


def raw_post(query: dict, body: str) -> bytes:
    data = body.encode()
    head = f"POST /wecom/callback?{urlencode(query)} HTTP/1.1\r\nHost: bench\r\nContent-Type: text/xml\r\nContent-Length: {len(data)}\r\n\r\n"
    return head.encode() + data


def replay(port: int, requests_by_connection: list[list[bytes]]) -> Outcome:
    """Every connection's requests, connections all at once; returns when the last answer is in."""
    outcome = Outcome()
    start = time.perf_counter()
    asyncio.run(_replay_all(port, requests_by_connection, outcome))
    outcome.seconds = time.perf_counter() - start
    return outcome


async def _replay_all(port: int, requests_by_connection: list[list[bytes]], outcome: Outcome) -> None:
    await asyncio.gather(*[_one_connection(port, requests, outcome) for requests in requests_by_connection])


async def _one_connection(port: int, requests: list[bytes], outcome: Outcome) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            start = time.perf_counter()
            writer.write(request)
            status, body = await _response(reader)
            outcome.latencies.append(time.perf_counter() - start)
            outcome.errors += status != 200 or not body
            outcome.bodies.append(body)
    finally:
        writer.close()


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in lines if line.lower().startswith("content-length:")), 0)
    return int(lines[0].split()[1]), await reader.readexactly(length)


def refused_replies(bodies: list[bytes]) -> int:
    """How many encrypted replies say the message could not be handled (decrypted after the timed run)."""
    sim = WeComSim(client=None)
    texts = [sim.decrypt_reply(_AsResponse(body)) for body in bodies if body]
    return sum(text.startswith(TEXT_REPLIES_REFUSED) for text in texts)


@dataclass
class _AsResponse:
    body: bytes

    def get_data(self, as_text: bool = False):
        return self.body.decode()
