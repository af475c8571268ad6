"""Reading places in a question: which held regions it names, or which place it names that no plan holds.

A place is named by its full name or short form ("槐荫区", "槐荫"), by another of its names ("枣庄市中区"
for a city-qualified region, bot/index/region_keys.py), through its city ("周村" under "淄博"), in pinyin
or English (the rewriter's `regions`). A place the knowledge base does not hold — a district of another
city with a held namesake ("枣庄市市中区" when only 济南's 市中区 is held), a district of a held city
("济南市章丘区"), or any other 区/县/市 name — makes the question one about a place not held, which is
declined; it is never answered from a namesake. Split from bot/engine/understand.py (the rest of reading).
"""
from __future__ import annotations

import re
from collections.abc import Container, Sequence

from bot.index.region_keys import unheld_division
from bot.index.search_index import SearchIndex
from bot.language import vocabulary as vocab
from bot.language.regions import RegionMatcher
from bot.language.tokenizer import Tokenizer
from indexer.divisions import table as divisions


class PlaceReader:
    """The places of one index: its regions, their other names, cities and division codes."""

    def __init__(self, index: SearchIndex, tokenizer: Tokenizer, vocabulary: set[str]) -> None:
        self.index = index
        self.tokenizer = tokenizer
        self._vocabulary = vocabulary
        self._region_keys: dict[str, list[int]] = {}  # first two characters -> region positions
        for i, r in enumerate(index.regions):
            self._region_keys.setdefault(r[:2], []).append(i)
        self._known_places = RegionMatcher([*index.regions, *index.parents])  # held regions and their cities
        self._aliases = RegionMatcher(getattr(index, "region_aliases", {}), short_forms=False)
        self._held_codes = {c for d in index.documents.values() if (c := getattr(d, "division_code", ""))}
        self._region_codes: dict[str, set[str]] = {}  # held region -> its division codes
        for d in index.documents.values():
            if d.region and (c := getattr(d, "division_code", "")):
                self._region_codes.setdefault(d.region, set()).add(c)

    def name(self, name: str | None) -> str | None:
        """The index's region for a name or short form ("槐荫" -> "槐荫区"), or None."""
        if not name:
            return None
        name = name.strip()
        aliased = getattr(self.index, "region_aliases", {}).get(name, [])
        if len(aliased) == 1:
            return aliased[0]
        for r in self.near(name):
            if name == r or (len(name) >= 2 and (r.startswith(name) or name.endswith(r) or name == r[:-1])):
                return r
        return None

    def read(self, question: str, text: str, named: str | None, rewritten: list[str],
             latin: Sequence[str] = ()) -> tuple[tuple[str, ...], str | None]:
        """Regions the question names (or the caller passed), else an unknown place it names (in
        Chinese, pinyin or English — `latin`, the rewriter's places not held; a district of a held city
        counts), else the held regions under a parent city it names ("Jinan's 2023 plan": 槐荫区 and 历城区, the
        year then picks the plan)."""
        regions = [r for r in (self.name(named),) if r]
        if not regions and self._held_codes and (namesake := unheld_division(text, self._held_codes)):
            return (), namesake  # 枣庄市市中区 when only 济南's 市中区 is held: not held, never the namesake
        for r in list(rewritten) + self._aliased_regions(text) + self._regions_in(text):
            r = self.name(r) or r
            if r in self.index.regions and r not in regions:
                regions.append(r)
        if regions:
            elsewhere = None if named else self._namesake_city(regions, latin)
            return ((), elsewhere) if elsewhere else (tuple(regions), None)
        words = _Words(self.tokenizer, text)
        unknown = (next((p for p in latin if p not in self.index.parents), None)
                   or self._district_of_city(text, words)
                   or unknown_place(text, self._known_places, self._vocabulary, words)
                   or latin_place(question, text))
        if unknown:
            return (), unknown
        for parent, under in self.index.parents.items():
            if parent in text or parent[:-1] in text:
                regions.extend(r for r in under if r not in regions)
        return tuple(regions), None

    def _namesake_city(self, regions: list[str], latin: Sequence[str]) -> str | None:
        """A city named in English beside a held region that is not that region's city ("Huaiyin District
        of Huai'an" is 淮安's 淮阴区, not 济南's 槐荫区): the question is about a namesake not held."""
        table = divisions()
        for place in latin:
            cities = [d for d in table.named(place) if d.level == "city"]
            if not cities:
                continue
            ancestors = {a.code for r in regions for c in self._region_codes.get(r, ()) for a in table.lineage(c)}
            if ancestors and not any(city.code in ancestors for city in cities):
                return place
        return None

    def _district_of_city(self, text: str, words: Container[str]) -> str | None:
        """A district named right after its city that is not held ("枣庄市市中区", "济南市章丘区")."""
        for m in re.finditer(r"[市州](?=([\u4e00-\u9fff]{1,3}?[区县]))", text):
            district = m.group(1)
            for size in (2, 3):
                city = text[max(0, m.start() - size):m.end()]
                if len(city) == size + 1 and city in words and not city.startswith(vocab.NOT_PLACE_STARTS):
                    if len(district) >= 2 and self.name(district) is None and district not in self._vocabulary:
                        return city + district
        return None

    def _aliased_regions(self, text: str) -> list[str]:
        """Held regions named by another of their names ("枣庄市中区"); the most specific name wins, so a
        bare "市中区" stands for every held 市中区 only when no city is named with it."""
        found = self._aliases.find(text)
        specific = [a for a in found if not any(a != b and a in b for b in found)]
        return [r for a in specific for r in self.index.region_aliases[a]]

    def _regions_in(self, text: str) -> list[str]:
        return [r for r in self.near(text) if r in text or (len(r) >= 3 and r[:-1] in text)]

    def near(self, text: str) -> list[str]:
        """The regions whose first two characters occur in `text`, in index order: the only ones that can
        match, so region lookups need not scan every region."""
        keys = self._region_keys
        hits = {i for k in range(len(text)) for key in (text[k:k + 2], text[k]) for i in keys.get(key, ())}
        return [self.index.regions[i] for i in sorted(hits)]


class _Words:
    """The segmenter's words of a text, cut on the first lookup: most questions naming no held region
    name no other place either, and never look."""

    def __init__(self, tokenizer: Tokenizer, text: str) -> None:
        self._tokenizer, self._text = tokenizer, text
        self._words: set[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = set(self._tokenizer.words(self._text))
        return word in self._words


def unknown_place(text: str, known: RegionMatcher, known_terms: set[str], words: Container[str]) -> str | None:
    """A 区/县/市 name in the question that is not one of the knowledge base's regions (e.g. 海淀区).

    Every stem of two to four characters before the suffix is tried, shortest first ("我是章丘区" names
    章丘区). Only a name the segmenter keeps as one word counts (jieba knows real place names), and never
    one the plans themselves use ("无证明城市" is a topic, not a place). A name jieba knows whole is a place
    even before 政府 ("海淀区政府开放活动"); otherwise 区 before an office word is the office ("区政府").
    """
    for m in re.finditer(r"(?=([区县市旗]))", text):
        end = m.start()
        for size in (2, 3, 4):
            if end - size < 0:
                break
            stem = text[end - size:end]
            name = stem + m.group(1)
            if not re.fullmatch(r"[\u4e00-\u9fff]+", stem):
                continue
            if not (name in words and not stem.startswith(vocab.NOT_PLACE_STARTS)) and not _placelike(stem, text, end):
                continue
            if known.overlaps(name) or name in known_terms or stem in known_terms:
                break
            if name in words or stem in words:
                return name
    return None


def _placelike(stem: str, text: str, end: int) -> bool:
    """Not an office ("区政府", "市委") and not a common word that ends like a place ("本区", "开发区")."""
    if vocab.PLACE_NOT_OFFICE.match(text, end + 1) is None:
        return False
    if vocab.OFFICE_AFTER.match(text, end + 1) and not divisions().named(stem + text[end]):
        return False  # "就是区民政局": 区民政局 is the office; 就是 names no division
    return not (stem.startswith(vocab.NOT_PLACE_STARTS) or stem.endswith(vocab.NOT_PLACE_ENDS))


def latin_place(question: str, rewritten: str) -> str | None:
    """A place named in pinyin or English with its kind ("Haidian district", "zhangdian qu") — called
    only when no held region was recognised, so the name is one the knowledge base does not hold. A
    word the rewriter read as pinyin of plan words ("yi jian shi" -> 一件事) is no place."""
    left = rewritten.lower()
    for m in vocab.PLACE_LATIN.finditer(question):
        word = m.group(1)
        if m.group(2).lower() in ("shi", "city") and word.lower() not in left:
            continue  # "shi" is also 是/事: only a word the rewriter left alone names a city
        if word.lower() not in vocab.EN_STOPWORDS and word.lower() not in vocab.EN_NOT_PLACES:
            return f"{word[:1].upper()}{word[1:]} {m.group(2).lower()}"
    return None
