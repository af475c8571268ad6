"""XML as WeChat speaks it, parsed defensively and written with CDATA.

Job: `parse` turns a pushed document into an Element only when it is small (MAX_BODY), has no
DOCTYPE or ENTITY declaration (so no entity expansion and no external fetches can happen in the
standard library's parser) and has a root element <xml>; anything else is `XmlRefused`. `fields`
flattens the root's children to text. `text_reply` and `encrypted_reply` write the two passive reply
documents of the 被动回复 docs; CDATA sections are split around "]]>" so no content can close them.

Neighbours: envelope.py (opens requests, seals replies), messages.py (reads the fields).
"""
from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET

MAX_BODY = 64 * 1024  # a pushed message is a few KB even in compatible mode (plain + cipher)
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class XmlRefused(ValueError):
    """Too large, declares a DOCTYPE/ENTITY, or is not WeChat's <xml> document."""


def parse(body: bytes | str) -> ET.Element:
    """The <xml> root of a document from the network, after the safety checks."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > MAX_BODY:
        raise XmlRefused(f"body over {MAX_BODY} bytes")
    if _DECLARATION.search(raw):
        raise XmlRefused("DOCTYPE and ENTITY declarations are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise XmlRefused(f"not well-formed XML: {exc}") from None
    if root.tag != "xml":
        raise XmlRefused(f"root element is <{root.tag}>, not <xml>")
    return root


def fields(root: ET.Element) -> dict[str, str]:
    """Each child of the root as tag -> stripped text (the first of a repeated tag wins)."""
    out: dict[str, str] = {}
    for child in root:
        out.setdefault(child.tag, (child.text or "").strip())
    return out


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(openid: str, account: str, content: str, *, now: int | None = None) -> str:
    """A passive text reply: to the citizen (openid), from the account (the push's ToUserName)."""
    created = int(time.time()) if now is None else now
    return (f"<xml><ToUserName>{cdata(openid)}</ToUserName><FromUserName>{cdata(account)}</FromUserName>"
            f"<CreateTime>{created}</CreateTime><MsgType>{cdata('text')}</MsgType>"
            f"<Content>{cdata(content)}</Content></xml>")


def encrypted_reply(encrypted: str, msg_signature: str, timestamp: str, nonce: str) -> str:
    """The safe-mode envelope of a passive reply: ciphertext, its signature, the timestamp and nonce signed."""
    return (f"<xml><Encrypt>{cdata(encrypted)}</Encrypt><MsgSignature>{cdata(msg_signature)}</MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp><Nonce>{cdata(nonce)}</Nonce></xml>")
