"""Query rewriting: turn what a citizen typed into the vocabulary the plans are written in.

Job: one question in, one `Rewrite` out — simplified characters, half-width letters and digits,
toneless pinyin turned into hanzi, pronunciation typos corrected against the corpus vocabulary
(养劳补贴 -> 养老补贴), English translated into Chinese plan terms with Chinese intent wording appended
(who -> 哪个部门负责), region names written in pinyin or English recognised (Huaiyin -> 槐荫区), and
colloquial words expanded into plan vocabulary (老人 -> 养老, 老年人).

Neighbours: bot/index/search_index.py builds one `QueryRewriter` at index time from the knowledge entries and the
curated files in knowledge/data/ (glossary.toml, synonyms.txt, departments.toml, keep_words.txt;
formats in knowledge/data/README.md) and pickles it with the index; bot/engine/coordinator.py calls `rewrite()`
before the tokenizer (bot/language/tokenizer.py), intent detection and retrieval see the question.

Start-up budget: the pickled rewriter is loaded at every CLI start, so `rewrite()` and unpickling never
import pypinyin, zhconv or jieba (each costs 0.3-0.5 s). Everything they know that we need is
precomputed in `build()` into plain, compact tables: a toneless-pinyin array for the CJK Unified
Ideographs block, a traditional -> simplified translate table, a pinyin -> corpus-term map, and CRC32
hash arrays for "does this n-gram occur in the corpus" and "is this an everyday word".

Modules, in the order `rewrite()` uses them:
  rewriter.py    QueryRewriter (build + the order of the steps) and Rewrite
  normalize.py   traditional -> simplified, full-width -> half-width, whitespace
  tokens.py      cutting the question into tokens and joining them again
  regions.py     region names in pinyin/English
  english.py     pinyin-or-English word roles, stemming, glossary terms, intent wording
  pinyin.py      the per-character reading table and syllable segmentation
  hanzi.py       the pinyin -> corpus-term map and the pinyin -> hanzi conversion
  typos.py       homophone typo correction and its guards
  synonyms.py    synonym expansion
  vocabulary.py  corpus n-grams, known terms, question words (build time)
  data.py        the curated files and jieba's dictionary (build time)
"""
from __future__ import annotations

from bot.language.rewrite.rewriter import QueryRewriter, Rewrite

__all__ = ["Rewrite", "QueryRewriter"]
