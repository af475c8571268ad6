"""indexer/normalize.py: page furniture and markup go, broken lines come back together, headings stay apart."""
from __future__ import annotations

import pytest

from indexer.normalize import clean_lines, squash_cjk_spaces, wrap_width


def lines(*text: str) -> list[str]:
    return clean_lines("\n".join(text))


# --- page numbers and running headers -------------------------------------------------------------------


@pytest.mark.parametrize("number", ["— 8 —", "- 8 -", "—8—", "－ 12 －", "第 3 页 共 10 页", "第3页", "第 3 页，共 10 页",
                                    "3 / 10", "- 8", "·8·"])
def test_page_numbers_are_dropped(number: str) -> None:
    assert lines("（一）抓好政策解读。", number, "（二）强化发布意识。") == ["（一）抓好政策解读。", "（二）强化发布意识。"]


def test_a_sentence_across_a_page_number_is_rejoined() -> None:
    assert lines(
        "（十）提升重点民生保障信息公开“含金量”。突出做好就业、教育等领域的信息公开工作。做",
        "",
        "— 8 —",
        "",
        "好重点群体就业创业政策服务信息公开。",
    ) == ["（十）提升重点民生保障信息公开“含金量”。突出做好就业、教育等领域的信息公开工作。做好重点群体就业创业政策服务信息公开。"]


def test_running_headers_are_dropped_but_a_title_header_keeps_the_title() -> None:
    page = ["（一）推动高质量发展信息公开，抓好新旧动能转换信息公开", "围绕扩需求等领域，重点公开相关工作进展。"]
    text = []
    for n in range(1, 4):
        text += ["某市人民政府办公室", *page, f"— {n} —"]
    assert "某市人民政府办公室" not in lines(*text)
    titled = []
    for n in range(1, 4):
        titled += ["2022年某市政务公开工作要点", *page, f"— {n} —"]
    assert lines(*titled).count("2022年某市政务公开工作要点") == 1


def test_numbered_lines_and_dates_are_never_running_headers() -> None:
    text = ["（一）总体要求", "2022年6月14日", "正文内容较长的一段话，说明工作要求。"] * 3
    got = lines(*text)
    assert got.count("（一）总体要求") == 3 and got.count("2022年6月14日") == 3


# --- joining broken lines -------------------------------------------------------------------------------

# Distinct sentences (identical short lines repeated on many pages would be taken for running headers).
VARIED = [sentence.format(unit=unit, field=field, task=task)
          for sentence in ("{unit}要结合{field}实际，抓好{task}工作，确保落实到位。", "{unit}按照{field}要求持续深化{task}，接受社会监督。")
          for unit, field, task in zip(
    ["各街道办事处", "区政府各部门", "区发展改革局", "区财政局", "区民政局", "区教育和体育局", "区卫生健康局", "区应急局",
     "区司法局", "区市场监管局", "区住房城乡建设局", "区农业农村局"],
    ["区域", "业务", "规划", "预算", "救助", "招生", "防疫", "预案", "执法", "监管", "住房", "乡村"],
    ["政策解读", "信息公开", "项目公开", "预决算公开", "低保公示", "入学公告", "疫情发布", "预案公开", "执法公示", "抽查公示",
     "保障房公示", "补贴公示"], strict=True)]


def test_a_sentence_split_across_lines_is_rejoined() -> None:
    assert lines("（一）紧扣高质量发展加强信息公开。抓好新旧动能转换领域信息", "公开，围绕招商引资加大政策支持力度。") == [
        "（一）紧扣高质量发展加强信息公开。抓好新旧动能转换领域信息公开，围绕招商引资加大政策支持力度。"
    ]


def test_blank_lines_between_wrapped_lines_do_not_split_the_paragraph() -> None:
    assert lines("2022 年是党的二十大召开之年，是新旧动能转换“五年取", "", "得突破”的决战之年。") == [
        "2022 年是党的二十大召开之年，是新旧动能转换“五年取得突破”的决战之年。"
    ]


def test_headings_are_not_joined_to_the_next_paragraph() -> None:
    assert lines("一、聚焦重点领域，深化信息公开", "以习近平新时代中国特色社会主义思想为指导，做好工作。", "（一）总体要求",
                 "坚持以人民为中心。") == [
        "一、聚焦重点领域，深化信息公开", "以习近平新时代中国特色社会主义思想为指导，做好工作。", "（一）总体要求", "坚持以人民为中心。",
    ]


def test_a_new_number_starts_a_new_paragraph_even_without_punctuation() -> None:
    assert lines("（一）紧扣高质量发展加强信息公开，抓好新旧动能转换领域", "（二）紧扣重大战略实施加强信息公开。") == [
        "（一）紧扣高质量发展加强信息公开，抓好新旧动能转换领域", "（二）紧扣重大战略实施加强信息公开。",
    ]


def test_title_letterhead_and_dates_stay_on_their_own_lines() -> None:
    assert lines("某区人民政府办公室", "2022年6月14日", "2022年某区政务公开工作要点", "2022年，全区政务公开工作要以习近平新时代中国特色社会主义思想为指导。") == [
        "某区人民政府办公室", "2022年6月14日", "2022年某区政务公开工作要点", "2022年，全区政务公开工作要以习近平新时代中国特色社会主义思想为指导。",
    ]


def test_hard_wrapped_text_continues_after_a_full_stop_at_the_line_end() -> None:
    """In text wrapped at a fixed width a line that ends in 。 by chance still continues, unless the next
    line opens with a number."""
    paragraph = "（一）抓好责任落实。" + "".join(VARIED)
    wrapped = [paragraph[i:i + 20] for i in range(0, len(paragraph), 20)]
    assert wrap_width(wrapped) == 20
    assert any(line.endswith("。") for line in wrapped[1:-1])
    assert lines(*wrapped, "（二）加强培训考核。") == [paragraph, "（二）加强培训考核。"]


def test_a_wrapped_first_line_of_a_clause_is_not_a_heading() -> None:
    """"1.锚定…以“五个" fills its line and has no 。 yet: in hard-wrapped text it is not a short heading."""
    clause = ("1.锚定“走在前、开新局”，聚焦“强工兴产、转型突围”目标，以“五个一”发展思路为引领，及时公开产业政策、重点项目、"
              "创新成果等信息。（责任单位：各镇街，区政府有关部门）")
    body = [clause, *VARIED]
    wrapped = [text[i:i + 30] for text in body for i in range(0, len(text), 30)]
    assert lines("一、深化重点领域政府信息公开", *wrapped)[:2] == ["一、深化重点领域政府信息公开", clause]


def test_table_rows_are_never_joined() -> None:
    assert lines("序号\t工作任务\t责任单位", "1\t做好政策解读\t区政府办公室", "接续的一句话") == [
        "序号\t工作任务\t责任单位", "1\t做好政策解读\t区政府办公室", "接续的一句话",
    ]


def test_trailing_empty_cells_keep_the_row_as_wide_as_the_table() -> None:
    assert lines("1\t做好政策解读\t\t") == ["1\t做好政策解读\t\t"]
    assert lines("\t\t\t") == []



# --- markup and spacing ---------------------------------------------------------------------------------


def test_markdown_is_stripped() -> None:
    assert lines("# 某区人民政府办公室", "---", "## 一、总体要求", "### **三、强化保障措施**", "正文**加粗**内容。", "***") == [
        "某区人民政府办公室", "一、总体要求", "三、强化保障措施", "正文加粗内容。",
    ]


def test_markdown_pipe_tables_become_tab_rows() -> None:
    assert lines("| 序号 | 工作任务 | 责任单位 |", "|---|:---:|---|", "| 1 | 做好解读 | 区政府办公室 |") == [
        "序号\t工作任务\t责任单位", "1\t做好解读\t区政府办公室",
    ]


def test_html_paragraph_tags_are_stripped() -> None:
    assert lines("<p>（三）积极回应群众关切</p>", "<p style='x'>出台重大政策，要加强评估。</p><br/>") == [
        "（三）积极回应群众关切", "出台重大政策，要加强评估。",
    ]


def test_spaces_inside_chinese_words_are_removed() -> None:
    assert squash_cjk_spaces("进一步 拓展公 开广 度和 深度") == "进一步拓展公开广度和深度"
    assert squash_cjk_spaces("2022 年 9 月底前 and IPv6 改造") == "2022 年 9 月底前 and IPv6 改造"
    assert lines("进一步 拓展公 开广 度和 深度\u3000（一）") == ["进一步拓展公开广度和深度（一）"]


def test_invisible_characters_are_removed() -> None:
    assert lines("\ufeff（一）抓好\u200b政策\u00a0解读。") == ["（一）抓好政策解读。"]


# --- a web page copied as one line ----------------------------------------------------------------------

FLAT = ("2022年政务公开工作的总体要求是：坚持以人民为中心，深化政务公开。一、聚焦重点领域，深化信息公开（一）紧扣高质量发展加强"
        "信息公开。抓好新旧动能转换领域信息公开。按照本要点（一）项要求，第1.5条规定，推进统一、规范的公开。（二）紧扣重大战略实施"
        "加强信息公开。做好以下工作：1.主动公开规划；2.公开进展情况；3.公开取得成效。二、聚焦政策解读（一）抓好政策解读，强化发布"
        "意识。要对行政规范性文件实施解读，2020年全部完成，3个工作日内答复。（二）围绕社会关切，提升公开实效。")


def test_a_flattened_body_is_split_before_its_clause_numbers() -> None:
    assert lines(FLAT) == [
        "2022年政务公开工作的总体要求是：坚持以人民为中心，深化政务公开。",
        "一、聚焦重点领域，深化信息公开",
        "（一）紧扣高质量发展加强信息公开。抓好新旧动能转换领域信息公开。按照本要点（一）项要求，第1.5条规定，推进统一、规范的公开。",
        "（二）紧扣重大战略实施加强信息公开。做好以下工作：",
        "1.主动公开规划；",
        "2.公开进展情况；",
        "3.公开取得成效。",
        "二、聚焦政策解读",
        "（一）抓好政策解读，强化发布意识。要对行政规范性文件实施解读，2020年全部完成，3个工作日内答复。",
        "（二）围绕社会关切，提升公开实效。",
    ]


def test_inline_numbers_out_of_sequence_do_not_split() -> None:
    text = ("（一）抓好政策解读。" + "落实政策解读要求，提升解读质量。" * 10
            + "（三）之后的工作另行安排。五、其他事项按有关规定执行。③不是开头。")
    assert lines(text) == [text]


def test_short_lines_are_not_split() -> None:
    assert lines("（一）抓好政策解读。（二）强化发布意识。") == ["（一）抓好政策解读。（二）强化发布意识。"]


def test_numbering_state_runs_across_lines() -> None:
    """A flattened part after a line that opens with （一） continues with （二）, not with another （一）."""
    body = "（二）围绕社会关切，提升公开实效。" + "密切关注涉及民生的舆情。" * 15 + "（三）聚焦公众参与，实施流程公开。"
    assert lines("（一）抓好政策解读。", body) == [
        "（一）抓好政策解读。", "（二）围绕社会关切，提升公开实效。" + "密切关注涉及民生的舆情。" * 15, "（三）聚焦公众参与，实施流程公开。",
    ]
