"""Region names written in pinyin or English ("Huaiyin", "Huai Yin District", "licheng qu") -> 槐荫区.

Neighbours: bot/language/rewrite/rewriter.py builds the reader from the deployment's regions (bot/index/search_index.py passes
them) and runs it first on the tokens (bot/language/rewrite/tokens.py); hanzi.py maps region pinyin too.
"""
from __future__ import annotations

from bot.language.rewrite.tokens import WORD_SPLIT_RE, Tok

# Words after a region name that only say what kind of region it is ("Huaiyin District", "Qixia shi").
_REGION_SUFFIX_WORDS: frozenset[str] = frozenset(
    "district districts qu city shi county xian town zhen township area".split()
)
_REGION_SUFFIXES: tuple[str, ...] = ("自治县", "新区", "街道", "区", "市", "县", "镇", "乡")
_REGION_MAX_WORDS = 4  # "Huai Yin Qu" is three words


def region_base(name: str) -> str:
    """槐荫区 -> 槐荫, 栖霞市 -> 栖霞 (the part people write in pinyin or English)."""
    for suf in _REGION_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


class RegionReader:
    """Recognises the deployment's regions among the ASCII words of a question."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys  # concatenated lower-case pinyin ("huaiyin", "huaiyinqu") -> 槐荫区

    @classmethod
    def build(cls, regions: list[str]) -> RegionReader:
        """Pinyin spellings of each region, with and without its suffix (槐荫区 -> huaiyin, huaiyinqu)."""
        from pypinyin import Style, lazy_pinyin  # build-time only

        keys: dict[str, str] = {}
        for r in regions:
            for form in {r, region_base(r)}:
                key = "".join(lazy_pinyin(form, style=Style.NORMAL, errors="ignore"))
                if len(key) >= 4:
                    keys.setdefault(key, r)
        return cls(keys)

    def read(self, toks: list[Tok], regions: list[str], corrections: list[tuple[str, str]]) -> list[Tok]:
        """Replace "Huaiyin", "Huai Yin District", "licheng qu" by the region name the plans use."""
        if not self.keys:
            return toks
        out: list[Tok] = []
        i = 0
        while i < len(toks):
            t = toks[i]
            hit = None
            if t.kind == "word":
                letters = ""
                words: list[int] = []
                j = i
                # Concatenate up to a few words (separated by single spaces) and look for a region key.
                while j < len(toks) and len(words) < _REGION_MAX_WORDS:
                    if toks[j].kind != "word":
                        break
                    letters += WORD_SPLIT_RE.sub("", toks[j].text).lower()
                    words.append(j)
                    if letters in self.keys:
                        hit = (j, self.keys[letters])
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
            out.append(Tok("zh", name, "region"))
            regions.append(name)
            corrections.append((written, name))
            i = end + 1
        return out


def regions_first(toks: list[Tok]) -> list[Tok]:
    """Chinese word order for English questions: the recognised regions lead."""
    front = [t for t in toks if t.kind == "zh" and t.role == "region"]
    return front + [t for t in toks if not (t.kind == "zh" and t.role == "region")]
