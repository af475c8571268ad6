"""Hostile and heavy documents against a REAL server (issue 23): each refused with a 422 naming the limit,
read in a child process while the server keeps answering, nothing left behind, previews never re-read,
and a converter that hangs is killed with everything it started."""
from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from indexer.read import doc as doc_reader
from indexer.read.limits import LimitExceeded
from indexer.sandbox import Limits, parse_in_child

from .hostile import HOSTILE, pdf_big_page
from .office_client import call, office_env, plan_text, rss_mb, upload
from .server import Load

pytestmark = pytest.mark.faults

# A tesseract that records each call, starts a grandchild that would outlive it, and hangs or reads a plan.
FAKE_TESSERACT = """#!/bin/sh
echo call >> "{calls}"
if [ -e "{hang}" ]; then sleep 300 >/dev/null 2>&1 & echo $! >> "{pids}"; sleep 300; fi
printf '%s' "{text}"
"""


def _fake_bin(tmp_path: Path, text: str) -> tuple[Path, Path, Path, Path]:
    folder = tmp_path / "bin"
    folder.mkdir()
    calls, pids, hang = tmp_path / "calls", tmp_path / "pids", tmp_path / "hang"
    script = folder / "tesseract"
    script.write_text(FAKE_TESSERACT.format(calls=calls, pids=pids, hang=hang, text=text))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder, calls, pids, hang


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_hostile_files_are_refused_naming_their_limit_while_the_server_answers(start_server, tmp_path: Path) -> None:
    office = tmp_path / "var" / "office"
    server = start_server(env=office_env(office))
    assert server.proc is not None
    load = Load(server, threads=2).start()
    try:
        before = rss_mb(server.proc.pid)[0]
        for name, (make, limit) in HOSTILE.items():
            data = make()
            assert len(data) < 400_000, name  # small on disk
            status, reply = upload(server, name, data)
            assert status == 422, (name, status, reply)
            assert f"over the {limit} limit" in reply["error"] and "the limit is" in reply["error"], reply
        status, reply = upload(server, "计划.txt", plan_text().encode())  # an ordinary plan still goes through
        assert status == 201, reply
        answered = load.answered
        load.wait_for(answered + 5)
    finally:
        load.stop()
    current, peak = rss_mb(server.proc.pid)
    print(f"\nserver RSS before {before} MB, after {current} MB, peak {peak} MB; "
          f"{load.answered} answered, {load.failed} failed during the hostile uploads")
    assert load.failed == 0 and load.answered > answered
    assert peak < before + 200, "a hostile file must never be materialised in the server's process"
    left = [p for p in (office / "uploads").rglob("*")] if (office / "uploads").exists() else []
    assert len([p for p in left if p.is_file()]) == 1, left  # the good plan only: no 0-byte or temp files
    assert len([p for p in left if p.is_dir()]) == 1, left


def test_a_reader_past_its_time_is_killed_with_its_children_and_previews_never_read_again(
        start_server, tmp_path: Path) -> None:
    folder, calls, pids, hang = _fake_bin(tmp_path, plan_text("2023年历下区政务公开工作要点"))
    env = office_env(tmp_path / "var" / "office", ZWGK_OFFICE__PARSE_SECONDS="3",
                     PATH=f"{folder}{os.pathsep}{os.environ['PATH']}")
    server = start_server(env=env)
    scan = pdf_big_page(inches=8)  # a page without text: read by OCR

    hang.touch()
    status, reply = upload(server, "scan.pdf", scan)
    assert status == 422 and "over the seconds limit" in reply["error"], reply
    children = [int(p) for p in pids.read_text().split()]
    assert children and all(not _alive(pid) for pid in children), "OCR's own children must be killed too"
    assert server.ask("依申请公开要多久答复？")[0] == 200

    hang.unlink()
    status, reply = upload(server, "scan.pdf", scan)
    assert status == 201, reply
    assert reply["document"]["entries"] >= 2
    ocr_runs = len(calls.read_text().split())
    for _ in range(2):  # the preview page, twice: the parse is cached by content, OCR never runs again
        status, page = call(server, "GET", f"/admin/plans/{reply['id']}")
        assert status == 200 and "推进决策公开" in page
    assert len(calls.read_text().split()) == ocr_runs


def test_a_child_over_its_memory_is_a_clear_refusal(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(plan_text(), encoding="utf-8")
    assert parse_in_child(path, Limits(seconds=60, memory_mb=1536)).entries
    with pytest.raises(LimitExceeded) as refused:
        parse_in_child(path, Limits(seconds=60, memory_mb=40))  # not even the interpreter fits
    assert refused.value.limit == "memory_mb" and "40 MB" in str(refused.value)


HANGING_SOFFICE = """#!/bin/sh
/bin/sh -c '/bin/sleep 300' & echo $! >> "{pids}"
/usr/bin/setsid /bin/sleep 300 & echo $! >> "{pids}"
/bin/sleep 300
"""


def test_a_hung_libreoffice_is_killed_with_its_whole_process_tree(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """soffice -> oosplash -> soffice.bin: the whole tree goes, even a child in its own session."""
    folder, pids = tmp_path / "bin", tmp_path / "pids"
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text(HANGING_SOFFICE.format(pids=pids))
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))  # no antiword: the .doc goes to "LibreOffice"
    monkeypatch.setattr(doc_reader, "_TIMEOUT", 1)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)
    with pytest.raises(LimitExceeded) as refused:
        doc_reader.read_doc(ole, "doc")
    assert refused.value.limit == "seconds" and "LibreOffice" in str(refused.value)
    children = [int(p) for p in pids.read_text().split()]
    assert len(children) == 2
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        threading.Event().wait(0.05)
    assert not any(_alive(pid) for pid in children)
