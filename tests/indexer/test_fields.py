"""indexer/fields.py: responsible units, deadlines (as written and as dates) and document metadata."""
from __future__ import annotations

import pytest

from indexer.fields import (
    deadline_in_text,
    due_date,
    inline_units,
    looks_like_deadline,
    looks_like_units,
    split_units,
)
from indexer.metadata import doc_number, is_plan_title, iso_date, issue_date, issuer, region_of, year_of

# --- units ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("区市场监管局牵头、 有关部门配合，各街道办事处", ["区市场监管局", "有关部门", "各街道办事处"]),
        ("区政府办公室、区行政审批服务局牵头，有关部门配合，各街道办事处", ["区政府办公室", "区行政审批服务局", "有关部门", "各街道办事处"]),
        ("区司法局、区市场监管局、区财政局、区发改局等区政府有关部门", ["区司法局", "区市场监管局", "区财政局", "区发改局"]),
        ("区发展改革局、区投资促进局、区科技局等有关部门，各街道办事处", ["区发展改革局", "区投资促进局", "区科技局", "各街道办事处"]),
        ("区卫生健康局等有关部门", ["区卫生健康局"]),
        ("各镇街，区政府有关部门", ["各镇街", "区政府有关部门"]),
        ("区政府各部门(单位)", ["区政府各部门(单位)"]),
        ("区政府办公室（区大数据局）", ["区政府办公室（区大数据局）"]),
        ("周村经济开发区管委会和区发展改革委、区工业和信息化局", ["周村经济开发区管委会", "区发展改革委", "区工业和信息化局"]),
        ("区教育和体育局、区文化和旅游局", ["区教育和体育局", "区文化和旅游局"]),
        ("区民政局及各街道办事处", ["区民政局", "各街道办事处"]),
        ("区总体预案:区应急局；自然灾害类专项预案:区应急局、区水利局", ["区应急局", "区水利局"]),
        ("区财政局、区财政局。", ["区财政局"]),
        ("", []),
    ],
)
def test_split_units(text: str, units: list[str]) -> None:
    assert split_units(text) == units


@pytest.mark.parametrize("cell", ["区政府各部门，各街道办事处", "区卫生健康局等有关部门", "各镇街，区政府有关部门", "有关部门"])
def test_unit_cells(cell: str) -> None:
    assert looks_like_units(cell)


@pytest.mark.parametrize("cell", ["做好义务教育、学前教育等方面的信息公开。", "紧扣高质量发展加强信息公开", "2022年9月底前", ""])
def test_cells_that_are_not_units(cell: str) -> None:
    assert not looks_like_units(cell)


def test_inline_units_of_a_clause() -> None:
    text = "加大城市更新相关政策宣传和解读力度。（责任单位：区住建局、区自然资源局）"
    assert inline_units(text) == (["区住建局", "区自然资源局"], "区住建局、区自然资源局")
    assert inline_units("做好公开工作。牵头单位：区政府办公室，配合单位：各街道") == (
        ["区政府办公室", "各街道"], "区政府办公室，配合单位：各街道")
    assert inline_units("（责任单位：区司法局等区政府有关部门）") == (["区司法局"], "区司法局等区政府有关部门")
    assert inline_units("做好公开工作。") == ([], None)


# --- deadlines ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year", "due"),
    [
        ("2022年9月底前", None, "2022-09-30"),
        ("2022年9月底前完成，长期坚持", 2022, "2022-09-30"),
        ("2022年年底前完成，长期坚持", 2022, "2022-12-31"),
        ("全年", 2022, "2022-12-31"),
        ("全年", None, None),
        ("长期坚持", 2022, "2022-12-31"),
        ("常年坚持", 2023, "2023-12-31"),
        ("年底前", 2023, "2023-12-31"),
        ("2023年8月31日前", None, "2023-08-31"),
        ("8月31日前", 2023, "2023-08-31"),
        ("2024年1月31日前", 2023, "2024-01-31"),
        ("2023年2月30日前", None, "2023-02-28"),
        ("6月中旬", 2022, "2022-06-20"),
        ("2022年6月上旬", None, "2022-06-10"),
        ("上半年", 2022, "2022-06-30"),
        ("第三季度", 2022, "2022-09-30"),
        ("2022.12", None, "2022-12-31"),
        ("二〇二二年十二月底前", None, "2022-12-31"),
        ("二〇二三年八月三十一日前", None, "2023-08-31"),
        ("十二月底前", 2022, "2022-12-31"),
        ("本文件印发后30日内", 2022, None),
        ("本要点发布后30日内", 2024, None),
        ("会议结束后及时公开", 2022, None),
        ("3个工作日内", 2022, None),
        ("每季度", 2022, None),
        (None, 2022, None),
    ],
)
def test_due_dates(text: str | None, year: int | None, due: str | None) -> None:
    assert due_date(text, year) == due


@pytest.mark.parametrize("cell", ["2022年9月底前", "全年", "长期坚持", "本文件印发后30日内", "2023年12月底前", "每季度", "第三季度",
                                  "常年", "持续推进", "6月底前"])
def test_deadline_cells(cell: str) -> None:
    assert looks_like_deadline(cell)


@pytest.mark.parametrize("cell", ["区政府办公室", "做好公开工作。", "2022年全区政务公开工作要以习近平新时代中国特色社会主义思想为指导，做好各项工作", ""])
def test_cells_that_are_not_deadlines(cell: str) -> None:
    assert not looks_like_deadline(cell)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("各单位要于8月31日前编制实施方案。", "8月31日前"),
        ("2022 年 9\n月底前，升级改造完成全市统一平台。", "2022年9月底前"),
        ("年底前形成主动公开事项目录。", "年底前"),
        ("工作台账于本要点发布后30日内报送区政府办公室。", "本要点发布后30日内"),
        ("各部门主要负责同志每年至少听取 1 次政务公开工作汇报。", "每年至少听取1次"),
        ("2020年全区完成公开目录编制。", None),
        ("做好公开工作。", None),
    ],
)
def test_deadline_in_clause_text(text: str, deadline: str | None) -> None:
    assert deadline_in_text(text) == deadline


# --- metadata -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        (["栖霞市人民政府办公室文件", "栖政办发〔2022〕10 号"], "栖政办发〔2022〕10号"),
        (["周政办字〔2020〕27号"], "周政办字〔2020〕27号"),
        (["济历城政办发 〔2023〕 3 号"], "济历城政办发〔2023〕3号"),
        (["某政办发[2021]5号"], "某政办发[2021]5号"),
        (["某政办字（2021）8 號"], "某政办字（2021）8号"),
        (["某政办字〔2021〕8 号 2021年3月1日"], "某政办字〔2021〕8号"),
        (["某管办发【2019】第3号"], "某管办发【2019】第3号"),
        (["为贯彻落实《2020 年山东省政务公开工作要点》（鲁政办字〔2020〕78 号）和有关文件精神"], None),
        (["2022年某区政务公开工作要点"], None),
    ],
)
def test_doc_numbers(lines: list[str], number: str | None) -> None:
    assert doc_number(lines) == number


@pytest.mark.parametrize(
    ("line", "date"),
    [("2022 年 6 月 14 日", "2022-06-14"), ("2023年7月25日印发", "2023-07-25"), ("2020年7月28日", "2020-07-28"),
     ("二〇二二年六月十四日", "2022-06-14"), ("二○二三年十二月三十一日印发", "2023-12-31"),
     ("2022年13月1日", None), ("2022年6月14日召开会议", None)],
)
def test_dates(line: str, date: str | None) -> None:
    assert iso_date(line) == date


def test_issue_date_prefers_the_signature_above_the_title() -> None:
    lines = ["某区人民政府办公室", "2022年6月14日", "2022年某区政务公开工作要点", "正文。", "某区人民政府办公室 2022年6月20日印发"]
    assert issue_date(lines, 2) == "2022-06-14"
    assert issue_date(lines[2:], 0) == "2022-06-20"
    assert issue_date(["2022年某区政务公开工作要点", "正文。"], 0) is None


def test_issuer_from_letterhead_or_signature() -> None:
    assert issuer(["济南市历城区人民政府办公室文件", "2023年济南市历城区政务公开工作要点"], 1) == "济南市历城区人民政府办公室"
    assert issuer(["2023年某区政务公开工作要点", "正文。", "某区人民政府办公室", "2023年7月25日"], 0) == "某区人民政府办公室"
    assert issuer(["2023年某区政务公开工作要点", "正文。"], 0) is None


@pytest.mark.parametrize(
    ("title", "region"),
    [
        ("2023年济南市历城区政务公开工作要点", "历城区"),
        ("2022年槐荫区政务公开工作要点", "槐荫区"),
        ("周村区2020年政务公开工作要点", "周村区"),
        ("2022年栖霞市政务公开工作要点", "栖霞市"),
        ("2024年某某县政务公开工作要点", "某某县"),
        ("2023年度西安市雁塔区政务公开工作要点", "雁塔区"),
        ("政务公开工作要点", None),
    ],
)
def test_region_from_title(title: str, region: str | None) -> None:
    assert region_of(title, None) == region


def test_region_from_issuer_when_the_title_names_none() -> None:
    assert region_of("2024年政务公开工作要点", "薛城区人民政府办公室") == "薛城区"


def test_year_from_title_or_date() -> None:
    assert year_of("2023年济南市历城区政务公开工作要点", "2023-07-25") == 2023
    assert year_of("某区政务公开工作要点", "2021-03-01") == 2021
    assert year_of(None, None) is None
    assert year_of("二〇二一年某县政务公开工作要点") == 2021


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("2022年槐荫区政务公开工作要点", True),
        ("周村区 2020 年政务公开工作要点", True),
        ("2023年某县政府信息公开工作实施方案", True),
        ("关于印发2023年济南市历城区政务公开工作要点的通知", False),
        ("附件：2022年槐荫区政务公开重点工作任务分解表", False),
        ("《2022 年栖霞市政务公开工作要点》已经市政府同意，现", False),
        ("各单位要对照本要点提出的重点任务抓好政务公开工作要点落实。", False),
    ],
)
def test_plan_titles(line: str, title: bool) -> None:
    assert is_plan_title(line) is title
