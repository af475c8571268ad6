"""The `python -m bot ask` contract the scorer and other tools rely on (run as a real subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULT_KEYS = {"id", "region", "year", "section", "text", "responsible", "deadline", "score"}


@pytest.fixture(scope="module")
def env(shipped_settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    e = dict(os.environ)
    e["ZWGK_KNOWLEDGE__INDEX_PATH"] = str(shipped_settings["knowledge.index_path"])
    e["ZWGK_WEB__DATABASE"] = str(shipped_settings["web.database"])
    return e


def run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_ask_prints_a_readable_reply(env) -> None:  # type: ignore[no-untyped-def]
    got = run(["ask", "槐荫区养老补贴信息公开归哪个部门管？"], env)
    assert got.returncode == 0, got.stderr
    assert "区民政局" in got.stdout and "出处" in got.stdout


def test_ask_json_stdin_one_object_per_line_in_order(env) -> None:  # type: ignore[no-untyped-def]
    questions = ["槐荫区养老补贴信息公开归哪个部门管？", "", "个税专项附加扣除标准", "区民政局有哪些任务", "<b>x</b>"]
    got = run(["ask", "--json", "-"], env, stdin="\n".join(questions) + "\n")
    assert got.returncode == 0, got.stderr
    lines = got.stdout.strip("\n").split("\n")
    assert len(lines) == len(questions)
    objs = [json.loads(line) for line in lines]
    assert [o["question"] for o in objs] == questions
    for o in objs:
        assert {"question", "intent", "answered", "reply", "results"} <= set(o)
        assert o["intent"] in {"who", "when", "what", "list", "none"}
        assert isinstance(o["answered"], bool) and isinstance(o["reply"], str)
        for r in o["results"]:
            assert RESULT_KEYS <= set(r)
            assert isinstance(r["responsible"], list) and isinstance(r["score"], float)
            assert isinstance(r["year"], int)
    assert objs[0]["answered"] and "区民政局" in objs[0]["results"][0]["responsible"]
    assert not objs[1]["answered"] and not objs[2]["answered"]
    assert objs[3]["intent"] == "list"
    scores = [r["score"] for r in objs[0]["results"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_json_single_question(env) -> None:  # type: ignore[no-untyped-def]
    got = run(["ask", "--json", "周村区预决算信息公开由哪个部门负责？"], env)
    assert got.returncode == 0, got.stderr
    obj = json.loads(got.stdout)
    assert obj["intent"] == "who" and "区财政局" in obj["results"][0]["responsible"]


def test_bad_config_is_one_line_error(env, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.toml"
    bad.write_text("[web]\nport = 'eighty'\n", encoding="utf-8")
    got = run(["--config", str(bad), "ask", "x"], env)
    assert got.returncode != 0
    assert "web.port" in got.stderr and "Traceback" not in got.stderr


def test_help_is_the_manual(env) -> None:  # type: ignore[no-untyped-def]
    got = run(["--help"], env)
    assert got.returncode == 0
    for word in ("ask", "serve", "telegram", "wecom", "wechat", "index", "config"):
        assert word in got.stdout


def test_config_command_shows_sources_and_masks_secrets(env) -> None:  # type: ignore[no-untyped-def]
    e = dict(env, ZWGK_WEB__PORT="8099", TELEGRAM_BOT_TOKEN="123:secret-token")
    got = run(["config"], e)
    assert got.returncode == 0, got.stderr
    assert "8099" in got.stdout and "[env]" in got.stdout
    assert "secret-token" not in got.stdout


def test_config_masks_a_password_inside_a_database_url(env) -> None:  # type: ignore[no-untyped-def]
    got = run(["config"], dict(env, ZWGK_WEB__DATABASE="postgresql://zwgk:hunter2secret@db.example:5432/zwgk"))
    assert got.returncode == 0, got.stderr
    assert "hunter2secret" not in got.stdout
    assert "postgresql://zwgk:********@db.example:5432/zwgk" in got.stdout


def test_version_is_printed(env) -> None:  # type: ignore[no-untyped-def]
    got = run(["--version"], env)
    assert got.returncode == 0 and "zwgk-qa" in got.stdout
    from importlib.metadata import version

    assert version("zwgk-qa") in got.stdout


@pytest.mark.parametrize("region", ["海淀区", "枣庄市市中区", "Nowhere"])
def test_ask_refuses_a_region_not_held(env, region: str) -> None:  # type: ignore[no-untyped-def]
    got = run(["ask", "--region", region, "养老补贴信息公开归哪个部门管？"], env)
    assert got.returncode == 2
    assert region in got.stderr and "held" in got.stderr and "Traceback" not in got.stderr
    assert got.stdout == ""


def test_ask_accepts_a_held_region_by_its_short_form(env) -> None:  # type: ignore[no-untyped-def]
    got = run(["ask", "--region", "槐荫", "养老补贴信息公开归哪个部门管？"], env)
    assert got.returncode == 0, got.stderr
    assert "区民政局" in got.stdout
