"""Question understanding: question -> `Query` (intent, regions, year, departments, date window, terms).

Runs after bot/rewrite/ has put the question into plan vocabulary (typos, pinyin, English, synonyms)
and before retrieval in bot/engine.py. Question words decide the intent; they are not search terms.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from bot.answer import Intent

_WHO = re.compile(
    r"谁|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|啥部门|哪家|哪个局|哪个机关|责任单位|负责单位|牵头单位|"
    r"责任部门|主管部门|负责部门|归.{0,4}管|归哪|由.{0,3}负责|在搞|在管|找哪|归口|牵头|主责|负责的是|谁的事|"
    r"(?:责任|负责)[?？\s]*$"
)
_WHEN = re.compile(
    r"什么时候|何时|几时|啥时候|啥时|多久|多长时间|多少天|几天|时限|截止|期限|完成时间|几月|哪个月|哪一天|哪天|"
    r"什么时间|时间节点|频次|多少次|几次|年底前|月底前|之前完成|前完成|多长|时间要求|截至|到期"
)
_LIST = re.compile(
    r"哪些(?:任务|工作|事|事情|事项|活)|(?:有|负责|承担|管|干|做)(?:哪些|什么|啥)|任务清单|任务(?:有哪些|列表)?$|"
    r"都要|全部任务|所有任务|(?:的|有)?(?:任务|工作)(?:有哪些|是什么)|负责任务|要完成(?:什么|哪些|啥)|需要完成|到期的"
)
_AMOUNT = re.compile(r"多少钱|多少元|几块钱|金额|能拿多少|能领多少|能贷多少|贷多少|补多少|发多少|报销多少|标准是多少|多少补贴|每亩|how much", re.I)
# Asking how to get something done (办事指南): conditions, materials, steps, where to go. The plans say
# which information must be published, never the procedure itself.
_PROCEDURE = re.compile(
    r"(?:怎么|怎样|如何|咋)(?:样)?(?:办理|申请|办|报名|备案|注册|激活|补办|缴纳|缴费|交费|领取|提取|查询|开通|换领|换证|预约|投诉|认定)|"
    r"办理流程|办事流程|申请条件|申报条件|申请材料|需要(?:什么|哪些|啥)(?:材料|手续|证件|资料|条件)|(?:什么|哪些)(?:材料|手续)|"
    r"(?:去|到|在)哪(?:里|儿)?(?:办|交|领|申请|报名)|how (?:do|can) i|where can i", re.I)
# Asking for a length of time or a count ("多少个工作日", "多久", "几天"): the answer must state one.
_DURATION = re.compile(r"多少个?工作日|几个?工作日|多少天|几天|多长时间|多久|期限是多少|多少日|几日内|多少次|几次")
_HAS_DURATION = re.compile(
    r"\d+\s*(?:个)?(?:工作日|日|天|周|个月|月|年|次|小时|分钟)|[一二三四五六七八九十两]+\s*(?:个)?(?:工作日|日|天|周|个月|次|小时)|"
    r"年底|年末|月底|年内|及时|即时|实时|每年|每季度|按季度|季度|每月|按月|半年|当日|当天")
_GREETING = re.compile(r"^(?:你好|您好|hi|hello|在吗|谢谢|thanks?)[!！。.？?\s]*$", re.I)
_FOLLOWUP = re.compile(r"^(?:那|那么|还有|另外|and|what about)?\s*(?:它|这个|这项|该项|这条)?(?:的)?\s*"
                       r"(?:完成时限|时限|截止时间|什么时候|何时|谁负责|哪个部门|责任单位|负责单位|牵头单位|具体要求|内容|要求)"
                       r"(?:呢|是什么|是哪个|是谁)?[?？。!！\s]*$", re.I)
_YEAR = re.compile(r"(20\d{2})\s*(?:年|年度)?")
_MONTH_END = re.compile(r"(?:(20\d{2})\s*年)?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:\s*(\d{1,2})\s*日)?(?:底|末|份)?\s*(?:前|之前|以前|到期|截止)")
_YEAR_END = re.compile(r"(?:(20\d{2})\s*年\s*年?(?:底|末)|年底|年末)\s*(?:前|之前|以前)?")
_PLACE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(区|县|市|旗)(?![\u4e00-\u9fff]{0,2}(?:政府|委|局|办|部门|单位|级|域|属))")
_NOT_PLACE = ("本", "全", "各", "城", "辖", "社", "园", "景", "小", "市", "片", "开发", "功能", "试验", "示范", "新", "老",
              "库", "专", "地", "省", "该", "我", "你", "县", "区", "湾", "山", "校")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}


@dataclass
class Query:
    """What the engine needs to know about a question."""

    raw: str
    text: str
    lang: str = "zh"
    intent: Intent = Intent.WHAT
    regions: list[str] = field(default_factory=list)
    unknown_region: str | None = None
    year: int | None = None
    departments: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    expansions: list[str] = field(default_factory=list)
    until: date | None = None  # list questions: due on or before
    month_only: bool = False  # "9月底前" named no year: apply to each plan's own year
    asks_amount: bool = False
    asks_procedure: bool = False
    asks_duration: bool = False
    followup: bool = False
    greeting: bool = False
    vague: bool = False  # only general words ("区", "任务"): ask for a topic rather than guess
    corrections: list[tuple[str, str]] = field(default_factory=list)
    bigrams: list[str] = field(default_factory=list)  # character pairs of the question's topic words


def _month(v: str) -> int:
    return int(v) if v.isdigit() else _CN_NUM.get(v, 0)


def strip_dates(text: str) -> str:
    """The question without its "due by" phrase ("2020年底前", "9月底前"), so no piece of it is a topic."""
    return _YEAR_END.sub(" ", _MONTH_END.sub(" ", text))


def find_until(text: str, today: date | None = None) -> tuple[date | None, bool]:
    """A "due by" date in the question ("9月底前", "2024年6月30日前", "年底前") and whether it named no year."""
    m = _MONTH_END.search(text)
    year_default = (today or date.today()).year
    if m:
        month = _month(m.group(2))
        if 1 <= month <= 12:
            year = int(m.group(1)) if m.group(1) else year_default
            day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
            day = min(max(day, 1), calendar.monthrange(year, month)[1])
            return date(year, month, day), m.group(1) is None
    m = _YEAR_END.search(text)
    if m and re.search(r"(?:哪些|什么|啥|任务|清单)", text):
        year = int(m.group(1)) if m.group(1) else year_default
        return date(year, 12, 31), m.group(1) is None
    return None, False


def detect_intent(text: str, has_department: bool, has_until: bool, topic_terms: int,
                  has_region: bool = False) -> Intent:
    """who / when / what / list from the question's wording (not its topic)."""
    listy = bool(_LIST.search(text))
    if has_department and (listy or topic_terms == 0) and not _WHEN.search(text):
        return Intent.LIST
    if has_region and listy and topic_terms == 0 and not _WHO.search(text) and not _WHEN.search(text):
        return Intent.LIST  # "槐荫区有哪些任务": the whole plan's task list
    if has_until and (listy or re.search(r"哪些|什么|啥", text)) and topic_terms <= 1:
        return Intent.LIST
    if _WHO.search(text):
        return Intent.WHO
    if _WHEN.search(text):
        return Intent.WHEN
    if has_department and listy:
        return Intent.LIST
    return Intent.WHAT


def unknown_place(text: str, known: list[str], known_terms: set[str], words: list[str]) -> str | None:
    """A 区/县/市 name in the question that is not one of the knowledge base's regions (e.g. 海淀区).

    Only a name the segmenter keeps as one word counts (jieba knows real place names), and never one
    the plans themselves use ("无证明城市" is a topic, not a place).
    """
    for m in _PLACE.finditer(text):
        name = m.group(1) + m.group(2)
        stem = m.group(1)
        if stem.startswith(_NOT_PLACE) or any(name in k or k in name for k in known):
            continue
        if any(stem.endswith(x) for x in ("城乡", "全", "本")):
            continue
        if name in known_terms or stem in known_terms:
            continue
        if name not in words and stem not in words:
            continue
        return name
    return None


def is_followup(text: str) -> bool:
    return bool(_FOLLOWUP.match(text.strip()))


def is_greeting(text: str) -> bool:
    return bool(_GREETING.match(text.strip()))


def asks_duration(text: str) -> bool:
    return bool(_DURATION.search(text))


def states_duration(text: str) -> bool:
    """Whether a clause (or its deadline) states a time span, date or count that could answer 多久/几次."""
    return bool(_HAS_DURATION.search(text))


def asks_procedure(text: str) -> bool:
    return bool(_PROCEDURE.search(text))


def strip_procedure(text: str) -> str:
    """The question without its how-to wording, so the topic (低保, 居住证) is what gets searched."""
    return _PROCEDURE.sub(" ", text)


def asks_amount(text: str) -> bool:
    return bool(_AMOUNT.search(text))


def find_year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


_FUNCTION_CHARS = re.compile(r"[的了和与及等在是要对将把为由吗呢啊吧呀哪那这些有都也就还又并或以之其被给让从向于中上下个一各所啥么谁]")


def topic_bigrams(text: str) -> list[str]:
    """Character pairs inside the question's topic words (question phrasing already removed).

    Matching pairs rather than words makes "专项附加扣除" need those words together, which separates an
    off-topic question from one that merely shares two common words with a clause.
    """
    s = re.sub(r"[^\u4e00-\u9fff]+", " ", text)
    s = _FUNCTION_CHARS.sub(" ", s)
    return [w[i:i + 2] for w in s.split() if len(w) >= 2 for i in range(len(w) - 1)]
