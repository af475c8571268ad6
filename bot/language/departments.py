"""Department names: the curated alias table (knowledge/data/departments.toml) plus every unit the plans name.

区人社局 = 区人力资源社会保障局, 区卫健局 = 区卫生健康局 …: a question naming either finds both. Names
are compared without their level prefix (区/市/县) so "住建局" finds "区住建局".
Neighbours: bot/index/search_index.py builds one at index time; bot/engine/understand.py finds departments in questions;
bot/engine/coordinator.py uses `matches` for department task lists.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

_PREFIX = re.compile(r"^(?:各|全)?(?:区|市|县|镇|乡|街道)(?=.{2,})")
_GENERIC = {
    "有关部门", "相关部门", "各有关部门", "区政府各部门", "区政府有关部门", "市政府各部门", "市政府有关部门",
    "各街道办事处", "各镇街", "各镇政府", "各部门", "各单位", "政府各部门", "政府有关部门",
}


@lru_cache(maxsize=65_536)  # called per unit per entry in department lists; names repeat
def unit_key(name: str) -> str:
    """Comparison key: no spaces, no (单位) tails, no level prefix ("区住建局" -> "住建局")."""
    s = re.sub(r"[\s]", "", name)
    s = re.sub(r"[（(]单位[）)]$", "", s)
    return _PREFIX.sub("", s)


@dataclass
class DepartmentDirectory:
    """Canonical department names and their aliases, keyed for lookup."""

    canonical: dict[str, str] = field(default_factory=dict)  # unit_key(any form) -> canonical name
    forms: list[str] = field(default_factory=list)  # every surface form, longest first (question scan)

    @classmethod
    def build(cls, data_file: Path | None, units_in_plans: Iterable[str]) -> DepartmentDirectory:
        directory = cls()
        if data_file and data_file.is_file():
            with data_file.open("rb") as f:
                data = tomllib.load(f)
            for dept in data.get("department", []):
                name = str(dept.get("name", "")).strip()
                if not name:
                    continue
                for form in [name, *[str(a).strip() for a in dept.get("aliases", [])]]:
                    if form:
                        directory._add(form, name)
        for unit in units_in_plans:
            if unit and unit_key(unit) not in directory.canonical:
                directory._add(unit, unit)
        directory.forms.sort(key=len, reverse=True)
        return directory

    def _add(self, form: str, name: str) -> None:
        key = unit_key(form)
        if len(key) < 2:
            return
        self.canonical.setdefault(key, name)
        if form not in self.forms:
            self.forms.append(form)
        bare = key
        if bare != form and bare not in self.forms and len(bare) >= 3:
            self.forms.append(bare)

    def resolve(self, text: str) -> str | None:
        """Canonical name for a department name or alias, or None when unknown."""
        return self.canonical.get(unit_key(text.strip())) if text and text.strip() else None

    def name_for(self, text: str) -> str | None:
        """Canonical name for a name, an alias or a text naming one department ("区人社局" -> …), or None."""
        text = (text or "").strip()
        if not text:
            return None
        return self.resolve(text) or next(iter(self.find(text)), None)

    def find(self, question: str) -> list[str]:
        """Canonical departments named in a question (longest forms first, no overlaps)."""
        found: list[str] = []
        taken = question
        for form in self.forms:
            if len(form) < 3 and not form.endswith(("局", "办")):
                continue
            if form in taken:
                name = self.canonical.get(unit_key(form))
                if name and name not in found and name not in _GENERIC and unit_key(name) not in _GENERIC:
                    found.append(name)
                taken = taken.replace(form, "\0")
        return found

    def of_kind(self, words: str, endings: tuple[str, ...]) -> str | None:
        """The one department whose name holds `words` and ends like a unit of that kind ("退役军人" and 局:
        区退役军人局), read from an English question that names a unit by what it does; None when none or
        several do."""
        names = {name for key, name in self.canonical.items() if words in key and key.endswith(endings)
                 and not self.is_generic(name)}
        return names.pop() if len(names) == 1 else None

    def matches(self, unit: str, department: str) -> bool:
        """Whether a unit as written in a plan is the (canonical) department."""
        canon = self.canonical.get(unit_key(unit), unit)
        return unit_key(canon) == unit_key(department) or unit_key(unit) == unit_key(department)

    def forms_of(self, canon: str) -> list[str]:
        """The surface forms (3+ characters) the directory files under a canonical department."""
        return [f for f in self.forms if len(f) >= 3 and self.canonical.get(unit_key(f)) == canon]

    @staticmethod
    def is_generic(unit: str) -> bool:
        return unit in _GENERIC or unit_key(unit) in {unit_key(g) for g in _GENERIC}


@lru_cache(maxsize=4_096)
def _actor_pattern(form: str) -> re.Pattern[str]:
    # the name opening a sentence or clause as its subject, not a modifier ("…的") or a list item ("、")
    return re.compile(rf"(?:^|[。；！？，\s])(?:由)?{re.escape(form)}(?![的、和与及等（(，。；\s])")


def names_as_actor(text: str, form: str) -> bool:
    """Whether `text` makes the department named `form` a sentence's subject ("区政府办公室是…主管部门",
    "区政府办公室定期检查…"), which counts it among the clause's departments though the unit column
    names others. The index precomputes this per entry (bot/index/search_index.py `actor_positions`)."""
    return _actor_pattern(form).search(text) is not None
