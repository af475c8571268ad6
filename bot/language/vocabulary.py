"""THE vocabulary of cue words: every list of words that steers the engine rather than being searched.

Question words, intent cues, stop words, generic terms, amount / how-to / duration cues, greetings,
follow-up phrasing, date phrases and Chinese numerals all live here, each list with a line saying what
it is for, so adding a phrasing is one edit in one place (tests/bot/test_vocabulary.py has a test per
list). Read by bot/engine/understand.py (the question reader), bot/language/tokenizer.py (the tokenizer's stop words),
bot/engine/retrieve.py (generic terms), bot/engine/compose.py (clause numbers) and bot/language/rewrite/ (question words never
corrected as typos). Plan vocabulary (synonyms, aliases, the English glossary) is curated data in
knowledge/data/, not here.
"""
from __future__ import annotations

import re
from functools import lru_cache

# --- Chinese numerals ---------------------------------------------------------------------------------
# Digits of small Chinese numbers ("九", "两"); `cn_number` reads 1-99 from them.
CN_DIGITS: dict[str, int] = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Characters a Chinese numeral up to 99 is written with (for patterns: "[一二…十]").
CN_NUMERAL_CHARS = "一二三四五六七八九十"


def cn_number(text: str) -> int | None:
    """"9", "09", "九", "十二", "二十三" -> int (1-99); None for anything else."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


# Clause numbering at the start of a heading ("一、", "（三）", "2."), stripped when naming a topic.
LEADING_CLAUSE_NUMBER = re.compile(rf"^(?:[{CN_NUMERAL_CHARS}]+、|[（(][{CN_NUMERAL_CHARS}\d]+[）)]|\d+[.．、])\s*")

# --- words that are not content ------------------------------------------------------------------------
# Function words, question words, intent cues and politeness: never BM25 terms (the tokenizer drops them).
STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 和 与 及 以及 等 在 是 要 对 将 把 为 由 吗 呢 啊 吧 呀 哪 那 这 这些 那些 些 有 都 也 就 还 又 并 或 或者
    以 之 其 被 给 让 从 向 于 中 上 下 个 一 各 所 啥 怎么 怎么样 什么 哪个 哪些 哪家 哪里 哪儿 谁 如何 怎样 多久
    多长 多长时间 什么时候 何时 几时 啥时候 部门 单位 负责 牵头 主管 管 归 请问 你好 您好 请 帮 我 我们 你 您 想 问
    问下 一下 知道 能 能否 可以 可否 需要 应该 应当 该 会 吗 么 呢 嘛 哦 啦 得 地 着 过 里 内 后 前 时 时候 现在 今年
    最近 具体 主要 一般 相关 有关 方面 情况 问题 事 事情 事儿 东西 活儿 这个 那个 这样 那样 怎么办 办 干 搞 做
    到底 究竟 是不是 有没有 呀 ？ ? ， , 。 . ！ ! 、 ； ; ： : “ ” ‘ ’ （ ） ( ) 《 》 〔 〕 【 】 — - … · / 完成 时限
    截止 截至 到期 期限 时间 日期 截止时间 完成时间 责任 责任单位 负责单位 哪一个 哪位 什么样 要求 规定 什么样的
    """.split()
)

# Question phrasing cut out of a question before tokenizing, so it neither matches clause text nor
# counts as a topic word the plans lack ("哪个部门", "什么时候", sentence-final particles).
QUESTION_PHRASES = re.compile(
    r"责任单位|负责单位|责任主体|牵头单位|配合单位|责任部门|负责部门|主管部门|完成时限|截止时间|完成时间|时限|到期|"
    r"几回|多少回|几次|多少次|什么时候|啥时候|何时|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|由谁|归谁|谁来|谁负责|谁管|"
    r"要干些啥|干些啥|干些什么|干啥|做些什么|做什么|是啥样|啥样|是什么|是哪个|是哪些|有哪些|有什么|都有啥|有啥|"
    r"怎么样|怎么办|怎么|如何|多久|多长时间|在管|负责|牵头|归口|主管|请问|能不能|可不可以|是不是|"
    r"需要|应该|要求|规定|里面|里|之前|以前|前要|前|后要|呢|吗|啊|吧|呀|"
    # spoken and dialect fillers: who is asking and where they point, never what about
    r"俺们|俺|咱们|咱|这块儿|这块|那块儿|那块|这边|那边|这旮沓|那旮沓|这旮旯|那旮旯|这疙瘩|那疙瘩|"
    r"想问问|想问|问问|打听|一下|呗|咧|哩|嘛"
)

# Words too general to name a topic on their own ("政务公开任务" names none): they weigh little in
# coverage and a question made only of them is asked to be more specific.
GENERIC_TERMS: frozenset[str] = frozenset(
    "政务 公开 政务公开 信息 信息公开 政府 政府信息 任务 工作 重点 重点工作 要点 工作要点 年度 今年 本年度 全年 事项 "
    "哪些 什么 活 活儿 管 负责 区 市 县 政策 内容".split()
)



@lru_cache(maxsize=65_536)
def is_generic(term: str) -> bool:
    """A generic term, or a compound of two ("公开事项" = 公开 + 事项): names no topic either.
    Remembered per word: the reader and the ranking ask about the same words many times."""
    if term in GENERIC_TERMS:
        return True
    return any(term[:i] in GENERIC_TERMS and term[i:] in GENERIC_TERMS for i in range(1, len(term)))


# Question and function words the typo corrector never "corrects" and the pinyin reader recognises
# when typed in pinyin ("shei fuze").
QUESTION_WORDS: tuple[str, ...] = (
    "哪个部门", "哪些部门", "哪个单位", "哪些单位", "哪个", "哪些", "哪里", "哪儿", "什么时候", "什么",
    "多久", "多长时间", "多少", "几月", "几号", "何时", "谁", "负责", "牵头", "怎么办", "怎么", "怎样",
    "如何", "为什么", "是否", "是不是", "有没有", "能不能", "可以", "需要", "要求", "完成", "时限",
    "截止", "请问", "你好", "谢谢", "一下", "我们", "我的", "我家", "我想", "知道", "咨询", "办理",
    "由谁", "谁负责", "哪个部门负责", "什么时候完成", "哪些任务", "任务",
)

# Function words dropped from English questions (they carry no plan vocabulary).
EN_STOPWORDS: frozenset[str] = frozenset(
    """a an the is are was were be been being am do does did doing of for to in on at by about with
    from into onto and or nor but as that this these those it its there their theirs they them should
    shall will would can could may might must has have having had i me my mine we our ours you your he
    him his she her some any please tell us need needs want know get got regarding concerning also
    if so than then too very just there's what's who's it's does're i'm let let's which one ones
    district county city town township area region government's much many more most such other
    other's per via up down out over under again further here where why whose whom find see check look
    learn show give provide detail details thing things anything something task tasks
    plan plans say says said mention mentions mentioned take takes taking supposed
    ok okay yeah yes hi hello hey thanks thank alright hmm oh sorry excuse pardon""".split()
)

# English wh-words: they ask only where a clause opens (bot/language/rewrite/english.py); mid-clause they
# start a relative or time clause ("the person who handles it", "when the staff changes").
EN_WH_WORDS: frozenset[str] = frozenset("who whom whose when what which how where".split())
# Words after which a wh-word still opens the asked clause: conjunctions ("and when"), "by when",
# and indirect questions ("tell me who", "I'd like to know when", "wondering which").
EN_ASKING_OPENERS: frozenset[str] = frozenset(
    "and or but so also then by until till me know tell wonder wondering ask asking explain idea sure out".split())
# Verbs of duty right after "who" / "which office" ("Who handles it?", "Which bureau looks after that?"): they
# say what the question asks (who is responsible), not a topic ("handle" is otherwise 办理).
EN_DUTY_VERBS: frozenset[str] = frozenset(
    "handle handles handled handling manage manages managed run runs oversee oversees deal deals look looks "
    "take takes care cover covers covered do does did supervise supervises lead leads led".split())
# A time clause before the question ("When a Qixia office refuses a request, does it have to …?"): "when" opening
# a sentence with a subject (not "When must …"), whose question after a comma starts with one of these, asks nothing.
_EN_AUXILIARY = r"(?:does|do|did|is|are|was|were|can|could|should|must|will|would|has|have|shall)"
EN_MAIN_QUESTION = re.compile(
    rf"^\s*when\s+(?!{_EN_AUXILIARY}\b)[^,?.;]*,\s*(?:and\s+|then\s+|so\s+)?"
    rf"(?:{_EN_AUXILIARY}|who|whom|what|which|how|where|whose)\b", re.I)

# Characters that never start or end a topic word: pairs across them are not topic character pairs.
FUNCTION_CHARS = re.compile(r"[的了和与及等在是要对将把为由吗呢啊吧呀哪那这些有都也就还又并或以之其被给让从向于中上下个一各所啥么谁]")

# --- intent cues ---------------------------------------------------------------------------------------
# Asking who is responsible (责任单位).
WHO_CUES = re.compile(
    r"谁|哪个部门|哪些部门|哪个单位|哪些单位|什么部门|什么单位|啥部门|哪家|哪个局|哪个机关|责任单位|负责单位|责任主体|牵头单位|"
    r"责任部门|主管部门|负责部门|归.{0,4}管|归哪|由.{0,3}负责|在管|找哪|归口|牵头|主责|负责的是|"
    r"(?:责任|负责)[?？\s]*$"
)
# Asking when (完成时限, a time requirement, a period or a frequency).
WHEN_CUES = re.compile(
    r"什么时候|何时|几时|啥时候|啥时|多久|多长时间|多少天|几天|时限|截止|期限|完成时间|几月|哪个月|哪一天|哪天|"
    r"什么时间|时间节点|频次|多少次|几次|几回|多少回|年底前|月底前|之前完成|前完成|多长|时间要求|截至|到期"
)
# Asking for a whole list of tasks (of a department, a region, or due by a date).
LIST_CUES = re.compile(
    r"哪些(?:任务|工作|事|事情|事项|活)|(?:有|负责|承担|管|干|做)(?:哪些|什么|啥)|任务清单|任务(?:有哪些|列表)?$|"
    r"都要|全部任务|所有任务|(?:的|有)?(?:任务|工作)(?:有哪些|是什么)|负责任务|要完成(?:什么|哪些|啥)|需要完成|到期的|"
    r"哪几(?:项|个|件|条|样)|(?:多少|几)(?:项|件|条)任务|(?:列|罗列|梳理|数)(?:一下|出来|出|个|一遍)|(?:分到|领到|摊到|承担)了?(?:哪|什么|啥|多少|几)"
)
# Asking what a clause says or requires: with WHO/WHEN/LIST cues, a turn that states what it asks.
WHAT_CUES = re.compile(r"什么|哪些|如何|怎么|怎样|要求|内容|是否|有没有|吗|啥|咋")
# Words asking "which / what" that make a due-by date question a list ("9月底前要完成什么").
WHICH_CUES = re.compile(r"哪些|什么|啥")
# Words that make "年底" a due-by list rather than a topic ("年底前有哪些任务").
YEAR_END_LIST_CUES = re.compile(r"哪些|什么|啥|任务|清单")

# --- asks the plans never answer -----------------------------------------------------------------------
# Asking for money: fees, benefit levels, amounts.
AMOUNT_CUES = re.compile(
    r"多少钱|多少元|几块钱|金额|能拿多少|能领多少|能贷多少|贷多少|补多少|发多少|报销多少|标准是多少|多少补贴|每亩|how much|"
    r"(?:利率|利息|费率|价格|价钱|费用|收费|工资|报酬|罚款|押金|税率)[^，。？?]{0,4}(?:多少|几)|贴息|"
    r"\bwhat(?:'s| is| are) the (?:fees?|costs?|prices?|charges?)\b", re.I)
# A sum of money stated in a clause (the only case an amount question can be answered).
STATES_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s*(?:元|万元|亿元)")
# Asking for contact details or opening hours: the plans name departments, never their phones or doors.
CONTACT_CUES = re.compile(
    r"电话(?:号码)?(?:是)?多少|电话号码|联系电话|联系方式是|地址(?:在哪|是)|在哪(?:里|儿)?办公|几点(?:上班|下班|开门)|"
    r"(?:给|告诉|发)我[^，。？?]{0,6}(?:电话|地址|邮箱)|(?:具体|详细)地址|"
    r"上班时间|办公时间|开放时间|邮箱是|phone number|telephone number|address of|opening hours|office hours|"
    r"e-?mail address|(?:mobile|cell(?:phone)?|contact|direct|fax) (?:phone )?number|\bwechat id\b", re.I)
# Contact details stated in a clause (a phone number, an address line).
STATES_CONTACT = re.compile(r"\d{3,4}-\d{7,8}|\d{7,}|地址[:：]|电话[:：]")
# Asking how to get something done (办事指南): conditions, materials, steps, where to go. The plans say
# which information must be published, never the procedure itself.
PROCEDURE_CUES = re.compile(
    r"(?:怎么|怎样|如何|咋)(?:样)?(?:办理|申请|办(?![？?。！!，,；;呢啊呀哇嘞]|\s*$)|报名|备案|注册|激活|补办|缴纳|缴费|交费|领取|提取|查询|开通|换领|换证|预约|投诉|认定)|"
    r"办理流程|办事流程|申请条件|申报条件|申请材料|需要(?:什么|哪些|啥)(?:材料|手续|证件|资料|条件)|(?:什么|哪些)(?:材料|手续)|"
    r"(?:去|到|在)哪(?:里|儿)?(?:办|交|领|申请|报名)|(?:去|到|在)哪个(?:地方|窗口)(?:办|交|领|申请|报名)|"
    r"(?:要|得|需|需要)带(?:什么|哪些|啥)|how (?:do|can) i|where can i", re.I)
# Asking for a length of time or a count ("多少个工作日", "多久", "几天"): the answer must state one.
DURATION_CUES = re.compile(r"多少个?工作日|几个?工作日|多少天|几天|多长时间|多久|期限是多少|多少日|几日内|多少次|几次")
# Asking how often ("多久更新一次", "几次", "频次"): a frequency answers it as well as a period.
ASKS_FREQUENCY = re.compile(
    r"多久[^？?，。]{0,8}一[次回趟]|多长时间[^？?，。]{0,8}一[次回趟]|隔多久|几次|多少次|几回|多少回|频次|频率|"
    r"(?:一年|每年|一个月|每月|每季度)[^？?，。]{0,6}(?:几|多少)(?:次|回)")
# A period stated in a clause ("10个工作日内", "30日内", "三个月", "当日"): what 多久/几天 asks for.
STATES_PERIOD = re.compile(
    rf"(?:\d+|[{CN_NUMERAL_CHARS}两]+)\s*个?(?:工作日|日|天|周|星期|个月|小时|分钟)(?:内|以内)?|当日|当天")
# A frequency or count stated in a clause ("每季度", "每年至少1次", "按月"): what 多久一次/几次 asks for ("一次办好",
# "一次性" name a service and a one-off, no count).
# The period a how-often word names ("每季度", "按季度": 季度): two such words say the same when theirs is the same.
FREQUENCY_UNIT = re.compile(r"半年|季度|年|月|周|日|天")
# How often a turn presumes ("是每个月一次吧？", "按季度吧？"): a presumption as a deadline is.
FREQUENCY_SAID = re.compile(r"(?:每个?|按)(?:半年|季度|年|月|周)")
STATES_FREQUENCY = re.compile(
    rf"每(?:个)?(?:年|季度|半年|月|周|日|天)|按(?:年|季度|月|周)|(?:\d+|[{CN_NUMERAL_CHARS}两])\s*次(?![办性])")

# --- chatty messages ---------------------------------------------------------------------------------
# Where a message splits into segments (a greeting, a personal story, the question itself).
SEGMENT_SPLIT = re.compile(r"(?<=[，。？！；,.?!;\n])")
# A segment that asks something (as opposed to telling the bot about oneself): it ends with a question
# mark or particle, or uses a who / when / list cue. "什么都出不来" tells; "有什么要求？" asks.
ASKING = re.compile(
    WHO_CUES.pattern + "|" + WHEN_CUES.pattern + "|" + LIST_CUES.pattern + r"|(?:吗|呢|么|呀|[?？])\s*$")
# A question sentence that points back at an earlier one ("这方面的进展…", "这件事…", "上述…").
SENTENCE_POINTS_BACK = re.compile(r"这|那些|那个|此|该|上述|以上|其中")
# A determiner pointing at what was shown, right before a word ("这摊子", "这一块", "该项"): the word refers
# back, it names no topic of its own. (Not 那: "那医保呢？" is "and what about 医保".)
REFERS_BACK = r"(?:这|该|此)(?:个|些|项|条|件|一)?"
# Where a message splits into sentences (its question is usually the last one that asks).
SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])")
# The parts of a sentence between commas and semicolons: where one of several periods a sentence states
# belongs ("最迟在5小时内发布权威信息，在24小时内举行新闻发布会").
CLAUSE_PARTS = re.compile(r"[，,；;]")

# --- conversation --------------------------------------------------------------------------------------
# A message that is only a greeting or thanks.
GREETING = re.compile(r"^(?:你好|您好|hi|hello|在吗|谢谢|thanks?)[!！。.？?\s]*$", re.I)
# A follow-up asking another field of the previous clause ("那完成时限呢？", "谁负责？").
FOLLOWUP = re.compile(r"^(?:那|那么|还有|另外|and|what about)?\s*(?:它|这个|这项|该项|这条)?(?:的)?\s*"
                      r"(?:完成时限|时限|截止时间|什么时候|何时|谁负责|哪个部门|责任单位|负责单位|牵头单位|具体要求|内容|要求)"
                      r"(?:呢|是什么|是哪个|是谁)?[?？。!！\s]*$", re.I)

# Asking for the next page of a long list.
# Asking for the item after the one shown, in the plan's own order ("下一条", "再往下说说", "Show me the next item").
NEXT_ITEM = re.compile(r"下一条|下一项|下一个|下一页|下页|往下说|接着往下|再往下|后面(?:还有|的)|\bnext page\b|^\s*next\W*$|\bnext (?:one|item|clause|point|row|entry|task)\b|"
                       r"\bthe next\b|\bwhat comes next\b|\bfollowing (?:one|item|clause)\b", re.I)
# A turn pointing at the part of the plan shown ("What else does that part say?", "同节 其他"): more of that section.
SECTION_REF = re.compile(r"同节|同一节|这一节|本节|这节|同一部分|这一部分|这部分|这一段|这段|同一小节|这一小节|"
                         r"\b(?:that|this|the same) (?:part|section|bit|subsection|chapter|paragraph|heading)\b", re.I)
NEXT_PAGE = re.compile(r"^\s*(?:下一页|下页|后面的|更多|还有吗|还有呢|继续|接着说|next(?: page)?|more)[?？。!！\s]*$", re.I)
# A follow-up asking for more of the same clause ("除了发改局还有谁？", "还有哪些单位？").
ALSO_CUES = re.compile(r"除了|还有|另外|其他|其它|别的|else|other")
# A turn that continues the conversation ("那医保呢？", "换成历城区", "What about Licheng?").
CONTINUATION = re.compile(r"^\s*(?:那|那么|还有|另外|换成|换到|换个|再问|再看|同样|所以|and\b|so\b|what about|how about)|呢[?？。!！\s]*$", re.I)
# Conversation moves (bot/engine/moves.py) are read from the form of a turn, not from phrases:
# a yes/no question form (a final particle, an A-not-A or tag question, an English auxiliary first or a tag).
YES_NO_FORM = re.compile(
    r"(?:吗|呗|吧|嘛)[?？。!！\s]*$|是不是|对吧|对不对|对吗|对么|是吗|没错吧|是否|"
    r"^\s*(?:so\s+)?(?:is|are|was|were|does|do|did|will|has|have|can|should)\b|"
    r"\b(?:right|correct|isn'?t it|is it|aren'?t they|don'?t they|yes or no)\s*[?.!]*\s*$|"
    r"\b(?:one of (?:them|those)|among them|too|as well)\s*[?？]\s*$|也算(?:一个|一家)?[?？]?\s*$", re.I)
# A turn pointing back at what was just shown ("那这个事儿得啥时候弄利索？", "Who organizes them?"): its other
# words are wording, unless the plans use them (bot/engine/moves.py).
# Pointing back at the first clause the conversation showed ("刚才第一条那个…", "你刚才说的第一个", "The first thing
# you said"): that clause, not the last one, is asked about.
FIRST_SHOWN = re.compile(r"(?:刚才|刚刚|前面|之前|开始|一开始|最开始)[^，,。？?]{0,6}第一(?:个|条|项|次)|第一(?:个|条|项)(?:那|说的|讲的|提到)|"
                         r"\bthe first (?:one|thing|clause|item|answer|rule|point)\b(?: (?:you|that you) "
                         r"(?:said|mentioned|showed|gave|told|quoted))?", re.I)
POINTS_BACK = re.compile(r"这个|这件|这事|这项|这条|这些|它|\b(?:that|it|this|those|these|them)\b", re.I)
# A statement ending in a question mark ("监督投诉渠道那条 也是11月底？"): a yes/no check when it presumes a unit
# or a deadline and asks no who/when of its own (not "那区民政局呢？", which continues with another topic).
BARE_QUESTION = re.compile(r"(?<!呢)[?？]\s*$")
# A wh-word: a question asking what, who, when, which, how many — never a yes/no check on its own.
WH_FORM = re.compile(r"什么|啥|哪|谁|几|多少|怎|如何|咋|\b(?:what|which|who|whom|whose|when|where|why|how)\b", re.I)
# The shape of a unit's name the knowledge base may not hold ("宣传部", "区委", "网信办"): a word ending in the
# suffix of an office. A yes/no turn presuming such a unit is a confirmation ("这些是区委宣传部负责的吧？").
UNIT_SHAPE = re.compile(r"(?:部|局|办|委|中心|办公室|办事处|管委会)$")
# A "more" form: asking for something besides what was shown ("还有别的吗", "其他的呢", "anything else").
MORE_FORM = re.compile(r"还有|别的|其他|其它|另外|此外|再来|更多|其余|下一条|下一项|接着说|\bgo on\b|\bkeep going\b|\belse\b|\bmore\b|\banother\b|\bfurther\b|"
                       r"\badditional\b|\bother\b", re.I)
# A turn comparing the two plans the conversation has been through ("两个区哪个要求更早？", "Which of the two has
# to get there sooner?"): read only once clauses of two plans were shown (bot/engine/moves.py).
COMPARE_FORM = re.compile(r"两(?:个)?(?:区|县|市|地|边|个地方|个地区)|哪个(?:区|县|市|地方|地区)?(?:要求)?更|哪边|谁更|相比|对比|比较一下|比一比|比一下|"
                          r"\bwhich of (?:the|these|those) (?:two|both)\b|\bwhich of them\b|\bcompar(?:e|ed|ing|ison)\b|"
                          r"\bwhich (?:one|district|plan|county|city)\b.*\b(?:sooner|earlier|later|first|more|fewer|stricter)\b", re.I)
# A turn asking where the clause shown comes from ("这是哪个文件里的？", "出处呢？", "Which document is that from?"):
# its words name no topic; the answer is the same clause with its citation first.
SOURCE_FORM = re.compile(r"出处|出自哪|出自什么|哪(?:个|份|一个|一份)(?:文件|要点|材料)|什么文件(?:里|上|中)?|原文(?:在哪|是啥|是什么)|"
                         r"哪里(?:写|规定)的|在哪(?:写|规定)的|"
                         r"\b(?:which|what) (?:document|plan|paper|file|text)\b(?:.*\b(?:from|in)\b)?|\bwhere (?:is|was) "
                         r"(?:that|this|it) (?:from|written|stated)\b|\bwhere does (?:that|this|it) (?:come from|say)\b|"
                         r"\b(?:the )?source\b|\bcit(?:e|ation)\b", re.I)
# A comparison of when ("更早", "sooner"): the clauses' deadlines are compared.
COMPARE_WHEN = re.compile(r"早|晚|先|快|慢|\b(?:sooner|earlier|later|first|faster|deadline|due)\b", re.I)
# A turn naming the kind of thing units are ("还有其他部门参与吗？", "any other agencies?"): "more" of it asks who
# else shares the clause, not for another clause.
# An English unit named by what it does ("the veterans' affairs bureau", "the big-data centre"): the plan word its
# words were read as, then the kind of unit; each kind with the endings of the Chinese names it may stand for.
EN_UNIT_NAMED = re.compile(r"([\u4e00-\u9fff]{2,})\s*(bureau|office|department|cent(?:re|er)|commission|committee|"
                           r"administration|agency)\b", re.I)
EN_UNIT_ENDINGS: dict[str, tuple[str, ...]] = {
    "bureau": ("局",), "office": ("办公室", "办", "局"), "department": ("局", "部", "办公室"), "centre": ("中心",),
    "center": ("中心",), "commission": ("委员会", "委"), "committee": ("委员会", "委"), "administration": ("局",),
    "agency": ("局", "中心"),
}
# Nouns of duty: after a possessive ("the big-data centre's job") they ask who, they name no topic (就业).
EN_DUTY_NOUNS: frozenset[str] = frozenset("job jobs responsibility responsibilities duty duties task remit".split())
UNIT_KIND = re.compile(r"部门|单位|机关|\b(?:departments?|offices?|bureaus?|agenc(?:y|ies)|units?|bodies)\b", re.I)
# A presumption of one unit alone ("一家管", "只有民政局", "单独负责", "only the civil affairs bureau").
ONLY_FORM = re.compile(r"一家|只有|只由|只是|单独|独自|一个部门|一个单位|就它|\bonly\b|\balone\b|\bsolely\b", re.I)
# Starting over: the conversation's context is dropped ("换个问题", "重新问", "start over").
RESET_FORM = re.compile(r"换个问题|换一个问题|换个话题|问个别的|问点别的|重新(?:问|开始|来)|从头(?:开始|问|来)|重来|清空|"
                        r"\bstart (?:over|again)\b|\bnew question\b|\breset\b|\bnever ?mind\b|"
                        r"\bdifferent (?:thing|question|topic)\b|\bseparate question\b|\bforget (?:all |about )?(?:that|this|it)\b|"
                        r"\bunrelated question\b|\bon another (?:note|topic)\b|\bchange of (?:topic|subject)\b", re.I)
# Words a follow-up uses to point back or to fill, never its own topic ("除了它，还有哪些单位一起负责？").
FOLLOWUP_FILLERS: frozenset[str] = frozenset(
    """它 它们 这 这个 这项 这件 这事 这件事 这条 该项 此项 此 那 那个 那边 这边 那里 这里 除了 还有 另外 其他 其它
    别的 一起 一同 同时 参与 配合 协助 办完 做完 完成 落实 搞定 类似 同样 相关 工作 事 事项 情况 方面 这块 那块
    这方面 具体 详细 哪天 日期 截止 时候 单位 部门 区里 市里 县里 那儿 那么 换成 换到 换个 再问 再看 看看 问问
    exactly else other also that it this ok okay yes right so well then now""".split())

# --- places, years and dates ---------------------------------------------------------------------------
# A four-digit year ("2022年", "2022年度"), not the year inside a document number ("国办发〔2019〕54号").
YEAR = re.compile(r"(?<![〔［\[【(（\d])(20\d{2})(?![〕］\]】)）\d])\s*(?:年|年度)?")
# A year voice-typed in Chinese digits ("二零二三年", "二〇二二年度"); read by understand.find_year.
CN_YEAR = re.compile(r"(二[〇零○][一二三四五六七八九〇零○]{2})\s*年")
CN_YEAR_DIGITS = {c: str(i) for i, cs in enumerate(("〇零○", "一", "二", "三", "四", "五", "六", "七", "八", "九")) for c in cs}
# A year with its 年/年度 as written, cut out before tokenizing (the year filters, it is no topic).
YEAR_PHRASE = re.compile(r"20\d{2}\s*年?度?")
# A year named relative to now ("今年的要点", "去年"): read against the plans held, never the calendar.
THIS_YEAR = re.compile(r"今年|本年度|今年度|this year|current year", re.I)
LAST_YEAR = re.compile(r"去年|上一年|上年度|last year|previous year", re.I)
# "Due by the end of a month" ("9月底前", "2024年6月30日前", "十二月底到期").
MONTH_END = re.compile(
    rf"(?:(20\d{{2}})\s*年)?\s*(\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*月(?:\s*(\d{{1,2}})\s*日)?(?:底|末|份)?\s*"
    r"(?:前|之前|以前|到期|截止)")
# The same date led by 截至 ("截至2023年11月30日，…完成哪些任务"): due by it too. Same groups as MONTH_END.
MONTH_END_LEADING = re.compile(
    rf"(?:截至|截止(?:到|至)?)\s*(?:(20\d{{2}})\s*年)?\s*(\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*月"
    r"(?:\s*(\d{1,2})\s*日)?(?:底|末)?")
# A month's end a yes/no follow-up presumes without "前" ("俺听说是9月底，对不对？", "也是11月底？"): read only
# as a presumed deadline (bot/engine/moves.py), never as a due-by date for lists.
MONTH_END_SAID = re.compile(
    rf"(?:(20\d{{2}})\s*年)?\s*(\d{{1,2}}|[{CN_NUMERAL_CHARS}]{{1,3}})\s*月(?:\s*(\d{{1,2}})\s*[日号]|底|末)")
# "Due by mid-year" / "by the end of a quarter" ("2022年上半年", "第三季度"): group 1 the year if named.
HALF_YEAR = re.compile(r"(?:(20\d{2})\s*年\s*)?(?:上半年|年中)")
QUARTER = re.compile(r"(?:(20\d{2})\s*年\s*)?第?([一二三四1-4])季度(?:末|底|结束)?\s*(?:前|之前|以前)")
# Deadlines that name no completion date: such a task is never "due by" a date.
NO_COMPLETION_DATE = re.compile(r"全年|长期|持续|常态化|常年|每年|每季度|每半年|按季度|按月|每月|适时|及时|动态")
# Deadlines that do name one ("2022年9月底前", "年底前", "8月31日前", "上半年").
COMPLETION_DATE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月|年底|年末|上半年|下半年|季度末|第[一二三四]季度")
# "Due by the end of the year" ("2020年底前", "年底", "年末").
YEAR_END = re.compile(r"(?:(20\d{2})\s*年\s*年?(?:底|末)|年底|年末)\s*(?:前|之前|以前)?")
# A place named in pinyin or English with its kind ("Haidian district", "zhangdian qu", "Laishan County").
PLACE_LATIN = re.compile(r"\b([A-Za-z]{3,})\s*(?:-\s*)?(district|county|city|qu|xian|shi)\b", re.I)
# English words that can stand before "district"/"city" without naming a place ("each district").
EN_NOT_PLACES: frozenset[str] = frozenset(
    "each every whole entire same another all both neighbouring neighboring nearby local home your my our "
    "which what whose particular specific certain given single individual different other".split())
# What may follow a place name: not the first character of an office ("区政府", "市委", "县局", "区级").
PLACE_NOT_OFFICE = re.compile(r"(?!(?:人民)?政府|委|局|办|部门|单位|级|域|属)")
# An office named after 区/县/市 ("区民政局", "县卫健委"): the 区 may be the office's, not a place's.
OFFICE_AFTER = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:局|委|办|中心)")
# Stems that make a PLACE match a common word, not a place ("本区", "城区", "开发区", "示范区").
NOT_PLACE_STARTS: tuple[str, ...] = (
    "本", "全", "各", "城", "辖", "社", "园", "景", "小", "市", "片", "开发", "功能", "试验", "示范", "新", "老",
    "库", "专", "地", "省", "该", "我", "你", "县", "区", "湾", "山", "校",
    # asking or pointing, not naming ("哪个区", "这个县", "那个市", "别的区"), as EN_NOT_PLACES in English
    "哪", "这", "啥", "什么", "某", "每", "其他", "其它", "别的", "那个", "那些", "那边", "几个", "两个")
# Stem endings that make a PLACE match a phrase, not a place ("城乡区", "全区").
NOT_PLACE_ENDS: tuple[str, ...] = ("城乡", "全", "本")
