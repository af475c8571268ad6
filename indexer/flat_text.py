"""The head of a plan flattened onto one line, split back into the lines it had.

A web page copied as text loses its paragraph breaks: letterhead, 文号, the notice's title, its addressees,
the signature and date, "（此件公开发布）", the plan's title and the first paragraph all run together
("…办公室文件济历城政办发〔2023〕3号济南市历城区人民政府办公室关于印发…的通知各街道办事处，…："). Each piece
is recognised by its own shape and cut out as a line, so the title, issuer, 文号 and date are found as in any
other plan. The clause numbers further on are split by indexer/normalize.py (`_InlineNumbers`). Called
from normalize.clean_lines on lines of the document's head (before its plan title or first clause).
"""
from __future__ import annotations

import re

from indexer.metadata import DOC_NUMBER, is_plan_title

_OFFICE = r"(?:人民政府办公室|人民政府办公厅|人民政府|管委会办公室|管理委员会办公室|管委会|办公室|办公厅)"
_LETTERHEAD = re.compile(rf"^[\u4e00-\u9fff]{{2,30}}?{_OFFICE}文件")
_NOTICE = re.compile(rf"(?:[\u4e00-\u9fff]{{2,30}}?{_OFFICE})?\s*关于印发.{{2,80}}?的通知")
_SALUTATION = re.compile(r"^[^。；]{2,160}?[：:]")
_SIGNATURE = re.compile(
    rf"[\u4e00-\u9fff]{{2,30}}?{_OFFICE}\s*\d{{4}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日(?:\s*印发)?"
)
_PUBLISH_NOTE = re.compile(r"[（(]此件(?:公开发布|主动公开|不公开|依申请公开)[）)]")
_TITLE = re.compile(
    r"(?:\d{4}\s*年)?[\u4e00-\u9fff]{0,20}?\s*(?:\d{4}\s*年(?:度)?)?\s*[\u4e00-\u9fff]{0,12}?"
    r"(?:政务公开|政府信息公开)[\u4e00-\u9fff]{0,12}?(?:工作要点|实施方案|工作方案|工作计划|任务分解|工作安排)"
)
# What may not follow a plan's title standing on its own: the rest of a notice's or a citation's words.
_NOT_AFTER_TITLE = re.compile(r"\s*(?:的|》|”|」|（|\(|，|,|、|等|和|及)")
_BOUNDARY = frozenset("。；：:！？）)】」”")


def _pieces(line: str, pattern: re.Pattern[str], check=None) -> list[str]:  # noqa: ANN001
    """The line cut before and after every match of `pattern` that passes `check`."""
    cuts: list[int] = []
    for m in pattern.finditer(line):
        if check is None or check(line, m):
            cuts.extend([m.start(), m.end()])
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [p.strip() for p in (line[a:b] for a, b in zip(bounds, bounds[1:], strict=False)) if p.strip()]


def _free_doc_number(line: str, m: re.Match[str]) -> bool:
    """A 文号 standing on its own, not one cited in a sentence ("（鲁政办字〔2020〕78号）", "按照…号要求")."""
    before = line[m.start() - 1] if m.start() else ""
    after = line[m.end()] if m.end() < len(line) else ""
    return (not before or before not in "（(《“按照依据根据") and (not after or after not in "）)》”、，,文要")


_NUMBER_OPENS_AFTER = ("文件", "通知", "办公室", "办公厅", "人民政府", "管委会", "：", ":", "号", "。")


def _doc_number_start(line: str, m: re.Match[str]) -> int:
    """Where a 文号 glued to what precedes it begins: after "文件", the notice's title or the office name
    before it, and at most 8 characters before its bracket ("…的通知某政办字〔2021〕8号" -> 某政办字…)."""
    opening = re.search(r"[〔［\[【(（]", m.group(0))
    assert opening is not None  # a 文号 always has its bracket
    bracket = m.start() + opening.start()
    head = line[m.start():bracket]
    cut = max((head.rfind(w) + len(w) for w in _NUMBER_OPENS_AFTER if w in head), default=0)
    return max(m.start() + cut, bracket - 8)


def _split_doc_numbers(line: str) -> list[str]:
    out: list[str] = []
    pos = 0
    for m in DOC_NUMBER.finditer(line):
        if not _free_doc_number(line, m):
            continue
        start = _doc_number_start(line, m)
        out.extend([line[pos:start], line[start:m.end()]])
        pos = m.end()
    out.append(line[pos:])
    return [p.strip() for p in out if p.strip()]


def _plan_title(line: str, m: re.Match[str]) -> bool:
    before = line[max(0, m.start() - 4):m.start()]
    return (is_plan_title(m.group(0)) and not before.endswith(("《", "“", "关于印发", "印发"))
            and not _NOT_AFTER_TITLE.match(line, m.end()))


def _after_notice(parts: list[str]) -> list[str]:
    """The addressees of a notice ("各镇人民政府、街道办事处，…：") on a line of their own."""
    out: list[str] = []
    for part in parts:
        m = _SALUTATION.match(part) if part.startswith("各") else None
        if m and len(part) > m.end():
            out.extend([m.group(0), part[m.end():].strip()])
        else:
            out.append(part)
    return out


def split_head(line: str) -> list[str]:
    """A head line holding several of the plan's head parts -> one line per part (other lines unchanged)."""
    if len(line) < 40 or "\t" in line:
        return [line]
    parts = [line]
    m = _LETTERHEAD.match(line)
    if m and m.end() < len(line):
        parts = [m.group(0), line[m.end():].strip()]
    steps = [
        _split_doc_numbers,
        lambda s: _pieces(s, _NOTICE, lambda ln, mm: ln[max(0, mm.start() - 1):mm.start()] not in ("《", "“")),
        lambda s: _pieces(s, _PUBLISH_NOTE),
        lambda s: _pieces(s, _SIGNATURE),
        lambda s: _pieces(s, _TITLE, _plan_title),
    ]
    for step in steps:
        parts = [piece for part in parts for piece in step(part)]
        if step is steps[1]:
            parts = _after_notice(parts)
    return parts


_BLOCK_START = re.compile(r"(?<=[。；;！？])\s*(?=(?:附件|附表)\s*[:：\d一二三四五六七八九]|(?:抄送|主送)\s*[:：])")


def split_tail(line: str) -> list[str]:
    """A long line running past the body -> the body, then the attachments / 抄送 block and the closing
    signature ("…接受社会监督。附件：…", "…某县人民政府办公室2024年3月1日印发") each on a line of their own."""
    if len(line) < 200 or "\t" in line:
        return [line]
    cuts = [m.start() for m in _BLOCK_START.finditer(line)]
    cuts += [x for m in _SIGNATURE.finditer(line) if m.start() > 0 and line[m.start() - 1] in _BOUNDARY | {" "}
             for x in (m.start(), m.end())]
    if not cuts:
        return [line]
    bounds = [0, *sorted(set(cuts)), len(line)]
    return [p.strip() for p in (line[a:b] for a, b in zip(bounds, bounds[1:], strict=False)) if p.strip()]
