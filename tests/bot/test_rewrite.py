"""Query rewriting (bot/language/rewrite/): typos by pronunciation, pinyin, traditional/full-width, English,
regions, synonyms, the curated data files, and the pickled object's start-up contract."""
from __future__ import annotations

import pickle
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.language.rewrite import QueryRewriter, Rewrite
from bot.language.rewrite.english import stem

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "knowledge" / "plans"
DATA = ROOT / "knowledge" / "data"
REGIONS = ["槐荫区", "周村区", "栖霞市", "薛城区", "历城区"]


def _plan_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(PLANS.iterdir()):
        lines.extend(path.read_text(encoding="utf-8").splitlines())
    return lines


@pytest.fixture(scope="module")
def rw() -> QueryRewriter:
    return QueryRewriter.build(_plan_lines(), DATA, REGIONS, ["区民政局", "双随机、一公开"])


# ---------------------------------------------------------------------------------------- typos


@pytest.mark.parametrize(
    ("question", "wrote", "read", "expected"),
    [
        ("养劳补贴由哪个部门负责？", "养劳", "养老", "养老补贴由哪个部门负责？"),
        ("城乡低报信息公开谁负责", "低报", "低保", "城乡低保信息公开谁负责"),
        ("各类应急预按什么时候公开", "应急预按", "应急预案", "各类应急预案什么时候公开"),
        ("医疗保显信息公开由谁负责", "医疗保显", "医疗保险", "医疗保险信息公开由谁负责"),
        ("政策平价结果什么时候向社会公开", "政策平价", "政策评价", "政策评价结果什么时候向社会公开"),
        ("政府网站三审三较制度是什么", "三审三较", "三审三校", "政府网站三审三校制度是什么"),
        ("区民政据负责哪些任务", "民政据", "民政局", "区民政局负责哪些任务"),
        ("乡村震兴资金使用情况在哪公开", "乡村震兴", "乡村振兴", "乡村振兴资金使用情况在哪公开"),
        ("营商环竟政策包什么时候公开", "营商环竟", "营商环境", "营商环境政策包什么时候公开"),
        ("疫苗接众信息谁公布", "疫苗接众", "疫苗接种", "疫苗接种信息谁公布"),
        ("减税将费政策宣传由谁负责", "减税将费", "减税降费", "减税降费政策宣传由谁负责"),
        ("高校毕业声就业补贴", "毕业声", "毕业生", "高校毕业生就业补贴"),
        ("依申请公开信息处里费怎么收", "处里费", "处理费", "依申请公开信息处理费怎么收"),
        ("政务新媒体备按制度", "备按制度", "备案制度", "政务新媒体备案制度"),
        # heard with one sound confused (a front for a back nasal, a flat for a retroflex initial)
        ("乡村振心资金使用情况在哪公开", "振心", "振兴", "乡村振兴资金使用情况在哪公开"),
        ("层乡低保信息公开谁负责", "层乡低保", "城乡低保", "城乡低保信息公开谁负责"),
    ],
)
def test_pronunciation_typos_are_corrected(rw: QueryRewriter, question: str, wrote: str, read: str,
                                           expected: str) -> None:
    r = rw.rewrite(question)
    assert r.text == expected
    # The corrected window may be longer than the typo itself (城乡低报 -> 城乡低保): longer windows win.
    assert any(wrote in w and read in c and len(w) == len(c) for w, c in r.corrections), r.corrections
    assert r.lang == "zh"


@pytest.mark.parametrize(
    "question",
    [
        # Off-topic: must not be bent into plan vocabulary.
        "个税专项附加扣除怎么填",
        "公积金贷款利率是多少",
        "医保卡丢了怎么补办",
        "违章停车罚款在哪里交",
        "身份证过期了去哪里换",
        "物业不作为怎么办",
        "体检报告怎么看",
        "种子质量有问题找谁",
        "新能源车补贴还有吗",
        "淮安市淮阴区就业补贴",  # a real district that merely sounds like 槐荫区
        "海淀区养老补贴谁负责",
        "周村烧饼哪家好吃",
        # On-topic and correctly written: nothing to correct.
        "我家老人想申请养老补贴，该找哪个部门？",
        "政务新媒体归谁管",
        "槐荫区政府开放日活动由哪些部门负责？",
        "什么时候完成？多久公开一次？谁负责？",
    ],
)
def test_correct_or_off_topic_questions_are_left_alone(rw: QueryRewriter, question: str) -> None:
    r = rw.rewrite(question)
    assert r.corrections == []
    assert r.text == question


def test_off_topic_questions_get_no_expansions(rw: QueryRewriter) -> None:
    for q in ("个税专项附加扣除怎么办理", "公积金贷款利率是多少", "医保卡丢了怎么补办", "违章停车罚款去哪交",
              "社保卡丢了怎么补"):
        assert rw.rewrite(q).expansions == [], q


def test_featured_questions_need_no_correction(rw: QueryRewriter) -> None:
    for topic in tomllib.loads((DATA / "featured.toml").read_text(encoding="utf-8"))["topic"]:
        for q in topic["questions"]:
            assert rw.rewrite(q).corrections == [], q


# ---------------------------------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("yanglao butie 谁负责", "养老补贴谁负责"),
        ("yanglaobutie shei fuze", "养老补贴谁负责"),
        ("xinxi chulifei 按什么规定计收", "信息处理费按什么规定计收"),
        ("gaoxiao bancheng yi jian shi", "高效办成一件事"),
        ("zhengce pingjia jieguo", "政策评价结果"),
        ("sanshensanjiao", "三审三校"),
        ("min zheng ju", "民政局"),
        ("槐荫区yanglao补贴", "槐荫区养老补贴"),
        ("Qixia shi baozhangxing zulin zhufang", "栖霞市保障性租赁住房"),
    ],
)
def test_pinyin_is_read_as_hanzi(rw: QueryRewriter, question: str, expected: str) -> None:
    r = rw.rewrite(question)
    assert r.text == expected
    assert r.lang == "zh"
    assert r.corrections  # shown to the user as 按‘…’理解


def test_pinyin_run_with_region(rw: QueryRewriter) -> None:
    r = rw.rewrite("Licheng qu jianshui jiangfei zhengce xuanchuan 由谁负责")
    assert r.text == "历城区减税降费政策宣传由谁负责"
    assert r.regions == ["历城区"]
    assert ("jianshui jiangfei zhengce xuanchuan", "减税降费政策宣传") in r.corrections


def test_unconvertible_syllables_stay(rw: QueryRewriter) -> None:
    r = rw.rewrite("yanglao de butie")
    assert r.text == "养老 de 补贴"


def test_english_words_are_not_read_as_pinyin(rw: QueryRewriter) -> None:
    r = rw.rewrite("Is there an open day in Haidian?")
    assert r.lang == "en"
    assert "政府开放日" in r.text
    assert r.regions == [] and r.places == ["海淀区"]  # not held: a place of the national list, no region


def test_places_not_held_are_read_only_where_a_name_is_meant(rw: QueryRewriter) -> None:
    assert rw.rewrite("In Zhangdian, which bureau publishes environmental information?").places == ["张店区"]
    assert rw.rewrite("Zhang Dian District pension subsidy").places == ["张店区"]
    assert rw.rewrite("Guide me to the pension subsidy rules").places == []  # also an English word
    assert rw.rewrite("What is published about the Songshan Industrial Park?").places == []  # a plan word
    assert rw.rewrite("zhangdian yanglao butie").places == []  # lower case: pinyin, not a name
    assert rw.rewrite("Huaiyin pension subsidy").places == []  # held: a region


# ----------------------------------------------------------------------- script and width folding


def test_traditional_to_simplified(rw: QueryRewriter) -> None:
    assert rw.rewrite("養老補貼由哪個部門負責").text == "养老补贴由哪个部门负责"
    assert rw.rewrite("醫療保險").text == "医疗保险"
    assert rw.rewrite("显著提升政务公开质量").text == "显著提升政务公开质量"  # 著 is simplified too


def test_full_width_ascii_folds_but_chinese_punctuation_stays(rw: QueryRewriter) -> None:
    assert rw.rewrite("ＡＢＣ１２３").text == "ABC123"
    assert rw.rewrite("槐荫区　２０２２年　养老补贴").text == "槐荫区 2022年养老补贴"
    assert rw.rewrite("全角：１２３，。、？！（测试）").text == "全角：123，。、？！（测试）"


def test_empty_question(rw: QueryRewriter) -> None:
    assert rw.rewrite("  \u3000 ") == Rewrite(text="", lang="zh")


# ---------------------------------------------------------------------------------------- English


def test_english_who_question(rw: QueryRewriter) -> None:
    r = rw.rewrite("Who is responsible for elderly-care subsidy disclosure in Huaiyin?")
    assert r.lang == "en"
    assert r.regions == ["槐荫区"]
    assert r.text.startswith("槐荫区")
    assert "养老补贴" in r.text
    assert "公开" in r.text
    assert r.text.endswith("哪个部门负责")
    assert not re.search(r"[A-Za-z]", r.text)


def test_english_what_question_about_a_park(rw: QueryRewriter) -> None:
    r = rw.rewrite("What should be made public about the Songshan Industrial Park?")
    assert r.lang == "en"
    assert "松山产业园" in r.text
    assert "公开" in r.text
    assert r.text.endswith("什么")


@pytest.mark.parametrize(
    ("question", "words", "region"),
    [
        ("When is the deadline for the policy evaluation in Licheng District?", ["政策评价", "什么时候完成"], "历城区"),
        ("List all tasks of the civil affairs bureau in Xuecheng", ["民政局", "哪些任务"], "薛城区"),
        ("Which department handles minimum living allowance information in Zhoucun?", ["低保", "哪个部门负责"], "周村区"),
        ("Who handles requests for disclosure in Qixia City?", ["依申请公开", "哪个部门负责"], "栖霞市"),
        ("Who is in charge of tax cuts and fee reductions in Licheng?", ["减税降费", "哪个部门负责"], "历城区"),
        ("What must be disclosed about budgets and final accounts in Huai Yin District?", ["预决算", "什么"], "槐荫区"),
    ],
)
def test_english_glossary_and_intents(rw: QueryRewriter, question: str, words: list[str], region: str) -> None:
    r = rw.rewrite(question)
    assert r.lang == "en"
    for w in words:
        assert w in r.text, (w, r.text)
    assert r.regions == [region]


def test_english_morphology_and_alternates(rw: QueryRewriter) -> None:
    r = rw.rewrite("Tell me about housing subsidies for the elderly")
    assert "住房" in r.text and "补贴" in r.text and "养老" in r.text
    assert "老年人" in r.expansions  # glossary alternates are expansions
    r = rw.rewrite("Who publishes medical insurance information?")
    assert "医疗保险" in r.text
    assert "医保" in r.expansions


def test_regions_come_from_build_not_a_fixed_list() -> None:
    other = QueryRewriter.build(["海淀区养老补贴政策信息公开。"], DATA, ["海淀区"])
    r = other.rewrite("Haidian District elderly care subsidy")
    assert r.regions == ["海淀区"]
    assert "海淀区" in r.text
    assert other.rewrite("Huaiyin yanglao").regions == []


# --------------------------------------------------------------------------------------- synonyms


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("老人补贴找谁", ["养老"]),
        ("上了年纪的人有什么政策", ["养老", "老年人"]),
        ("找工作有补贴吗", ["就业"]),
        ("看病报销的政策在哪里能查到", ["医疗保险", "医保"]),
        ("孩子读书的政策", ["义务教育", "入学"]),
        ("我想开公司", ["营商环境", "市场主体"]),
        ("低收入家庭怎么申请救助", ["社会救助", "低保"]),
        ("我想租房", ["保障性租赁住房"]),
        ("怎么查政府文件", ["依申请公开"]),
        ("网上问政", ["政民互动"]),
    ],
)
def test_synonym_expansions(rw: QueryRewriter, question: str, expected: list[str]) -> None:
    r = rw.rewrite(question)
    assert r.text == question  # expansions are added to the query, the question stays as written
    for term in expected:
        assert term in r.expansions


def test_expansions_do_not_repeat_the_question(rw: QueryRewriter) -> None:
    r = rw.rewrite("残疾人补贴政策公开吗")
    assert "残疾人" not in r.expansions


# ------------------------------------------------------------------------------------ data files


def test_glossary_and_synonyms_are_substantial() -> None:
    glossary = tomllib.loads((DATA / "glossary.toml").read_text(encoding="utf-8"))
    assert len(glossary["terms"]) >= 150
    assert {"哪个部门负责", "什么时候完成", "什么", "哪些任务"} <= set(glossary["intents"].values())
    rules = [ln for ln in (DATA / "synonyms.txt").read_text(encoding="utf-8").splitlines()
             if "=>" in ln and not ln.lstrip().startswith("#")]
    assert len(rules) >= 80


def test_departments_cover_the_plans_inline_responsible_units() -> None:
    table = tomllib.loads((DATA / "departments.toml").read_text(encoding="utf-8"))["department"]
    known: dict[str, str] = {}
    for dept in table:
        for name in [dept["name"], *dept["aliases"]]:
            assert known.setdefault(name, dept["name"]) == dept["name"], f"{name} belongs to two units"
    text = (PLANS / "2024-枣庄市薛城区-政务公开工作要点.txt").read_text(encoding="utf-8")
    units = set()
    for m in re.finditer(r"（责任单位：([^）]+)）", text):
        for unit in re.split(r"[、，,]", m.group(1)):
            unit = re.sub(r"等(区政府)?有关部门$", "", unit.strip())
            if unit:
                units.add(unit)
    assert units, "no 责任单位 found"
    missing = sorted(u for u in units if u not in known)
    assert missing == []
    assert known["区卫健局"] == "区卫生健康局"
    assert known["区教体局"] == known["区教育体育局"] == "区教育和体育局"
    assert known["区发改局"] == known["区发展改革委"] == "区发展改革局"


def test_featured_topics() -> None:
    topics = tomllib.loads((DATA / "featured.toml").read_text(encoding="utf-8"))["topic"]
    assert [t["name"] for t in topics] == ["养老", "就业", "教育", "医保", "住房", "社会救助", "营商环境",
                                           "依申请公开", "政策解读", "政府开放"]
    assert len({t["key"] for t in topics}) == len(topics)
    for t in topics:
        assert 3 <= len(t["questions"]) <= 5
        assert re.fullmatch(r"[a-z_]+", t["key"])


def test_malformed_synonym_line_names_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "synonyms.txt").write_text("# ok\n老人 => 养老\n这一行没有箭头\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"synonyms\.txt:3"):
        QueryRewriter.build(["养老"], data, REGIONS)


# ------------------------------------------------------------------------------ pickling, start-up


def test_pickle_round_trip(rw: QueryRewriter) -> None:
    blob = pickle.dumps(rw, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(blob) < 4_000_000
    again = pickle.loads(blob)
    for q in ("养劳补贴谁负责", "yanglao butie 谁负责", "Who is responsible for elderly care in Huaiyin?",
              "養老補貼", "老人补贴找谁"):
        assert again.rewrite(q) == rw.rewrite(q)


def test_rewrite_after_unpickling_imports_no_heavy_library(rw: QueryRewriter, tmp_path: Path) -> None:
    path = tmp_path / "rewriter.pickle"
    path.write_bytes(pickle.dumps(rw, protocol=pickle.HIGHEST_PROTOCOL))
    code = (
        "import pickle, sys\n"
        f"rw = pickle.loads(open({str(path)!r}, 'rb').read())\n"
        "r = rw.rewrite('yanglao butie 养劳補貼 Who is responsible in Huaiyin?')\n"
        "assert '养老补贴' in r.text, r\n"
        "heavy = [m for m in ('pypinyin', 'zhconv', 'jieba') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_a_stop_word_is_never_a_glossary_word_that_stems_like_it(rw: QueryRewriter) -> None:
    assert "主题" not in rw.rewrite("So the housing bureau is one of them?").text  # "them" is no "theme"
    assert "主题" in rw.rewrite("Which theme events does Huaiyin hold?").text


def test_contractions_leave_no_stray_letters(rw: QueryRewriter) -> None:
    text = rw.rewrite("I'm asking because they don't publish it and won't say who's in charge").text
    assert not {"m", "t", "s", "wo"} & set(text.split())


def test_a_syllable_and_its_fuzzy_neighbours_share_one_key(rw: QueryRewriter) -> None:
    from bot.language.rewrite.pinyin import fuzzy_key, fuzzy_neighbours

    valid = rw._readings.valid_syllables
    for syllable in valid:  # the typo search skips windows by this key: it must never part two neighbours
        assert all(fuzzy_key(near) == fuzzy_key(syllable) for near in fuzzy_neighbours(syllable, valid))
    assert fuzzy_key("zheng") == fuzzy_key("zeng") == fuzzy_key("zhen") and fuzzy_key("xin") != fuzzy_key("xi")


def test_plurals_in_eaus_stem_like_their_singular(rw: QueryRewriter) -> None:
    """"Which bureaus …" asks who as "which bureau" does; "status" keeps its s."""
    assert stem("bureaus") == stem("bureau") and stem("status") == "status"
    assert "哪个部门负责" in rw.rewrite("Which Huaiyin bureaus publish the job fairs?").text


@pytest.mark.parametrize("said", ["How are the funds allocated?", "the distribution of funds",
                                  "how the poverty-relief money gets shared out"])
def test_allocating_money_reads_as_the_plans_word(rw: QueryRewriter, said: str) -> None:
    assert "分配" in rw.rewrite(said).text and "共享" not in rw.rewrite(said).text
