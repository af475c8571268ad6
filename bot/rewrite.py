"""Query rewriting: turn what a citizen typed into the vocabulary the plans are written in.

Job: one question in, one `Rewrite` out — simplified characters, half-width letters and digits,
toneless pinyin turned into hanzi, pronunciation typos corrected against the corpus vocabulary
(养劳补贴 -> 养老补贴), English translated into Chinese plan terms with Chinese intent wording appended
(who -> 哪个部门负责), region names written in pinyin or English recognised (Huaiyin -> 槐荫区), and
colloquial words expanded into plan vocabulary (老人 -> 养老, 老年人).

Neighbours: the engine (bot/engine.py) builds one `QueryRewriter` from the knowledge entries and the
curated files in knowledge/data/ (glossary.toml, synonyms.txt, departments.toml, keep_words.txt;
formats in knowledge/data/README.md), pickles it with the index, and calls `rewrite()` before the
tokenizer (bot/text.py), intent detection and retrieval see the question.

Start-up budget: the pickled rewriter is loaded at every CLI start, so `rewrite()` and unpickling never
import pypinyin, zhconv or jieba (each costs 0.3-0.5 s). Everything they know that we need is
precomputed in `build()` into plain, compact tables: a toneless-pinyin array for the CJK Unified
Ideographs block, a traditional -> simplified translate table, a pinyin -> corpus-term map, and CRC32
hash arrays for "does this n-gram occur in the corpus" and "is this an everyday word".
"""
from __future__ import annotations

import math
import re
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

__all__ = ["Rewrite", "QueryRewriter"]


@dataclass
class Rewrite:
    """The question rewritten into plan vocabulary, plus what was changed and why."""

    text: str  # simplified, half-width, pinyin -> hanzi, typos corrected, English -> Chinese keywords
    lang: str  # "en" when the question was written mainly in English, else "zh"
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (what the user wrote, what we read)
    expansions: list[str] = field(default_factory=list)  # extra plan terms to add to the query
    regions: list[str] = field(default_factory=list)  # regions recognised in pinyin/English, as the plans write them


# --------------------------------------------------------------------------------------------------
# Constants (not deploy-editable; the deploy-editable vocabulary lives in knowledge/data/)
# --------------------------------------------------------------------------------------------------

_CJK_START, _CJK_END = 0x4E00, 0x9FFF  # the block the pinyin table covers

# Question and function words: never corrected, and recognised when typed in pinyin ("shei fuze").
_QUESTION_WORDS: tuple[str, ...] = (
    "哪个部门", "哪些部门", "哪个单位", "哪些单位", "哪个", "哪些", "哪里", "哪儿", "什么时候", "什么",
    "多久", "多长时间", "多少", "几月", "几号", "何时", "谁", "负责", "牵头", "怎么办", "怎么", "怎样",
    "如何", "为什么", "是否", "是不是", "有没有", "能不能", "可以", "需要", "要求", "完成", "时限",
    "截止", "请问", "你好", "谢谢", "一下", "我们", "我的", "我家", "我想", "知道", "咨询", "办理",
    "由谁", "谁负责", "哪个部门负责", "什么时候完成", "哪些任务", "任务",
)

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

# Function words dropped from English questions (they carry no plan vocabulary).
_EN_STOPWORDS: frozenset[str] = frozenset(
    """a an the is are was were be been being am do does did doing of for to in on at by about with
    from into onto and or nor but as that this these those it its there their theirs they them should
    shall will would can could may might must has have having had i me my mine we our ours you your he
    him his she her some any please tell us need needs want know get got regarding concerning also
    if so than then too very just there's what's who's it's does're i'm let let's which one ones
    district county city town township area region government's much many more most such other
    other's per via up down out over under again further here where why whose whom find see check look
    learn show give provide detail details thing things anything something task tasks""".split()
)

_EN_IRREGULAR: dict[str, str] = {
    "made": "make", "paid": "pay", "done": "do", "given": "give", "held": "hold", "children": "child",
    "people": "people", "women": "woman", "men": "man", "elderly": "elderly", "news": "news",
    "data": "data", "media": "media", "bus": "bus", "series": "series", "analysis": "analysis",
    "kept": "keep", "sent": "send", "taken": "take", "written": "write", "chosen": "choose",
}

# Words after a region name that only say what kind of region it is ("Huaiyin District", "Qixia shi").
_REGION_SUFFIX_WORDS: frozenset[str] = frozenset(
    "district districts qu city shi county xian town zhen township area".split()
)
_REGION_SUFFIXES: tuple[str, ...] = ("自治县", "新区", "街道", "区", "市", "县", "镇", "乡")
_REGION_MAX_WORDS = 4  # "Huai Yin Qu" is three words

# Full-width forms that are Chinese punctuation and stay as they are (，！？：；（）).
_KEEP_FULLWIDTH: frozenset[int] = frozenset(map(ord, "，！？：；（）"))

# Traditional characters zhconv would map that are also ordinary simplified characters (乾坤, 矽).
_T2S_EXCLUDE: frozenset[str] = frozenset("乾吒拚矽薹醯榘甯")

# Function characters a correction never replaces (由 -> 有 would change the question, not fix a term).
_FUNCTION_CHARS: frozenset[str] = frozenset(
    "的了是在有由和与及或被把给对向从到为以之等也都就还要会能可吗呢吧啊哪谁什么怎几多这那我你他她它们个不没每各该其此"
)

_PROPER_TAGS: frozenset[str] = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})
_BAD_SYLLABLES: frozenset[str] = frozenset({"m", "n", "ng", "hm", "hng", "ê", "o", "yo", "lo"})

_TOKEN_RE = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<word>[A-Za-z]+(?:['’\-][A-Za-z]+)*)"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.S,
)
_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_QUOTED_RE = re.compile(r"[“\"「『《]([^“”\"「」『』《》]{2,16})[”\"」』》]")
_ZERO_WIDTH_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_SPACES_RE = re.compile(r"[\s\u00a0\u2000-\u200a\u3000]+")
_WORD_SPLIT_RE = re.compile(r"['’\-]")

# Flags stored with each pinyin-map candidate.
_F_TERM = 1  # curated or quoted term, department, region, glossary/synonym target, question word
_F_WORD = 2  # an everyday dictionary word (jieba) that occurs in the corpus
_F_REGION = 4
_F_COMPOUND = 8  # a 4-gram made of two dictionary words (政策评价 = 政策 + 评价)

# Build-time knobs (documented in knowledge/data/README.md).
_COMMON_WORD_MIN_FREQ = 5  # jieba frequency from which a word counts as an everyday word
_TYPO_MIN_FREQ = 2  # corpus frequency a dictionary word (not a curated term) needs to be a typo target
_MAX_CORPUS_CHARS = 5_000_000  # n-grams are counted over at most this much (deduplicated) text
_MAX_NGRAM_HASHES = 1_000_000  # cap on the corpus-membership hash array (4 bytes each)
_CANDIDATES_PER_KEY = 8


def _crc(s: str) -> int:
    """Stable 32-bit hash (Python's str hash is salted per process, so it cannot be pickled)."""
    return zlib.crc32(s.encode("utf-8"))


def _hash_array(words: Iterable[str]) -> array:
    return array("I", sorted({_crc(w) for w in words}))


def _in_hashes(hashes: array, s: str) -> bool:
    """Membership in a sorted CRC32 array; a collision only ever makes us *more* conservative."""
    h = _crc(s)
    i = bisect_left(hashes, h)
    return i < len(hashes) and hashes[i] == h


def _stem(word: str) -> str:
    """A light, deterministic English stemmer applied to glossary keys and questions alike.

    It need not produce real lemmas, only map inflections to the same string: subsidies/subsidy,
    housing/house, planned/planning/plan, disclosed/disclose.
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
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
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
    if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        return w[:-1]
    return w


def _en_tokens(phrase: str) -> tuple[str, ...]:
    """Stemmed tokens of an English phrase; hyphens split words (elderly-care = elderly care)."""
    return tuple(_stem(t) for t in re.split(r"[\s\-_/]+", phrase.strip()) if t)


@dataclass
class _Tok:
    """One piece of the question while it is being rewritten."""

    kind: str  # han | word | num | space | other | zh (Chinese produced by the rewriter)
    text: str
    role: str = ""  # for words: "py" | "en"; for zh: "region" | "pinyin" | "gloss"


# --------------------------------------------------------------------------------------------------
# The rewriter
# --------------------------------------------------------------------------------------------------


class QueryRewriter:
    """Rewrites questions into plan vocabulary; built once, pickled with the index, loaded per process.

    State is plain data (dicts, tuples, frozensets, arrays) so it pickles small and unpickles fast.
    """

    # ---------------------------------------------------------------------------------- build

    @classmethod
    def build(
        cls,
        corpus_texts: Iterable[str],
        data_dir: Path,
        regions: Iterable[str],
        extra_terms: Iterable[str] = (),
    ) -> QueryRewriter:
        """Precompute every table `rewrite()` needs; this is the only place pypinyin/zhconv/jieba run."""
        self = cls.__new__(cls)
        data_dir = Path(data_dir)
        texts = list(dict.fromkeys(t for t in corpus_texts if t and t.strip()))
        regions = [r.strip() for r in regions if r and r.strip()]

        glossary_terms, intents = _load_glossary(data_dir / "glossary.toml")
        synonyms = _load_synonyms(data_dir / "synonyms.txt")
        departments = _load_departments(data_dir / "departments.toml")
        keep_words = _load_word_list(data_dir / "keep_words.txt")

        self._build_char_tables(texts)
        ngram_freq = self._count_ngrams(texts)
        joined = "\n".join(texts)[:_MAX_CORPUS_CHARS]

        # Known plan vocabulary: curated terms, department names and aliases, quoted corpus phrases.
        terms: set[str] = set()
        terms.update(t.strip() for t in extra_terms if t and t.strip())
        for name, aliases in departments:
            terms.add(name)
            terms.update(aliases)
        for text in texts:
            for m in _QUOTED_RE.finditer(text):
                q = m.group(1).strip()
                if _is_term_like(q):
                    terms.add(q)
        for zh_list in glossary_terms.values():
            terms.update(zh_list)
        for _lhs, rhs in synonyms:
            terms.update(rhs)
        terms.update(regions)
        terms = {t for t in terms if _is_term_like(t)}
        question_words = set(_QUESTION_WORDS)

        common, proper = _load_jieba_words()
        self._build_pinyin_map(ngram_freq, common, terms, question_words, joined, regions)
        self._build_regions(regions)
        self._build_english(glossary_terms, intents)

        # Vocabulary for the typo guards.
        syn_lhs = {w for lhs, _ in synonyms for w in lhs}
        self._locked = frozenset(question_words | keep_words)
        self._vocab = frozenset(
            w for w in (terms | syn_lhs | self._locked) if _HAN_RE.fullmatch(w) and 2 <= len(w) <= 16)
        self._vocab_max = max((len(w) for w in self._vocab), default=0)
        self._common_hashes = _hash_array(common)
        del self._char_py_extra  # only needed while building term variants
        self._proper_hashes = _hash_array(w for w in proper if w not in ngram_freq)
        # Synonym rules, longest source word first so 看病报销 wins over 看病.
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for lhs, rhs in synonyms:
            for w in lhs:
                by_first.setdefault(w[0], []).append((w, rhs))
        self._synonyms = {c: tuple(sorted(v, key=lambda p: -len(p[0]))) for c, v in by_first.items()}
        return self

    # Character tables ---------------------------------------------------------------------

    def _build_char_tables(self, texts: list[str]) -> None:
        """Toneless pinyin for every CJK Unified Ideograph, and a traditional -> simplified table."""
        import zhconv  # build-time only
        from pypinyin import Style, pinyin  # build-time only

        syllables: list[str] = [""]
        index: dict[str, int] = {"": 0}
        table = array("H", bytes(2 * (_CJK_END - _CJK_START + 1)))
        extra: dict[str, tuple[str, ...]] = {}
        valid: set[str] = set()
        for cp in range(_CJK_START, _CJK_END + 1):
            ch = chr(cp)
            readings = [r for r in dict.fromkeys(pinyin(ch, style=Style.NORMAL, heteronym=True)[0])
                        if r and r.isascii() and r.isalpha()]
            if not readings or readings[0] == ch:
                continue
            for r in readings:
                if r not in index:
                    index[r] = len(syllables)
                    syllables.append(r)
                if r not in _BAD_SYLLABLES:
                    valid.add(r)
            table[cp - _CJK_START] = index[readings[0]]
            if len(readings) > 1:
                extra[ch] = tuple(readings[1:3])
        valid.update({"lue", "nue"})  # how 略/虐 are usually typed (pypinyin writes lve/nve)
        self._syllables = tuple(syllables)
        self._char_py = table
        self._char_py_extra = extra
        self._valid_syllables = frozenset(valid)
        self._max_syllable = max(len(s) for s in valid)

        corpus_chars = set("".join(texts)[:_MAX_CORPUS_CHARS])
        t2s: dict[int, str] = {}
        for cp in range(_CJK_START, _CJK_END + 1):
            ch = chr(cp)
            s = zhconv.convert(ch, "zh-cn")
            if s != ch and len(s) == 1 and ch not in corpus_chars and ch not in _T2S_EXCLUDE:
                t2s[cp] = s
        # Compatibility ideographs (U+F900-FAFF) fold to their unified form first.
        for cp in range(0xF900, 0xFB00):
            n = unicodedata.normalize("NFKC", chr(cp))
            if len(n) == 1 and n != chr(cp):
                t2s[cp] = t2s.get(ord(n), n)
        for cp in range(0xFF01, 0xFF5F):  # full-width ASCII, except Chinese punctuation
            if cp not in _KEEP_FULLWIDTH:
                t2s[cp] = chr(cp - 0xFEE0)
        t2s[0x3000] = " "
        self._translate = t2s

    def _count_ngrams(self, texts: list[str]) -> Counter[str]:
        """Frequencies of every 2-4 hanzi n-gram; stores a capped CRC32 array for membership tests."""
        freq: Counter[str] = Counter()
        budget = _MAX_CORPUS_CHARS
        for text in texts:
            if budget <= 0:
                break
            budget -= len(text)
            for run in _HAN_RE.findall(text.translate(self._translate)):
                n = len(run)
                for size in (2, 3, 4):
                    if n >= size:
                        freq.update(run[i:i + size] for i in range(n - size + 1))
        keep = freq if len(freq) <= _MAX_NGRAM_HASHES else dict(freq.most_common(_MAX_NGRAM_HASHES))
        self._ngram_hashes = _hash_array(keep)
        return freq

    # Pinyin -> hanzi map ------------------------------------------------------------------

    def _build_pinyin_map(
        self,
        ngram_freq: Counter[str],
        common: dict[str, int],
        terms: set[str],
        question_words: set[str],
        joined: str,
        regions: list[str],
    ) -> None:
        """Map concatenated toneless pinyin ("yanglao") to the corpus terms that sound like it.

        Candidates: corpus n-grams that are dictionary words (or two of them) or occur at least three
        times, plus every known term of any length. Each candidate keeps its frequency, flags and syllable lengths (to honour the
        spaces a user typed and to compare syllables exactly when correcting typos).
        """
        from pypinyin import Style, lazy_pinyin  # build-time only

        entries: dict[str, dict[str, tuple[int, int, str]]] = {}

        def add(word: str, freq: int, flags: int, out: str | None = None, variants: bool = False) -> None:
            han = "".join(_HAN_RE.findall(word))
            if len(han) < 1:
                return
            sylls = lazy_pinyin(han, style=Style.NORMAL, errors="ignore")
            if len(sylls) != len(han) or not all(s.isascii() and s.isalpha() for s in sylls):
                return
            combos: Iterable[tuple[str, ...]] = [tuple(sylls)]
            if variants:
                # Curated terms also answer to the other readings of their characters: pypinyin reads
                # 三审三校 as ...xiao, people (rightly) say ...jiao.
                options = [tuple(dict.fromkeys((s, *self._readings(c)))) for s, c in zip(sylls, han, strict=True)]
                combos = _capped_product(options, 8)
            target = out or word
            for combo in combos:
                key = "".join(combo)
                lens = "".join(str(len(s)) for s in combo)
                slot = entries.setdefault(key, {})
                old = slot.get(target)
                if old is None:
                    slot[target] = (freq, flags, lens)
                else:
                    slot[target] = (max(freq, old[0]), flags | old[1], old[2])

        for gram, f in ngram_freq.items():
            flags = _F_WORD if gram in common else 0
            if len(gram) == 4 and gram[:2] in common and gram[2:] in common:
                flags |= _F_COMPOUND
            if f >= 3 or flags:
                add(gram, f, flags)
        for t in terms:
            f = ngram_freq.get(t) or (joined.count(t) if len(t) > 4 else 0)
            add(t, max(f, 1), _F_TERM, variants=True)
        for q in question_words:
            add(q, 1, _F_TERM)  # no reading variants: 什么 must not answer to "shiyao"
        add("谁", 1, _F_TERM)
        entries.setdefault("shei", {})["谁"] = (1, _F_TERM, "4")  # the spoken reading; pypinyin says shui
        for r in regions:
            f = max(ngram_freq.get(r, 0), 1)
            add(r, f, _F_TERM | _F_REGION)
            base = _region_base(r)
            if base != r:
                add(base, f, _F_TERM | _F_REGION, out=r)

        pmap: dict[str, tuple[tuple[str, int, int, str], ...]] = {}
        for key, slot in entries.items():
            ranked = sorted(slot.items(), key=lambda kv: (
                -(kv[1][1] & _F_REGION), -bool(kv[1][1] & (_F_TERM | _F_WORD | _F_COMPOUND)), -kv[1][0], kv[0]))
            pmap[key] = tuple((w, f, fl, lens) for w, (f, fl, lens) in ranked[:_CANDIDATES_PER_KEY])
        self._pinyin_map = pmap
        self._max_key = max((len(k) for k in pmap), default=0)

    def _build_regions(self, regions: list[str]) -> None:
        """Pinyin spellings of each region (槐荫区 -> huaiyin, huaiyinqu) for English/pinyin questions."""
        from pypinyin import Style, lazy_pinyin  # build-time only

        keys: dict[str, str] = {}
        for r in regions:
            for form in {r, _region_base(r)}:
                key = "".join(lazy_pinyin(form, style=Style.NORMAL, errors="ignore"))
                if len(key) >= 4:
                    keys.setdefault(key, r)
        self._region_keys = keys

    def _build_english(self, glossary: dict[str, list[str]], intents: dict[str, str]) -> None:
        gl: dict[tuple[str, ...], tuple[str, ...]] = {}
        for en, zh in glossary.items():
            toks = _en_tokens(en)
            if toks and zh:
                gl[toks] = tuple(zh)
        it: dict[tuple[str, ...], str] = {}
        for en, zh in intents.items():
            toks = _en_tokens(en)
            if toks and zh:
                it[toks] = zh
        self._glossary = gl
        self._intents = it
        self._phrase_max = max((len(k) for k in (*gl, *it)), default=1)
        words = set(_PINYIN_LIKE_ENGLISH) | set(_EN_STOPWORDS)
        for phrase in (*glossary, *intents):
            for t in re.split(r"[\s\-_/]+", phrase.lower()):
                if t:
                    words.add(t)
        words |= {_stem(w) for w in words}
        self._english = frozenset(words)
        self._stop_stems = frozenset(_stem(w) for w in _EN_STOPWORDS) | _EN_STOPWORDS

    # ---------------------------------------------------------------------------------- rewrite

    def rewrite(self, question: str) -> Rewrite:
        """Rewrite one question; pure Python over precomputed tables (well under a millisecond)."""
        text = self._normalize(question)
        if not text:
            return Rewrite(text="", lang="zh")
        toks = [_Tok(m.lastgroup or "other", m.group()) for m in _TOKEN_RE.finditer(text)]
        corrections: list[tuple[str, str]] = []
        regions: list[str] = []
        expansions: list[str] = []
        intents: list[str] = []

        toks = self._read_regions(toks, regions, corrections)
        self._classify_words(toks)
        han_count = sum(len(t.text) for t in toks if t.kind == "han")
        en_count = sum(1 for t in toks if t.kind == "word" and t.role == "en")
        lang = "en" if en_count >= 2 and en_count * 2 >= han_count else "zh"

        toks = self._convert_pinyin(toks, regions, corrections)
        toks = self._translate_english(toks, lang, intents, expansions)
        for t in toks:
            if t.kind == "han":
                t.text = self._correct_run(t.text, corrections)

        if lang == "en":  # Chinese word order: the region first
            front = [t for t in toks if t.kind == "zh" and t.role == "region"]
            toks = front + [t for t in toks if not (t.kind == "zh" and t.role == "region")]
        out = _join(toks, lang)
        for phrase in intents:
            if phrase not in out:
                out += (" " if out[-1:].isascii() and out[-1:].isalnum() else "") + phrase
        final_exp: list[str] = []
        for term in self._expand(out) + expansions:
            if term and term not in out and term not in final_exp:
                final_exp.append(term)
        return Rewrite(text=out, lang=lang, corrections=corrections, expansions=final_exp,
                       regions=list(dict.fromkeys(regions)))

    # Normalisation ---------------------------------------------------------------------------

    def _normalize(self, question: str) -> str:
        """Traditional -> simplified, full-width ASCII -> half-width, whitespace collapsed."""
        s = _ZERO_WIDTH_RE.sub("", question or "").translate(self._translate)
        return _SPACES_RE.sub(" ", s).strip()

    # Pinyin of hanzi ---------------------------------------------------------------------------

    def pinyin_of(self, text: str) -> list[str]:
        """Toneless syllables of the hanzi in `text` (others skipped): for pinyin-prefix suggestions."""
        return [r for r in (self._reading(ch) for ch in text) if r]

    def _reading(self, ch: str) -> str:
        """The everyday toneless reading of a hanzi ("" for anything else)."""
        cp = ord(ch)
        if not _CJK_START <= cp <= _CJK_END:
            return ""
        return self._syllables[self._char_py[cp - _CJK_START]]

    def _readings(self, ch: str) -> tuple[str, ...]:
        """All readings (build time only: the heteronym table is not pickled)."""
        first = self._reading(ch)
        return (first, *self._char_py_extra.get(ch, ())) if first else ()

    # Regions ---------------------------------------------------------------------------------

    def _read_regions(self, toks: list[_Tok], regions: list[str],
                      corrections: list[tuple[str, str]]) -> list[_Tok]:
        """Replace "Huaiyin", "Huai Yin District", "licheng qu" by the region name the plans use."""
        if not self._region_keys:
            return toks
        out: list[_Tok] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            hit = None
            if t.kind == "word":
                letters = ""
                words = []
                j = i
                # Concatenate up to a few words (separated by single spaces) and look for a region key.
                while j < len(toks) and len(words) < _REGION_MAX_WORDS:
                    if toks[j].kind != "word":
                        break
                    letters += _WORD_SPLIT_RE.sub("", toks[j].text).lower()
                    words.append(j)
                    if letters in self._region_keys:
                        hit = (j, self._region_keys[letters])
                    if j + 1 < len(toks) and toks[j + 1].kind == "space" and j + 2 < len(toks):
                        j += 2
                    else:
                        break
            if hit is None:
                out.append(t)
                i += 1
                continue
            end, name = hit
            # Swallow a following kind-of-region word: "Huaiyin District", "Qixia shi".
            if (end + 2 < len(toks) and toks[end + 1].kind == "space" and toks[end + 2].kind == "word"
                    and toks[end + 2].text.lower() in _REGION_SUFFIX_WORDS):
                end += 2
            written = "".join(x.text for x in toks[i:end + 1])
            out.append(_Tok("zh", name, "region"))
            regions.append(name)
            corrections.append((written, name))
            i = end + 1
        return out

    # Pinyin or English -----------------------------------------------------------------------

    def _classify_words(self, toks: list[_Tok]) -> None:
        """Mark each ASCII word "py" (toneless pinyin) or "en" (English or anything else).

        A word that does not split into pinyin syllables, or an all-caps acronym, is English. A word
        that splits but is also a known English word ("he", "open", "women") follows the question:
        English if any plainly English word is present, pinyin if other pinyin words are.
        """
        words = [t for t in toks if t.kind == "word"]
        ambiguous: list[_Tok] = []
        strong_en = has_py = False
        for t in words:
            low = t.text.lower()
            if (t.text.isupper() and len(t.text) <= 5) or not all(
                    self._segmentable(p) for p in _WORD_SPLIT_RE.split(low)):
                t.role = "en"
                strong_en = True
            elif low in self._english or _stem(low) in self._english:
                ambiguous.append(t)
            else:
                t.role = "py"
                has_py = True
        for t in ambiguous:
            t.role = "py" if has_py and not strong_en else "en"

    def _segmentable(self, s: str) -> bool:
        """True when `s` splits completely into valid toneless pinyin syllables."""
        n = len(s)
        ok = [True] + [False] * n
        for i in range(n):
            if not ok[i]:
                continue
            for j in range(i + 1, min(n, i + self._max_syllable) + 1):
                if s[i:j] in self._valid_syllables:
                    ok[j] = True
        return ok[n]

    def _convert_pinyin(self, toks: list[_Tok], regions: list[str],
                        corrections: list[tuple[str, str]]) -> list[_Tok]:
        """Turn each run of pinyin words (spaces allowed between them) into hanzi."""
        out: list[_Tok] = []
        i = 0
        while i < len(toks):
            if not (toks[i].kind == "word" and toks[i].role == "py"):
                out.append(toks[i])
                i += 1
                continue
            run = [i]
            j = i
            while (j + 2 < len(toks) and toks[j + 1].kind == "space" and toks[j + 2].kind == "word"
                   and toks[j + 2].role == "py"):
                j += 2
                run.append(j)
            words = [toks[k].text for k in run]
            converted = self._pinyin_to_hanzi(words, regions)
            if converted is None:
                out.extend(toks[i:j + 1])
            else:
                written = " ".join(words)
                corrections.append((written, converted))
                out.append(_Tok("zh", converted, "pinyin"))
            i = j + 1
        return out

    def _pinyin_to_hanzi(self, words: list[str], regions: list[str]) -> str | None:
        """Dynamic programming over the letters for the cheapest reading, then the most frequent.

        A dictionary word or known term costs 1, any other corpus n-gram 1.4, a syllable left as typed
        1.6: so fewer, longer, real words win. Boundaries the user typed (spaces, apostrophes) must be
        syllable boundaries, and a piece may only span one if it starts and ends on typed boundaries
        ("yanglao butie" -> 养老补贴 is fine, "xinjin gongwu" never reads as 新 + 进工 + 务).
        Returns None when nothing could be converted.
        """
        s = ""
        forced: set[int] = set()
        for w in words:
            for part in _WORD_SPLIT_RE.split(w.lower()):
                if s:
                    forced.add(len(s))
                s += part
        n = len(s)
        edges = forced | {0, n}
        inf = (math.inf, 0.0)
        best: list[tuple[float, float]] = [inf] * (n + 1)
        back: list[tuple[int, str, bool, bool] | None] = [None] * (n + 1)
        best[0] = (0.0, 0.0)
        for i in range(n):
            if best[i] is inf:
                continue
            cost_i, score_i = best[i]
            for j in range(i + 1, min(n, i + self._max_key) + 1):
                cands = self._pinyin_map.get(s[i:j])
                if not cands:
                    continue
                spans_typed = any(i < b < j for b in forced)
                if spans_typed and not (i in edges and j in edges):
                    continue
                for word, freq, flags, lens in cands:
                    if not _boundaries_ok(i, j, lens, forced):
                        continue
                    if len(lens) == 1 and not flags & _F_TERM:
                        continue  # single syllables are too ambiguous unless curated (谁)
                    real = bool(flags & (_F_TERM | _F_WORD | _F_COMPOUND))
                    cost = (cost_i + (1.0 if real else 1.4), score_i - math.log1p(freq))
                    if cost < best[j]:
                        best[j] = cost
                        back[j] = (i, word, True, bool(flags & _F_REGION))
                    break  # candidates are ranked best first
            for j in range(i + 1, min(n, i + self._max_syllable) + 1):
                if s[i:j] in self._valid_syllables and not any(i < b < j for b in forced):
                    cost = (cost_i + 1.6, score_i)
                    if cost < best[j]:
                        best[j] = cost
                        back[j] = (i, s[i:j], False, False)
        if best[n] is inf:
            return None
        pieces: list[tuple[int, int, str, bool, bool]] = []
        j = n
        while j > 0:
            i, word, conv, is_region = back[j]  # type: ignore[misc]
            pieces.append((i, j, word, conv, is_region))
            j = i
        pieces.reverse()
        if not any(conv for _, _, _, conv, _ in pieces):
            return None
        out = ""
        prev_conv = None
        for i, _j, word, conv, is_region in pieces:
            if is_region:
                regions.append(word)
            if not conv:
                # Unconverted syllables stay as typed; keep them apart from hanzi and other words.
                if out and (prev_conv or i in forced):
                    out += " "
            elif prev_conv is False:
                out += " "
            out += word
            prev_conv = conv
        return out

    # English -----------------------------------------------------------------------------------

    def _translate_english(self, toks: list[_Tok], lang: str, intents: list[str],
                           expansions: list[str]) -> list[_Tok]:
        """Glossary phrases (longest first) -> Chinese plan terms; question words -> intent wording."""
        out: list[_Tok] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if not (t.kind == "word" and t.role == "en"):
                out.append(t)
                i += 1
                continue
            # Collect a run of English words separated by spaces.
            run = [i]
            j = i
            while (j + 2 < len(toks) and toks[j + 1].kind == "space" and toks[j + 2].kind == "word"
                   and toks[j + 2].role == "en"):
                j += 2
                run.append(j)
            # Sub-words ("elderly-care" -> elderly, care), each remembering its token.
            subs: list[tuple[str, int]] = []
            for k in run:
                for part in _WORD_SPLIT_RE.split(toks[k].text):
                    if part:
                        subs.append((part, k))
            stems = [_stem(w) for w, _ in subs]
            produced: list[_Tok] = []
            p = 0
            while p < len(subs):
                hit = False
                for size in range(min(self._phrase_max, len(subs) - p), 0, -1):
                    key = tuple(stems[p:p + size])
                    if key in self._intents:
                        phrase = self._intents[key]
                        if phrase not in intents:
                            intents.append(phrase)
                        p += size
                        hit = True
                        break
                    if key in self._glossary:
                        zh = self._glossary[key]
                        if not any(t.kind == "zh" and t.text == zh[0] for t in produced):
                            produced.append(_Tok("zh", zh[0], "gloss"))
                        expansions.extend(z for z in zh[1:] if z not in expansions)
                        p += size
                        hit = True
                        break
                if hit:
                    continue
                word = subs[p][0]
                low = word.lower()
                stop = low in _EN_STOPWORDS or stems[p] in self._stop_stems
                if stop and (lang == "en" or (word.islower() and len(word) > 1)):
                    pass  # carries no plan vocabulary (but "A" in a Chinese question may be a name)
                else:
                    if produced and produced[-1].kind == "word":
                        produced.append(_Tok("space", " "))
                    produced.append(_Tok("word", word, "en"))
                p += 1
            out.extend(produced)
            i = j + 1
        return out

    # Typo correction -----------------------------------------------------------------------

    def _correct_run(self, run: str, corrections: list[tuple[str, str]]) -> str:
        """Replace 2-4 hanzi windows absent from the corpus by a homophone corpus term.

        Guards against bending off-topic questions into plan vocabulary: the window must not occur in
        the corpus, must not be an everyday word or cut through one (公积金 never becomes 公基金),
        must not touch a question word, allow-listed word or proper noun, and may differ from its
        target in at most half of its characters; the target must be a known term or frequent.
        """
        n = len(run)
        if n < 2:
            return run
        chars = list(run)
        reads = [self._reading(c) for c in run]
        fixed = [False] * n
        spans: list[tuple[int, int, bool]] | None = None  # word occurrences, computed on demand
        locked: list[bool] | None = None
        for size in (4, 3, 2):
            for i in range(n - size + 1):
                if any(fixed[i:i + size]):
                    continue
                window = run[i:i + size]
                target = self._homophone(window, reads[i:i + size])
                if target is None:
                    continue
                if _in_hashes(self._ngram_hashes, window):
                    continue
                if locked is None:
                    spans, locked = self._word_spans(run)
                if any(locked[i:i + size]):
                    continue
                assert spans is not None
                if self._is_vocab(window) or _cuts(spans, i, i + size):
                    continue
                chars[i:i + size] = list(target)
                for k in range(i, i + size):
                    fixed[k] = True
                corrections.append((window, target))
        return "".join(chars)

    def _homophone(self, window: str, combo: list[str]) -> str | None:
        """The best corpus term pronounced like `window` and sharing most of its characters.

        `combo` holds the window's readings: the everyday reading of each character only, because
        archaic readings (找 huá, 车 jū) would make chance homophones of ordinary text.
        """
        if not all(combo):
            return None
        key = "".join(combo)
        lens = "".join(str(len(s)) for s in combo)
        best: tuple[tuple[int, int, int], str] | None = None
        size = len(window)
        for word, freq, flags, cand_lens in self._pinyin_map.get(key, ()):
            if cand_lens != lens or len(word) != size or word == window:
                continue
            diff = [k for k in range(size) if word[k] != window[k]]
            if len(diff) * 2 > size or any(window[k] in _FUNCTION_CHARS for k in diff):
                continue
            known = bool(flags & _F_TERM)
            # Only real words become targets: a known term, a dictionary word, or two dictionary words
            # (政策评价); never a chance n-gram across a word boundary (向申请, 新媒体规).
            if not (known or (flags & (_F_WORD | _F_COMPOUND) and freq >= _TYPO_MIN_FREQ)):
                continue
            rank = (size - len(diff), int(known), freq)
            if best is None or rank > best[0]:
                best = (rank, word)
        return best[1] if best else None

    def _word_spans(self, run: str) -> tuple[list[tuple[int, int, bool]], list[bool]]:
        """Occurrences of everyday/known words in the run, and positions no correction may touch."""
        n = len(run)
        spans: list[tuple[int, int, bool]] = []
        locked = [False] * n
        longest = max(self._vocab_max, 5)
        for i in range(n):
            for j in range(i + 2, min(n, i + longest) + 1):
                w = run[i:j]
                if w in self._locked or _in_hashes(self._proper_hashes, w):
                    for k in range(i, j):
                        locked[k] = True
                if w in self._vocab:  # curated words are protected like corpus words
                    spans.append((i, j, True))
                elif _in_hashes(self._common_hashes, w):
                    spans.append((i, j, j - i <= 4 and _in_hashes(self._ngram_hashes, w)))
        for i, ch in enumerate(run):  # one-character question words (谁)
            if ch in self._locked:
                locked[i] = True
        return spans, locked

    def _is_vocab(self, w: str) -> bool:
        return w in self._vocab or _in_hashes(self._common_hashes, w)

    # Synonyms ----------------------------------------------------------------------------------

    def _expand(self, text: str) -> list[str]:
        """Targets of synonym rules whose source words occur in the text (longest match, left to right)."""
        found: list[str] = []
        i, n = 0, len(text)
        while i < n:
            for word, targets in self._synonyms.get(text[i], ()):
                if text.startswith(word, i):
                    found.extend(targets)
                    i += len(word)
                    break
            else:
                i += 1
        return found


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def _boundaries_ok(i: int, j: int, lens: str, forced: set[int]) -> bool:
    """Every boundary the user typed inside [i, j) must be a syllable boundary of the candidate."""
    inside = [b for b in forced if i < b < j]
    if not inside:
        return True
    pos = i
    cuts = set()
    for c in lens:
        pos += int(c)
        cuts.add(pos)
    return all(b in cuts for b in inside)


def _cuts(spans: list[tuple[int, int, bool]], i: int, j: int) -> bool:
    """True when replacing [i, j) would split a word the user wrote correctly.

    Blocked: the window lies inside a longer everyday word (积金 in 公积金), or it overlaps a corpus word
    without containing it (疗保 in 医疗保显 would break 医疗). Chance words across the boundary
    (报信 in 低报信息) do not block: only words that are in the corpus or contain the window count.
    """
    for a, b, in_corpus in spans:
        if a <= i and j <= b and (a, b) != (i, j):
            return True
        if in_corpus and a < j and i < b and not (i <= a and b <= j):
            return True
    return False


def _capped_product(readings: list[tuple[str, ...]], cap: int) -> Iterator[tuple[str, ...]]:
    for k, combo in enumerate(product(*readings)):
        if k >= cap:
            return
        yield combo


def _join(toks: list[_Tok], lang: str) -> str:
    """Reassemble tokens: no spaces next to Chinese, single spaces between ASCII words and numbers."""
    pieces: list[str] = []
    prev: _Tok | None = None
    pending_space = False
    for t in toks:
        if t.kind == "space":
            pending_space = True
            continue
        if lang == "en" and t.kind == "other" and t.text in ".,?!;:\"'()":
            pending_space = True
            continue
        if pieces and prev is not None:
            ascii_left = prev.kind in ("word", "num")
            ascii_right = t.kind in ("word", "num")
            if (pending_space or lang == "en") and (ascii_left or ascii_right):
                pieces.append(" ")  # spaces only ever separate Latin words and numbers
        pieces.append(t.text)
        prev = t
        pending_space = False
    return "".join(pieces).strip()


def _region_base(name: str) -> str:
    """槐荫区 -> 槐荫, 栖霞市 -> 栖霞 (the part people write in pinyin or English)."""
    for suf in _REGION_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def _is_term_like(s: str) -> bool:
    """A term worth knowing: 2-16 chars, mostly hanzi, no sentence punctuation."""
    if not 2 <= len(s) <= 16 or re.search(r"[，。；：！？,.;:!?\s]", s):
        return False
    han = sum(len(h) for h in _HAN_RE.findall(s))
    return han >= 2 and han >= len(s) - 2


# --------------------------------------------------------------------------------------------------
# Loading the curated files (formats in knowledge/data/README.md)
# --------------------------------------------------------------------------------------------------


def _load_toml(path: Path) -> dict:
    import tomllib

    if not path.exists():
        return {}
    with path.open("rb") as f:
        try:
            return tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{path}: {e}") from e


def _load_glossary(path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    data = _load_toml(path)
    terms: dict[str, list[str]] = {}
    for en, zh in (data.get("terms") or {}).items():
        if isinstance(zh, str):
            zh = [zh]
        if not isinstance(zh, list) or not all(isinstance(z, str) for z in zh):
            raise ValueError(f"{path}: [terms] {en!r} must be a string or a list of strings")
        terms[en] = [z.strip() for z in zh if z.strip()]
    intents: dict[str, str] = {}
    for en, zh in (data.get("intents") or {}).items():
        if not isinstance(zh, str):
            raise ValueError(f"{path}: [intents] {en!r} must be a string")
        intents[en] = zh.strip()
    return terms, intents


def _load_synonyms(path: Path) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    rules: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    if not path.exists():
        return rules
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].replace("\u3000", " ").strip()
        if not line:
            continue
        if line.count("=>") != 1:
            raise ValueError(f"{path}:{lineno}: expected `words => targets`, got {raw!r}")
        lhs, rhs = (tuple(part.split()) for part in line.split("=>"))
        if not lhs or not rhs:
            raise ValueError(f"{path}:{lineno}: both sides of `=>` need at least one word")
        if rhs == ("-",):  # recognise the words (shielding shorter rules inside them), add nothing
            rhs = ()
        rules.append((lhs, rhs))
    return rules


def _load_departments(path: Path) -> list[tuple[str, list[str]]]:
    data = _load_toml(path)
    out: list[tuple[str, list[str]]] = []
    for k, dept in enumerate(data.get("department") or [], 1):
        name = dept.get("name")
        aliases = dept.get("aliases", [])
        if not isinstance(name, str) or not isinstance(aliases, list):
            raise ValueError(f"{path}: department #{k} needs name = \"...\" and aliases = [...]")
        out.append((name.strip(), [a.strip() for a in aliases if isinstance(a, str) and a.strip()]))
    return out


def _load_word_list(path: Path) -> set[str]:
    if not path.exists():
        return set()
    words: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0]
        words.update(w for w in line.split() if w)
    return words


def _load_jieba_words() -> tuple[dict[str, int], set[str]]:
    """Everyday words (jieba's dictionary, frequency >= threshold) and the proper nouns among them.

    Read straight from jieba's dict.txt at build time; jieba itself is not even imported.
    """
    from importlib.util import find_spec

    spec = find_spec("jieba")
    if spec is None or not spec.origin:
        raise RuntimeError("jieba is needed to build the query rewriter (pip install jieba)")
    path = Path(spec.origin).with_name("dict.txt")
    common: dict[str, int] = {}
    proper: set[str] = set()
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2 or not 2 <= len(parts[0]) <= 6:
                continue
            word, freq = parts[0], int(parts[1])
            if freq < _COMMON_WORD_MIN_FREQ or not _HAN_RE.fullmatch(word):
                continue
            common[word] = freq
            if len(parts) > 2 and parts[2] in _PROPER_TAGS:
                proper.add(word)
    return common, proper
