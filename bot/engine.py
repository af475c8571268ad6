"""THE answer engine every adapter calls (CLI, web API, widget, kiosk, staff bot).

INTERFACE DRAFT - implementation in progress. Signatures below are the contract.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.answer import Answer, Context
from bot.config import Settings
from indexer.model import Entry


@dataclass
class Topic:
    """A kiosk tile / staff-bot /start group: a topic name and its featured questions."""

    name: str
    questions: list[str] = field(default_factory=list)
    key: str = ""  # short ascii id for URLs and callback data


class Engine:
    @classmethod
    def load(cls, settings: Settings) -> Engine:
        """Load (or build, when stale) the index and dictionaries once."""
        raise NotImplementedError

    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        """Answer one question; `context` is the previous Answer.context of the same conversation."""
        raise NotImplementedError

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Questions / keywords for a partial input (hanzi or pinyin prefix)."""
        raise NotImplementedError

    def featured(self) -> list[Topic]:
        """Featured questions by topic (养老、就业、教育 …), from the knowledge base and knowledge/data/featured.toml."""
        raise NotImplementedError

    def entry(self, entry_id: str) -> Entry | None:
        raise NotImplementedError

    def regions(self) -> list[str]:
        raise NotImplementedError

    def resolve_department(self, text: str) -> str | None:
        """Canonical department name for a name or alias (区人社局 -> 区人力资源社会保障局), or None."""
        raise NotImplementedError

    def department_tasks(self, department: str, region: str | None = None) -> list[Entry]:
        """Every entry whose responsible units include the department (aliases resolved), in plan order."""
        raise NotImplementedError

    def due_tasks(self, until: date, *, since: date | None = None, region: str | None = None,
                  department: str | None = None) -> list[Entry]:
        """Entries with a readable due date in [since, until], earliest first."""
        raise NotImplementedError
