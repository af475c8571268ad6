"""Field readers: responsible units and deadlines (as written and as dates) of clauses and table rows.

Used by indexer/tables.py, indexer/actors.py and indexer/entries.py on already-normalised text
(indexer/normalize.py). Document metadata (title, issuer, 文号, date, region, year) is indexer/metadata.py.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from indexer.patterns import cn_to_int

# ---------------------------------------------------------------- responsible units

# Endings that make a string look like the name of a government unit (局, 办公室, 街道办事处, 有关部门 …).
_UNIT_END = (
    "局", "办", "室", "委", "会", "处", "中心", "部门", "单位", "政府", "镇街", "街道", "分局", "公司",
    "院", "所", "站", "队", "团", "馆", "集团", "部", "署", "厅", "行", "组", "社", "支队", "大队",
    "管委会", "小组", "（单位）", "(单位)", "办事处",
)
_ROLE_SUFFIX = re.compile(
    r"(?:(?:按照?|根据)(?:各自)?(?:职责|职能)(?:分工)?(?:分别|共同)?(?:牵头|配合|负责|参与|落实|统筹)*"
    r"|(?:分别|共同)?(?:牵头|配合|负责|参与|协办|主办|为主|等|落实|统筹)+)$"
)
# "等有关部门", "等市有关单位", "等数字经济工作领导小组成员单位": a group named after the list, never a unit
_TRAILING_GROUP = re.compile(r"等(?:区政府|市政府|县政府|区|市|县)?(?:各)?(?:[\u4e00-\u9fff]{0,14}?(?:成员|有关|相关|其他))?"
                             r"(?:部门|单位)(?:（单位）|\(单位\))?$")
_SPLIT = re.compile(r"[、，,；;/]|\s+(?=[\u4e00-\u9fff])")
_ANNOTATION = re.compile(r"[（(]\s*(?:责任单位|牵头单位|责任部门|负责单位)\s*[：:](?P<units>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]")
_SENTENCE = re.compile(r"(?:责任单位|牵头单位|责任部门|负责单位)\s*[：:]\s*(?P<units>[^。；\n]+)")
_SUBLABEL = re.compile(r"^[^:：]{1,20}[:：]")
# "管委会和区发展改革委": 和/及/与 between two unit names (not inside one, as in 区教育和体育局).
_UNIT_AND = re.compile(r"(?<=[局办室委会处厅署院所站队部])(?:和|及|与)(?=(?:区|市|县|镇|乡|各|有关|相关)[\u4e00-\u9fff])")


# Words left over from lists such as "区政府有关部门、单位": not unit names on their own.
_BARE_WORDS = frozenset({"单位", "部门", "有关", "相关", "其他", "等", "各单位"})


# A list of place levels that shares one institution word ("各州、市人民政府", "市、县政府"): its 、 joins the
# levels of one unit name; neither "各州" nor "市" names a unit alone. A 、 inside brackets joins too
# ("各县(市、区)人民政府").
_LEVEL_RUN = re.compile(
    r"(?<![\u4e00-\u9fff])各?[省市州县区旗盟]{1,3}(?:、[省市州县区旗盟]{1,3})+"
    r"(?=[\u4e00-\u9fff（(〔]{0,12}?(?:人民政府|政府|管委会|部门|单位|机关))"
)
_OPENERS, _CLOSERS = "（(〔[［﹝【", "）)〕]］﹞】"
_KEPT = "\ue000"  # stands for a 、 that joins rather than separates, while a list is split


def guard_joins(text: str) -> str:
    """`text` with each 、 that stands inside one unit name (a level run, brackets) replaced by a mark that
    no list split cuts at; `restore_joins` puts them back."""
    text = _LEVEL_RUN.sub(lambda m: m.group(0).replace("、", _KEPT), text)
    out, depth = [], 0
    for ch in text:
        depth += ch in _OPENERS
        depth = max(0, depth - (ch in _CLOSERS))
        out.append(_KEPT if ch in "、，," and depth else ch)
    return "".join(out)


def restore_joins(text: str) -> str:
    return text.replace(_KEPT, "、")


def split_units(text: str) -> list[str]:
    """Unit names as written, from a 责任单位 cell or annotation.

    "区政府办公室、区行政审批服务局牵头，有关部门配合，各街道办事处" ->
    ["区政府办公室", "区行政审批服务局", "有关部门", "各街道办事处"]; group tails such as
    "等有关部门" are dropped from the name before them, sub-labels ("区总体预案:区应急局") are read past.
    """
    text = re.sub(r"\s+", " ", text or "").strip().strip("。；;")
    units: list[str] = []
    for raw in _SPLIT.split(guard_joins(_UNIT_AND.sub("、", text))):
        part = restore_joins(raw).strip().strip("。；;：:")
        if not part:
            continue
        part = _SUBLABEL.sub("", part).strip()
        part = _TRAILING_GROUP.sub("", part) or part
        part = _ROLE_SUFFIX.sub("", part).strip()
        if len(part) < 2 or not re.search(r"[\u4e00-\u9fff]", part) or part in _BARE_WORDS:
            continue
        if part not in units:
            units.append(part)
    return units


def without_group_tail(name: str) -> str:
    """"区司法局等区政府有关部门" -> "区司法局": a list's group tail is no unit name of its own."""
    return _TRAILING_GROUP.sub("", name) or name


def looks_like_units(cell: str) -> bool:
    """True when a table cell reads as a list of unit names rather than a requirement or a heading."""
    cell = cell.strip()
    if not cell or len(cell) > 400 or "。" in cell:
        return False
    parts = [p for p in (_SUBLABEL.sub("", x.strip()) for x in re.split(r"[、，,；;\s]+", cell)) if p]
    if not parts:
        return False
    unitish = sum(1 for p in parts if is_unit_name(p))
    return unitish >= max(1, (len(parts) + 1) // 2)


def is_unit_name(part: str) -> bool:
    """True when one list item reads as a unit name ("区财政局", "区行政审批服务局牵头", "等有关部门"; a
    department's own 科室: "法规科", "各职能科(室)")."""
    p = _TRAILING_GROUP.sub("", part) or part
    p = _ROLE_SUFFIX.sub("", p)
    p = re.sub(r"[（(][室股组]?[）)]$", "", p)
    return p.endswith(_UNIT_END) or len(p) >= 3 and p.endswith(("科", "股")) or p in {
        "有关部门", "相关部门", "各有关部门"}


def inline_units(text: str) -> tuple[list[str], str | None]:
    """Units from "（责任单位：…）" annotations or "责任单位：…" sentences inside a clause, and the raw wording."""
    found = [m.group("units") for m in _ANNOTATION.finditer(text)]
    if not found:
        found = [m.group("units") for m in _SENTENCE.finditer(text)]
    units: list[str] = []
    for chunk in found:
        for u in split_units(chunk):
            if u not in units:
                units.append(u)
    roles = "；".join(re.sub(r"\s+", "", c) for c in found) or None
    return units, roles


# ---------------------------------------------------------------- deadlines

_DATE_ANY = re.compile(
    r"(?:(?P<y>\d{4})\s*年)?\s*(?:(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月)?\s*"
    r"(?:(?P<d>\d{1,2})\s*日|(?P<part>底|末|中旬|上旬|下旬|初|中))?"
)
_DEADLINE_CELL = re.compile(
    r"^(?:\d{4}\s*年|\d{4}[.．/-]\d{1,2}|\d{1,2}\s*月|全年|年内|年底|年末|长期|持续|常态|常年|每年|每半年|每季度|每月|"
    r"按季度|按月|按年|定期|及时|本年度|年度内|当年|今年|日常|适时|按要求|按规定|第?[一二三四]季度|"
    r"本(?:文件|要点|方案|通知)印发|本(?:文件|要点|方案)发布|即时|随时|[上下]半年|第[一二三四]季度|会议结束)"
)
# Time expressions inside clause text that read as a deadline or a time requirement.
DEADLINE_IN_TEXT = re.compile(
    r"(?:\d{4}\s*年\s*(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末|中旬|上旬|下旬)?|年?底|年?末|上半年|下半年)?\s*(?:前|之前|以前)"
    r"|(?<![\d年])\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末)?\s*(?:前|之前)"
    r"|(?<!\d)(?:年底|年末|年内)前?"
    r"|本(?:文件|要点|方案|通知)(?:印发|发布)后\s*\d+\s*(?:个)?(?:工作)?日内"
    r"|\d+\s*个?工作日内"
    r"|每(?:年|季度|月|半年)(?:至少)?[^，。；]{0,12}?\d+\s*次)"
)


_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})(?=\s*年)")
_CN_MONTH = re.compile(r"(?<=年)(\s*)([一二三四五六七八九十]{1,2})(?=\s*月)")
_CN_DAY = re.compile(r"(?<=月)(\s*)([一二三四五六七八九十]{1,3})(?=\s*日)")


def arabic_dates(text: str) -> str:
    """Dates written in Chinese numerals ("二〇二二年六月十四日") with Arabic digits ("2022年6月14日")."""
    if not re.search(r"[〇○零一二三四五六七八九十]\s*[年月日]", text):
        return text
    text = _CN_YEAR.sub(lambda m: str(cn_to_int(m.group(1))).zfill(4), text)
    text = _CN_MONTH.sub(lambda m: m.group(1) + str(cn_to_int(m.group(2))), text)
    return _CN_DAY.sub(lambda m: m.group(1) + str(cn_to_int(m.group(2))), text)


@dataclass(frozen=True)
class Deadline:
    text: str
    due: str | None  # ISO date


def looks_like_deadline(cell: str) -> bool:
    """True for a short 完成时限 cell such as "2022年9月底前", "全年", "长期坚持", "本文件印发后30日内"."""
    cell = re.sub(r"\s+", "", cell or "")
    return bool(cell) and len(cell) <= 40 and "。" not in cell and bool(_DEADLINE_CELL.match(cell))


def _month(value: str | None) -> int | None:
    if not value:
        return None
    m = cn_to_int(value)
    return m if 1 <= m <= 12 else None


def _day_of(y: int, mon: int, day: str | None, part: str | None) -> int:
    """The day a month's deadline falls on: the day written, else 上旬 10, 中旬 20, else the month's last."""
    if day:
        return min(int(day), calendar.monthrange(y, mon)[1])
    if part in {"上旬", "初"}:
        return 10
    if part in {"中旬", "中"}:
        return 20
    return calendar.monthrange(y, mon)[1]


def _latest_date(s: str, year: int | None) -> tuple[int, int, int] | None:
    """The latest (year, month, day) a deadline's text names ("2022年9月底前", "2022.12", "9月底" in `year`)."""
    best: tuple[int, int, int] | None = None
    for m in _DATE_ANY.finditer(s):
        y = int(m.group("y")) if m.group("y") else year
        mon = _month(m.group("m"))
        if y is None or (mon is None and not m.group("y")):
            continue
        # "2022年年底前", "2022年底前", "2022年" alone -> the year's end
        cand = (y, 12, 31) if mon is None else (y, mon, _day_of(y, mon, m.group("d"), m.group("part")))
        best = cand if best is None or cand > best else best
    for m in re.finditer(r"(\d{4})[.．/-](\d{1,2})(?:[.．/-](\d{1,2}))?", s):  # "2022.12", "2022/6/30"
        y, mon = int(m.group(1)), int(m.group(2))
        if 1 <= mon <= 12:
            cand = (y, mon, _day_of(y, mon, m.group(3), None))
            best = max(best, cand) if best else cand
    return best


def _period_end(s: str, year: int) -> str | None:
    """The end of a period a deadline names within the plan's year: a quarter, the year, its first half."""
    quarter = re.search(r"(?<!每)第?([一二三四])季度", s)
    if quarter:  # "第三季度" -> the quarter's last day
        mon = 3 * cn_to_int(quarter.group(1))
        return f"{year:04d}-{mon:02d}-{calendar.monthrange(year, mon)[1]:02d}"
    if re.search(r"全年|年内|年底|年末|长期|持续|常态|常年|每年|本年度|年度内|当年|今年|下半年", s):
        return f"{year:04d}-12-31"
    if "上半年" in s:
        return f"{year:04d}-06-30"
    return None


def due_date(text: str | None, year: int | None = None) -> str | None:
    """An ISO date for a deadline, where one can be read: "2022年9月底前" -> 2022-09-30; "全年" -> year's end.

    Relative deadlines ("本文件印发后30日内", "会议结束后及时") have no fixed date and give None.
    When the text names a month but no year, the plan's `year` is used.
    """
    if not text:
        return None
    s = arabic_dates(re.sub(r"\s+", "", text))
    if re.search(r"印发后|发布后|结束后|\d+个?工作日内|\d+日内", s):
        return None
    best = _latest_date(s, year)
    if best:
        return f"{best[0]:04d}-{best[1]:02d}-{best[2]:02d}"
    return _period_end(s, year) if year else None


def deadline_in_text(text: str) -> str | None:
    """The first time requirement written inside a clause ("于8月31日前", "年底前", "每年至少听取1次")."""
    m = DEADLINE_IN_TEXT.search(text or "")
    return re.sub(r"\s+", "", m.group(0)) if m else None
