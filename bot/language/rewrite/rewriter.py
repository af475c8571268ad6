"""QueryRewriter: builds every table once from corpus and curated files, then runs the steps in order.

Neighbours: bot/index/search_index.py calls `build()` at index time and pickles the result, bot/engine/coordinator.py calls
`rewrite()`; each step lives in its own module of bot/language/rewrite/ (normalize, regions, english, hanzi, typos, ...).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.language.rewrite import resources
from bot.language.rewrite.data import (
    load_departments,
    load_glossary,
    load_jieba_words,
    load_synonyms,
    load_word_list,
)
from bot.language.rewrite.dates import chinese_dates
from bot.language.rewrite.english import English, append_intents, question_language, stem
from bot.language.rewrite.glosses import Glosses
from bot.language.rewrite.hanzi import PinyinMap, build_pinyin_map
from bot.language.rewrite.normalize import build_fold_table, normalize
from bot.language.rewrite.pinyin import Readings, build_readings
from bot.language.rewrite.regions import RegionReader, region_base, regions_first
from bot.language.rewrite.synonyms import SynonymExpander
from bot.language.rewrite.tokens import join, tokenize
from bot.language.rewrite.typos import TypoCorrector
from bot.language.rewrite.vocabulary import MAX_CORPUS_CHARS, count_ngrams, known_terms
from bot.language.vocabulary import QUESTION_WORDS


@dataclass
class Rewrite:
    """The question rewritten into plan vocabulary, plus what was changed and why."""

    text: str  # simplified, half-width, pinyin -> hanzi, typos corrected, English -> Chinese keywords
    lang: str  # "en" when the question was written mainly in English, else "zh"
    corrections: list[tuple[str, str]] = field(default_factory=list)  # (what the user wrote, what we read)
    expansions: list[str] = field(default_factory=list)  # extra plan terms to add to the query
    # regions recognised in pinyin/English, as the plans write them
    regions: list[str] = field(default_factory=list)
    # cities and counties not held, named in pinyin/English ("Zhangdian" -> 张店区)
    places: list[str] = field(default_factory=list)
    # everyday words of the question that synonym rules read as plan terms: (word, its plan terms)
    senses: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


class QueryRewriter:
    """Rewrites questions into plan vocabulary; built once, pickled with the index, loaded per process.

    State is a handful of step objects holding plain data (dicts, tuples, frozensets, arrays), so it
    pickles small and unpickles fast; the reading table and pinyin map are shared, pickled once.
    """

    def __init__(
        self,
        fold_table: dict[int, str],
        readings: Readings,
        pinyin: PinyinMap,
        regions: RegionReader,
        english: English,
        typos: TypoCorrector,
        synonyms: SynonymExpander,
        glosses: Glosses | None = None,
    ) -> None:
        self._fold_table = fold_table
        self._readings = readings
        self._pinyin = pinyin
        self._regions = regions
        self._english = english
        self._typos = typos
        self._synonyms = synonyms
        self.glosses = glosses or Glosses()  # the plans' words in English (glosses.py), for English questions

    @classmethod
    def build(
        cls,
        corpus_texts: Iterable[str],
        data_dir: Path,
        regions: Iterable[str],
        extra_terms: Iterable[str] = (),
    ) -> QueryRewriter:
        """Precompute every table `rewrite()` needs; this is the only place pypinyin/zhconv/jieba run."""
        data_dir = Path(data_dir)
        texts = list(dict.fromkeys(t for t in corpus_texts if t and t.strip()))
        regions = [r.strip() for r in regions if r and r.strip()]

        glossary_terms, intents = load_glossary(data_dir / "glossary.toml")
        synonyms = load_synonyms(data_dir / "synonyms.txt")
        departments = load_departments(data_dir / "departments.toml")
        keep_words = load_word_list(data_dir / "keep_words.txt")

        readings, heteronyms = build_readings()
        fold_table = build_fold_table(set("".join(texts)[:MAX_CORPUS_CHARS]))
        ngram_freq = count_ngrams(texts, fold_table)
        joined = "\n".join(texts)[:MAX_CORPUS_CHARS]
        terms = known_terms(texts, extra_terms, departments, glossary_terms, synonyms, regions)
        question_words = set(QUESTION_WORDS)
        common, proper = load_jieba_words()

        pinyin = build_pinyin_map(readings, heteronyms, ngram_freq, common, terms, question_words, joined,
                                  regions)
        locked = frozenset(question_words | keep_words)
        synonyms, dictionary = _with_resources(synonyms, ngram_freq, terms)
        synonym_sources = {w for lhs, _ in synonyms for w in lhs}
        typos = TypoCorrector.build(pinyin, readings, ngram_freq, common, proper,
                                    terms | synonym_sources | locked, locked)
        return cls(fold_table, readings, pinyin, _region_reader(regions, ngram_freq),
                   English.build(glossary_terms, intents, dictionary), typos, SynonymExpander.build(synonyms),
                   Glosses.build(lambda w: ngram_freq.get(w, 0) > 0, stem) if resources.USE_CEDICT else None)

    def rewrite(self, question: str) -> Rewrite:
        """Rewrite one question; pure Python over precomputed tables (well under a millisecond)."""
        text = chinese_dates(normalize(question, self._fold_table))
        if not text:
            return Rewrite(text="", lang="zh")
        toks = tokenize(text)
        corrections: list[tuple[str, str]] = []
        regions: list[str] = []
        places: list[str] = []
        expansions: list[str] = []
        intents: list[str] = []

        # Order matters: regions before pinyin ("Huaiyin" is both), roles before language and
        # conversion, typos last (only on hanzi the user typed).
        toks = self._regions.read(toks, regions, corrections, places)
        self._english.classify(toks, self._readings)
        lang = question_language(toks)
        toks = self._pinyin.convert(toks, regions, corrections)
        english_senses: list[tuple[str, tuple[str, ...]]] = []
        toks = self._english.translate(toks, lang, intents, expansions, english_senses)
        for t in toks:
            if t.kind == "han":
                t.text = self._typos.correct(t.text, corrections)
        if lang == "en":
            toks = regions_first(toks)

        out = append_intents(join(toks, lang), intents)
        found, senses = self._synonyms.expand(out, expansions)
        senses = english_senses + senses
        return Rewrite(text=out, lang=lang, corrections=corrections, expansions=found,
                       regions=list(dict.fromkeys(regions)), places=list(dict.fromkeys(places)), senses=senses)

    def warm_up(self) -> None:
        """Make the tables the first question would otherwise make (the typo search's sound keys)."""
        self._typos.warm_up()

    def pinyin_of(self, text: str) -> list[str]:
        """Toneless syllables of the hanzi in `text` (others skipped): for pinyin-prefix suggestions."""
        return self._readings.pinyin_of(text)


def _region_reader(regions: list[str], ngram_freq: dict[str, int]) -> RegionReader:
    """The deployment's regions, and every other city and county of the national list (GB/T 2260)
    whose short form the plans do not use as a word."""
    from indexer.divisions import table

    # cities first: a spelling several divisions share ("Quanzhou": 泉州市, 全州县) reads as the city
    others = [d.name for d in sorted(table().by_code.values(), key=lambda d: (d.level != "city", d.code))
              if d.level != "province"]
    english = resources.english_words() if resources.USE_CEDICT else frozenset()
    plan_words = {b for name in others if ngram_freq.get(b := region_base(name), 0)}
    return RegionReader.build(regions, others, english, plan_words)


def _with_resources(synonyms: list, ngram_freq: dict[str, int], terms: set[str]
                    ) -> tuple[list, dict[str, list[str]]]:
    """The curated synonym rules followed by cnsyn's, and CC-CEDICT's English keys (resources.py)."""
    from bot.engine.tuning import DEFAULT
    from bot.language.everyday import Everyday

    salience = Everyday(DEFAULT).salience

    def count(word: str) -> int:
        return ngram_freq.get(word, 0) or (resources.MIN_PLAN_COUNT if word in terms else 0)

    def in_plans(word: str) -> bool:
        return count(word) >= resources.MIN_PLAN_COUNT

    taken = {w for lhs, _ in synonyms for w in lhs}
    extra = resources.synonym_rules(in_plans, salience, taken) if resources.USE_CNSYN else []
    dictionary = resources.english_terms(in_plans, salience, count) if resources.USE_CEDICT else {}
    return list(synonyms) + extra, dictionary
