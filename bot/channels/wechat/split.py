"""Long answers cut to WeChat's size limit, counted in UTF-8 bytes, at the most natural break.

Job: a text message (passive reply or 客服消息) holds at most LIMIT bytes of UTF-8 — about 680
Chinese characters, so a department list or an answer with its clause and citation can need several.
`split_text` keeps paragraphs whole where it can, then lines, then sentences (。！？；), then commas,
and only as a last resort cuts between two characters (never inside one). When there are more
parts than MAX_PARTS (WeChat lets an account send a citizen five 客服消息 per message received) the
last part says that the rest was left out. Parts of a split answer are numbered "（1/3）".
Neighbours: bot.py (replies), notify.py (subscription notices).
"""
from __future__ import annotations

LIMIT = 2048  # bytes of text content in a passive reply or a 客服消息
MAX_PARTS = 5
MORE = "\n……（内容较长，其余部分未显示，请缩小问题范围后再问）"
BREAKS = ("\n\n", "\n", "。", "！", "？", "；", "!", "?", ";", "，", ",", "、", " ")


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> tuple[str, str]:
    """(head, rest): head at most `limit` bytes, ending at the best break found in its second half."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text, ""
    head = encoded[:limit].decode("utf-8", "ignore")  # drops a character cut in half
    for mark in BREAKS:
        at = head.rfind(mark)
        if at >= len(head) // 2:
            end = at + len(mark)
            return text[:end].rstrip(), text[end:].lstrip("\n ")
    return head, text[len(head):]


def split_text(text: str, *, limit: int = LIMIT, max_parts: int = MAX_PARTS, number: bool = True) -> list[str]:
    """Parts of `text`, each at most `limit` UTF-8 bytes including its "（i/n）" label."""
    text = text.strip()
    if utf8_len(text) <= limit:
        return [text] if text else []
    room = limit - utf8_len("（99/99）\n") if number else limit
    parts: list[str] = []
    rest = text
    while rest:
        if len(parts) == max_parts - 1 and utf8_len(rest) > room:
            head, _ = _cut(rest, room - utf8_len(MORE))
            parts.append(head + MORE)
            break
        head, rest = _cut(rest, room)
        if head:
            parts.append(head)
    if number and len(parts) > 1:
        parts = [f"（{i}/{len(parts)}）\n{p}" for i, p in enumerate(parts, 1)]
    return parts
