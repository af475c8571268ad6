"""Citizens' text commands for 政策找人: "订阅 养老", "退订 养老", "退订", "我的订阅".

Job: `read_command(text)` says whether a message is one of these and which topic it names; anything
else is a question for the engine. A message that merely starts with 订阅 but reads as a question
("订阅号怎么申请？", "订阅政府信息公开需要什么材料") stays a question: a topic is short and asks nothing.
Topics are cleaned of quotes, brackets and punctuation. Neighbours: bot.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TOPIC_CHARS = 12
_QUOTES = "“”\"'‘’《》「」『』【】[]()（）<>"
_ASKS = re.compile(r"[?？吗呢]|怎么|如何|什么|哪|几|是否|能否|可以")
_COMMAND = re.compile(r"^\s*(订阅|退订|取消订阅)\s*[:：]?\s*(.*?)\s*[。.!！]?\s*$", re.S)
MINE = {"我的订阅", "查看订阅", "订阅列表"}


@dataclass(frozen=True)
class Command:
    action: str  # subscribe | unsubscribe | list
    topic: str = ""  # "" with unsubscribe: every topic; with subscribe: show how


def clean_topic(text: str) -> str:
    return "".join(ch for ch in text.strip() if ch not in _QUOTES).strip(" ，,、;；")


def read_command(text: str) -> Command | None:
    """The command in `text`, or None when it is a question."""
    stripped = text.strip()
    if stripped in MINE:
        return Command("list")
    match = _COMMAND.match(stripped)
    if not match:
        return None
    action = "subscribe" if match.group(1) == "订阅" else "unsubscribe"
    topic = clean_topic(match.group(2))
    if topic in ("全部", "所有", "全部订阅"):
        topic = "" if action == "unsubscribe" else topic
    if len(topic) > MAX_TOPIC_CHARS or _ASKS.search(topic) or topic.startswith("号"):
        return None
    return Command(action, topic)
