"""Metadata as offices write it (traditional characters, 文号 forms, 全区 titles, the file name), page
chrome, sentence actors, warnings and --strict, duplicates, the configured plans folder, GBK file names."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import zhconv

from indexer.actors import sentence_actors, split_roles
from indexer.entries import build_document
from indexer.store import build_knowledge, fingerprint, plan_files
from tests.indexer.fixtures_formats import HUAIYIN, PLANS_DIR, QIXIA, make_pdf, paginate, seed_text, wrap

ROOT = Path(__file__).resolve().parents[2]
BODY = "\n".join(seed_text(QIXIA).split("\n")[30:60])  # the seed's body: 一、/（一） clauses, no table


def plan(head: str, body: str = BODY) -> str:
    return f"{head}\n{body}"


# --- metadata ----------------------------------------------------------------------------------------------

def test_a_plan_in_traditional_characters() -> None:
    """Metadata and units in simplified characters, entry text verbatim, search text simplified."""
    simplified = plan("某市人民政府办公室\n某政办发〔2018〕12号\n2018年某市政务公开工作要点")
    text = zhconv.convert(simplified, "zh-hant")
    assert "政務公開工作要點" in text and "號" in text
    doc = build_document(text, file="plan.txt")
    assert (doc.title, doc.region, doc.year) == ("2018年某市政务公开工作要点", "某市", 2018)
    assert (doc.doc_number, doc.issuer) == ("某政办发〔2018〕12号", "某市人民政府办公室")
    reference = build_document(simplified, file="plan.txt")
    assert len(doc.entries) == len(reference.entries)
    quotes = str.maketrans("「」", "“”")  # zhconv writes traditional quotes too; they stay as written
    for e, ref in zip(doc.entries, reference.entries, strict=True):
        assert (e.search_text or "").translate(quotes) == ref.text and "".join(e.text.split()) in "".join(text.split())
    assert any(e.text != e.search_text for e in doc.entries)


@pytest.mark.parametrize(("line", "number"), [
    ("某政办字〔2021〕8 号", "某政办字〔2021〕8号"),
    ("某政办字[2021]8号", "某政办字[2021]8号"),
    ("某政办字（2021）8号", "某政办字（2021）8号"),
    ("某 政 办 字 〔 2021 〕 8 号", "某政办字〔2021〕8号"),
])
def test_doc_number_in_any_written_form(line: str, number: str) -> None:
    doc = build_document(plan(f"某县人民政府办公室\n{line}\n2021年某县政务公开工作要点"), file="plan.txt")
    assert doc.doc_number == number


@pytest.mark.parametrize(("issuer", "whole", "region"), [
    ("某某新区管委会办公室", "全区", "某某新区"),
    ("某省人民政府办公厅", "全省", "某省"),
    ("某市人民政府办公室", "全市", "某市"),
])
def test_a_title_naming_the_whole_area_takes_the_region_from_the_issuer(issuer: str, whole: str, region: str) -> None:
    head = f"{issuer}\n关于印发2021年{whole}政务公开工作要点的通知\n各有关单位：\n现印发给你们。\n{whole}政务公开工作要点"
    doc = build_document(plan(head), file="plan.txt")
    assert (doc.issuer, doc.region) == (issuer, region)
    assert doc.year == 2021  # only the notice's title names the year


def test_region_and_year_from_the_file_name_when_the_text_names_none() -> None:
    doc = build_document(plan("政务公开工作要点"), file="plans/2025-某某区-政务公开工作要点.txt")
    assert (doc.region, doc.year) == ("某某区", 2025)
    assert any("file name" in w for w in doc.warnings)
    doc = build_document(plan("2024年某县政务公开工作要点"), file="2025-某某区-政务公开工作要点.txt")
    assert (doc.region, doc.year) == ("某县", 2024)  # the text wins


def test_page_chrome_is_removed_and_reported() -> None:
    chrome = ["当前位置：首页 > 政务公开 > 政策文件", "微信 微博 QQ空间", "【打印本页】 【关闭窗口】",
              "发布时间：2022-03-01 来源：某县政府办公室 浏览次数：125"]
    text = "\n".join([*chrome[:2], "2022年某县政务公开工作要点", BODY, *chrome[2:], "附件下载：",
                      "2022年某县政务公开工作要点.pdf"])
    doc = build_document(text, file="plan.txt")
    every = " ".join(e.text for e in doc.entries)
    for word in ("当前位置", "微信 微博", "QQ空间", "打印本页", "附件下载", ".pdf", "浏览次数"):
        assert word not in every
    assert doc.title == "2022年某县政务公开工作要点"
    assert any(w.startswith("web page chrome removed") for w in doc.warnings)


# --- sentence actors ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "lead", "support"), [
    ("县政府各部门要加强政策解读。", ["县政府各部门"], []),
    ("由县政务公开办公室负责统筹推进。", ["县政务公开办公室"], []),
    ("区发展改革局牵头，区财政局、区审计局配合，做好项目公开。", ["区发展改革局"], ["区财政局", "区审计局"]),
    ("区教育局会同区财政局做好教育经费公开。", ["区教育局"], ["区财政局"]),
    ("区民政局、区人社局按职责分工负责。", ["区民政局", "区人社局"], []),
    ("各级各部门要高度重视政务公开工作。", ["各级各部门"], []),
    ("深入推进基层公开，各镇政府、街道办事处要汇总发放结果。", ["各镇政府", "街道办事处"], []),
    ("各级政府及其部门要依法公开。", ["各级政府及其部门"], []),
    ("以用户为中心，持续优化界面交互。", [], []),
    ("政府网站要及时更新栏目。", [], []),
    ("要进一步规范政务公开工作程序。", [], []),
])
def test_sentence_actors_never_guess(sentence: str, lead: list[str], support: list[str]) -> None:
    found = sentence_actors(sentence)
    assert (found.lead, found.support) == (lead, support)


def test_table_wording_splits_into_lead_and_support() -> None:
    units = ["区政府办公室", "区行政审批服务局", "有关部门", "各街道办事处"]
    assert split_roles("区政府办公室、区行政审批服务局牵头，有关部门配合，各街道办事处", units) == (
        ["区政府办公室", "区行政审批服务局", "各街道办事处"], ["有关部门"])
    assert split_roles("牵头单位：区司法局；配合单位：区政府各部门", ["区司法局", "区政府各部门"]) == (
        ["区司法局"], ["区政府各部门"])


def test_a_plan_without_a_table_gets_units_from_its_sentences() -> None:
    doc = build_document(seed_text(QIXIA), file=QIXIA)
    with_units = [e for e in doc.entries if e.responsible]
    assert with_units and all(e.unit_source == "sentence" for e in with_units)
    clause = next(e for e in doc.entries if e.number == "四.(十三)")
    assert clause.responsible == ["市政府各部门", "相关职能部门"]


# --- warnings, --strict, duplicates ------------------------------------------------------------------------

def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_warnings_are_listed_and_strict_fails(tmp_path: Path) -> None:
    one_clause = "2024年某县政务公开工作要点\n一、加强公开。" + "做好政务公开各项工作，" * 160 + "接受监督。"
    (tmp_path / "long.txt").write_text(one_clause, encoding="utf-8")
    shutil.copy(PLANS_DIR / HUAIYIN, tmp_path / HUAIYIN)
    files = [str(tmp_path / "long.txt"), str(tmp_path / HUAIYIN)]
    done = run("parse", *files)
    assert done.returncode == 0, done.stderr
    assert "warning: 1 clause(s) over 1500 characters" in done.stdout
    assert "warning: no responsible units anywhere" in done.stdout
    assert run("parse", "--strict", *files).returncode == 1
    assert run("parse", "--strict", str(tmp_path / HUAIYIN)).returncode == 0


@pytest.mark.parametrize("copy", ["b.md", "b.pdf"])
def test_the_same_plan_twice_is_indexed_once(tmp_path: Path, copy: str) -> None:
    """The same plan as txt and md, or as txt and a printed PDF: one is indexed, the other listed."""
    shutil.copy(PLANS_DIR / QIXIA, tmp_path / "a.txt")
    if copy.endswith(".pdf"):
        lines = [part for line in seed_text(QIXIA).split("\n") if line.strip() for part in wrap(line.strip(), 30)]
        make_pdf(tmp_path / copy, paginate(lines, 40))
    else:
        (tmp_path / copy).write_text(seed_text(QIXIA).replace("，", "， "), encoding="utf-8")
    kb = build_knowledge(tmp_path)
    assert [Path(d.file).name for d in kb.documents] == ["a.txt"]
    assert kb.skipped == [(copy, "duplicate of a.txt")]
    assert any(f"same plan as {copy}" in w for w in kb.documents[0].warnings)
    done = run("parse", str(tmp_path / "a.txt"), str(tmp_path / copy))
    assert "same plan as" in done.stdout


# --- configuration and file names --------------------------------------------------------------------------

def test_the_commands_honour_the_configured_plans_folder(tmp_path: Path) -> None:
    plans = tmp_path / "my-plans"
    plans.mkdir()
    shutil.copy(PLANS_DIR / QIXIA, plans / QIXIA)
    config = tmp_path / "site.toml"
    config.write_text('[knowledge]\nplans_dir = "my-plans"\nindex_path = "out/index.pickle"\n', encoding="utf-8")
    done = run("stats", env={"ZWGK_CONFIG": str(config)})
    assert done.returncode == 0, done.stderr
    assert QIXIA[:10] in done.stdout and HUAIYIN[:10] not in done.stdout
    done = run("--config", str(config), "build")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "knowledge.json").is_file()
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(PLANS_DIR / HUAIYIN, other / HUAIYIN)
    done = run("stats", env={"ZWGK_CONFIG": str(config), "ZWGK_KNOWLEDGE__PLANS_DIR": str(other)})
    assert HUAIYIN[:10] in done.stdout and QIXIA[:10] not in done.stdout  # the environment over the file
    assert run("--config", str(tmp_path / "missing.toml"), "stats").returncode != 0


def test_a_file_name_that_is_not_utf8_is_skipped_with_one_line(tmp_path: Path) -> None:
    """A GBK name, as unzipped from a Windows archive: no crash, one line, the other plans indexed."""
    shutil.copy(PLANS_DIR / HUAIYIN, tmp_path / HUAIYIN)
    gbk = os.path.join(os.fsencode(tmp_path), "2025-某某区-政务公开工作要点.txt".encode("gbk"))
    with open(gbk, "wb") as f:
        f.write(seed_text(QIXIA).encode("utf-8"))
    assert len(fingerprint(plan_files(tmp_path))) == 64
    kb = build_knowledge(tmp_path)
    assert [Path(d.file).name for d in kb.documents] == [HUAIYIN]
    assert len(kb.skipped) == 1 and "not valid UTF-8" in kb.skipped[0][1]
    done = run("build", "--plans", str(tmp_path), "--cache", str(tmp_path / "k.json"))
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("skipped") == 1 and "Traceback" not in done.stderr


def test_a_provincial_notice_copied_from_a_web_page_onto_one_line() -> None:
    """Chrome, notice, 文号 with a space, addressees, signature and date, 全省 title and body on one line."""
    lines = seed_text(QIXIA).split("\n")
    body = "".join(line.strip() for line in lines[next(i for i, ln in enumerate(lines) if "2022 年是" in ln):])
    text = " ".join(["当前位置：首页 > 政府信息公开 > 政策文件", "某省人民政府办公厅关于印发2021年全省政务公开工作要点的通知",
                     "某政办字〔2021〕8 号", "各市人民政府，各县（市、区）人民政府，省政府各部门：",
                     "现将《2021年全省政务公开工作要点》印发给你们，请认真贯彻落实。", "某省人民政府办公厅", "2021年3月1日",
                     "（此件公开发布）", "2021年全省政务公开工作要点", body, "附件下载：", "2021年全省政务公开工作要点.pdf"])
    doc = build_document(text, file="plan.txt")
    assert (doc.title, doc.region, doc.year) == ("2021年全省政务公开工作要点", "某省", 2021)
    assert (doc.doc_number, doc.issuer, doc.date) == ("某政办字〔2021〕8号", "某省人民政府办公厅", "2021-03-01")
    assert [e.number for e in doc.entries if not e.number.startswith("前言")][:3] == ["一.(一)", "一.(二)", "一.(三)"]
    assert max(len(e.text) for e in doc.entries) < 1500
