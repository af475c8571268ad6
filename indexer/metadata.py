"""Document metadata: the plan's title, issuer, 文号, date, region and year.

Read from the document text (indexer/entries.py hands over the cleaned lines, in simplified characters
when the plan is written in traditional ones: indexer/hanzi.py); the file name (`2025-某某区-…`) is only a
fallback for region and year. A title that says 全区 / 全省 / 全市 names no region: the issuer does
("某某新区管委会办公室" -> 某某新区, "某省人民政府办公厅" -> 某省). The division (its GB/T 2260 code and full
name, indexer/divisions.py) is read from the same places, the 文号 and the text narrowing a name that several
divisions share (市中区).
"""
from __future__ import annotations

import re
from pathlib import Path

from indexer.divisions import Resolution, table
from indexer.fields import arabic_dates

# A 文号 in any of its written forms: 〔〕 [] （） 【】, spaces inside, 号 or 號.
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔［\[【(（]\s*\d{4}\s*[〕］\]】)）]\s*第?\s*\d{1,4}\s*[号號]"
)
# What may share the 文号's line in a letterhead: the signing date, "签发人：…".
_DATE_OR_SIGNER = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|签发人\s*[：:]\s*[\u4e00-\u9fff]{2,4}")
_DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布)?\s*$")
_PLAN_TITLE = re.compile(r"(政务公开|政府信息公开).{0,12}(工作要点|要点|实施方案|工作方案|工作计划|任务分解|工作安排)")
_OFFICES = (r"(?:人民政府办公室|人民政府办公厅|管理委员会办公室|管委会办公室|人民政府|管委会|"
            r"政务公开领导小组办公室|政务公开办公室)")
_ISSUER = re.compile(rf"^\s*([\u4e00-\u9fff]{{2,30}}?{_OFFICES})\s*(?:文件)?\s*$")
_SIGNED = re.compile(rf"^\s*([\u4e00-\u9fff]{{2,30}}?{_OFFICES})\s*\d{{4}}\s*年")
_NOTICE_BY = re.compile(rf"^\s*([\u4e00-\u9fff]{{2,30}}?{_OFFICES})\s*关于印发")
_OFFICE_BEFORE_DATE = re.compile(rf"^\s*[\u4e00-\u9fff]{{2,30}}?{_OFFICES}\s*(?=\d{{4}}\s*年)")
_ADMIN = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:自治州|自治县|特别行政区|地区|新区|省|市|区|县|旗|盟)")
_NOTICE_WORDS = re.compile(r"关于|印发|贯彻|落实|丨")
_NOT_REGION = ("全", "本", "我", "各", "该", "辖")  # 全区, 本县, 我市: the plan's own area, not its name
_FILE_NAME = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*[-_－—\s]\s*(?P<region>[^-_－—\s]{2,20})\s*[-_－—\s]")


def doc_number(lines: list[str]) -> str | None:
    """The plan's own 文号 (e.g. "周政办字〔2020〕27号"), from a header line that holds only the number;
    spaces inside are dropped and 號 read as 号 ("某政办字〔2021〕8 号" -> "某政办字〔2021〕8号")."""
    for line in lines:
        s = line.strip()
        m = DOC_NUMBER.search(s)
        if m is None:
            continue
        rest = _DATE_OR_SIGNER.sub("", s[: m.start()] + s[m.end():])
        if len(rest.strip()) <= 4 or m.start() == 0 and s[m.end():m.end() + 1] not in ("）", ")"):
            return re.sub(r"\s+", "", m.group(0)).replace("號", "号")
    return None


def iso_date(line: str) -> str | None:
    """"2022 年 6 月 14 日", "二〇二二年六月十四日印发" -> "2022-06-14"; None unless the line is only a date."""
    m = _DATE_LINE.match(arabic_dates(line))
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def issue_date(lines: list[str], title_index: int | None) -> str | None:
    """The signing date above the plan title (notice letters), else the "…印发" date at the end."""
    head = lines[: title_index or 0]
    for line in head:
        got = iso_date(line) or iso_date(_OFFICE_BEFORE_DATE.sub("", line))
        if got and "印发" not in line:
            return got
    for line in reversed(lines):
        if "印发" in line or "发布" in line:
            got = iso_date(line.split("办公室")[-1]) or iso_date(line)
            if got:
                return got
    for line in reversed(lines[-15:]):
        if iso_date(line):
            return iso_date(line)
    return None


def issuer(lines: list[str], title_index: int | None) -> str | None:
    """The issuing office named in the letterhead (or, failing that, the signature before the date)."""
    limit = title_index if title_index is not None else min(len(lines), 20)
    for line in lines[:limit]:
        m = _ISSUER.match(line) or _NOTICE_BY.match(line) or _SIGNED.match(line)
        if m:
            return m.group(1)
    for line in lines[-12:]:
        m = _ISSUER.match(line) or _SIGNED.match(line)
        if m:
            return m.group(1)
    return None


def is_plan_title(line: str) -> bool:
    s = re.sub(r"\s+", "", line)
    if not s or len(s) > 60 or s.startswith(("关于", "附件")) or "通知" in s or "《" in s:
        return False
    return bool(_PLAN_TITLE.search(s)) and not s.endswith(("。", "，", "；"))


def notice_title(lines: list[str]) -> str | None:
    """The plan's title named by its covering notice ("…关于印发2024年政务公开工作要点的通知", "现将《…》印发给你们"),
    for a plan whose own title line is missing."""
    head = "".join(re.sub(r"\s+", "", line) for line in lines[:30])
    for m in re.finditer(r"关于印发(.{4,60}?)的通知|《(.{4,60}?)》", head):
        name = m.group(1) or m.group(2)
        if is_plan_title(name):
            return name
    return None


def region_of(title: str | None, issuer_name: str | None) -> str | None:
    """The most specific 区/县/市 named in the title ("2023年济南市历城区…" -> 历城区), else in the issuer.
    "全区"/"本县"/"我市" name no region (the issuer does)."""
    for source in (title, issuer_name):
        if not source:
            continue
        s = re.sub(r"\s+", "", source)
        s = re.sub(r"^\d{4}年(?:度)?", "", s)
        s = re.split(r"(?:\d{4}年|政务公开|政府信息公开|人民政府|管委会|管理委员会)", s)[0]
        # a name starts after the words of the notice around it: "…办公厅关于印发广东省…" -> 广东省
        names = [n for n in (_NOTICE_WORDS.split(x)[-1] for x in _ADMIN.findall(s))
                 if len(n) >= 2 and _ADMIN.fullmatch(n) and not n.startswith(_NOT_REGION)]
        if names:
            return names[-1]
    return None


def year_of(*sources: str | None) -> int | None:
    """The first year written in the sources, in order (the plan's title, the notice's title, the date)."""
    for source in sources:
        m = re.search(r"((?:19|20)\d{2})\s*(?:年|-)", arabic_dates(source or ""))
        if m:
            return int(m.group(1))
    return None


def from_file_name(path: str) -> tuple[int | None, str | None]:
    """(year, region) from a file named as docs/knowledge.md asks ("2025-某某区-政务公开工作要点.docx")."""
    m = _FILE_NAME.match(Path(path).stem)
    if not m:
        return None, None
    names = [n for n in _ADMIN.findall(m.group("region")) if not n.startswith(_NOT_REGION)]
    return int(m.group("year")), (names[-1] if names else None)


def division_of(lines: list[str], sources: list[str | None], number: str | None, file: str) -> Resolution:
    """The plan's division, named by `sources` (issuer, title, covering notice) or else by the file name
    (`2025-济南市市中区-…`). A name several divisions share (市中区) is narrowed by the 文号 prefix
    (济市中政办字 -> 济南), then by the file name, then by the cities and provinces the text names most. The
    division list is loaded on the first call, not at import."""
    # a cited document ("根据《省人民政府办公厅关于印发2022年湖北省…的通知》") names its issuer, not this plan's
    text = "\n".join(re.sub(r"《[^《》]*》|\s+", "", s) for s in sources if s)
    body = "\n".join(lines)
    got = table().resolve(text, doc_number=number, context=body)
    m = _FILE_NAME.match(Path(file).stem)
    if got.division is None and m:
        joint = table().resolve(f"{text}\n{m.group('region')}", doc_number=number, context=body)
        if joint.division is not None or not got.candidates:
            got = joint
    if got.division is None and not got.candidates:
        found = table().by_number(number, body) or table().unambiguous(body)  # a plan without issuer or title (a bare task table): its text's places
        if found is not None:
            got = Resolution(found, (found,))
    return got
