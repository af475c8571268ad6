"""Responsible units written as the actors of a clause's sentences, with 牵头 (lead) and 配合 (support) apart.

Plans without a task table say who does what in the sentence itself: "县政府各部门要…", "由县政务公开办公室负责…",
"区发展改革局牵头，区财政局配合", "区教育局会同区财政局做好…", "X、Y按职责分工负责", or a unit line after the task
("县教育局牵头落实", "X、Y分别牵头落实"). Only names that read as units are taken, never a guess: a generic
subject ("各级各部门") gives that generic unit. Used by indexer/entries.py for clauses that name no unit in a
table or a "（责任单位：…）" note; `split_roles` also splits a table's 责任单位 wording into lead and support.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.fields import is_unit_name, split_units

# A sentence's subject ends where one of these begins ("县政府各部门要…", "区教育局会同…"); 负责同志 and
# 负责人 are people ("区政府有关部门负责同志通过…"), not the verb.
_SUBJECT_CUE = re.compile(
    r"(?:要|应当|应|须|必须|务必|负责(?!同志|人)|牵头|会同|配合|协助|按照?职责(?:分工)?|分别|共同|联合|均要|都要|"
    r"切实|积极|认真|进一步|持续|及时|主动|定期|可)"
)
_SUPPORT_CUE = ("配合", "协助", "参与", "协同", "协办")
_ROLE_CUE = re.compile(r"负责|牵头|配合|协助|按照?职责(?:分工)?负责|分别负责|分别牵头")
# "由X负责", "由X牵头", "由X组织实施"
_BY = re.compile(r"由(?P<units>[^，,。；;由]{2,80}?)(?P<role>牵头|负责|组织|统筹|承担|具体实施|实施|落实)")
# "X牵头，Y配合" (also inside brackets: "（区政府办公室牵头，各部门配合）")
_PAIR = re.compile(
    r"(?P<lead>[^，,。；;（(：:]{2,80}?)牵头(?:负责)?[，,、]\s*(?P<support>[^，,。；;（(：:]{2,120}?)(?:等)?"
    r"(?:配合|协助|参与|协同)"
)
# "会同区财政局做好…": the units after 会同, before the verb.
_WITH = re.compile(r"会同(?P<units>[^，,。；;]{2,80})")
# A unit line after a task ("县教育局牵头落实", "X、Y分别牵头落实", "区政府办公室负责").
_UNIT_LINE = re.compile(
    r"^(?P<units>[^，,。；;：:]{2,120}?)(?:等)?(?:分别|共同)?(?P<role>牵头落实|负责落实|牵头负责|具体落实|落实|牵头|负责|配合)$"
)
_LEADING_WORDS = re.compile(r"^(?:[一二三四五六七八九十]+是|同时|此外|另外|其中|首先|其次|最后|并且|并|要求)[，,、]?")
_NOT_ACTOR_END = ("网站", "平台", "专栏", "专区", "系统", "热线", "栏目", "窗口", "新媒体", "公开栏", "目录", "清单")
_GENERIC_AREA = re.compile(r"^各(?:级|镇|乡|乡镇|镇街|街道|村|社区|县|区|市|县区|区县|县市区|园区)")
_NAME_START = ("县", "区", "市", "省", "州", "镇", "乡", "街道", "各", "有关", "相关", "全", "本级", "自治")


@dataclass
class Actors:
    """Units named as actors: `lead` (responsible, 牵头 or unlabelled) and `support` (配合), as written."""

    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    wording: list[str] = field(default_factory=list)  # the phrases they were read from

    @property
    def units(self) -> list[str]:
        """Every unit, lead first."""
        return [*self.lead, *(u for u in self.support if u not in self.lead)]

    def add(self, lead: list[str], support: list[str], phrase: str) -> None:
        for u in lead:
            if u not in self.lead:
                self.lead.append(u)
        for u in support:
            if u not in self.support and u not in self.lead:
                self.support.append(u)
        if phrase and phrase not in self.wording:
            self.wording.append(phrase)


def actor_name(part: str) -> bool:
    """Whether a subject part names a unit: a unit name, or a generic one ("各镇（街道）", "各单位")."""
    p = re.sub(r"[（(][^（）()]{1,12}[）)]$", "", part.strip())
    if not p or len(p) > 30 or p.endswith(_NOT_ACTOR_END):
        return False
    return is_unit_name(p) or p in {"各单位", "各有关单位", "有关单位"} or bool(
        _GENERIC_AREA.match(p) and len(p) <= 8) or p.endswith("机关")


_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:省|市|区|县|州|旗|盟|镇|乡)")
# Words that never stand in a place name: a "place" holding one is the end of a sentence.
_NOT_PLACE = re.compile(r"提高|加强|做好|推进|完善|建立|健全|质量|工作|公开|开展|落实|信息|政策|解读|服务|管理|实施|水平")


def _names(text: str) -> list[str] | None:
    """The unit names of a list ("区政府办公室、各镇（街道）"), or None when any part is no unit or the list
    does not open like a unit name (a place, 区/县/市…, 各, 有关: "以用户为中心" is none)."""
    parts = [p for p in re.split(r"[、，,和与/]|以及|及(?!其|所属)", re.sub(r"\s+", "", text)) if p]
    if not parts or not all(actor_name(p) for p in parts):
        return None
    if not (parts[0].startswith(_NAME_START) or _PLACE.match(parts[0])):
        return None
    if any((m := _PLACE.match(p)) and _NOT_PLACE.search(m.group(0)) for p in parts):
        return None  # "提高解读质量县财政局": words of a sentence before the unit name
    names: list[str] = []
    for p in parts:
        kept = split_units(p) or [p.strip()]
        names.extend(n for n in kept if n not in names)
    return names


def _leading_names(text: str) -> list[str] | None:
    """Units at the start of `text` before the verb ("区财政局、区审计局做好…" -> both)."""
    out: list[str] = []
    for token in re.split(r"[、和及]", text):
        best = None
        for j in range(min(len(token), 30), 1, -1):
            if actor_name(token[:j]):
                best = token[:j]
                break
        if best is None:
            return out or None
        out.append(best)
        if best != token:
            break
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[。；;！!？?\n]", text) if s.strip()]


def _subject(sentence: str, found: Actors) -> None:
    """"县政府各部门要…": the units before the first cue word, when every part of that subject is a unit."""
    s = _LEADING_WORDS.sub("", sentence)
    cue = _SUBJECT_CUE.search(s, 2)
    if cue is None or cue.start() > 60:
        return
    if re.search(r"负责(?:同志|人)", s[: cue.start()]):  # "有关部门负责同志通过…": people as the subject
        return
    names = _names(s[: cue.start()])
    if not names:
        return
    rest = s[cue.start():]
    # the wording names the role when the cue is one ("区财政局牵头"), else only the units ("市政府各部门")
    wording = s[: cue.end()] if _ROLE_CUE.match(rest) else s[: cue.start()]
    if rest.startswith(_SUPPORT_CUE):
        found.add([], names, wording)
        return
    support: list[str] = []
    with_units = _WITH.match(rest)
    if with_units:
        support = _leading_names(with_units.group("units")) or []
        wording = s[: cue.start()] + "会同" + "、".join(support) if support else wording
    found.add(names, support, wording)


def _by(sentence: str, found: Actors) -> None:
    for m in _BY.finditer(sentence):
        names = _names(m.group("units"))
        if names:
            found.add(names, [], m.group(0))


def _pairs(sentence: str, found: Actors) -> None:
    for m in _PAIR.finditer(sentence):
        lead_text = re.sub(r"^.*?由", "", m.group("lead"))
        lead = _names(lead_text)
        support = _names(m.group("support"))
        if lead and support:
            found.add(lead, support, m.group(0))


def unit_line(line: str) -> Actors | None:
    """A line that only names units and their role ("县教育局牵头落实", "X、Y分别牵头落实"), else None."""
    bare = re.sub(r"\s+", "", line).strip("（()）。")
    pair = _PAIR.fullmatch(bare) or _PAIR.fullmatch(re.sub(r"(?:落实|工作)$", "", bare))
    if pair:
        lead, support = _names(pair.group("lead")), _names(pair.group("support"))
        if lead and support:
            found = Actors()
            found.add(lead, support, bare)
            return found
    m = _UNIT_LINE.match(bare)
    if not m:
        return None
    names = _names(m.group("units"))
    if not names:
        return None
    found = Actors()
    if m.group("role") == "配合":
        found.add([], names, m.group(0))
    else:
        found.add(names, [], m.group(0))
    return found


_LINE_END = re.compile(r"(?:牵头落实|负责落实|牵头负责|具体落实|落实|牵头|负责|配合)$")


def _tail_unit_line(text: str) -> tuple[str, Actors | None]:
    """A unit line glued to the end of a task's text that has no 。 before it ("…工作县教育局牵头落实"): the
    text before it and its actors. Without a boundary the names must open with 县/区/市/各… ."""
    if not _LINE_END.search(text) or unit_line(text):
        return text, None
    for i in range(max(1, len(text) - 120), len(text) - 2):
        line = unit_line(text[i:])
        if line and (text[i - 1] in "。；;，,：:）)" or text.startswith(_NAME_START, i)):
            return text[:i], line
    return text, None


def trailing_actors(text: str) -> Actors:
    """Only the unit line closing a paragraph ("…工作。县教育局牵头落实"), for paragraphs whose other
    sentences name no actor of their own (a plan's preamble)."""
    sentences = _sentences(text)
    last = unit_line(sentences[-1]) if sentences else None
    _, tail = _tail_unit_line(text)
    return last or tail or Actors()


def sentence_actors(text: str) -> Actors:
    """The units a clause names as actors of its sentences, lead and support apart."""
    found = Actors()
    text, tail = _tail_unit_line(text)
    if tail:
        found.add(tail.lead, tail.support, tail.wording[0])
    for sentence in _sentences(text):
        line = unit_line(sentence)
        if line:
            found.add(line.lead, line.support, line.wording[0])
            continue
        _pairs(sentence, found)
        _by(sentence, found)
        if not found.wording or found.wording[-1] not in sentence:
            for part in re.split(r"[，,：:]", sentence):  # "…向社区延伸，各镇政府、街道办事处要汇总…"
                _subject(part, found)
    return found


def split_roles(units_text: str | None, units: list[str]) -> tuple[list[str], list[str]]:
    """A table's or note's 责任单位 wording -> (lead, support), each in written order: names in a 配合单位
    column or before 配合/协助/参与 are support; names before 牵头/负责, or with no role, lead
    ("牵头单位：X；配合单位：Y", "X、Y牵头，Z配合，W")."""
    if not units_text:
        return list(units), []
    lead: list[str] = []
    support: list[str] = []
    # beside a 牵头单位 label the generic 责任单位 names the others: "牵头单位：X；责任单位：Y" -> Y supports
    led = bool(re.search(r"牵头(?:单位|部门|科室|处室)\s*[:：]", units_text))
    for part in re.split(r"[；;]", units_text):
        label = re.match(r"^\s*([^:：、，]{2,8})[:：]", part)
        if label and label.group(1).endswith(("单位", "部门", "科室", "处室")):
            helper = any(w in label.group(1) for w in _SUPPORT_CUE) or led and label.group(1).startswith("责任")
            (support if helper else lead).extend(split_units(part[label.end():]))
            continue
        pending: list[str] = []
        for token in re.split(r"[、，,\s]+", part):
            pending.extend(split_units(token))
            word = token.strip().rstrip("。")
            if re.search(r"(?:配合|协助|参与|协同)$", word):
                support.extend(pending)
                pending = []
            elif re.search(r"(?:牵头|负责|主办|为主)$", word):
                lead.extend(pending)
                pending = []
        lead.extend(pending)
    support = [u for u in dict.fromkeys(support) if u in units]
    lead = [u for u in dict.fromkeys(lead) if u in units and u not in support]
    lead += [u for u in units if u not in lead and u not in support]
    return lead, support
