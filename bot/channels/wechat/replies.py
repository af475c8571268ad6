"""Every sentence the 公众号 says on its own (answers themselves come from the engine's wording).

Job: the welcome with three example questions (from knowledge/data/featured.toml, the same questions
the kiosk shows), the FAQ list behind the 常见问题 menu button, the one-liner for message kinds the
bot cannot read, and the 政策找人 subscription replies. Plain text: WeChat shows no markdown.
Neighbours: bot.py.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.engine.answer import Topic

SORRY = "抱歉，处理您的消息时出错了，请稍后再试。"
OTHER_KIND = "目前只能回答文字消息（开启了语音识别的语音也可以），请直接输入您想问的政务公开问题。"
TOO_MANY = "您的消息太多了，请等上一条回答后再发。"
HOW_TO_SUBSCRIBE = "发送“订阅 主题”（如“订阅 养老”），新发布的工作要点或答复口径涉及该主题时通知您；“我的订阅”查看，“退订 主题”取消。"


def examples(featured: Sequence[Topic], count: int = 3) -> list[str]:
    """One question from each of the first topics, then more from the first ones, up to `count`."""
    picked: list[str] = []
    for depth in range(max((len(t.questions) for t in featured), default=0)):
        for topic in featured:
            if depth < len(topic.questions) and len(picked) < count:
                picked.append(topic.questions[depth])
    return picked


def welcome(featured: Sequence[Topic], site_name: str) -> str:
    lines = [f"欢迎关注{site_name}！", "我能回答本地政务公开工作要点里的问题：哪个部门负责、什么时候完成、要公开什么，"
             "并附上原文和出处。", "", "您可以这样问："]
    lines += [f"{i}. {q}" for i, q in enumerate(examples(featured), 1)]
    lines += ["", HOW_TO_SUBSCRIBE]
    return "\n".join(lines)


def faq(featured: Sequence[Topic]) -> str:
    lines = ["常见问题（直接发送问题即可）："]
    for topic in featured[:8]:
        lines.append(f"【{topic.name}】{topic.questions[0]}")
    return "\n".join(lines)


def subscribed(topic: str, status: str) -> str:
    if status == "full":
        return "您的订阅已达上限（10个主题），请先发送“退订 主题”取消一些。"
    head = f"您已订阅“{topic}”。" if status == "exists" else f"已订阅“{topic}”。"
    return (head + f"今后新发布的工作要点或答复口径涉及“{topic}”时，会把条款原文和出处告诉您。"
            f"\n发送“我的订阅”查看，“退订 {topic}”取消。")


def unsubscribed(topic: str, count: int) -> str:
    if not topic:
        return f"已取消全部 {count} 个订阅。" if count else "您目前没有订阅。"
    return f"已退订“{topic}”。" if count else f"您没有订阅“{topic}”。发送“我的订阅”查看已订阅的主题。"


def my_subscriptions(topics: Sequence[str]) -> str:
    if not topics:
        return "您还没有订阅。\n" + HOW_TO_SUBSCRIBE
    return f"您订阅了：{'、'.join(topics)}。\n" + HOW_TO_SUBSCRIBE


def subscribe_usage() -> str:
    return "请在“订阅”后写上主题，例如“订阅 养老”“订阅 就业”。\n" + HOW_TO_SUBSCRIBE
