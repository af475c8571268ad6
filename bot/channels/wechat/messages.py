"""The message model: what a citizen's push means, independent of XML and of the encryption mode.

Job: `incoming_of(root)` reads a decrypted push into a frozen `Incoming`: text messages, voice
messages (with WeChat's speech `Recognition` as their text, when the account has it switched on),
other kinds (image, video, location, link, …, answered with a one-liner), and events: subscribe /
unsubscribe, menu CLICK keys, and the 订阅通知 pop-up (`subscribe_msg_popup_event`: which templates
the citizen accepted or rejected) and its later change (`subscribe_msg_change_event`).

`dedupe_key` follows the docs: MsgId for messages; FromUserName + CreateTime (+ event) for events.
Neighbours: wxml.py (parsing), server.py (dedupe, dispatch), bot.py (answers).
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .wxml import fields

MAX_TEXT = 2000  # characters of a question kept; WeChat caps a text message near this anyway
POPUP_EVENTS = {"subscribe_msg_popup_event": "SubscribeMsgPopupEvent",
                "subscribe_msg_change_event": "SubscribeMsgChangeEvent"}


@dataclass(frozen=True)
class Incoming:
    """One push from WeChat, decrypted and read."""

    openid: str  # FromUserName: the citizen, stable per 公众号
    account: str  # ToUserName: the account's 原始ID, FromUserName of a passive reply
    kind: str  # MsgType, lower case: text, voice, image, event, …
    created: int = 0
    msg_id: str = ""
    text: str = ""  # Content of a text message, Recognition of a voice message
    event: str = ""  # lower case: subscribe, unsubscribe, click, subscribe_msg_popup_event, …
    event_key: str = ""  # a menu button's key
    accepted: tuple[str, ...] = ()  # 订阅通知 template ids the citizen agreed to
    rejected: tuple[str, ...] = ()  # … and refused

    @property
    def dedupe_key(self) -> str:
        return self.msg_id or f"{self.openid}|{self.created}|{self.event}|{self.event_key}"

    @property
    def is_question(self) -> bool:
        """A text message, or a voice message WeChat transcribed."""
        return self.kind in ("text", "voice") and bool(self.text.strip())


def _templates(root: ET.Element, container: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    accepted: list[str] = []
    rejected: list[str] = []
    box = root.find(container)
    for item in box.findall("List") if box is not None else []:
        template = (item.findtext("TemplateId") or "").strip()
        status = (item.findtext("SubscribeStatusString") or "").strip().lower()
        if template:
            (accepted if status == "accept" else rejected).append(template)
    return tuple(accepted), tuple(rejected)


def incoming_of(root: ET.Element) -> Incoming:
    """The message in a decrypted push; ValueError when it names no sender or no type."""
    f = fields(root)
    openid, kind = f.get("FromUserName", ""), f.get("MsgType", "").lower()
    if not openid or not kind:
        raise ValueError("push without FromUserName or MsgType")
    try:
        created = int(f.get("CreateTime") or 0)
    except ValueError:
        created = 0
    text = f.get("Content", "") if kind == "text" else f.get("Recognition", "") if kind == "voice" else ""
    event = f.get("Event", "").lower() if kind == "event" else ""
    accepted, rejected = _templates(root, POPUP_EVENTS[event]) if event in POPUP_EVENTS else ((), ())
    return Incoming(openid=openid, account=f.get("ToUserName", ""), kind=kind, created=created,
                    msg_id=f.get("MsgId", "") or f.get("MsgID", ""), text=text.strip()[:MAX_TEXT], event=event,
                    event_key=f.get("EventKey", ""), accepted=accepted, rejected=rejected)
