"""Region names written in pinyin or English ("Huaiyin", "Huai Yin District", "licheng qu") -> 槐荫区.

Places the deployment does not hold are read the same way from the national division list ("Zhangdian"
-> 张店区, "Haidian District" -> 海淀区), so an English question about them is declined as a place not
held instead of being answered from whatever plan its other words match. Such a name counts only where a
name is plainly meant — capitalised — and never when it is also an English word ("Guide", "Boxing") or a
word of the plans ("Songshan" of 松山产业园). Lower-case pinyin with its kind ("zhangdian qu") is
bot/engine/places.py's `latin_place`.

Neighbours: bot/language/rewrite/rewriter.py builds the reader from the deployment's regions (bot/index/search_index.py passes
them) and runs it first on the tokens (bot/language/rewrite/tokens.py); hanzi.py maps region pinyin too.
"""
from __future__ import annotations

from collections.abc import Container, Iterable
from functools import lru_cache

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


@lru_cache(maxsize=8192)
def _spellings(name: str) -> frozenset[str]:
    """Concatenated toneless pinyin of a name with and without its suffix (槐荫区 -> huaiyin, huaiyinqu); kept
    per process, as the national list is spelled again for every index built."""
    from pypinyin import Style, lazy_pinyin  # build-time only

    keys = {"".join(lazy_pinyin(form, style=Style.NORMAL, errors="ignore")) for form in {name, region_base(name)}}
    return frozenset(k for k in keys if len(k) >= 4)


class RegionReader:
    """Recognises the deployment's regions, and places it does not hold, among the ASCII words of a question."""

    def __init__(self, keys: dict[str, str], elsewhere: dict[str, tuple[str, ...]] | None = None) -> None:
        self.keys = keys  # concatenated lower-case pinyin ("huaiyin", "huaiyinqu") -> 槐荫区
        # pinyin of other cities and counties -> their names ("zhangdian" -> 张店区; several when shared)
        self.elsewhere = elsewhere or {}

    @classmethod
    def build(cls, regions: list[str], others: Iterable[str] = (), english: Container[str] = frozenset(),
              plan_words: Container[str] = frozenset()) -> RegionReader:
        """Keys for each held region, and for every other city and county name (`others`) whose
        spelling is not an English word (`english`) and whose short form the plans do not use as a word
        (`plan_words`: "Songshan Industrial Park" is 松山产业园 of a held plan, not 赤峰's 松山区)."""
        keys: dict[str, str] = {}
        for r in regions:
            for key in _spellings(r):
                keys.setdefault(key, r)
        elsewhere: dict[str, tuple[str, ...]] = {}
        for name in dict.fromkeys(others):
            if region_base(name) in plan_words:
                continue
            for key in _spellings(name):
                if key not in keys and key not in english and name not in elsewhere.get(key, ()):
                    elsewhere[key] = (*elsewhere.get(key, ()), name)
        return cls(keys, elsewhere)

    def read(self, toks: list[Tok], regions: list[str], corrections: list[tuple[str, str]],
             places: list[str] | None = None) -> list[Tok]:
        """Replace "Huaiyin", "Huai Yin District", "licheng qu" by the region name the plans use; a place
        not held ("Zhangdian") by its Chinese name, added to `places`."""
        if not self.keys and not self.elsewhere:
            return toks
        out: list[Tok] = []
        i = 0
        while i < len(toks):
            hit = self._longest(toks, i) if toks[i].kind == "word" else None
            if hit is None:
                out.append(toks[i])
                i += 1
                continue
            end, name, held = hit
            # Swallow a following kind-of-region word: "Huaiyin District", "Qixia shi".
            if _suffix_after(toks, end):
                end += 2
            written = "".join(x.text for x in toks[i:end + 1])
            if held:
                out.append(Tok("zh", name, "region"))
                regions.append(name)
            else:
                out.append(Tok("zh", name, "place"))
                if places is not None:
                    places.append(name)
            corrections.append((written, name))
            i = end + 1
        return out

    def _longest(self, toks: list[Tok], i: int) -> tuple[int, str, bool] | None:
        """The longest run of up to a few space-separated words from `i` spelling a held region, else
        one spelling a place not held where a name is plainly meant: (last token, name, held)."""
        letters = ""
        hit: tuple[int, str, bool] | None = None
        j = i
        for _ in range(_REGION_MAX_WORDS):
            if j >= len(toks) or toks[j].kind != "word":
                break
            letters += WORD_SPLIT_RE.sub("", toks[j].text).lower()
            if letters in self.keys:
                hit = (j, self.keys[letters], True)
            elif (names := self.elsewhere.get(letters)) and (hit is None or not hit[2]) \
                    and toks[i].text[:1].isupper():
                hit = (j, names[0], False)  # several share the spelling: the first (`others` lists cities first)
            if j + 1 < len(toks) and toks[j + 1].kind == "space" and j + 2 < len(toks):
                j += 2
            else:
                break
        return hit


def _suffix_after(toks: list[Tok], end: int) -> bool:
    """A kind-of-region word follows token `end` ("Huaiyin District", "zhangdian qu")."""
    return (end + 2 < len(toks) and toks[end + 1].kind == "space" and toks[end + 2].kind == "word"
            and toks[end + 2].text.lower() in _REGION_SUFFIX_WORDS)


def regions_first(toks: list[Tok]) -> list[Tok]:
    """Chinese word order for English questions: the recognised regions lead."""
    front = [t for t in toks if t.kind == "zh" and t.role == "region"]
    return front + [t for t in toks if not (t.kind == "zh" and t.role == "region")]
