"""indexer/cli.py through a real `python -m indexer` process: the JSON contract, errors, build and stats."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.indexer.fixtures_formats import HUAIYIN, LICHENG, PLANS_DIR, XUECHENG, make_docx, seed_clauses

ROOT = Path(__file__).resolve().parents[2]

DOC_KEYS = ["file", "title", "region", "year", "doc_number", "issuer", "date", "entries", "warnings", "ocr",
            "division_code", "region_full"]
ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str, "kind": str, "number": str, "section": str, "text": str, "responsible": list,
    "deadline": (str, type(None)), "due": (str, type(None)),
}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "indexer", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture(scope="module")
def parsed() -> tuple[subprocess.CompletedProcess[str], list[dict]]:
    plans = sorted(str(p) for p in PLANS_DIR.iterdir() if p.suffix in (".txt", ".md"))
    done = run("parse", *plans, "--json")
    return done, json_lines(done.stdout)


def test_parse_json_prints_one_object_per_file_in_order(parsed: tuple[subprocess.CompletedProcess[str], list[dict]]) -> None:
    done, objects = parsed
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert [o["file"] for o in objects] == sorted(str(p) for p in PLANS_DIR.iterdir() if p.suffix in (".txt", ".md"))


def test_parse_json_keys_and_types(parsed: tuple[subprocess.CompletedProcess[str], list[dict]]) -> None:
    _, objects = parsed
    for o in objects:
        assert list(o) == DOC_KEYS
        assert isinstance(o["title"], str) and isinstance(o["region"], str) and isinstance(o["year"], int)
        for key in ("doc_number", "issuer", "date"):
            assert o[key] is None or isinstance(o[key], str)
        assert o["entries"]
        for e in o["entries"]:
            assert list(e)[:8] == list(ENTRY_TYPES)
            for key, kind in ENTRY_TYPES.items():
                assert isinstance(e[key], kind), (key, e[key])
            assert e["kind"] in ("clause", "task")
            assert all(isinstance(u, str) for u in e["responsible"])
            assert isinstance(e["linked"], list) and isinstance(e["heading"], str)
            assert e["roles"] is None or isinstance(e["roles"], str)


def test_parse_json_facts(parsed: tuple[subprocess.CompletedProcess[str], list[dict]]) -> None:
    _, objects = parsed
    licheng = next(o for o in objects if o["file"].endswith(LICHENG))
    assert (licheng["title"], licheng["region"], licheng["year"]) == ("2023年济南市历城区政务公开工作要点", "历城区", 2023)
    assert (licheng["doc_number"], licheng["date"]) == ("济历城政办发〔2023〕3号", "2023-07-25")
    row48 = next(e for e in licheng["entries"] if e["number"] == "表.48")
    assert (row48["deadline"], row48["due"], row48["kind"]) == ("2023年8月31日前", "2023-08-31", "task")
    assert json.dumps(licheng, ensure_ascii=False) in parsed[0].stdout  # Chinese as is, not \\u escapes


def test_bad_files_get_an_error_object_and_the_others_still_print(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    whole = make_docx(tmp_path / "whole.docx", *seed_clauses(limit=4))
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(whole.read_bytes()[:600])
    unknown = tmp_path / "plan.wps"
    unknown.write_text("序号\t工作任务", encoding="utf-8")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    not_a_plan = tmp_path / "notes.txt"
    not_a_plan.write_text("今天天气很好。\n明天再说。\n", encoding="utf-8")
    good = str(PLANS_DIR / XUECHENG)
    files = [good, str(empty), str(binary), str(truncated), str(unknown), str(folder), str(not_a_plan),
             str(tmp_path / "missing.txt"), str(whole)]
    done = run("parse", *files, "--json")
    assert done.returncode == 1
    objects = json_lines(done.stdout)
    assert [o["file"] for o in objects] == files
    errors = {o["file"]: o["error"] for o in objects if "error" in o}
    assert set(errors) == set(files[1:8])
    for o in objects:
        if "error" in o:
            assert list(o) == ["file", "error"]
            assert o["error"] and "\n" not in o["error"] and not o["error"].startswith("Traceback")
        else:
            assert list(o) == DOC_KEYS
    assert errors[str(empty)] == "empty file"
    assert errors[str(binary)] == "not a text file (binary content)"
    assert errors[str(truncated)].startswith("truncated or damaged Word file")
    assert errors[str(unknown)].startswith("unsupported file type .wps")
    assert errors[str(folder)] == "is a directory"
    assert errors[str(tmp_path / "missing.txt")] == "file not found"
    assert "no numbered clauses" in errors[str(not_a_plan)]
    assert [e["number"] for e in objects[-1]["entries"]] == ["一.(一)", "一.(二)", "一.(三)"]


def test_parse_without_json_prints_a_readable_outline(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = run("parse", str(PLANS_DIR / HUAIYIN), str(empty))
    assert done.returncode == 1
    out = done.stdout
    assert out.startswith(f"== {PLANS_DIR / HUAIYIN}")
    assert "title: 2022年槐荫区政务公开工作要点" in out and "region: 槐荫区" in out
    assert "[一、聚焦重点领域，深化信息公开]" in out
    assert "clause 一.(一)" in out and "task   表.67" in out
    assert "责任单位: 区卫生健康局、各街道办事处   时限: 全年" in out
    assert not out.lstrip().startswith("{")
    assert done.stderr.strip() == f"error: {empty}: empty file"


def test_parse_needs_a_file() -> None:
    done = run("parse")
    assert done.returncode == 2 and "Missing argument" in done.stderr


def test_build_writes_the_cache_and_reports_counts_and_skipped_files(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in (HUAIYIN, LICHENG):
        shutil.copy(PLANS_DIR / name, plans / name)
    (plans / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (plans / "notes.wps").write_text("x", encoding="utf-8")
    (plans / ".hidden.txt").write_text("ignored", encoding="utf-8")
    cache = tmp_path / "var" / "knowledge.json"
    done = run("build", "--plans", str(plans), "--cache", str(cache))
    assert done.returncode == 0, done.stderr
    assert f"  {HUAIYIN}: 88 entries" in done.stdout
    assert f"  {LICHENG}: 70 entries" in done.stdout
    assert "2 documents, 158 entries, 2 skipped in " in done.stdout and str(cache) in done.stdout
    assert "skipped broken.docx: truncated or damaged Word file" in done.stderr
    assert "skipped notes.wps: unsupported file type .wps" in done.stderr
    data = json.loads(cache.read_text(encoding="utf-8"))
    assert data["fingerprint"] and len(data["documents"]) == 2
    assert sum(len(d["entries"]) for d in data["documents"]) == 158
    assert sorted(name for name, _ in data["skipped"]) == ["broken.docx", "notes.wps"]


def test_build_of_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    done = run("build", "--plans", str(tmp_path / "nowhere"), "--cache", str(tmp_path / "k.json"))
    assert done.returncode == 1
    assert "does not exist" in done.stderr and "Traceback" not in done.stderr


def test_stats(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in (HUAIYIN, XUECHENG):
        shutil.copy(PLANS_DIR / name, plans / name)
    (plans / "empty.txt").write_bytes(b"")
    done = run("stats", "--plans", str(plans))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["document", "entries", "clauses", "rows", "units", "dated",
                                "table", "note", "sentence", "warnings"]
    # units from every source: table rows and the clauses linked to them, 责任单位 notes, sentence actors
    huaiyin = next(line for line in lines if line.startswith(HUAIYIN[:20]))
    assert huaiyin.split()[-9:] == ["88", "21", "67", "87", "87", "87", "0", "0", "0"]
    xuecheng = next(line for line in lines if line.startswith(XUECHENG[:20]))
    assert xuecheng.split()[-9:] == ["45", "45", "0", "44", "2", "0", "43", "1", "0"]
    assert "skipped empty.txt: empty file" in done.stdout


def test_help_lists_the_commands() -> None:
    done = run("--help")
    assert done.returncode == 0
    for command in ("parse", "build", "stats"):
        assert command in done.stdout
