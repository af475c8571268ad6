"""Typed messages into and out of the staff service: what a person asked, and what to say back.

Job: the vocabulary shared by the service (service.py) and the channel adapters (bot/channels/telegram/ for
Telegram, bot/channels/wecom/ for WeCom). In: a `Sender` and one of `Ask` (free text), `Command` (by name,
channel-neutral: "dept", "due", …) or `Press` (a button, or its text stand-in such as "有用" / "1" /
"下一页"). Out: one `Reply` of parts (`Say` sentences made of styled `Span`s, an engine `AnswerPart`, a
`TaskPage`, a `TaskGroup`, a `HelpPart`) and rows of `Button`s carrying typed actions. No markup
here: each adapter renders spans, parts and buttons its own way (Telegram HTML with inline keyboards,
WeCom markdown with reply hints); a `Span` naming a command is shown as that channel's syntax
("/dept 区民政局" or "部门 区民政局").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.engine.answer import Answer, Topic
from indexer.model import Entry

from .prefs import ChatId

# -- in ---------------------------------------------------------------------------------------------

COMMANDS = ("start", "help", "who", "when", "dept", "due", "region", "subscribe", "unsubscribe")


@dataclass(frozen=True)
class Sender:
    """Who wrote: the chat replies go to (and subscriptions belong to) and the person (whose region it is)."""

    channel: str  # "telegram" | "wecom": the question log's channel column
    chat: ChatId
    user: ChatId
    group: bool = False  # a group chat (Telegram): help explains how to address the bot


@dataclass(frozen=True)
class Ask:
    """A free-text question."""

    question: str


@dataclass(frozen=True)
class Command:
    """A command by its channel-neutral name (one of COMMANDS) and its argument text."""

    name: str
    arg: str = ""


@dataclass(frozen=True)
class Vote:
    """👍 (helpful) or 👎 on a stored answer."""

    answer_id: int
    helpful: bool


@dataclass(frozen=True)
class Suggest:
    """Ask the i-th follow-up suggested under a stored answer."""

    answer_id: int
    index: int


@dataclass(frozen=True)
class Page:
    """Show page `page` (0-based) of a stored list."""

    listing_id: int
    page: int


@dataclass(frozen=True)
class Featured:
    """Ask question `question` of featured topic `topic`."""

    topic: int
    question: int


@dataclass(frozen=True)
class PickRegion:
    """Choose region number `index` of engine.regions(); None clears the default region."""

    index: int | None


@dataclass(frozen=True)
class Noop:
    """A button that only shows information (the page counter)."""


Action = Vote | Suggest | Page | Featured | PickRegion | Noop


@dataclass(frozen=True)
class Press:
    """A button press; `action` None is a button the adapter could not read (old, forged)."""

    action: Action | None


Incoming = Ask | Command | Press

# -- out --------------------------------------------------------------------------------------------


class Style(StrEnum):
    PLAIN = "plain"
    BOLD = "bold"
    ITALIC = "italic"
    CODE = "code"  # something to type: an example or a command


@dataclass(frozen=True)
class Span:
    """A run of text in one style; with `command` set it is that command followed by `text` (its argument)."""

    text: str
    style: Style = Style.PLAIN
    command: str | None = None


def bold(text: object) -> Span:
    return Span(str(text), Style.BOLD)


def italic(text: object) -> Span:
    return Span(str(text), Style.ITALIC)


def code(text: object) -> Span:
    return Span(str(text), Style.CODE)


def cmd(name: str, arg: str = "", *, style: Style = Style.CODE) -> Span:
    """A command to type, e.g. cmd("dept", "区人社局"): "/dept 区人社局" in Telegram, "部门 区人社局" in WeCom."""
    return Span(arg, style, name)


@dataclass(frozen=True)
class Say:
    """One paragraph of styled text (may contain line breaks)."""

    spans: tuple[Span, ...]

    @classmethod
    def of(cls, *parts: str | Span) -> Say:
        return cls(tuple(p if isinstance(p, Span) else Span(p) for p in parts))


@dataclass(frozen=True)
class AnswerPart:
    """The engine's answer, rendered as the web shows it (reply, then citation if the reply lacks it)."""

    answer: Answer


@dataclass(frozen=True)
class TaskPage:
    """One page of a department or due list; `today` set shows days left; `empty` when there is nothing."""

    title: Say
    entries: tuple[Entry, ...]
    page: int
    page_size: int
    today: date | None = None
    empty: Say | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.entries) // max(1, self.page_size)))


@dataclass(frozen=True)
class TaskGroup:
    """Tasks listed under their plan titles (reminders and the digest)."""

    entries: tuple[Entry, ...]
    today: date | None = None


@dataclass(frozen=True)
class HelpPart:
    """What the bot can do; the adapter words it in its own command syntax."""

    site_name: str
    group: bool = False
    topics: tuple[Topic, ...] = ()  # featured questions offered with it


Part = Say | AnswerPart | TaskPage | TaskGroup | HelpPart


@dataclass(frozen=True)
class Button:
    label: str
    action: Action


@dataclass(frozen=True)
class Reply:
    """What to do after one incoming message; empty `parts` sends nothing.

    `notice` acknowledges a button press (a toast in Telegram, a line in WeCom); `replace` puts the parts
    in place of the message whose button was pressed (pages, the region picker); `drop_votes` removes
    the 👍/👎 buttons from it once a vote was taken.
    """

    parts: tuple[Part, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    notice: str | None = None
    replace: bool = False
    drop_votes: bool = False


@dataclass(frozen=True)
class Push:
    """A reminder or digest due to one chat, and the keys that mark it sent once delivered."""

    chat: ChatId
    kind: str  # reminder | digest
    parts: tuple[Part, ...]
    keys: tuple[str, ...] = field(default_factory=tuple)
