"""Readers for the curated files in knowledge/data/ (formats in its README.md) and jieba's dictionary.

Neighbours: bot/language/rewrite/rewriter.py calls these at build time only; errors name the file (and line) so an
editor of the curated files can fix them; bot/index/search_index.py hashes the same files into the index fingerprint.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.language.rewrite.tokens import HAN_RE

_COMMON_WORD_MIN_FREQ = 5  # jieba frequency from which a word counts as an everyday word
_PROPER_TAGS: frozenset[str] = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg"})

# One synonyms.txt rule: (source words, target terms); empty targets shield the words without adding.
SynonymRule = tuple[tuple[str, ...], tuple[str, ...]]


def load_glossary(path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """glossary.toml: [terms] English -> Chinese plan term(s), [intents] English -> Chinese intent wording."""
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


def load_synonyms(path: Path) -> list[SynonymRule]:
    """synonyms.txt: `words => targets` per line; a lone `-` target recognises the words, adds nothing."""
    rules: list[SynonymRule] = []
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


def load_departments(path: Path) -> list[tuple[str, list[str]]]:
    """departments.toml: each unit's canonical name and its aliases."""
    data = _load_toml(path)
    out: list[tuple[str, list[str]]] = []
    for k, dept in enumerate(data.get("department") or [], 1):
        name = dept.get("name")
        aliases = dept.get("aliases", [])
        if not isinstance(name, str) or not isinstance(aliases, list):
            raise ValueError(f"{path}: department #{k} needs name = \"...\" and aliases = [...]")
        out.append((name.strip(), [a.strip() for a in aliases if isinstance(a, str) and a.strip()]))
    return out


def load_word_list(path: Path) -> set[str]:
    """A whitespace-separated word list with # comments (keep_words.txt)."""
    if not path.exists():
        return set()
    words: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0]
        words.update(w for w in line.split() if w)
    return words


def load_jieba_words() -> tuple[dict[str, int], set[str]]:
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
            if freq < _COMMON_WORD_MIN_FREQ or not HAN_RE.fullmatch(word):
                continue
            common[word] = freq
            if len(parts) > 2 and parts[2] in _PROPER_TAGS:
                proper.add(word)
    return common, proper


def _load_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict ({} when missing); a syntax error names the file."""
    import tomllib

    if not path.exists():
        return {}
    with path.open("rb") as f:
        try:
            return tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{path}: {e}") from e
