"""The scaled corpus: a national-size knowledge base whose entries have distinct text and real-looking places.

Built from the shipped plans: every generated plan copies the structure of one shipped plan (its
clauses and task rows, numbering, sections, task rows linked to the clauses they restate) for a
generated county of a generated city and a year from 2021 to 2025. Each entry's text is 2-3 sentences
drawn from every shipped plan (about 630 sentences), so texts differ, and the two-sentence ones name
their county; responsible units are renamed to the county's level (区/县/市…局); due dates fall on
varied month ends of the plan's year. County names are two place-name characters and 区/县/市, as
real ones are (东平县, 安丘市, 历下区), 2 800 of them at most, about as many as China has. The shipped
plans themselves come first, so the shipped question mix still finds its answers.
Neighbours: bench/at_scale.py builds and times an index over it; bench/mix.py makes questions from
its entries.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace
from typing import Any

_FIRST = "东西南北中安平宁阳城山江河湖清新永长兴华德福龙凤金明光泰丰和昌定武文乐临高白青云双石峰源泉溪川汉" \
         "建延望万会宜嘉荣庆寿广洪盘兰桃柳松枣梅莱沂"
_SECOND = "平阳安宁城山江河州水泉源丰台定远兴化林川原陵沙乡溪营田海湖谷口桥关岭坪昌德宁武乐康" \
          "丘浦津阴亭门泽潭岩坝峪滨塘"
_LEVELS = ("县",) * 6 + ("区",) * 3 + ("市",)
MAX_REGIONS = 2_800
COUNTIES_PER_CITY = 12
YEARS = (2021, 2022, 2023, 2024, 2025)
SEED = 20261202
_SENTENCE = re.compile(r"[^。；]+[。；]?")


def county_names(n: int, rng: random.Random, avoid: set[str]) -> list[str]:
    """n distinct county names (two place characters + 区/县/市), none equal to a shipped region."""
    names: list[str] = []
    stems = {s[:2] for s in avoid}
    pairs = [a + b for a in _FIRST for b in _SECOND if a != b]
    rng.shuffle(pairs)
    for stem in pairs:
        if stem not in stems:  # one county per stem, as in reality (no 丰宁区 beside 丰宁市)
            stems.add(stem)
            names.append(stem + rng.choice(_LEVELS))
            if len(names) == n:
                break
    return names


def sentence_pool(kb: Any) -> list[str]:
    pool = {s.strip() for e in kb.entries for s in _SENTENCE.findall(e.text) if len(s.strip()) >= 8}
    return sorted(pool)


def scaled_knowledge(kb: Any, n_entries: int, seed: int = SEED) -> Any:
    """The shipped knowledge base followed by generated plans until there are `n_entries` entries."""
    from indexer.store import KnowledgeBase

    sources = [d for d in kb.documents if d.entries]
    if not sources:
        raise ValueError("the knowledge base has no entries to build on")
    rng = random.Random(seed)
    pool = sentence_pool(kb)
    per_doc = max(1, sum(len(d.entries) for d in sources) // len(sources))
    n_docs = max(1, (n_entries - len(kb.entries)) // per_doc + 1)
    n_regions = max(5, min(MAX_REGIONS, n_docs // 3))
    counties = county_names(n_regions, rng, {d.region for d in sources if d.region})
    cities = county_names(max(1, n_regions // COUNTIES_PER_CITY), random.Random(seed + 1), set())
    docs: list[Any] = []
    total = 0
    for d in kb.documents:
        take = d.entries[: max(n_entries - total, 0)]
        docs.append(replace(d, entries=list(take)))
        total += len(take)
    k = 0
    while total < n_entries:
        source = sources[k % len(sources)]
        county = counties[k % len(counties)]
        city = cities[(k % len(counties)) // COUNTIES_PER_CITY % len(cities)][:2] + "市"
        year = YEARS[(k // len(counties)) % len(YEARS)]
        doc = _generated_document(source, county, city, year, k, pool, rng, n_entries - total)
        docs.append(doc)
        total += len(doc.entries)
        k += 1
    return KnowledgeBase(documents=docs, skipped=[], fingerprint=f"bench-scaled-{n_entries}-{seed}")


def _generated_document(source: Any, county: str, city: str, year: int, k: int, pool: list[str],
                        rng: random.Random, room: int) -> Any:
    doc_id = f"{year}-{city}{county}-政务公开工作要点-{k}"
    level = county[-1]
    ids = {e.id: f"{doc_id}#{e.number}" for e in source.entries}
    entries = []
    for e in source.entries[:room]:
        month = rng.randint(1, 12)
        due = f"{year}-{month:02d}-{_month_end(year, month):02d}" if e.due else None
        entries.append(replace(
            e, id=ids[e.id], text=_text(county, pool, rng), doc=doc_id, region=county, year=year,
            title=f"{year}年{city}{county}政务公开工作要点", due=due,
            deadline=f"{year}年{month}月底前" if due else e.deadline,
            responsible=[_unit(u, level) for u in e.responsible],
            roles=_unit(e.roles, level) if e.roles else e.roles,
            linked=[ids[i] for i in e.linked if i in ids],
        ))
    # a generated county has no GB/T 2260 code: keeping the source plan's would make every copy of 历城's plan
    # another "历城区" to the region aliases (bot/index/region_keys.py)
    return replace(source, doc_id=doc_id, file=f"{doc_id}.txt", region=county, year=year, division_code="",
                   region_full="",
                   title=f"{year}年{city}{county}政务公开工作要点", issuer=f"{city}{county}人民政府办公室",
                   date=f"{year}-03-15", entries=entries)


def _text(county: str, pool: list[str], rng: random.Random) -> str:
    if rng.random() < 0.3:  # two sentences, naming the county: 630² pairs are not enough to stay distinct
        return county + "".join(rng.sample(pool, 2))
    return "".join(rng.sample(pool, 3))


def _unit(name: str, level: str) -> str:
    """区民政局 -> 县民政局 in a county: units named at the plan's own level."""
    return re.sub(r"(?<![\u4e00-\u9fff])区(?=[\u4e00-\u9fff]{2,}(?:局|办|委|中心|分局))", level, name) \
        if level != "区" else name


def _month_end(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31
