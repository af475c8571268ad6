"""indexer/outline.py: the clause tree from numbering, and how indexer/entries.py turns it into entries."""
from __future__ import annotations

import pytest

from indexer.entries import build_document
from indexer.outline import Clause, cn_to_int, label_of, match_marker, parse_outline


def tree(*lines: str) -> list[tuple[str, ...]]:
    """(label path, text) per clause, depth first."""
    out: list[tuple[str, ...]] = []

    def walk(nodes: list[Clause], path: tuple[str, ...]) -> None:
        for node in nodes:
            out.append((*path, node.label, node.text))
            walk(node.children, (*path, node.label))

    walk(parse_outline(list(lines)).clauses, ())
    return out


def numbers(*lines: str) -> list[str]:
    doc = build_document("\n".join(["2022年某区政务公开工作要点", *lines]), file="plan.txt")
    return [e.number for e in doc.entries]


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百零五", 105), ("12", 12), ("①", 1), ("⑳", 20)],
)
def test_chinese_and_circled_numerals(text: str, value: int) -> None:
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("line", "style", "label", "value"),
    [
        ("一、总体要求", "cn", "一", 1),
        ("十一．加强保障", "cn", "十一", 11),
        ("（三）积极回应群众关切", "pcn", "(三)", 3),
        ("(十二) 加强统筹协调", "pcn", "(十二)", 12),
        ("1.锚定目标", "num", "1", 1),
        ("2、围绕大开放", "num", "2", 2),
        ("3．做好解读", "num", "3", 3),
        ("（4）公开进展", "pnum", "(4)", 4),
        ("⑤持续推进", "circ", "⑤", 5),
        ("第三条 公开范围", "art", "三", 3),
    ],
)
def test_markers(line: str, style: str, label: str, value: int) -> None:
    marker = match_marker(line)
    assert marker is not None
    assert (marker[0], label_of(marker[0], marker[1]), marker[2]) == (style, label, value)


@pytest.mark.parametrize("line", ["2020年全区完成", "3个工作日内答复", "1.5万元", "12345市民服务热线", "一、", "（一）", "IPv6改造"])
def test_not_markers(line: str) -> None:
    assert match_marker(line) is None


def test_five_levels_nest() -> None:
    assert tree("一、聚焦重点领域", "（一）紧扣高质量发展", "1.抓好新旧动能转换", "（1）公开产业政策", "①公开项目清单", "②公开资金",
                "（2）公开进展", "2.做好减税降费", "（二）紧扣重大战略", "二、聚焦政策解读", "（一）抓好政策解读") == [
        ("一", "聚焦重点领域"),
        ("一", "(一)", "紧扣高质量发展"),
        ("一", "(一)", "1", "抓好新旧动能转换"),
        ("一", "(一)", "1", "(1)", "公开产业政策"),
        ("一", "(一)", "1", "(1)", "①", "公开项目清单"),
        ("一", "(一)", "1", "(1)", "②", "公开资金"),
        ("一", "(一)", "1", "(2)", "公开进展"),
        ("一", "(一)", "2", "做好减税降费"),
        ("一", "(二)", "紧扣重大战略"),
        ("二", "聚焦政策解读"),
        ("二", "(一)", "抓好政策解读"),
    ]


def test_the_first_style_met_is_the_top_level() -> None:
    """Plans that start at （一） or 1. use it as their top level."""
    assert tree("（一）加强组织领导。", "1.明确责任。", "（二）完善制度规范。") == [
        ("(一)", "加强组织领导。"), ("(一)", "1", "明确责任。"), ("(二)", "完善制度规范。"),
    ]


def test_sentences_starting_with_numbers_are_not_clauses() -> None:
    assert tree("（一）做好公开。", "2020年全区完成公开目录编制。", "3个工作日内答复。", "5、此处是误排的编号。", "（二）强化监督。") == [
        ("(一)", "做好公开。"), ("(二)", "强化监督。"),
    ]
    outline = parse_outline(["（一）做好公开。", "2020年全区完成公开目录编制。"])
    assert outline.clauses[0].full_text == "做好公开。2020年全区完成公开目录编制。"


def test_numbering_may_continue_across_sections() -> None:
    """栖霞 numbers （一）…（十七） straight through 一、…五、."""
    assert [t[:-1] for t in tree("一、推进决策公开", "（一）推动高质量发展。", "（二）加强战略实施。", "二、夯实工作基础",
                                  "（三）规范工作流程。", "（四）强化平台建设。")] == [
        ("一",), ("一", "(一)"), ("一", "(二)"), ("二",), ("二", "(三)"), ("二", "(四)"),
    ]


def test_numbering_restarts_under_each_section() -> None:
    assert [t[:-1] for t in tree("一、聚焦重点领域", "（一）紧扣发展。", "（二）紧扣战略。", "二、聚焦政策解读", "（一）抓好解读。")] == [
        ("一",), ("一", "(一)"), ("一", "(二)"), ("二",), ("二", "(一)"),
    ]


def test_a_cross_reference_at_a_line_start_does_not_open_a_clause() -> None:
    """A value that is neither the next one nor a first item is read as text."""
    assert [t[:-1] for t in tree("（一）做好公开。", "（二）强化监督。", "（五）项所列事项由区政府办公室负责。", "（三）抓好落实。")] == [
        ("(一)",), ("(二)",), ("(三)",),
    ]


def test_headings_are_not_entries_but_their_paragraphs_are() -> None:
    assert numbers("一、总体要求", "以习近平新时代中国特色社会主义思想为指导，全面推进政务公开。", "二、主要任务",
                   "（一）聚焦中心工作", "1.年度中心工作信息公开。主动公开重大决策部署。", "2.优化营商环境信息公开。做好改革信息公开。") == [
        "一", "二.(一).1", "二.(一).2",
    ]
    doc = build_document("2022年某区政务公开工作要点\n一、总体要求\n以习近平新时代中国特色社会主义思想为指导，全面推进政务公开。",
                         file="plan.txt")
    assert doc.entries[0].text == "总体要求以习近平新时代中国特色社会主义思想为指导，全面推进政务公开。"
    assert doc.entries[0].heading == "总体要求"


def test_sections_and_headings_of_entries() -> None:
    doc = build_document("\n".join([
        "2022年某区政务公开工作要点",
        "2022年全区政务公开工作要坚持以人民为中心，全面推进政务公开标准化规范化。",
        "一、聚焦重点领域，深化信息公开",
        "（一）紧扣高质量发展加强信息公开。抓好新旧动能转换领域信息公开。",
        "还要做好减税降费信息公开。",
        "二、强化保障",
        "（一）健全工作机制。区政务公开领导小组要定期召开会议。",
    ]), file="plan.txt")
    got = [(e.number, e.section, e.heading, e.text) for e in doc.entries]
    assert got == [
        ("前言1", "前言", "", "2022年全区政务公开工作要坚持以人民为中心，全面推进政务公开标准化规范化。"),
        ("一.(一)", "一、聚焦重点领域，深化信息公开", "紧扣高质量发展加强信息公开", "紧扣高质量发展加强信息公开。抓好新旧动能转换领域信息公开。"),
        ("一.(一).p1", "一、聚焦重点领域，深化信息公开", "", "还要做好减税降费信息公开。"),
        ("二.(一)", "二、强化保障", "健全工作机制", "健全工作机制。区政务公开领导小组要定期召开会议。"),
    ]


def test_circled_numbers_parse() -> None:
    assert numbers("一、总体要求", "（一）做好公开。主要有两项工作。", "①第一项工作。", "②第二项工作。") == [
        "一.(一)", "一.(一).①", "一.(一).②",
    ]


def test_duplicate_numbers_get_unique_ids() -> None:
    doc = build_document("2022年某区政务公开工作要点\n（一）做好公开。\n1.第一项。\n1.又一个第一项。", file="dup.txt")
    ids = [e.id for e in doc.entries]
    assert len(ids) == len(set(ids)) and ids[-1].endswith("-2")
