"""`bot backup` → fresh folders → `bot restore`: the same questions logged and the same published plans answer.

Installation A publishes an uploaded plan and logs questions; its backup is restored into folders
that never saw it (B), whose server is then built from what was restored (no engine handed in).
Also `bot purge --json` and the refusal to restore over a used installation.
"""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from click.testing import CliRunner

from bot.channels.web import close_app, create_app
from bot.cli import cli
from indexer.settings import load_settings

from .office_seed import QUESTION, seed_docx

TOKEN = "backup-test-token-2b8e61f0"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def env_for(root: Path) -> dict[str, str]:
    return {"ZWGK_WEB__DATABASE": str(root / "var" / "zwgk.sqlite3"), "ZWGK_OFFICE__DIR": str(root / "office"),
            "ZWGK_KNOWLEDGE__INDEX_PATH": str(root / "index"), "ZWGK_WEB__ADMIN_TOKEN": TOKEN,
            "ZWGK_WEB__RATE_LIMIT": "0"}


def settings_for(root: Path, data_dir: Path | None = None):  # type: ignore[no-untyped-def]
    extra = {"ZWGK_KNOWLEDGE__DATA_DIR": str(data_dir)} if data_dir else {}
    return load_settings(environ={**env_for(root), **extra})


def run(args: list[str], root: Path, data_dir: Path | None = None) -> tuple[int, str]:
    env = {**env_for(root), **({"ZWGK_KNOWLEDGE__DATA_DIR": str(data_dir)} if data_dir else {})}
    result = CliRunner().invoke(cli, args, env=env)
    return result.exit_code, result.output


def test_backup_restore_round_trip(tmp_path: Path, engine) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    app = create_app(settings_for(a), engine=engine)
    try:
        api = app.test_client()
        up = api.post("/admin/api/plans", headers=AUTH, data={"file": (io.BytesIO(seed_docx()), "天桥区要点.docx")},
                      content_type="multipart/form-data").get_json()
        assert api.post(f"/admin/api/plans/{up['id']}/publish", headers=AUTH).status_code == 200
        first = api.post("/api/ask", json={"question": QUESTION}).get_json()
        api.post("/api/ask", json={"question": "火星上有政务公开吗？"})
        assert first["answered"] and "区发展改革局" in first["units"]
        logged = api.get("/admin/api/stats?days=2", headers=AUTH).get_json()
    finally:
        close_app(app)

    archive = tmp_path / "zwgk-backup.tar.gz"
    code, out = run(["backup", str(archive), "--json"], a)
    assert code == 0, out
    report = json.loads(out)
    assert report["log"] == "sqlite" and report["office_files"] > 0 and report["data_files"] > 0
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "log/zwgk.sqlite3" in names and "office/plans.json" in names
    assert any(n.startswith("office/sets/") and n.endswith(".docx") for n in names)  # the published set
    assert not any("/index/" in n for n in names)  # index caches are rebuilt, not archived

    data_b = b / "data"
    code, out = run(["restore", str(archive)], b, data_b)
    assert code == 0, out
    assert (data_b / "synonyms.txt").is_file()
    restored = create_app(settings_for(b, data_b))  # its engine from the restored published set
    try:
        api = restored.test_client()
        assert api.get("/admin/api/stats?days=2", headers=AUTH).get_json() == logged
        again = api.post("/api/ask", json={"question": QUESTION}).get_json()
        assert again["answered"] and again["results"][0]["doc"] == first["results"][0]["doc"]
    finally:
        close_app(restored)

    code, out = run(["restore", str(archive)], b, data_b)  # B is in use now: refused without --force
    assert code != 0 and "--force" in out and "Traceback" not in out
    assert run(["restore", str(archive), "--force"], b, data_b)[0] == 0


def test_purge_command(tmp_path: Path, engine) -> None:
    app = create_app(settings_for(tmp_path), engine=engine)
    try:
        store = app.extensions["zwgk"].store
        store.log_question("旧问题", intent="who", answered=True)
        store.log_question("新问题", intent="who", answered=True)
        store.flush()
        store.db.run("UPDATE questions SET day = '2020-01-01' WHERE question = '旧问题'")
    finally:
        close_app(app)
    code, out = run(["purge", "--older-than-days", "30", "--json"], tmp_path)
    assert code == 0 and json.loads(out) == {"deleted": 1}
    assert json.loads(run(["purge", "--older-than-days", "30", "--json"], tmp_path)[1]) == {"deleted": 0}
