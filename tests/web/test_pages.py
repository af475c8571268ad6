"""bot/channels/web/pages.py, kiosk.py and serve.py: the demo page, widget.js, the kiosk page, HTML errors, CSP."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bot.channels.web import serve as serve_module
from indexer.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "bot" / "channels" / "web" / "static"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
JS_COMMENT = re.compile(r"/\*.*?\*/|^\s*//[^\n]*", re.S | re.M)


def js_code(source: str) -> str:
    """The script without its comments (which may mention what the code must never do)."""
    return JS_COMMENT.sub("", source)


def csp(resp) -> dict[str, str]:
    header = resp.headers["Content-Security-Policy"]
    return {d.split()[0]: d.partition(" ")[2] for d in (p.strip() for p in header.split(";")) if d}


def test_demo_page_embeds_the_widget(client: FlaskClient) -> None:
    resp = client.get("/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert re.search(r'<script src="/widget\.js" data-region="槐荫区" defer></script>', html)
    assert "政务公开" in html and "政府信息公开年报" in html
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)
    policy = csp(resp)
    assert policy["default-src"] == "'self'" and policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["style-src"] == "'self' 'unsafe-inline'"  # the widget's <style> fallback; see pages.py
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_widget_js_is_static_cacheable_and_text_only(client: FlaskClient) -> None:
    resp = client.get("/widget.js")
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert "max-age=600" in resp.headers["Cache-Control"] and "public" in resp.headers["Cache-Control"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert resp.headers.get("ETag") or resp.headers.get("Last-Modified")
    source = js_code(resp.get_data(as_text=True))
    resp.close()
    for needle in ("document.currentScript", "attachShadow", "/api/ask", "/api/suggest", "/api/faq",
                   "/api/feedback", "sessionStorage", "localStorage", "aria-live", "负责单位", "完成时限",
                   "Microsoft YaHei", "Noto Sans CJK SC", "max-width:600px"):
        assert needle in source, needle
    assert not re.search(r"https?://", re.sub(r"http://www\.w3\.org/2000/svg", "", source)), "no external URLs"


@pytest.mark.parametrize("name", ["widget.js", "kiosk.js"])
def test_scripts_never_use_html_sinks(name: str) -> None:
    source = js_code((STATIC / name).read_text(encoding="utf-8"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, f"{name} uses {sink}"


def test_kiosk_page(client: FlaskClient, settings: Settings) -> None:
    resp = client.get("/kiosk")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert f'data-idle="{settings["web.kiosk_idle_seconds"]}"' in html
    assert f'data-phone="{settings["web.office_phone"]}"' in html
    assert settings["web.office_phone"] in html and "自动回到首页" in html
    assert '<script src="/static/kiosk.js" defer></script>' in html
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)
    policy = csp(resp)
    assert policy["style-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert 'data-idle="3"' in client.get("/kiosk?idle=3").get_data(as_text=True)
    assert 'data-idle="1"' in client.get("/kiosk?idle=0").get_data(as_text=True)
    assert f'data-idle="{settings["web.kiosk_idle_seconds"]}"' in client.get("/kiosk?idle=-5").get_data(as_text=True)


def test_kiosk_escapes_its_parameters(client: FlaskClient) -> None:
    html = client.get("/kiosk", query_string={"region": '"><script>alert(1)</script>'}).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&#34;&gt;&lt;script&gt;" in html


def test_static_assets(client: FlaskClient) -> None:
    for name, mimetype in (("kiosk.js", "text/javascript"), ("kiosk.css", "text/css"), ("demo.css", "text/css"),
                           ("admin.css", "text/css"), ("favicon.svg", "image/svg+xml")):
        resp = client.get(f"/static/{name}")
        assert resp.status_code == 200 and resp.mimetype == mimetype, name
        assert "max-age" in resp.headers["Cache-Control"]
        resp.close()


def test_html_404_is_a_page_with_csp(client: FlaskClient) -> None:
    resp = client.get("/no/such/page")
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    assert "Content-Security-Policy" in resp.headers


def test_get_once(settings: Settings, engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.engine import coordinator as engine_module

    monkeypatch.setattr(engine_module.Engine, "load", classmethod(lambda cls, s: engine))
    status, text = serve_module.get_once(settings, "/healthz")
    assert status == 200 and '"status":"ok"' in text
    status, text = serve_module.get_once(settings, "api/nowhere")
    assert status == 404 and "not found" in text


def test_serve_runs_waitress_and_prints_the_url(tmp_path: Path) -> None:
    """`python -m bot.channels.web --port 0` (what `python -m bot serve` calls): a real socket, a clean Ctrl+C."""
    env = {**os.environ, "ZWGK_WEB__DATABASE": str(tmp_path / "serve.sqlite3"), "ZWGK_WEB__THREADS": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "bot.channels.web", "--port", "0"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        match = re.search(r"open (http://127\.0\.0\.1:\d+)/", first)
        assert match, first
        with urllib.request.urlopen(match.group(1) + "/healthz", timeout=10) as resp:
            assert resp.status == 200 and json.loads(resp.read())["status"] == "ok"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
