"""bot/index/bm25.py: SparseBM25 ranks exactly like rank_bm25.BM25Plus, and why BM25Plus rather than BM25Okapi.

The reference comparison runs on the shipped corpus (knowledge/plans, tokenized by the index's own
Tokenizer); the rest uses tiny hand-made corpora whose scores can be worked out on paper.
"""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi, BM25Plus

from bot.index import bm25, posting_lists, pread
from bot.index import search_index as index_module
from bot.index.bm25 import DENSE_MIN_DOCS, SparseBM25
from bot.index.pread import PreadArray
from bot.language.tokenizer import Tokenizer
from indexer.store import build_knowledge

ROOT = Path(__file__).resolve().parents[2]

# Realistic questions (who / when / what / list, typos, staff shorthand, English, off-topic), tokenized
# by the same Tokenizer as the entries.
QUESTIONS = [
    "养老补贴信息公开由哪个部门负责？",
    "槐荫区养老保险、医疗保险等社会保险信息公开是哪个部门负责？",
    "槐荫区新冠肺炎疫情防控信息发布由哪个部门负责？",
    "历城区义务教育双减信息公开归哪个部门管？",
    "薛城区城市更新九大行动的政策解读是谁负责？",
    "周村区政府预决算信息公开的责任单位有哪些？",
    "周村区低保、孤儿、残疾人救助福利信息归哪个部门公开？",
    "历城区政务公开要点落实情况什么时候前要纳入年度报告？",
    "栖霞市公共企事业单位信息公开平台什么时候升级改造完成？",
    "槐荫区规章集中公开的完成时限是什么？",
    "周村区基层政务公开标准目录什么时候编制完成？",
    "薛城区政府开放月的线上线下集中开放活动安排在几月？",
    "政府开放月活动要怎么开展？",
    "重大行政决策事项目录管理有什么要求？",
    "政府公报数据库要做哪些工作？",
    "信息处理费按什么规定收取？",
    "对拟公开的政府信息进行保密审查应坚持什么原则？",
    "保障性租赁住房和共有产权住房方面要公开哪些信息？",
    "政府网站和政务新媒体的三审三校制度是什么要求？",
    "薛城区住建局负责哪些政务公开任务？",
    "槐荫区卫生健康局要负责哪些活儿？",
    "区民政局有哪些任务？",
    "2023年12月底前要完成哪些任务？",
    "周村区就业创业信息公开由哪些单为负责？",
    "历城区义物教育双减的公开要求是什么？",
    "槐荫 快易办 责任单位",
    "栖霞 政府网站集约化 完成时限",
    "历城 年度政务公开工作实施方案 截止时间",
    "周村 区应急局 负责任务",
    "“政企通”平台在政务公开里要干些啥？",
    "减税降费政策谁负责宣传",
    "高校毕业生、农民工、退役军人就业创业信息公开",
    "认房不认贷、带押过户购房政策的宣传解读",
    "双随机、一公开监管信息公开由哪个部门牵头？",
    "依申请公开全过程监管平台",
    "领导干部和新进公务人员政务公开培训",
    "Who is responsible for epidemic prevention information?",
    "个人所得税专项附加扣除标准",
    "明天天气怎么样？",
    "公开 公开 信息 信息公开",  # repeated and very common terms
]


@pytest.fixture(scope="module")
def shipped() -> tuple[list[list[str]], Tokenizer]:
    """The shipped entries' text token lists and the tokenizer that made them (built once)."""
    kb = build_knowledge(ROOT / "knowledge" / "plans")
    with pytest.MonkeyPatch.context() as mp:  # the query rewriter plays no part in BM25: skip building it
        mp.setattr(index_module, "_build_rewriter", lambda *args, **kwargs: None)
        index = index_module.build_index(kb, ROOT / "knowledge" / "data")
    tokenizer = Tokenizer(index.terms, lexicon=index.lexicon)
    cache: dict[str, list[str]] = {}
    token_lists = [cache.setdefault(e.text, tokenizer.tokens(e.text)) for e in index.entries]
    return token_lists, tokenizer


@pytest.fixture(scope="module")
def reference(shipped) -> tuple[BM25Plus, SparseBM25]:  # type: ignore[no-untyped-def]
    token_lists, _ = shipped
    return BM25Plus(token_lists, k1=1.5, b=0.75), SparseBM25(token_lists, k1=1.5, b=0.75)


def assert_same_ranking(expected: np.ndarray, got: np.ndarray, k: int = 20) -> None:
    """Same top-k order, up to ties: the reference's scores taken in our order are its own top-k."""
    ours = np.argsort(-got, kind="stable")[:k]
    theirs = np.argsort(-expected, kind="stable")[:k]
    np.testing.assert_allclose(expected[ours], expected[theirs], rtol=1e-5, atol=1e-5)
    top = np.sort(expected)[::-1][: k + 1]
    if len(top) < 2 or np.all(np.diff(top) < -1e-4):  # no near-ties: the very same documents in order
        assert ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("question", QUESTIONS)
def test_ranks_like_bm25plus_on_shipped_corpus(shipped, reference, question: str) -> None:  # type: ignore[no-untyped-def]
    _, tokenizer = shipped
    plus, sparse = reference
    query = tokenizer.tokens(question)
    expected = plus.get_scores(query)
    got = sparse.get_scores(query)
    assert got.shape == expected.shape
    # BM25Plus adds delta * idf of every query term (in the vocabulary) to every document: a constant.
    constant = plus.delta * sum(plus.idf[t] for t in query if t in plus.idf)
    np.testing.assert_allclose(got + constant, expected, rtol=1e-5, atol=1e-4)
    assert_same_ranking(expected, got)


def test_idf_and_document_frequency_match_bm25plus(reference) -> None:  # type: ignore[no-untyped-def]
    plus, sparse = reference
    assert set(sparse.idf) == set(plus.idf)
    for term, idf in plus.idf.items():
        assert sparse.idf[term] == pytest.approx(idf)
        assert sparse.df(term) == sum(1 for d in plus.doc_freqs if term in d)
    assert sparse.df("不在语料里的词") == 0


def test_posting_ids_are_sorted_ascending(reference) -> None:  # type: ignore[no-untyped-def]
    """Engine._has binary-searches them."""
    _, sparse = reference
    for ids in sparse._ids.values():
        assert len(ids) and np.all(np.diff(ids) > 0)


def test_term_weights_scale_each_term(reference, shipped) -> None:  # type: ignore[no-untyped-def]
    _, sparse = reference
    query = shipped[1].tokens("养老补贴信息公开")
    weights = [0.5 if i % 2 else 1.0 for i in range(len(query))]
    expected = sum(w * sparse.get_scores([t]) for t, w in zip(query, weights, strict=True))
    np.testing.assert_allclose(sparse.get_scores(query, weights=weights), expected, rtol=1e-6, atol=1e-6)


def test_save_and_open_keep_scores(reference, shipped, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, sparse = reference
    sparse.save(tmp_path, "text")
    loaded = SparseBM25.open(tmp_path, "text")
    assert isinstance(loaded._postings._ids, PreadArray)  # read from the file by pread, never mapped
    query = shipped[1].tokens("政务公开 养老 补贴 责任单位")
    np.testing.assert_array_equal(loaded.get_scores(query), sparse.get_scores(query))
    assert dict(loaded.idf) == dict(sparse.idf)
    assert all(np.array_equal(loaded._ids[t], sparse._ids[t]) for t in sparse._ids)


def test_contains_matches_the_postings() -> None:
    sparse = SparseBM25([["养老", "补贴"], ["公开"], ["养老"], []])
    np.testing.assert_array_equal(sparse.contains("养老", np.array([0, 1, 2, 3])), [True, False, True, False])
    np.testing.assert_array_equal(sparse.contains("未知", np.array([0, 1])), [False, False])
    assert sparse.contains("养老", np.array([], dtype=np.int32)).shape == (0,)


def test_dense_path_for_frequent_terms_gives_identical_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = [["公开", "信息"] * (i % 3 + 1) + (["养老"] if i % 4 == 0 else []) for i in range(400)]
    query = ["公开", "养老", "信息", "公开"]
    sparse_only = SparseBM25(corpus).get_scores(query, weights=[1.0, 0.5, 1.0, 0.3])
    monkeypatch.setattr(bm25, "DENSE_MIN_DOCS", 0)  # every term in over 1/8 of documents goes dense
    dense = SparseBM25(corpus)
    np.testing.assert_array_equal(dense.get_scores(query, weights=[1.0, 0.5, 1.0, 0.3]), sparse_only)
    assert dense._dense  # the dense path was taken
    monkeypatch.setattr(bm25, "DENSE_BUDGET_BYTES", 4 * 400)  # room for one vector: the rest scatter
    capped = SparseBM25(corpus)
    np.testing.assert_array_equal(capped.get_scores(query, weights=[1.0, 0.5, 1.0, 0.3]), sparse_only)
    assert len(capped._dense) == 1


@pytest.mark.parametrize("dense_min", [DENSE_MIN_DOCS, 0])
def test_adding_weighted_scores_equals_adding_the_weighted_vector(monkeypatch: pytest.MonkeyPatch,
                                                                   dense_min: int) -> None:
    """add_weighted (one term added straight from its vector or posting) is `scores += w * get_scores`."""
    monkeypatch.setattr(bm25, "DENSE_MIN_DOCS", dense_min)
    corpus = [["公开", "信息"] * (i % 3 + 1) + (["养老"] if i % 4 == 0 else []) for i in range(400)]
    index = SparseBM25(corpus)
    base = np.random.default_rng(1).random(400).astype(np.float32)
    for query in (["公开"], ["养老"], ["养老", "缺席"], ["公开", "养老"], ["养老", "养老"], ["缺席"], []):
        expected = base.copy()
        expected += 0.4 * index.get_scores(query)
        got = base.copy()
        read: dict[str, np.ndarray] = {}
        index.add_weighted(got, query, 0.4, read)
        assert got.tobytes() == expected.tobytes(), query
        for term, ids in read.items():
            assert index.contains(term, np.arange(400), ids).tolist() == index.contains(term, np.arange(400)).tolist()


def test_dense_vectors_are_the_most_frequent_terms_chosen_at_build_and_kept_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which terms get a dense vector depends on document frequency alone, never on the questions asked
    first; the opened index maps the same vectors and scores bit-for-bit as the built one."""
    corpus = [["公开"] + (["信息"] if i % 2 else []) + (["养老"] if i % 5 == 0 else []) for i in range(400)]
    monkeypatch.setattr(bm25, "DENSE_MIN_DOCS", 0)
    monkeypatch.setattr(bm25, "DENSE_BUDGET_BYTES", 4 * 400 * 2)  # two vectors: 公开 (400) and 信息 (200)
    built = SparseBM25(corpus)
    assert list(built._dense) == ["公开", "信息"]  # 养老 (80 documents) is frequent too, but third
    built.get_scores(["养老"])
    assert "养老" not in built._dense  # asking does not fill the cache
    built.save(tmp_path, "t")
    opened = SparseBM25.open(tmp_path, "t")
    assert list(opened._dense) == ["公开", "信息"]
    for query in (["养老", "公开"], ["信息", "养老", "信息"], ["未知"]):
        assert opened.get_scores(query).tobytes() == built.get_scores(query).tobytes()


# ------------------------------------------------------------------------------- why BM25Plus, not Okapi
def test_okapi_gives_a_term_in_half_the_documents_no_weight() -> None:
    """Filtered to one region, a small corpus where 养老 is in 2 of 4 entries: Okapi's idf is
    log((4 - 2 + 0.5) / (2 + 0.5)) = 0, so the entries about 养老 do not outrank the others."""
    corpus = [["养老", "补贴", "公开"], ["养老", "服务"], ["就业", "公开"], ["教育", "服务"]]
    okapi = BM25Okapi(corpus).get_scores(["养老"])
    assert okapi[0] == okapi[2] and okapi[1] == okapi[3]  # containing the term earns nothing
    sparse = SparseBM25(corpus).get_scores(["养老"])
    assert set(np.argsort(-sparse)[:2].tolist()) == {0, 1}
    assert min(sparse[0], sparse[1]) > max(sparse[2], sparse[3]) == 0


def test_okapi_can_rank_a_document_lacking_the_term_first() -> None:
    """When most terms are common (a region's few entries), Okapi's epsilon floor is itself negative:
    every entry containing 养老 scores below the one entry that lacks it."""
    corpus = [["养老", "补贴", "公开"], ["养老", "补贴", "公开"], ["养老", "补贴", "公开"], ["补贴", "公开"]]
    okapi = BM25Okapi(corpus).get_scores(["养老"])
    assert int(np.argmax(okapi)) == 3  # the entry without 养老 ranks first
    sparse = SparseBM25(corpus).get_scores(["养老"])
    assert int(np.argmin(sparse)) == 3 and sparse[3] == 0
    assert np.all(sparse[:3] > 0)


# ------------------------------------------------------------------------------- edge cases
def test_empty_corpus_scores_nothing() -> None:
    sparse = SparseBM25([])
    assert sparse.get_scores(["养老"]).shape == (0,)
    assert sparse.get_scores([]).shape == (0,)
    assert sparse.idf == {} and sparse.df("养老") == 0


def test_empty_documents_and_empty_query() -> None:
    sparse = SparseBM25([[], ["养老"], []])
    np.testing.assert_array_equal(sparse.get_scores([]), np.zeros(3, dtype=np.float32))
    np.testing.assert_array_equal(sparse.get_scores(["未知"]), np.zeros(3, dtype=np.float32))
    assert sparse.get_scores(["养老"]).argmax() == 1
    np.testing.assert_array_equal(SparseBM25([[], []]).get_scores(["养老"]), [0.0, 0.0])


@pytest.mark.parametrize(("k1", "b"), [(-0.1, 0.75), (1.5, -0.01), (1.5, 1.01)])
def test_bad_parameters_raise(k1: float, b: float) -> None:
    with pytest.raises(ValueError, match="k1 must be >= 0 and b in"):
        SparseBM25([["养老"]], k1=k1, b=b)


def test_scores_of_some_docs_equal_the_full_scores_bit_for_bit() -> None:
    """get_scores_of (a region's entries) == get_scores(...)[docs], dense terms and weights included."""
    rng = random.Random(5)
    words = [f"w{i}" for i in range(300)]
    common = ["公开", "信息"]  # in most documents: the dense path of get_scores at this size
    corpus = [rng.sample(words, rng.randint(1, 12)) + [c for c in common if rng.random() < 0.7]
              for _ in range(DENSE_MIN_DOCS + 500)]
    bm25 = SparseBM25(corpus)
    docs = np.array(sorted(rng.sample(range(len(corpus)), 700)), dtype=np.int64)
    for query, weights in ((["公开", "w3", "w7", "missing"], None), (["信息", "w1"], [0.5, 2.0]), ([], None)):
        full = bm25.get_scores(query, weights)
        assert bm25.get_scores_of(query, docs, weights).tobytes() == full[docs].tobytes()
        shuffled = docs[::-1].copy()
        assert bm25.get_scores_of(query, shuffled, weights).tobytes() == full[shuffled].tobytes()


@pytest.mark.parametrize("block", [1, 3, 128])
def test_opened_postings_read_in_part_give_the_same_scores_and_hits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   block: int) -> None:
    """Range reads (a region's entries) and block reads (scattered candidates) of an opened index agree
    with the index in memory, whatever the block size (block 1: every id sampled)."""
    monkeypatch.setattr(posting_lists, "BLOCK", block)
    monkeypatch.setattr(posting_lists, "WHOLE_READ_MAX", 4)  # long postings read by block even here
    monkeypatch.setattr(pread, "IN_MEMORY_MAX", 0 if block == 3 else 1 << 30)  # by pread, or kept at open
    rng = random.Random(block)
    words = [f"w{i}" for i in range(40)]
    corpus = [rng.sample(words, rng.randint(1, 10)) for _ in range(3_000)]
    built = SparseBM25(corpus)
    built.save(tmp_path, "t")
    opened = SparseBM25.open(tmp_path, "t")
    for _ in range(30):
        lo = rng.randrange(3_000)
        docs = np.arange(lo, min(3_000, lo + rng.randint(1, 400)))
        scattered = np.array(sorted(rng.sample(range(3_000), 60)))
        query = rng.sample(words, 5) + ["missing"]
        assert opened.get_scores_of(query, docs).tobytes() == built.get_scores(query)[docs].tobytes()
        assert opened.get_scores_of(query, scattered).tobytes() == built.get_scores(query)[scattered].tobytes()
        plans = np.unique(np.concatenate([np.arange(a, min(3_000, a + rng.randint(1, 80)))  # a region's plans
                                          for a in rng.sample(range(3_000), 5)]))
        assert opened.get_scores_of(query, plans).tobytes() == built.get_scores(query)[plans].tobytes()
        for term in query:
            assert opened.contains(term, scattered).tolist() == built.contains(term, scattered).tolist()
            assert opened.contains(term, docs).tolist() == built.contains(term, docs).tolist()
    assert opened.get_scores(words[:7]).tobytes() == built.get_scores(words[:7]).tobytes()
