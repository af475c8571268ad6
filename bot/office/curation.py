"""Curated-data edits from /admin: a synonym rule or a department alias, previewed before it is published.

`candidate_data(data_dir, edit, folder)` copies knowledge/data to a scratch folder with the edit
applied; the caller builds a candidate engine over it (Publisher.build) and `diff_answers` runs the
logged questions (each with the region it was asked for) and the rule's own example question through
the live and the candidate engine, listing those answered differently.
`apply_edit` writes the same edit into the real data folder (formats: knowledge/data/README.md).
"""
from __future__ import annotations

import re
import shutil
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_WORDS = 20
_WORD = re.compile(r"^[^\s=#\[\]\"\\]{1,30}$")


class CurationError(ValueError):
    """An edit that cannot be applied; the message names what is wrong."""


@dataclass(frozen=True)
class Edit:
    """kind "synonym": `words` => `terms`; kind "alias": `terms[0]` is the department, `words` its new aliases."""

    kind: str
    words: tuple[str, ...]
    terms: tuple[str, ...]

    def describe(self) -> str:
        if self.kind == "synonym":
            return f"{' '.join(self.words)} => {' '.join(self.terms)}"
        return f"{self.terms[0]} 别名 {'、'.join(self.words)}"


def _words(text: str | None, name: str) -> tuple[str, ...]:
    items = tuple(dict.fromkeys((text or "").replace("\u3000", " ").replace("，", " ").replace(",", " ").split()))
    if not items:
        raise CurationError(f"{name} is empty")
    if len(items) > MAX_WORDS:
        raise CurationError(f"{name}: at most {MAX_WORDS} words")
    bad = [w for w in items if not _WORD.match(w) or not w.isprintable()]  # control characters break the TOML
    if bad:
        raise CurationError(f"{name}: not a plain word: {bad[0]!r}")
    return items


def parse_edit(form: dict[str, Any]) -> Edit:
    kind = form.get("kind")
    if kind == "synonym":
        return Edit("synonym", _words(form.get("words"), "words"), _words(form.get("terms"), "terms"))
    if kind == "alias":
        dept = _words(form.get("department"), "department")
        if len(dept) != 1:
            raise CurationError("department must be one name")
        return Edit("alias", _words(form.get("words"), "aliases"), dept)
    raise CurationError("kind must be synonym or alias")


def _append_synonym(folder: Path, edit: Edit) -> None:
    path = folder / "synonyms.txt"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    path.write_text(text + f"{' '.join(edit.words)} => {' '.join(edit.terms)}\n", encoding="utf-8")


def _append_alias(folder: Path, edit: Edit) -> None:
    path = folder / "departments.toml"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    data = tomllib.loads(text) if text else {}
    taken = {a for d in data.get("department", []) for a in [d.get("name", ""), *d.get("aliases", [])]}
    clash = [w for w in edit.words if w in taken]
    if clash:
        raise CurationError(f"{clash[0]} is already a department name or alias")
    block = (f'\n[[department]]\nname = "{edit.terms[0]}"\n'
             f'aliases = [{", ".join(chr(34) + w + chr(34) for w in edit.words)}]\n')
    new = text + block
    tomllib.loads(new)  # never write a file the index build would refuse
    path.write_text(new, encoding="utf-8")


def apply_edit(folder: Path, edit: Edit) -> None:
    """Write the edit into `folder` (a knowledge/data folder)."""
    (_append_synonym if edit.kind == "synonym" else _append_alias)(folder, edit)


def candidate_data(data_dir: Path, edit: Edit, folder: Path) -> Path:
    """A copy of `data_dir` in `folder`/data with the edit applied."""
    target = folder / "data"
    shutil.copytree(data_dir, target)
    apply_edit(target, edit)
    return target


@dataclass(frozen=True)
class Change:
    question: str
    before: str
    after: str
    before_answered: bool
    after_answered: bool


def _summary(answer: Any) -> str:
    top = answer.results[0].entry.id if answer.results else "-"
    return f"{'答' if answer.answered else '未答'} · {top}"


def _shape(answer: Any) -> tuple[bool, tuple[str, ...]]:
    """What a rule can change in an answer: answered or not, and the entries it rests on (top 3)."""
    return bool(answer.answered), tuple(r.entry.id for r in answer.results[:3])


def diff_answers(questions: Sequence[str | tuple[str, str | None]], live: Any, candidate: Any) -> list[Change]:
    """The questions the candidate engine answers differently (answered or not, or the entries cited).

    Each question is asked as it was asked: with the region its channel gave (a widget embedded on a
    district's site passes one), since without it a district question may be declined by both engines
    and the rule seem to change nothing."""
    out = []
    for item in dict.fromkeys(questions):
        q, region = (item, None) if isinstance(item, str) else item
        a, b = live.answer(q, region=region), candidate.answer(q, region=region)
        if _shape(a) != _shape(b):
            out.append(Change(q, _summary(a), _summary(b), a.answered, b.answered))
    return out
