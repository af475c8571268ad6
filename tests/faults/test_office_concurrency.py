"""Concurrent offices against REAL servers (issue 23): nothing an office was told it saved is lost.

Two workers (`serve --workers 2`) share one office folder: 200 official answers at once, 24 uploads at
once from 8 clients (each upload is parsed in its own child process, one at a time per worker, so more
uploads only take longer, they test nothing more: the attack that lost 6 of 80 lost them in the
catalog's read-modify-write, which every concurrent pair exercises), two uploads of one name 0.3 s
apart, publishing both, deleting a draft, a publish killed half-way."""
from __future__ import annotations

import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .office_client import answer, call, office_env, plan_text, upload
from .server import until

pytestmark = pytest.mark.faults
UPLOADS = 24


def test_two_workers_keep_every_answer_and_every_upload(start_server, tmp_path: Path) -> None:
    office = tmp_path / "var" / "office"
    server = start_server(env=office_env(office), args=("--workers", "2"))
    with ThreadPoolExecutor(20) as pool:
        statuses = list(pool.map(lambda n: answer(server, n), range(200)))
    assert statuses.count(201) == 200, statuses
    status, listed = call(server, "GET", "/admin/api/answers")
    assert status == 200 and len(listed["answers"]) == 200

    def one(n: int) -> tuple[int, dict]:
        return upload(server, f"计划{n}.txt", plan_text(f"2023年第{n}区政务公开工作要点").encode(), retry_busy=True)

    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(one, range(UPLOADS)))
    assert [s for s, _ in replies].count(201) == UPLOADS, server.log[-3000:]
    ids = {reply["id"] for _, reply in replies}
    status, plans = call(server, "GET", "/admin/api/plans")
    assert ids <= {p["id"] for p in plans["plans"]}
    assert not list(office.rglob("*.tmp")) and not list(office.rglob(".upload-*"))
    _same_name_uploads_stay_two_plans_through_publishing_and_delete(server, office)


def _same_name_uploads_stay_two_plans_through_publishing_and_delete(server, office: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = plan_text("2023年槐荫区政务公开工作要点").encode(), plan_text("2023年历下区政务公开工作要点").encode()
    replies: list[tuple[int, dict]] = []
    threads = [threading.Thread(target=lambda d=d: replies.append(upload(server, "要点.txt", d, retry_busy=True)))
               for d in (first, second)]
    threads[0].start()
    time.sleep(0.3)
    threads[1].start()
    for t in threads:
        t.join(60)
    assert sorted(s for s, _ in replies) == [201, 201], replies
    stored = sorted(p.name for p in (office / "uploads").rglob("要点*.txt"))
    assert len(stored) == 2 and stored[0] != stored[1], stored
    for _, reply in replies:
        assert call(server, "POST", f"/admin/api/plans/{reply['id']}/publish")[0] == 200
    originals = {p.read_bytes() for p in (office / "uploads").rglob("要点*.txt")}
    assert originals == {first, second}, "publishing must never write one upload onto another"

    draft = next(p["id"] for p in call(server, "GET", "/admin/api/plans")[1]["plans"] if p["status"] == "draft")
    assert call(server, "POST", f"/admin/plans/{draft}/delete", b"", "application/x-www-form-urlencoded")[0] in (
        200, 303)
    assert not (office / "uploads" / draft).exists(), "deleting a draft removes its file"


def test_a_publish_killed_half_way_is_audited(start_server, tmp_path: Path) -> None:
    office = tmp_path / "var" / "office"
    server = start_server(env=office_env(office))
    status, reply = upload(server, "要点.txt", plan_text().encode())
    assert status == 201
    def publish() -> None:
        try:
            call(server, "POST", f"/admin/api/plans/{reply['id']}/publish")
        except OSError:  # the server is killed under it
            pass

    threading.Thread(target=publish, daemon=True).start()

    def published() -> bool:
        try:
            rows = json.loads((office / "plans.json").read_text(encoding="utf-8"))["uploads"]
        except (OSError, ValueError):
            return False
        return any(r["id"] == reply["id"] and r["status"] == "published" for r in rows)

    assert until(published, 30)
    server.signal(signal.SIGKILL)  # mid-build: the record says published, nothing after it ran
    server.wait(10)
    audit = [json.loads(line) for line in (office / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(e["action"] == "plan.publish" and e["detail"].startswith(reply["id"]) for e in audit), audit
