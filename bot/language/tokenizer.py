"""THE tokenizer, for entries at index time and for questions at query time (one of each would drift).

jieba with a user dictionary built from the knowledge base itself (department and region names, quoted
policy terms such as “双随机、一公开”, clause titles' key phrases) plus the curated data files. Question
words (哪个部门, 谁, 什么时候, 多久 …) are not content: they drive intent in bot/engine/understand.py.
jieba is imported and its dictionary loaded only when a Tokenizer is first used, never at import; given
the index's packed `Lexicon`, only the dictionary entries a text needs are loaded (start-up: 0.3 s, not 1 s).
"""
from __future__ import annotations

import logging
import re
import threading
from array import array
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from bot.language.vocabulary import STOPWORDS

if TYPE_CHECKING:  # the segmenter imports jieba, which is loaded only on first use
    from bot.language.segmenter import Segmenter

_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,14})[”\"」』]")

log = logging.getLogger(__name__)


class Tokenizer:
    """jieba in search mode, with the knowledge base's own terms added so they stay whole.

    The jieba instance is private to this object (a `jieba.Tokenizer`, bot/language/segmenter.py), so loading our terms never
    changes global jieba state used by anyone else in the process.
    """

    def __init__(self, terms: Iterable[str] = (), lexicon: Lexicon | None = None) -> None:
        self._terms = sorted({t.strip() for t in terms if t and 2 <= len(t.strip()) <= 20})
        self._jieba: Segmenter | None = None
        self._lock = threading.Lock()
        self._offered = lexicon  # a packed dictionary saved with the index, used if made for these terms
        self._lexicon: Lexicon | None = None
        self._loaded: set[str] = set()  # lexicon groups (Lexicon.groups_of) whose entries are loaded

    @property
    def terms(self) -> list[str]:
        return list(self._terms)

    def _load(self) -> Segmenter:
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    from bot.language.segmenter import Segmenter

                    jieba.setLogLevel(logging.WARNING)
                    tk = Segmenter()
                    if self._offered is not None and self._offered.key == _terms_key(self._terms):
                        self._lexicon = self._offered
                        tk.FREQ, tk.total, tk.initialized = {}, self._lexicon.total, True
                    else:
                        tk.initialize()
                        for t in self._terms:
                            tk.add_word(t, freq=2000)
                    self._jieba = tk
        return self._jieba

    def _ensure(self, tk: Segmenter, lexicon: Lexicon, text: str) -> None:
        """Load the lexicon groups holding every substring of the text (all jieba looks up)."""
        if lexicon.groups_of(text) <= self._loaded:
            return
        with self._lock:
            missing = [g for g in lexicon.groups_of(text) if g not in self._loaded]
            tk.FREQ.update(lexicon.entries_of(missing))
            self._loaded.update(missing)

    def lexicon(self) -> Lexicon | None:
        """jieba's dictionary with our terms added, packed for `Tokenizer(terms, lexicon)` (see Lexicon)."""
        tk = self._load()
        if self._lexicon is not None:
            return self._lexicon
        if any(Lexicon.SEP in t for t in self._terms):  # cannot be packed; jieba's own words never hold it
            return None
        return Lexicon.pack(tk.FREQ, tk.total, _terms_key(self._terms))

    def words(self, text: str) -> list[str]:
        """Search-mode segmentation with punctuation and whitespace dropped (stopwords kept)."""
        tk = self._load()
        if self._lexicon is not None:
            self._ensure(tk, self._lexicon, text)
        out = []
        for w in tk.cut_for_search(text):
            w = w.strip()
            if w and _TOKEN_OK.search(w):
                out.append(w.lower())
        return out

    def tokens(self, text: str) -> list[str]:
        """Content tokens for BM25: search-mode words minus stopwords and lone function characters."""
        return [w for w in self.words(text) if w not in STOPWORDS]

    def tokens_at(self, text: str) -> list[tuple[str, int]]:
        """`tokens(text)`, each with where it starts in `text` (jieba's search-mode `tokenize` yields the
        very words of `cut_for_search`): one segmentation of a message serves each of its segments."""
        tk = self._load()
        if self._lexicon is not None:
            self._ensure(tk, self._lexicon, text)
        out = []
        for w, start, _ in tk.tokenize(text, mode="search"):
            w = w.strip()
            if w and _TOKEN_OK.search(w) and (w := w.lower()) not in STOPWORDS:
                out.append((w, start))
        return out


def _terms_key(terms: list[str]) -> str:
    import hashlib

    import jieba

    return hashlib.sha256("\n".join([jieba.__version__, *terms]).encode()).hexdigest()


class Lexicon:
    """jieba's prefix dictionary with the knowledge terms added, packed in small groups.

    jieba only looks up substrings of the text it segments, so the entries those substrings can be are
    all it needs to cut the text exactly as with the whole dictionary. Unpacking them on first use
    replaces loading the whole dictionary (about 500 000 entries: 0.5-0.8 s and 70 MB) at every start.
    A group holds the one-character entry of a character, or every entry starting with the same two
    characters (`width` 2: a question needs about 50 entries per character it brings, not the
    thousands starting with a common character: 的, 公, 信); versions written before that grouped by
    first character (`width` 1) and still open. Built with the index (bot/index/search_index.py) from
    the very dictionary that tokenized the entries.
    """

    SEP = "\x00"

    def __init__(self, packed: Mapping[str, tuple[bytes, bytes]], total: int, key: str, width: int = 2) -> None:
        self.packed, self.total, self.key, self.width = packed, total, key, width

    @classmethod
    def pack(cls, freq: dict[str, int], total: int, key: str) -> Lexicon:
        groups: dict[str, list[str]] = {}
        for word in freq:
            groups.setdefault(word[:2], []).append(word)
        packed = {
            g: (cls.SEP.join(words).encode("utf-8"), array("q", [freq[w] for w in words]).tobytes())
            for g, words in groups.items()
        }
        return cls(packed, total, key)

    def groups_of(self, text: str) -> set[str]:
        """The groups holding every entry that is a substring of `text`."""
        if self.width == 1:
            return set(text)
        return {text[k:k + 2] for k in range(len(text))} | set(text)

    @staticmethod
    def code(group: str) -> int:
        """A group as one sortable integer (files store the groups as these): 21 bits per character."""
        return (ord(group[0]) << 21) | (ord(group[1]) if len(group) > 1 else 0)

    @staticmethod
    def group(code: int) -> str:
        """The inverse of `code`."""
        second = code & 0x1FFFFF
        return chr(code >> 21) + (chr(second) if second else "")

    def entries(self, group: str) -> Iterator[tuple[str, int]]:
        return self.entries_of([group])

    def entries_of(self, groups: list[str]) -> Iterator[tuple[str, int]]:
        """The entries of these groups (a group the dictionary lacks has none). A mapped lexicon
        (bot/index/files.py) finds them all in one binary search: `many`."""
        many = getattr(self.packed, "many", None)
        blobs = many(groups) if many is not None else (b for g in groups if (b := self.packed.get(g)) is not None)
        for words, freqs in blobs:
            yield from zip(words.decode("utf-8").split(self.SEP), array("q", freqs), strict=True)


def knowledge_terms(texts: Iterable[str], units: Iterable[str], regions: Iterable[str]) -> set[str]:
    """Terms worth keeping whole, found in the knowledge base itself: quoted names, unit names, regions."""
    terms: set[str] = set()
    for text in texts:
        for m in _QUOTED.finditer(text):
            inner = m.group(1).strip()
            if not re.search(r"[，。；：]", inner):
                terms.add(inner)
    for u in units:
        terms.add(u)
        if u.startswith(("区", "市", "县")) and len(u) > 3:
            terms.add(u[1:])
    for r in regions:
        terms.add(r)
        if len(r) >= 3:
            terms.add(r[:-1])
    return {t for t in terms if 2 <= len(t) <= 16}
