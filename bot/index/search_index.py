"""The search index: entries + tokenizer terms + per-field BM25 + departments + rewriter, cached on disk.

Built from the knowledge store (indexer.store) and the curated data (knowledge/data); rebuilt only when
either changes (content fingerprint). Everything costly (tokenizing entries, pinyin tables, jieba's
dictionary packed as a `Lexicon`) happens here, once; the result is written as a data-only, memory-mapped
index version directory (bot/index/files.py: numpy arrays and JSON, never pickle), which is what
`Engine.load` opens at every start, in milliseconds whatever its size. Start-up costs are measured by
`python -m bot bench` (bench/README.md).
"""
from __future__ import annotations

import gc
import logging
import re
import time
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.index.bm25 import SparseBM25
from bot.index.entry_rows import Peek
from bot.index.files import stored
from bot.index.region_keys import division_parents, qualify_regions, region_aliases
from bot.language.departments import DepartmentDirectory, names_as_actor, unit_key
from bot.language.tokenize_many import tokenize_all
from bot.language.tokenizer import Lexicon, Tokenizer, knowledge_terms
from bot.language.vocabulary import COMPLETION_DATE
from indexer.model import Document, Entry
from indexer.store import KnowledgeBase

if TYPE_CHECKING:  # imported when the index is built, not when it is loaded
    from bot.language.rewrite import QueryRewriter

log = logging.getLogger(__name__)



@dataclass
class DocInfo:
    doc_id: str
    file: str
    title: str | None
    region: str | None
    year: int | None
    doc_number: str | None
    issuer: str | None
    date: str | None
    division_code: str = ""  # GB/T 2260 code of the plan's division ("370103"); "" when none was read
    region_full: str = ""  # "山东省济南市市中区"


@dataclass
class Suggestion:
    """A keyword or question offered while typing, with its pinyin for pinyin-prefix matching."""

    text: str
    pinyin: str  # "yanglaobutie"
    initials: str  # "ylbt"
    weight: float = 1.0


@dataclass
class SearchIndex:
    """Everything a question needs. Each field declares how it persists (`stored(kind)`, read by
    bot/index/files.py): there is no second list of fields to keep in step. Loaded from disk, `entries` is a lazy sequence of Entry (bot/index/columns.py),
    `by_id` and `unit_positions` are array-backed mappings, and the numpy arrays are read-only maps."""

    entries: Sequence[Entry] = field(metadata=stored("entries"))
    documents: dict[str, DocInfo] = field(metadata=stored("object"))
    terms: list[str] = field(metadata=stored("object"))
    text: SparseBM25 = field(metadata=stored("bm25"))
    meta: SparseBM25 = field(metadata=stored("bm25"))
    units: SparseBM25 = field(metadata=stored("bm25"))
    departments: DepartmentDirectory = field(metadata=stored("object"))
    regions: list[str] = field(metadata=stored("object"))
    entry_region: np.ndarray = field(metadata=stored("array"))
    entry_year: np.ndarray = field(metadata=stored("array"))
    rewriter: QueryRewriter | None = field(metadata=stored("object"))
    suggestions: list[Suggestion] = field(default_factory=list, metadata=stored("object"))
    featured: list[dict] = field(default_factory=list, metadata=stored("object"))
    fingerprint: str = field(default="", metadata=stored("manifest"))
    by_id: Mapping[str, int] = field(default_factory=dict, metadata=stored("ids"))
    skipped: list[tuple[str, str]] = field(default_factory=list, metadata=stored("object"))
    parents: dict[str, list[str]] = field(default_factory=dict, metadata=stored("object"))  # 淄博市 -> [周村区]: cities above regions
    # other names of held regions -> the regions they stand for ("枣庄市中区" -> [枣庄市市中区]; a bare
    # "市中区" -> every held 市中区): bot/index/region_keys.py
    region_aliases: dict[str, list[str]] = field(default_factory=dict, metadata=stored("object"))
    # unit as written in the plans -> positions of the entries naming it (department task lists)
    unit_positions: Mapping[str, np.ndarray] = field(default_factory=dict, metadata=stored("postings"))
    # every readable due date, ascending, and the position of its entry (due-date task lists)
    due_keys: Sequence[str] = field(default_factory=list, metadata=stored("strings"))
    due_positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32), metadata=stored("array"))
    lexicon: Lexicon | None = field(default=None, metadata=stored("lexicon"))  # the tokenizer's dictionary, packed (bot/language/tokenizer.py): no jieba load at start
    # Postings for list questions without a scan (bot/index/list_positions.py): region name -> its entries' positions;
    # unit_key of a department (canonical or as written) -> positions of the entries naming it; and
    # (clause, task row it restates) position pairs, for dropping restated clauses from a list.
    region_positions: Mapping[str, np.ndarray] = field(default_factory=dict, metadata=stored("postings"))
    department_positions: Mapping[str, np.ndarray] = field(default_factory=dict, metadata=stored("postings"))
    linked_from: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32), metadata=stored("array"))
    linked_to: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32), metadata=stored("array"))
    # Per-entry facts the lists filter and sort on without making Entry objects: the deadline names a
    # completion date (全年/长期 name none), the entry is a plan's preface, and its rank in due-list order
    # (due date, region, plan order; -1 without a readable due date).
    entry_dated: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool), metadata=stored("array"))
    entry_preface: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool), metadata=stored("array"))
    due_rank: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32), metadata=stored("array"))
    # department form (3+ characters, as in `departments.forms`) -> entries whose text makes it a
    # sentence's subject (`names_as_actor`): department lists count them beside the unit column
    actor_positions: Mapping[str, np.ndarray] = field(default_factory=dict, metadata=stored("postings"))

    def position(self, entry_id: str) -> int | None:
        return self.by_id.get(entry_id)


def _read_toml(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def curated_terms(data_dir: Path) -> set[str]:
    """Chinese terms from the curated files, so the tokenizer keeps them whole."""
    terms: set[str] = set()
    for dept in _read_toml(data_dir / "departments.toml").get("department", []):
        terms.add(str(dept.get("name", "")))
        terms.update(str(a) for a in dept.get("aliases", []))
    syn = data_dir / "synonyms.txt"
    if syn.is_file():
        for line in syn.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0]
            if "=>" in line:
                left, right = line.split("=>", 1)
                terms.update(w for w in (left + " " + right).split() if w)
    gloss = _read_toml(data_dir / "glossary.toml")
    for value in _walk_strings(gloss):
        if any("\u4e00" <= ch <= "\u9fff" for ch in value):
            terms.add(value)
    return {t for t in terms if 2 <= len(t) <= 12}


def _walk_strings(obj: object) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _walk_strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _walk_strings(v)


def parent_places(documents: list[Document]) -> dict[str, list[str]]:
    """Cities named just before a plan's region in its title or issuer ("济南市历城区", "淄博市周村区…"),
    so a question naming the city (or its pinyin) is read as that region, not as a topic word."""
    parents: dict[str, set[str]] = {}
    for d in documents:
        if not d.region:
            continue
        for source in (d.title or "", d.issuer or ""):
            m = re.search(rf"([\u4e00-\u9fff]{{2}}[市州盟])\s*{re.escape(d.region)}", source)
            if m and m.group(1) != d.region:
                parents.setdefault(m.group(1), set()).add(d.region)
    return {p: sorted(r) for p, r in parents.items()}


def _doc_info(d: Document) -> DocInfo:
    return DocInfo(d.doc_id, d.file, d.title, d.region, d.year, d.doc_number, d.issuer, d.date,
                   d.division_code, d.region_full)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Building makes millions of small objects and frees none of them: collecting in between only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_index(kb: KnowledgeBase, data_dir: Path, fingerprint: str = "") -> SearchIndex:
    """Tokenize every entry once (identical texts share tokens) and build the per-field BM25 indexes."""
    with gc_paused():
        return _build_index(kb, data_dir, fingerprint)


def _build_index(kb: KnowledgeBase, data_dir: Path, fingerprint: str) -> SearchIndex:
    clock = _StageClock()
    qualify_regions(kb.documents)  # namesake districts of different cities get city-qualified regions
    entries = kb.entries
    regions = sorted({d.region for d in kb.documents if d.region})
    parents = parent_places(kb.documents)
    for city, held in division_parents(kb.documents).items():
        parents[city] = sorted(set(parents.get(city, [])) | held)
    units = {u for e in entries for u in e.responsible}
    texts = [searchable(e) for e in entries] + [e.section for e in entries]
    terms = knowledge_terms(texts, units, regions) | curated_terms(data_dir)
    tokenizer = Tokenizer(terms)
    clock.lap("terms")
    cache = tokenize_all(tokenizer, _strings_to_tokenize(entries))
    toks = cache.__getitem__
    clock.lap("tokenise")

    text_tokens = [toks(searchable(e)) for e in entries]
    meta_tokens = [toks(e.section) + toks(e.heading or "") for e in entries]
    unit_tokens = [toks(" ".join(e.responsible)) for e in entries]
    departments = DepartmentDirectory.build(data_dir / "departments.toml", units)
    rewriter = _build_rewriter(entries, data_dir, regions + sorted(parents), sorted(terms | set(departments.forms)))
    clock.lap("rewriter")
    region_ix = {r: i for i, r in enumerate(regions)}
    index = SearchIndex(
        entries=entries,
        documents={d.doc_id: _doc_info(d) for d in kb.documents},
        terms=tokenizer.terms,
        text=SparseBM25(text_tokens),
        meta=SparseBM25(meta_tokens),
        units=SparseBM25(unit_tokens),
        departments=departments,
        regions=regions,
        entry_region=np.array([region_ix.get(e.region or "", -1) for e in entries], dtype=np.int16),
        entry_year=np.array([e.year or 0 for e in entries], dtype=np.int16),
        rewriter=rewriter,
        featured=list(_read_toml(data_dir / "featured.toml").get("topic", [])),
        fingerprint=fingerprint,
        by_id={e.id: i for i, e in enumerate(entries)},
        parents=parents,
        region_aliases=region_aliases(kb.documents),
    )
    clock.lap("bm25")
    index.lexicon = tokenizer.lexicon()
    index.unit_positions = _unit_positions(entries)
    index.region_positions = _region_positions(index.entry_region, regions)
    index.department_positions = _department_positions(index.unit_positions, departments)
    index.linked_from, index.linked_to = _restated_pairs(entries, index.by_id)
    dated = sorted((e.due, e.region or "", i) for i, e in enumerate(entries) if e.due)  # due-list order
    index.due_keys = [d for d, _, _ in dated]
    index.due_positions = np.array([i for _, _, i in dated], dtype=np.int32)
    index.due_rank = np.full(len(entries), -1, dtype=np.int32)
    index.due_rank[index.due_positions] = np.arange(len(dated), dtype=np.int32)
    index.entry_dated = np.array([bool(COMPLETION_DATE.search(e.deadline or "")) for e in entries], dtype=bool)
    index.entry_preface = np.array([e.number.startswith("前言") for e in entries], dtype=bool)
    index.actor_positions = _actor_positions(entries, text_tokens, departments)
    clock.lap("lists")
    index.suggestions = _suggestions(index, rewriter)
    clock.lap("suggestions")
    log.info("index built: %d entries in %s", len(entries), clock)
    return index


class _StageClock:
    """Wall time per build stage, for the log line and the benchmark (where a build's time goes)."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.stages: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = now - self._last
        self._last = now

    def __str__(self) -> str:
        parts = ", ".join(f"{k} {v:.1f}" for k, v in self.stages.items())
        return f"{time.perf_counter() - self.started:.2f} s ({parts})"


def searchable(e: Entry | Peek) -> str:
    """What is searched for an entry: its simplified text for a plan in traditional characters (the
    indexer keeps the verbatim text for quoting), else the text itself."""
    return getattr(e, "search_text", None) or e.text


def _strings_to_tokenize(entries: list[Entry]) -> Iterator[str]:
    for e in entries:
        yield searchable(e)
        yield e.section
        yield e.heading or ""
        yield " ".join(e.responsible)


def _unit_positions(entries: list[Entry]) -> dict[str, np.ndarray]:
    positions: dict[str, list[int]] = {}
    for i, e in enumerate(entries):
        for u in dict.fromkeys(e.responsible):
            positions.setdefault(u, []).append(i)
    return {u: np.array(p, dtype=np.int32) for u, p in positions.items()}


def _actor_positions(entries: Sequence[Entry], text_tokens: list[list[str]],
                     departments: DepartmentDirectory) -> dict[str, np.ndarray]:
    """Department form -> entries whose text makes it a sentence's subject. Only entries whose tokens
    include a form are read (unit names are whole words of the tokenizer), so the cost follows the
    mentions, not the corpus times the departments."""
    forms = {f for f in departments.forms if len(f) >= 3}
    found: dict[str, list[int]] = {}
    for i, tokens in enumerate(text_tokens):
        named = forms.intersection(tokens)
        if named:
            text = entries[i].text
            for form in named:
                if names_as_actor(text, form):
                    found.setdefault(form, []).append(i)
    return {f: np.array(p, dtype=np.int32) for f, p in sorted(found.items())}


def _region_positions(entry_region: np.ndarray, regions: list[str]) -> dict[str, np.ndarray]:
    order = np.argsort(entry_region, kind="stable").astype(np.int32)
    bounds = np.searchsorted(entry_region[order], np.arange(len(regions) + 1))
    return {r: order[bounds[i]:bounds[i + 1]] for i, r in enumerate(regions)}


def _department_positions(unit_positions: Mapping[str, np.ndarray],
                          departments: DepartmentDirectory) -> dict[str, np.ndarray]:
    """unit_key -> positions, under both the unit as written and its canonical department: exactly the
    entries for which `departments.matches(unit, department)` holds for one of their units."""
    grouped: dict[str, list[np.ndarray]] = {}
    for unit, positions in unit_positions.items():
        canon = departments.canonical.get(unit_key(unit), unit)
        for key in {unit_key(canon), unit_key(unit)}:
            grouped.setdefault(key, []).append(positions)
    return {k: np.unique(np.concatenate(v)).astype(np.int32) for k, v in grouped.items()}


def _restated_pairs(entries: list[Entry], by_id: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray]:
    pairs = [(i, by_id[t]) for i, e in enumerate(entries) if e.kind == "clause" for t in e.linked if t in by_id]
    arr = np.array(pairs, dtype=np.int32).reshape(-1, 2)
    return arr[:, 0].copy(), arr[:, 1].copy()


def _build_rewriter(entries: list[Entry], data_dir: Path, regions: list[str], extra: list[str]) -> QueryRewriter | None:
    try:
        from bot.language.rewrite import QueryRewriter
    except ImportError:  # pragma: no cover - the module ships with the package
        return None
    corpus = [searchable(e) for e in entries] + sorted({e.section for e in entries})
    return QueryRewriter.build(corpus, data_dir, regions, extra)


def _pinyin_of(rewriter: QueryRewriter | None, text: str) -> tuple[str, str]:
    syllables = rewriter.pinyin_of(text) if rewriter is not None else []
    return "".join(syllables), "".join(s[0] for s in syllables)


def _suggestions(index: SearchIndex, rewriter: QueryRewriter | None) -> list[Suggestion]:
    """Keywords and questions to offer while typing: featured questions, task titles, department names."""
    seen: dict[str, float] = {}
    for topic in index.featured:
        for q in topic.get("questions", []):
            seen[q] = max(seen.get(q, 0), 3.0)
    for e in index.entries:
        for part in e.section.split(" > ") + [e.heading or ""]:
            part = part.strip()
            part = part.split("、", 1)[-1] if part[:1] in "一二三四五六七八九十" else part
            part = part.lstrip("（(一二三四五六七八九十）) ").strip("。")
            if 4 <= len(part) <= 24:
                seen[part] = max(seen.get(part, 0), 1.0)
    for unit in {u for e in index.entries for u in e.responsible}:
        if 3 <= len(unit) <= 16 and not index.departments.is_generic(unit):
            seen[unit] = max(seen.get(unit, 0), 1.5)
    out = []
    for text, weight in seen.items():
        py, ini = _pinyin_of(rewriter, text)
        out.append(Suggestion(text, py, ini, weight))
    out.sort(key=lambda s: (-s.weight, len(s.text)))
    return out
