"""English in a question: pinyin-or-English word roles, a light stemmer, glossary terms and intent wording.

Neighbours: built by bot/language/rewrite/rewriter.py from knowledge/data/glossary.toml (read by bot/language/rewrite/data.py);
the reading table in bot/language/rewrite/pinyin.py decides what could be pinyin, bot/language/rewrite/hanzi.py converts it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from bot.language.rewrite.pinyin import Readings
from bot.language.rewrite.tokens import WORD_SPLIT_RE, Tok
from bot.language.vocabulary import EN_ASKING_OPENERS, EN_DUTY_VERBS, EN_MAIN_QUESTION, EN_WH_WORDS
from bot.language.vocabulary import EN_STOPWORDS as _EN_STOPWORDS

# English words that happen to split into valid pinyin syllables ("open" = o+pen, "china" = chi+na):
# read as English unless the question around them is pinyin. Glossary words, intent words and stop
# words are added to this vocabulary at build time.
_PINYIN_LIKE_ENGLISH: frozenset[str] = frozenset(
    """a an ai age agenda ban banana bane bang ben bin bun can cane change china dean den die dine ding
    due fan fang fun gang gene genie guide gun hang he hen hue human humane lane lean lie line long
    made man mane me media men mine nine open pain pan panda pane pang pen pie pin pine ping ran rang
    rue run rune sane sang she shine shun song sue sun tan tang tie tuna tune wan wane wang woman women
    yang ye yen you zen data""".split()
)

_EN_IRREGULAR: dict[str, str] = {
    "made": "make", "paid": "pay", "done": "do", "given": "give", "held": "hold", "children": "child",
    "people": "people", "women": "woman", "men": "man", "elderly": "elderly", "news": "news",
    "data": "data", "media": "media", "bus": "bus", "series": "series", "analysis": "analysis",
    "kept": "keep", "sent": "send", "taken": "take", "written": "write", "chosen": "choose",
}


class English:
    """Glossary phrases and intent phrases keyed by stemmed tokens, and the known English vocabulary."""

    def __init__(self, glossary: dict[tuple[str, ...], tuple[str, ...]], intents: dict[tuple[str, ...], str],
                 words: frozenset[str], everyday: frozenset[str] = frozenset()) -> None:
        self.glossary = glossary  # stemmed English phrase -> plan terms (first in text, rest expansions)
        # stems of everyday English words (resources.everyday_english): left untranslated in an English
        # question they are wording ("keep", "work", "person"), dropped like stop words
        self.everyday = everyday
        self.intents = intents  # stemmed English phrase -> Chinese intent wording appended to the question
        self.phrase_max = max((len(k) for k in (*glossary, *intents)), default=1)
        self.words = words  # words that read as English even when they split into pinyin syllables
        self.stop_stems = frozenset(stem(w) for w in _EN_STOPWORDS) | _EN_STOPWORDS

    @classmethod
    def build(cls, glossary: dict[str, list[str]], intents: dict[str, str],
              dictionary: dict[str, list[str]] | None = None) -> English:
        """`dictionary` (CC-CEDICT keys, bot/language/rewrite/resources.py) sits under the curated glossary:
        none of its keys may hold a word a curated key or intent reads, and its words never make a
        question read as English rather than pinyin."""
        gl: dict[tuple[str, ...], tuple[str, ...]] = {}
        for en, zh in glossary.items():
            toks = _en_tokens(en)
            if toks and zh:
                gl[toks] = tuple(zh)
        it: dict[tuple[str, ...], str] = {}
        for en, intent in intents.items():
            toks = _en_tokens(en)
            if toks:  # an empty wording asks nothing ("what about": a continuation, not "what")
                it[toks] = intent
        asking = {w for key in it for w in key}
        curated = {w for key in gl for w in key} | {stem(w) for w in _EN_STOPWORDS}
        for en, zh in (dictionary or {}).items():
            toks = _en_tokens(en)
            if not toks or not zh or toks in gl or any(t in asking for t in toks):
                continue
            if len(toks) > 1 or toks[0] not in curated:  # a longer phrase is more specific than its words
                gl[toks] = tuple(zh)
        words = set(_PINYIN_LIKE_ENGLISH) | set(_EN_STOPWORDS)
        for phrase in (*glossary, *intents):
            for t in re.split(r"[\s\-_/]+", phrase.lower()):
                if t:
                    words.add(t)
        words |= {stem(w) for w in words}
        everyday = _everyday() if dictionary else frozenset()
        # everyday English that splits into pinyin ("eye" = e+ye) follows the question, as "open" does
        return cls(gl, it, frozenset(words | everyday), everyday)

    def classify(self, toks: list[Tok], readings: Readings) -> None:
        """Mark each ASCII word "py" (toneless pinyin) or "en" (English or anything else).

        A word that does not split into pinyin syllables, or an all-caps acronym, is English. A word
        that splits but is also a known English word ("he", "open", "women") follows the question:
        English if any plainly English word is present, pinyin if other pinyin words are.
        """
        words = [t for t in toks if t.kind == "word"]
        ambiguous: list[Tok] = []
        strong_en = has_py = False
        for t in words:
            low = t.text.lower()
            if (t.text.isupper() and len(t.text) <= 5) or not all(
                    readings.segmentable(p) for p in WORD_SPLIT_RE.split(low)):
                t.role = "en"
                strong_en = True
            elif low in self.words or stem(low) in self.words:
                ambiguous.append(t)
            else:
                t.role = "py"
                has_py = True
        for t in ambiguous:
            t.role = "py" if has_py and not strong_en else "en"

    def translate(self, toks: list[Tok], lang: str, intents: list[str], expansions: list[str],
                  senses: list[tuple[str, tuple[str, ...]]] | None = None) -> list[Tok]:
        """Glossary phrases (longest first) -> Chinese plan terms; question words -> intent wording.
        `senses` gets each English phrase's first term with its other terms: the English word is what
        was asked, so a clause holding any of its renderings covers it (as a synonym rule's word)."""
        out: list[Tok] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if not (t.kind == "word" and t.role == "en"):
                out.append(t)
                i += 1
                continue
            # Collect a run of English words separated by spaces (in an English question, across the
            # place names the rewriter read: "Which Huaiyin department" asks "which department").
            opens = lang == "en" and _opens_clause(out) and not _time_clause(toks, i)
            run, places = [i], []
            j = i
            while True:
                k = j + 1
                gap = []
                while lang == "en" and k < len(toks) and (toks[k].kind == "space" or _is_place(toks[k])):
                    gap.append(toks[k])
                    k += 1
                if lang != "en":
                    k = j + 2 if j + 1 < len(toks) and toks[j + 1].kind == "space" else len(toks)
                if not (k < len(toks) and toks[k].kind == "word" and toks[k].role == "en"):
                    break
                places += [t for t in gap if t.kind != "space"]
                j = k
                run.append(j)
            out.extend(places)
            # Sub-words ("elderly-care" -> elderly, care), each remembering its token.
            subs: list[tuple[str, int]] = []
            for k in run:
                for part in WORD_SPLIT_RE.split(toks[k].text):
                    if part:
                        subs.append((part, k))
            said = "".join(t.text for t in toks).lower() if lang == "zh" else ""
            out.extend(self._translate_run(subs, lang, intents, expansions, opens, senses, said))
            i = j + 1
        return out

    @staticmethod
    def _gloss(zh: tuple[str, ...], words: list[str], said: str, produced: list[Tok], expansions: list[str],
               senses: list[tuple[str, tuple[str, ...]]] | None) -> None:
        """The glossary's plan terms for `words`; in a Chinese question (`said`, lower-cased) already spelling
        the plan term they stand for ("政府网站IPv6改造"), the words as written: glossing them again had
        made "IPv6改造6改造"."""
        if said and zh[0].lower() in said:
            produced.extend(Tok("word", w, "en") for w in words)
            return
        if not any(t.kind == "zh" and t.text == zh[0] for t in produced):
            produced.append(Tok("zh", zh[0], "gloss"))
        expansions.extend(z for z in zh[1:] if z not in expansions)
        if senses is not None and len(zh) > 1 and (zh[0], zh[1:]) not in senses:
            senses.append((zh[0], tuple(zh[1:])))

    def _translate_run(self, subs: list[tuple[str, int]], lang: str, intents: list[str],
                       expansions: list[str], opens: bool = True,
                       senses: list[tuple[str, tuple[str, ...]]] | None = None, said: str = "") -> list[Tok]:
        """One run of English sub-words: longest glossary/intent phrase first, stop words dropped.

        In an English question a wh-word asks only where a clause opens ("Who handles …", "…, when
        must …", "tell me who …"); elsewhere it starts a relative or time clause ("the person who
        handles it", "when the staff changes") and asks nothing. Everyday English words left
        untranslated are wording, dropped like stop words."""
        stems = [stem(w) for w, _ in subs]
        produced: list[Tok] = []
        p = 0
        while p < len(subs):
            if lang == "en" and _closing_duty_verb(subs, p):
                break  # "Which tasks does the market regulation bureau handle?": its tasks, no topic "handle"
            hit = False
            for size in range(min(self.phrase_max, len(subs) - p), 0, -1):
                if size == 1 and subs[p][0].lower() in _EN_STOPWORDS:
                    break  # "them" is no "theme", though both stem to "them"
                key = tuple(stems[p:p + size])
                if key in self.intents:
                    p = self._intent(key, subs, stems, p, size, lang, opens, intents)
                    hit = True
                    break
                if key in self.glossary:
                    self._gloss(self.glossary[key], [w for w, _ in subs[p:p + size]], said, produced, expansions,
                                senses)
                    p += size
                    hit = True
                    break
            if hit:
                continue
            word = subs[p][0]
            low = word.lower()
            stop = (low in _EN_STOPWORDS or stems[p] in self.stop_stems
                    or (lang == "en" and stems[p] in getattr(self, "everyday", ())))
            if stop and (lang == "en" or (word.islower() and len(word) > 1)):
                pass  # carries no plan vocabulary (but "A" in a Chinese question may be a name)
            else:
                if produced and produced[-1].kind == "word":
                    produced.append(Tok("space", " "))
                produced.append(Tok("word", word, "en"))
            p += 1
        return produced

    def _intent(self, key: tuple[str, ...], subs: list[tuple[str, int]], stems: list[str], p: int, size: int,
                lang: str, opens: bool, intents: list[str]) -> int:
        """An intent phrase at `p`: its Chinese wording added when it asks (a wh-word asks only where a clause
        opens); returns where reading goes on — past a verb of duty after who ("Who handles it?")."""
        asks = lang != "en" or key[0] not in EN_WH_WORDS or (opens if p == 0 else stems[p - 1] in _OPENERS)
        if asks and self.intents[key] and self.intents[key] not in intents:
            intents.append(self.intents[key])
        p += size
        if asks and lang == "en" and key[0] in _WHO:
            p = _past_duty_verb(subs, p)  # "handles" asks who, it names no topic
        return p


def _time_clause(toks: list[Tok], i: int) -> bool:
    """Whether the words from `i` open a time clause before the question ("When a Qixia office refuses a request,
    does it …?"): its "when" asks nothing, the question comes after the comma."""
    return bool(EN_MAIN_QUESTION.match("".join(x.text for x in toks[i:])))


_DO = frozenset({"do", "does", "did"})


def _past_duty_verb(subs: list[tuple[str, int]], p: int) -> int:
    """Past a verb of duty ("handles", "looks after", "takes care of") right after a who-phrase."""
    if p < len(subs) and subs[p][0].lower() in EN_DUTY_VERBS:
        p += 1
        while p < len(subs) and subs[p][0].lower() in _DUTY_PARTICLES:
            p += 1
    return p


def _closing_duty_verb(subs: list[tuple[str, int]], p: int) -> bool:
    """A verb of duty closing a do-question ("What does the X bureau handle / look after?"): what it asks for
    is the wh-thing, the unit's tasks; the verb names no topic. Not a passive ("How are requests handled?")."""
    if subs[p][0].lower() not in EN_DUTY_VERBS or not any(w.lower() in _DO for w, _ in subs[:p]):
        return False
    return all(w.lower() in _DUTY_PARTICLES for w, _ in subs[p + 1:])


def _is_place(t: Tok) -> bool:
    return t.kind == "zh" and t.role == "region"


def _opens_clause(before: list[Tok]) -> bool:
    """Whether English words after `before` open a clause: at the start, or after punctuation (the
    place names the rewriter read and spaces aside)."""
    for t in reversed(before):
        if t.kind == "space" or _is_place(t):
            continue
        return t.kind == "other" and t.text in ",.;:!?，。；：！？()（）\"'“”-–—"
    return True


def _everyday() -> frozenset[str]:
    from bot.language.rewrite.resources import everyday_english

    return everyday_english(stem)


def question_language(toks: list[Tok]) -> str:
    """"en" when English words are at least two and at least half the hanzi count, else "zh"."""
    han_count = sum(len(t.text) for t in toks if t.kind == "han")
    en_count = sum(1 for t in toks if t.kind == "word" and t.role == "en")
    return "en" if en_count >= 2 and en_count * 2 >= han_count else "zh"


def append_intents(text: str, intents: list[str]) -> str:
    """Append the Chinese intent wording of English question words (who -> 哪个部门负责) not yet present."""
    for phrase in intents:
        if phrase not in text:
            text += (" " if text[-1:].isascii() and text[-1:].isalnum() else "") + phrase
    return text


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light, deterministic English stemmer applied to glossary keys and questions alike.

    It need not produce real lemmas, only map inflections to the same string: subsidies/subsidy,
    housing/house, planned/planning/plan, disclosed/disclose. Memoised: an index build stems the whole
    dictionary's glosses (about a million words, a few tens of thousands distinct).
    """
    w = word.lower().strip("'’")
    if w.endswith(("'s", "’s")):
        w = w[:-2]
    w = _EN_IRREGULAR.get(w, w)
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and (not w.endswith(("ss", "us", "is")) or w.endswith("eaus")):  # bureaus, not status
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = _undouble(w[:-3])
    elif w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) > 4:
        w = _undouble(w[:-2])
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def _undouble(w: str) -> str:
    """planning -> plann -> plan; but not "call", "pass", "buzz"."""
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        return w[:-1]
    return w


def _en_tokens(phrase: str) -> tuple[str, ...]:
    """Stemmed tokens of an English phrase; hyphens split words (elderly-care = elderly care)."""
    return tuple(stem(t) for t in re.split(r"[\s\-_/]+", phrase.strip()) if t)


_OPENERS: frozenset[str] = frozenset(stem(w) for w in EN_ASKING_OPENERS)
_WHO: frozenset[str] = frozenset(stem(w) for w in ("who", "which", "whom"))
_DUTY_PARTICLES: frozenset[str] = frozenset(("after", "care", "of", "with", "over", "charge"))
