"""Regions as identities: a plan's region is its administrative division, not just its name.

China has several districts of one name (市中区 in 济南, 枣庄, 乐山, 内江; 鼓楼区 in five cities). The
indexer gives every document its GB/T 2260 `division_code` (indexer/divisions.py); here, at index build,
plans whose short region name is shared by different held divisions get a qualified region key — the city
and the district ("济南市市中区", "枣庄市市中区") — so their entries never mix; a name held once keeps its
short form (the shipped plans' answers do not change). Each region key also gets the names a question may
use for it (`region_aliases`: "枣庄市中区", "枣庄市市中区", "枣庄 市中区"; a bare "市中区" stands for every
held 市中区, and the reader then groups or asks), and each held division's city becomes a parent place.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from indexer.divisions import Division, table
from indexer.model import Document


def _city_of(code: str) -> Division | None:
    """The city (or, for a 直辖市 district, the province) a county-level division belongs to."""
    lineage = table().lineage(code)
    return lineage[-2] if len(lineage) >= 2 else None


def qualify_regions(documents: Iterable[Document]) -> None:
    """Give plans whose region name is shared by several held divisions a city-qualified region (in place,
    on the documents and their entries)."""
    docs = [d for d in documents if d.region]
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        if d.division_code:
            codes_by_name[d.region or ""].add(d.division_code)
    for d in docs:
        if len(codes_by_name.get(d.region or "", ())) < 2 or not d.division_code:
            continue
        city = _city_of(d.division_code)
        if city is None:
            continue
        qualified = city.name + (d.region or "")
        d.region = qualified
        for e in d.entries:
            e.region = qualified


def region_aliases(documents: Iterable[Document]) -> dict[str, list[str]]:
    """Names a question may give each held region, mapped to the region keys they stand for."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for d in documents:
        if not d.region or not d.division_code:
            continue
        division = table().get(d.division_code)
        city = _city_of(d.division_code)
        if division is None or city is None or division.level != "county":
            continue
        names = {division.name} | ({division.short} if division.short else set())
        cities = {city.name} | ({city.short} if city.short else set())
        for c in cities:
            for n in names:
                aliases[c + n].add(d.region)
        for n in names:
            aliases[n].add(d.region)
        aliases[d.region].add(d.region)  # the key itself: a longer name found hides the bare district in it
    return {a: sorted(r) for a, r in aliases.items()}


def division_parents(documents: Iterable[Document]) -> dict[str, set[str]]:
    """Each held county-level plan's city (by its full name) -> the plans' region keys."""
    parents: dict[str, set[str]] = defaultdict(set)
    for d in documents:
        if d.region and d.division_code:
            division, city = table().get(d.division_code), _city_of(d.division_code)
            if division is not None and city is not None and division.level == "county" and city.level == "city":
                parents[city.name].add(d.region)
    return parents


def unheld_division(text: str, held_codes: set[str]) -> str | None:
    """A city-and-district the text names whose division no plan holds ("枣庄市市中区" when only 济南's
    市中区 is held), so the question is declined as not held rather than answered from a namesake."""
    mentions = table().find(text, short=True)
    for first, second in zip(mentions, mentions[1:], strict=False):
        if not first.start < second.start <= first.end:  # adjacent, or overlapping ("枣庄市中区")
            continue
        for city_code in first.codes:
            for code in second.codes:
                division = table().get(code)
                city = table().get(city_code)
                if division is not None and city is not None and division.parent == city_code \
                        and division.level == "county" and code not in held_codes:
                    return city.name + division.name
    return None
