"""Bracketed notes inside a clause that name its units or its deadline, in every form plans write them.

"（责任单位：区发改局、区工信局；完成时限：2025年6月底前）", "[责任单位:…]", "〔牵头单位:…;责任单位:…〕",
"(区财政局牵头,全区各部门、各街道负责落实)", "(X、Y按职责分工负责)", "(…负责落实,完成时限:2022年10月)", a bare list
of units after a sentence ("。(各县(区、市)人民政府、开发区管委会、市直各单位)"), and a note that carries units forward
to every later item ("以下责任单位均包含各区县政府", "以下不再列出"). Brackets nest and may mix kinds, so a unit name
holding its own brackets and 、 ("各县(区、市)人民政府", "各市〔州〕") stays whole. Units never take a date or a
sentence piece and a deadline never takes a unit: each part of a note is read by its label or its form.

Used by indexer/entries.py for clauses (indexer/fields.py keeps the plain "责任单位：…" sentence form).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.fields import guard_joins, is_unit_name, restore_joins, without_group_tail

OPEN, CLOSE = "（(〔[［﹝【", "）)〕]］﹞】"
_UNIT_LABEL = re.compile(r"^(?P<label>(?:牵头|责任|配合|协办|参与|负责|主责|协同|主办)(?:单位|部门|科室|处室)|责任主体)\s*[:：]\s*")
_TIME_LABEL = re.compile(r"^(?:完成时限|完成时间|完成期限|时限要求|时间节点|时间要求|时限|时间)\s*[:：]\s*")
_SUPPORT_WORDS = ("配合", "协办", "参与", "协同", "协助")
_ROLE_END = re.compile(
    r"(?:等)?(?:(?:分别|共同|具体)?(?:按照?|根据)?(?:各自|工作)?(?:职责|职能)(?:分工)?(?:分别)?)?"
    r"(?:牵头落实|负责落实|具体落实|分别落实|牵头负责|共同负责|分别负责|组织实施|抓好落实|落实|牵头|负责|配合|参与|协助|协同"
    r"|(?:均|都)?为(?:责任|牵头|配合)单位)$"
)
_FORWARD = re.compile(r"^以下.{0,16}?(?:均|都|皆|一律)(?:需|要|须|应)?(?:包含|包括|含|由)?(?P<units>.*?)"
                      r"(?:负责|落实|负责落实|参与)?$")
_FORWARD_STOP = re.compile(r"(?:以下)?(?:不再|均不再)(?:逐一|一一)?(?:列出|列明|标注|重复)")
_NOTE_START = re.compile(r"含|包括|包含|下同")
_UNIT_AND = re.compile(r"(?<=[局办室委会处厅署院所站队部府])(?:和|及|与)(?=(?:省|市|区|县|镇|乡|各|有关|相关)[\u4e00-\u9fff])")
_SEPARATORS = "、，,；;"


@dataclass
class Note:
    """One bracketed note: where it stands (`start`, `end`: the brackets included) and what it says."""

    start: int
    end: int
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    deadline: str | None = None
    forward: list[str] = field(default_factory=list)  # units the note gives every later item
    wording: str = ""  # the responsibility wording as written ("牵头单位：X；责任单位：Y")
    listing: str = ""  # the note's unit sentence (before a role rule)
    rule: str | None = None  # "逗号前为牵头单位": the separators before which the leads stand
    rule_onward: bool = False  # the rule holds for the later notes too ("下同")

    @property
    def units(self) -> list[str]:
        return [*self.lead, *(u for u in self.support if u not in self.lead)]


def bracket_spans(text: str) -> list[tuple[int, int]]:
    """Top-level bracketed spans (start, end past the closer), brackets of any kind nesting; a span left
    open at the very end of the text (a page cut off) runs to the end."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, -1
    for i, ch in enumerate(text):
        if ch in OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth and start >= 0:
        spans.append((start, len(text)))
    return spans


def top_split(text: str, separators: str = _SEPARATORS) -> list[str]:
    """`text` split at separators that stand outside brackets."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def without_brackets(text: str) -> str:
    """`text` with every bracketed span (nested ones included) taken out."""
    for a, b in reversed(bracket_spans(text)):
        text = text[:a] + text[b:]
    return text


def clean_name(part: str) -> str:
    """One unit name as written, without a role word after it or a "（含…，下同）" note."""
    name = re.sub(r"\s+", "", part).strip("。.")
    spans = bracket_spans(name)
    if spans and spans[-1][1] == len(name) and _NOTE_START.match(name, spans[-1][0] + 1):
        name = name[: spans[-1][0]]
    name = _ROLE_END.sub("", name) or name
    return without_group_tail(name)


def _unitish(name: str) -> bool:
    bare = without_brackets(name)
    return 2 <= len(name) <= 40 and not re.search(r"[。\d]", bare) and (is_unit_name(name) or is_unit_name(bare)
                                                                      or bare.startswith("各") and len(bare) <= 8)


def unit_names(text: str) -> list[str] | None:
    """The names of a unit list ("各市〔州〕、县〔市、区〕政府"), or None when any item reads as no unit."""
    parts = top_split(guard_joins(_UNIT_AND.sub("、", text)))
    names = [clean_name(restore_joins(p)) for p in parts] if text.strip() else []
    if not names or not all(_unitish(n) for n in names):
        return None
    return list(dict.fromkeys(names))


def _deadline_part(text: str) -> str | None:
    m = _TIME_LABEL.match(text)
    if m:
        return re.sub(r"\s+", "", text[m.end():]).strip("。") or None
    return None


class _Reader:
    """Reads a note's parts in order: a label sets the role of the unlabelled unit parts after it."""

    def __init__(self, note: Note) -> None:
        self.note = note
        self.role: str | None = None  # "lead" | "support" after a unit label
        self.pending: list[str] = []  # unlabelled names waiting for the role word that ends their run
        self.saw_lead_word = False
        self.wording: list[str] = []
        self.last: list[str] = []  # the names read last

    def add(self, names: list[str], role: str) -> None:
        self.last = names
        target = self.note.support if role == "support" else self.note.lead
        target.extend(n for n in names if n not in target)

    def part(self, part: str) -> bool:
        """False when the part reads as neither a label, a unit list nor a deadline (no note then)."""
        deadline = _deadline_part(part)
        if deadline is not None:
            self.note.deadline, self.role = deadline, None
            return True
        if _FORWARD_STOP.search(part):  # "以下不再列出": the names just read hold for the items below
            if self.note.forward and not _FORWARD_STOP.split(part)[0].strip():
                return True  # "以下均需X落实，不再逐一列出": the names were carried forward already
            names = unit_names(_FORWARD_STOP.split(part)[0]) or self.last
            self.note.forward.extend(names)
            return bool(names)
        forward = _FORWARD.match(part)
        if forward:
            names = unit_names(forward.group("units")) or []
            self.note.forward.extend(names)
            return bool(names)
        label = _UNIT_LABEL.match(part)
        if label:
            self.role = "support" if any(w in label.group("label") for w in _SUPPORT_WORDS) else "lead"
            labelled = unit_names(part[label.end():])
            if labelled is None:
                return False
            self.add(labelled, self.role)
            plain = label.group("label").startswith(("责任", "负责"))  # the generic label says no role
            self.wording.append(re.sub(r"\s+", "", part[label.end():] if plain else part))
            return True
        return self._unlabelled(part)

    def _unlabelled(self, part: str) -> bool:
        bare = re.sub(r"\s+", "", part)
        role_word = _ROLE_END.search(bare)
        names = unit_names(bare)
        if names is None:
            return False
        self.wording.append(bare)
        if self.role is not None and not role_word:
            self.add(names, self.role)
            return True
        self.pending.extend(names)
        if role_word:
            word = role_word.group(0)
            if any(w in word for w in _SUPPORT_WORDS) or self.saw_lead_word and "牵头" not in word:
                role = "support"
            else:
                role = "lead"
            self.saw_lead_word = self.saw_lead_word or "牵头" in word
            self.add(self.pending, role)
            self.pending = []
        return True

    def finish(self, bare_list_ok: bool) -> bool:
        """Names left without a role word count when the note is a bare list standing after a sentence."""
        if self.pending:
            if not bare_list_ok and not self.note.lead and not self.note.support:
                return False
            self.add(self.pending, "lead")
        self.note.wording = "；".join(self.wording)
        return bool(self.note.units or self.note.deadline or self.note.forward)


# A rule that says which units of the list lead ("逗号前为牵头单位,多个牵头单位的按职责分别牵头,下同").
_ROLE_RULE = re.compile(r"[。.]\s*(?P<sep>逗号|分号)(?:之)?前(?:的)?(?:单位)?为牵头单位(?P<rest>.*)$")
_RULE_SEPARATORS = {"逗号": "，,", "分号": "；;"}


def apply_rule(note: Note, rule: str) -> None:
    """Leads are the units before the first separator `rule` names, the others support."""
    body = _UNIT_LABEL.sub("", note.listing)
    first = top_split(guard_joins(body), _RULE_SEPARATORS.get(rule, "，,"))
    leads = unit_names(restore_joins(first[0])) if first else None
    if not leads or len(first) < 2:
        return
    units = note.units
    note.lead = [u for u in units if u in leads]
    note.support = [u for u in units if u not in leads]


def read_note(text: str, start: int, end: int) -> Note | None:
    """The note in text[start:end] (its brackets included), or None when the brackets hold something else."""
    closed = text[end - 1] in CLOSE
    inner = text[start + 1: end - 1 if closed else end].strip()
    if not inner or len(inner) > 400:
        return None
    note = Note(start, end)
    rule = _ROLE_RULE.search(inner)
    if rule:
        note.rule, note.rule_onward = rule.group("sep"), "下同" in rule.group("rest")
        inner = inner[: rule.start()]
    note.listing = inner
    reader = _Reader(note)
    parts = top_split(inner, "，,；;")
    for k, part in enumerate(parts):
        if not reader.part(part) and not (not closed and k == len(parts) - 1):  # a cut-off last part
            return None
    before = text[:start].rstrip()
    after_sentence = not before or before[-1] in "。；;！？!?"
    if not reader.finish(after_sentence):
        return None
    if note.rule:
        apply_rule(note, note.rule)
    return note


def notes_in(text: str) -> list[Note]:
    """Every unit or deadline note of a clause, in order."""
    out = []
    for a, b in bracket_spans(text):
        note = read_note(text, a, b)
        if note is not None:
            out.append(note)
    return out


def only_note(line: str) -> bool:
    """A line that is nothing but a note ("（牵头单位：县财政局）"): it belongs to the text above it."""
    s = line.strip()
    if not s or s[0] not in OPEN:
        return False
    spans = bracket_spans(s)
    return len(spans) == 1 and spans[0] == (0, len(s)) and read_note(s, 0, len(s)) is not None and bool(
        (n := read_note(s, 0, len(s))) and (n.units or n.deadline))


def pieces(text: str, notes: list[Note]) -> list[tuple[str, list[Note]]]:
    """The clause cut after each note that more text follows (a note names the units of the text before
    it, back to the previous note): [(piece, its notes)]. A clause with one closing note stays whole."""
    cuts: list[int] = []
    for note in notes:
        rest = text[note.end:]
        if (note.units or note.deadline) and len(re.sub(r"[\W\d_]", "", rest)) >= 8:
            cuts.append(note.end)
    if not cuts:
        return [(text, notes)]
    out = []
    for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True):
        piece = text[a:b].strip()
        if piece:
            out.append((piece, [n for n in notes if a <= n.start < b]))
    return out
