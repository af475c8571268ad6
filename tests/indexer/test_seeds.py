"""The five shipped plans, parsed: facts read off the files by hand (not a snapshot of the parser's output).

Each seed stands for one layout: 槐荫 (.txt, task table one cell per line), 周村 (.md, TAB tables with broken
words and a header repeated per page), 栖霞 (hard-wrapped text with blank lines and a page number), 薛城
(inline "（责任单位：…）"), 历城 (TAB table with repeated headers, <p> tags in cells and a stray deadline line).
"""
from __future__ import annotations

import re
from functools import cache

import pytest

from indexer import parse_file
from indexer.model import Document, Entry
from tests.indexer.fixtures_formats import HUAIYIN, LICHENG, PLANS_DIR, QIXIA, XUECHENG, ZHOUCUN_MD, seed_text

SEEDS = (HUAIYIN, ZHOUCUN_MD, QIXIA, LICHENG, XUECHENG)


@cache
def doc(name: str) -> Document:
    return parse_file(PLANS_DIR / name)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def entry(name: str, number: str) -> Entry:
    found = [e for e in doc(name).entries if e.number == number]
    assert len(found) == 1, f"{number}: {[e.number for e in doc(name).entries]}"
    return found[0]


def row(name: str, n: int) -> Entry:
    return entry(name, f"表.{n}")


def rows(name: str) -> list[Entry]:
    return [e for e in doc(name).entries if e.kind == "task"]


def clauses(name: str) -> list[Entry]:
    return [e for e in doc(name).entries if e.kind == "clause"]


def containing(name: str, phrase: str, kind: str | None = None) -> Entry:
    found = [e for e in doc(name).entries if phrase in squash(e.text) and (kind is None or e.kind == kind)]
    assert len(found) == 1, f"{phrase!r} in {[e.number for e in found]}"
    return found[0]


# --- metadata -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "region", "year", "doc_number", "issuer", "date"),
    [
        (HUAIYIN, "2022年槐荫区政务公开工作要点", "槐荫区", 2022, None, None, None),
        (ZHOUCUN_MD, "周村区2020年政务公开工作要点", "周村区", 2020, "周政办字〔2020〕27号", "淄博市周村区人民政府办公室",
         "2020-07-28"),
        (QIXIA, "2022年栖霞市政务公开工作要点", "栖霞市", 2022, "栖政办发〔2022〕10号", "栖霞市人民政府办公室", "2022-06-14"),
        (LICHENG, "2023年济南市历城区政务公开工作要点", "历城区", 2023, "济历城政办发〔2023〕3号", "济南市历城区人民政府办公室",
         "2023-07-25"),
        (XUECHENG, "2024年薛城区政务公开工作要点", "薛城区", 2024, None, "薛城区人民政府办公室", None),
    ],
)
def test_metadata(name: str, title: str, region: str, year: int, doc_number: str | None, issuer: str | None,
                  date: str | None) -> None:
    d = doc(name)
    assert (d.title, d.region, d.year, d.doc_number, d.issuer, d.date) == (title, region, year, doc_number, issuer, date)
    for e in d.entries:  # every entry carries its document's metadata, for citations
        assert (e.title, e.region, e.year, e.doc) == (title, region, year, (PLANS_DIR / name).stem)


def test_the_notice_letter_title_is_not_the_plan_title() -> None:
    """周村, 栖霞 and 历城 open with "关于印发…工作要点的通知": the plan's own title comes after it."""
    for name in (ZHOUCUN_MD, QIXIA, LICHENG):
        assert "通知" not in doc(name).title and "关于" not in doc(name).title


# --- task tables ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [(HUAIYIN, 67), (ZHOUCUN_MD, 54), (LICHENG, 49), (QIXIA, 0), (XUECHENG, 0)])
def test_task_row_counts(name: str, count: int) -> None:
    assert len(rows(name)) == count
    if count:
        assert [e.number for e in rows(name)] == [f"表.{n}" for n in range(1, count + 1)]


def test_every_row_has_units_and_huaiyin_and_licheng_rows_a_deadline() -> None:
    for name in (HUAIYIN, ZHOUCUN_MD, LICHENG):
        assert all(e.responsible for e in rows(name)), name
    for name in (HUAIYIN, LICHENG):
        assert all(e.deadline and e.due for e in rows(name) if "印发后" not in e.deadline), name
    # 周村's table has no 完成时限 column: a row's deadline is only what its own text states.
    dated = [e for e in rows(ZHOUCUN_MD) if e.deadline]
    assert all(e.deadline.replace(" ", "") in e.text.replace(" ", "") for e in dated)
    assert any(e.deadline == "2020年底前" and e.due == "2020-12-31" for e in dated)


def test_huaiyin_merged_units_and_deadline_are_inherited() -> None:
    # Row 9: "区卫生健康局等有关部门，各街道办事处" / 全年; rows 10 and 11 leave both cells empty (merged).
    for n in (9, 10, 11):
        assert row(HUAIYIN, n).responsible == ["区卫生健康局", "各街道办事处"]
        assert row(HUAIYIN, n).deadline == "全年"
        assert row(HUAIYIN, n).due == "2022-12-31"
    assert row(HUAIYIN, 10).text.startswith("扎实做好疫苗接种信息公开")
    assert row(HUAIYIN, 10).roles == "区卫生健康局等有关部门，各街道办事处"


def test_huaiyin_lead_and_supporting_units() -> None:
    r13 = row(HUAIYIN, 13)
    assert r13.responsible[:2] == ["区政府办公室", "区行政审批服务局"]
    assert "各街道办事处" in r13.responsible
    assert r13.roles == "区政府办公室、区行政审批服务局牵头，有关部门配合，各街道办事处"
    assert (r13.lead, r13.support) == (["区政府办公室", "区行政审批服务局", "各街道办事处"], ["有关部门"])
    r15 = row(HUAIYIN, 15)  # every unit, lead first: 牵头 and unlabelled names, then 配合
    assert r15.responsible == ["区市场监管局", "各街道办事处", "有关部门"]
    assert (r15.lead, r15.support, r15.unit_source) == (["区市场监管局", "各街道办事处"], ["有关部门"], "table")
    assert row(HUAIYIN, 19).responsible == ["区教育和体育局"]  # no 街道 in this row


def test_huaiyin_deadlines_as_written_and_as_dates() -> None:
    r25 = row(HUAIYIN, 25)
    assert r25.deadline == "2022年9月底前完成，长期坚持" and r25.due == "2022-09-30"
    assert r25.responsible == row(HUAIYIN, 23).responsible  # units merged down from row 23
    assert (row(HUAIYIN, 3).deadline, row(HUAIYIN, 3).due) == ("2022年年底前完成，长期坚持", "2022-12-31")
    assert (row(HUAIYIN, 24).deadline, row(HUAIYIN, 24).due) == ("2022年9月底前", "2022-09-30")
    assert (row(HUAIYIN, 39).deadline, row(HUAIYIN, 39).due) == ("2022年6月底前", "2022-06-30")
    assert (row(HUAIYIN, 65).deadline, row(HUAIYIN, 65).due) == ("本文件印发后30日内", None)


def test_huaiyin_row_sections_are_the_task_columns() -> None:
    assert row(HUAIYIN, 1).section == "聚焦重点领域，深化信息公开 > 紧扣高质量发展加强信息公开"
    assert row(HUAIYIN, 6).section == "聚焦重点领域，深化信息公开 > 紧扣重大战略实施加强信息公开"
    assert row(HUAIYIN, 67).section == "聚焦保障机制，巩固信息公开基础 > 抓好责任落实"


def test_zhoucun_sub_labelled_units_keep_their_labels() -> None:
    plans = containing(ZHOUCUN_MD, "加强各级各类应急预案公开", kind="task")
    assert "区应急局" in plans.responsible and "区住房城乡建设局" in plans.responsible
    assert plans.roles is not None and plans.roles.startswith("区总体预案:区应急局")
    assert "自然灾害类专项预案:" in plans.roles
    assert not any(":" in unit or "预案" in unit for unit in plans.responsible)


def test_zhoucun_units_of_a_row_whose_task_cells_are_merged() -> None:
    social = containing(ZHOUCUN_MD, "建立健全社会保险信息披露制度", kind="task")
    assert social.responsible[0] == "区人力资源社会保障局"
    assert "社会公益事业建设领域信息公开" in social.section


def test_zhoucun_words_broken_by_spaces_are_repaired() -> None:
    first = rows(ZHOUCUN_MD)[0]
    assert first.section.startswith("进一步拓展公开广度和深度 > 年度中心工作信息公开")
    assert sum("进一步拓展公开广度和深度" in e.section for e in rows(ZHOUCUN_MD)) >= 20
    assert any(e.section.startswith("进一步推进行政决策、执行、管理、服务和结果全过程公开") for e in rows(ZHOUCUN_MD))
    cjk_gap = re.compile(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]")
    for e in doc(ZHOUCUN_MD).entries:
        assert not cjk_gap.search(e.section) and not cjk_gap.search(e.text), e.number


def test_zhoucun_units_joined_by_he_are_two_units() -> None:
    r13 = containing(ZHOUCUN_MD, "新旧动能转换重大工程规划选址", kind="task")
    assert r13.responsible[:4] == ["各镇政府", "街道办事处", "周村经济开发区管委会", "区发展改革委"]


def test_licheng_stray_deadline_line_fills_the_merged_cell() -> None:
    # "2023年12月底前" stands alone after rows 4-9 (a merged 完成时限 cell printed after the rows it spans).
    for n in range(4, 10):
        assert row(LICHENG, n).deadline == "2023年12月底前", n
        assert row(LICHENG, n).due == "2023-12-31"
    assert row(LICHENG, 4).responsible == ["区财政局"]
    assert row(LICHENG, 9).responsible[0] == "区教育体育局"


def test_licheng_deadlines_and_units_across_repeated_headers() -> None:
    r48 = row(LICHENG, 48)
    assert (r48.deadline, r48.due) == ("2023年8月31日前", "2023-08-31")
    assert r48.responsible == row(LICHENG, 45).responsible == ["各街道办事处", "区政府各部门(单位)"]
    assert (row(LICHENG, 49).deadline, row(LICHENG, 49).due) == ("2024年1月31日前", "2024-01-31")
    assert (row(LICHENG, 12).deadline, row(LICHENG, 12).responsible) == ("2023年6月底前", ["区司法局"])
    assert row(LICHENG, 13).deadline == "2023年12月底前"
    assert (row(LICHENG, 39).deadline, row(LICHENG, 39).due) == ("2023年11月底前", "2023-11-30")
    assert row(LICHENG, 40).deadline == "2023年12月底前"
    assert row(LICHENG, 15).section == "二、规范行政决策,推动常态化政务公开 > (二) 做好政府决策事项流程公开"


def test_licheng_p_tags_in_cells() -> None:
    r24 = row(LICHENG, 24)
    assert "(三) 积极回应群众关切" in r24.section
    assert r24.section.startswith("三、围绕政策解读,推动便民化政务公开")
    assert r24.text.startswith("出台重大政策")
    assert "(四) 开展政府开放活动" in row(LICHENG, 26).section
    assert row(LICHENG, 26).text.startswith("各级各部门(单位)要结合年度重点工作")
    for e in doc(LICHENG).entries:
        assert "<" not in e.text and "<" not in e.section


def test_licheng_heading_and_section_in_one_cell() -> None:
    assert row(LICHENG, 17).section == "三、围绕政策解读,推动便民化政务公开 > (一) 深化政策集中统一公开"
    assert row(LICHENG, 20).section.endswith("(二)提升发布解读质效")


# --- body clauses ---------------------------------------------------------------------------------------


def test_huaiyin_clause_numbers_and_sections() -> None:
    numbers = [e.number for e in clauses(HUAIYIN)]
    expected = ["前言1"] + [f"{top}.({sub})" for top, subs in
                            (("一", "一二三四五六"), ("二", "一二三四"), ("三", "一二三"), ("四", "一二三"), ("五", "一二三四"))
                            for sub in subs]
    assert numbers == expected
    first = entry(HUAIYIN, "一.(一)")
    assert first.section == "一、聚焦重点领域，深化信息公开"
    assert first.heading == "紧扣高质量发展加强信息公开"
    assert entry(HUAIYIN, "五.(四)").section == "五、聚焦保障机制，巩固信息公开基础"


def test_headings_are_not_entries() -> None:
    for name in SEEDS:
        for e in clauses(name):
            assert len(e.text) > 20 or e.number.startswith("前言"), (name, e.number, e.text)
    assert not any(e.text == "聚焦重点领域，深化信息公开" for e in doc(HUAIYIN).entries)


def test_zhoucun_markdown_clauses() -> None:
    numbers = [e.number for e in clauses(ZHOUCUN_MD)]
    assert numbers == ["前言1", "一", *[f"二.({a}).{n}" for a in "一二三四" for n in (1, 2, 3)], "三.(一)", "三.(二)",
                       "三.(三)", "三.(四)"]
    general = entry(ZHOUCUN_MD, "一")
    assert general.text.startswith("总体要求") and "以习近平新时代中国特色社会主义思想为指导" in general.text
    assert entry(ZHOUCUN_MD, "二.(一).1").section == "二、主要任务 > （一）聚焦中心工作和重点领域，拓展公开广度和深度"
    assert entry(ZHOUCUN_MD, "二.(四).2").section == "二、主要任务 > （四）加强政务信息管理和公开平台建设"
    assert entry(ZHOUCUN_MD, "三.(三)").section == "三、强化政务公开工作保障措施"
    for e in doc(ZHOUCUN_MD).entries:
        assert not re.search(r"#|\*\*|---", e.text + e.section), e.number


def test_zhoucun_paragraphs_split_by_blank_lines_are_rejoined() -> None:
    assert "在政府网站、媒体等同步发布涉企政策" in entry(ZHOUCUN_MD, "二.(一).2").text
    assert "国办公开办函〔2019〕61号" in entry(ZHOUCUN_MD, "二.(三).2").text
    assert "注重做好政府网站重点领域" in squash(entry(ZHOUCUN_MD, "二.(四).2").text)


def test_qixia_clauses_numbered_straight_through_sections() -> None:
    numbers = [e.number for e in clauses(QIXIA) if not e.number.startswith("前言")]
    subs = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七".split()
    tops = ["一"] * 3 + ["二"] * 4 + ["三"] * 4 + ["四"] * 3 + ["五"] * 3
    assert numbers == [f"{top}.({sub})" for top, sub in zip(tops, subs, strict=True)]
    assert entry(QIXIA, "二.(四)").section == "二、进一步夯实政务公开工作基础"
    assert entry(QIXIA, "五.(十七)").heading == "抓好工作落实"


def test_qixia_hard_wrapped_lines_and_page_breaks_are_joined() -> None:
    support = entry(QIXIA, "五.(十五)")
    assert "配齐配强工作力量" in support.text and "将政务公开工作经费纳入本单位年度预算" in support.text
    assert "将《中华人民共和国政府信息公开条例》纳入领导干部学法" in support.text  # across a page start
    livelihood = entry(QIXIA, "三.(十)")
    assert "做好重点群体就业创业政策服务信息公开" in livelihood.text  # across "— 8 —"
    assert "—" not in livelihood.text
    assert "\n" not in support.text
    enterprises = entry(QIXIA, "三.(十一)")
    assert enterprises.deadline == "2022年9月底前" and enterprises.due == "2022-09-30"
    assert entry(QIXIA, "前言1").text.startswith("2022 年是党的二十大召开之年")


def test_xuecheng_inline_units() -> None:
    city = entry(XUECHENG, "一.(二).1")
    assert city.text.startswith("加大城市更新“九大行动”相关政策宣传和解读力度")
    assert city.responsible == ["区住建局"] and city.roles == "区住建局"
    assert entry(XUECHENG, "一.(一).1").responsible == ["各镇街", "区政府有关部门"]
    assert "区住建局" in entry(XUECHENG, "一.(一).3").responsible
    justice = entry(XUECHENG, "一.(四).1")
    assert justice.responsible == ["区司法局"] and justice.roles == "区司法局等区政府有关部门"
    assert entry(XUECHENG, "一.(二).3").responsible == ["枣庄市生态环境局薛城分局", "区综合行政执法局"]


def test_xuecheng_numbering() -> None:
    numbers = [e.number for e in clauses(XUECHENG)]
    assert numbers[:4] == ["前言1", "一.(一).1", "一.(一).2", "一.(一).3"]
    assert "二.(五).1" in numbers and "四.(十一).4" in numbers and "五.(十三).2" in numbers
    assert entry(XUECHENG, "四.(十).1").section == "四、夯实政务公开工作基础 > （十）规范办理依申请公开"
    assert all(e.responsible for e in clauses(XUECHENG) if e.number[0] in "一二三四五" and ".p" not in e.number)


def test_xuecheng_closing_paragraph_is_its_own_entry() -> None:
    closing = containing(XUECHENG, "各部门单位要对照本要点提出的重点任务")
    assert closing.text.startswith("各部门单位要对照本要点")
    assert closing.text.endswith("。") and "30日内报送区政府办公室" in closing.text
    assert closing.deadline is not None and "本要点发布后30日内" in closing.deadline
    assert closing.due is None
    assert "各部门单位要对照" not in entry(XUECHENG, "五.(十三).2").text


# --- links between table rows and clauses ---------------------------------------------------------------


def test_huaiyin_rows_link_to_the_clauses_they_restate() -> None:
    r21 = row(HUAIYIN, 21)
    clause = entry(HUAIYIN, "一.(五)")
    assert r21.linked == [clause.id] and r21.id in clause.linked
    assert "区民政局" in clause.responsible
    assert clause.deadline == "全年" and clause.due == "2022-12-31"
    assert row(HUAIYIN, 13).linked == [entry(HUAIYIN, "一.(四)").id]


def test_licheng_rows_link_to_clauses() -> None:
    implementation = entry(LICHENG, "五.(四)")
    assert {row(LICHENG, 48).id, row(LICHENG, 49).id} <= set(implementation.linked)
    assert "2023年8月31日前" in implementation.deadline
    assert row(LICHENG, 24).linked == [entry(LICHENG, "三.(三)").id]


def test_links_point_at_existing_entries_both_ways() -> None:
    for name in SEEDS:
        by_id = {e.id: e for e in doc(name).entries}
        for e in doc(name).entries:
            for other in e.linked:
                assert e.id in by_id[other].linked


# --- ids and verbatim text ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SEEDS)
def test_ids_are_unique_and_stable(name: str) -> None:
    again = parse_file(PLANS_DIR / name)
    ids = [e.id for e in doc(name).entries]
    assert len(ids) == len(set(ids))
    assert ids == [e.id for e in again.entries]
    assert [e.to_dict() for e in again.entries] == [e.to_dict() for e in doc(name).entries]
    stem = (PLANS_DIR / name).stem
    assert all(i == f"{stem}#{e.number}" for i, e in zip(ids, doc(name).entries, strict=True))


@pytest.mark.parametrize("name", SEEDS)
def test_entry_text_is_verbatim(name: str) -> None:
    """Texts are quoted back as citations: each must appear in the file, whitespace, <p> tags and page-number
    lines ("— 8 —", which the text runs across in 栖霞) aside."""
    source = squash(re.sub(r"(?m)</?p>|^\s*—\s*\d+\s*—\s*$", "", seed_text(name)))
    for e in doc(name).entries:
        assert e.text and squash(e.text) in source, (e.number, e.text[:40])
        assert e.text == e.text.strip()


@pytest.mark.parametrize("name", SEEDS)
def test_units_and_due_dates_are_well_formed(name: str) -> None:
    for e in doc(name).entries:
        assert e.kind in ("clause", "task")
        for unit in e.responsible:
            assert len(unit) >= 2 and not re.search(r"[\s、，,；;：:。]", unit), (e.number, unit)
        if e.due is not None:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", e.due)
            assert e.deadline


def test_row_filed_under_a_clause_title_is_linked_even_when_reworded() -> None:
    # 槐荫 row 3 (减税降费) rewords the body's sentence but sits under the task heading
    # "紧扣高质量发展加强信息公开", the title of clause 一.(一): one task, so the clause carries its unit.
    r3 = row(HUAIYIN, 3)
    assert any(i.endswith("#一.(一)") for i in r3.linked)
    clause = next(e for e in doc(HUAIYIN).entries if e.id.endswith("#一.(一)"))
    assert "区财政局" in clause.responsible
