"""The widget and the kiosk in a real headless Chromium (Playwright sync API) against waitress on loopback.

Uses Debian's /usr/bin/chromium (`make system-deps`), never a downloaded browser. Screenshots go to
tests/artifacts/ for a person to look at (CJK rendering, layout, large-text mode, phone width).
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.channels.web import close_app, create_app
from bot.storage.question_log import QuestionLog
from indexer.settings import load_settings

from .live_server import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
QUESTION = "槐荫区养老补贴信息公开归哪个部门管？"
OTHER_REGIONS = ("历城区", "周村区", "栖霞市", "薛城区")
W = "zwgk-widget"  # the widget's host element; Playwright CSS locators pierce its open shadow root

if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
    pytest.skip(f"{CHROMIUM} is missing: install it with `make system-deps` (Debian chromium + fonts-noto-cjk)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python package) is not installed")


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, engine) -> Iterator[LiveServer]:
    db = tmp_path_factory.mktemp("browser") / "web.sqlite3"
    settings = load_settings(environ={}).replace(web__database=str(db), web__admin_token="test-token-7c1e9a4b2f")
    app = create_app(settings, engine=engine)
    server = LiveServer(app)
    server.db = db  # type: ignore[attr-defined]
    try:
        with server:
            yield server
    finally:
        close_app(app)


@pytest.fixture(scope="session", autouse=True)
def _artifacts() -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


class Watch:
    """Page errors, console errors (CSP violations show up there) and dialogs seen by a page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)

        def on_dialog(d) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    pg.watch = Watch(pg)
    try:
        yield pg
    finally:
        context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def ask(page, text: str) -> None:
    before = page.locator(f"{W} article.answer").count()
    page.locator(f"{W} #zwgk-q").fill(text)
    page.locator(f"{W} button.send").click()
    page.locator(f"{W} article.answer").nth(before).wait_for()


def shadow_eval(page, js: str):
    return page.evaluate(f"(() => {{ const root = document.querySelector('{W}').shadowRoot; {js} }})()")


def test_widget_conversation_and_history(page, live) -> None:
    page.goto(live.url + "/")
    launcher = page.locator(f"{W} button.launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    dialog = page.locator(f"{W} [role=dialog]")
    assert dialog.is_visible()
    assert shadow_eval(page, "return root.activeElement && root.activeElement.id") == "zwgk-q"
    page.locator(f"{W} .featured .chip").first.wait_for()  # featured questions from /api/faq
    featured = page.locator(f"{W} .featured .chip").all_inner_texts()
    assert not [q for q in featured if any(r in q for r in OTHER_REGIONS)], featured  # the page says 槐荫区
    assert page.locator(f"{W} [role=log]").get_attribute("aria-live") == "polite"

    ask(page, QUESTION)
    answer = page.locator(f"{W} article.answer").first
    units = answer.locator(".badge-units")
    assert "负责单位" in units.inner_text() and "区民政局" in units.inner_text()
    assert "区民政局" in answer.inner_text()

    details = answer.locator("details.clause")
    assert not details.locator("blockquote").is_visible()
    details.locator("summary").click()
    assert details.locator("blockquote").is_visible()
    assert details.locator("blockquote").inner_text().strip()
    shot(page, "widget-answer")

    answer.locator(".fb-yes").click()
    assert answer.locator(".fb-status").inner_text() == "感谢您的反馈！"
    assert answer.locator(".fb-yes").is_disabled()

    related = answer.locator(".related .chip")
    if related.count():
        chip_text = related.first.inner_text()
        related.first.click()
        page.locator(f"{W} article.answer").nth(1).wait_for()
        assert page.locator(f"{W} .msg.user p").nth(1).inner_text().strip() == chip_text
    else:  # nothing related offered: a featured chip still asks
        page.locator(f"{W} .featured .chip").first.click()
        page.locator(f"{W} article.answer").nth(1).wait_for()

    n_messages = page.locator(f"{W} .msg.user, {W} article.answer").count()
    page.reload()
    page.locator(f"{W} article.answer").first.wait_for()
    assert page.locator(f"{W} [role=dialog]").is_visible()  # open state kept
    assert page.locator(f"{W} .msg.user, {W} article.answer").count() == n_messages
    assert page.locator(f"{W} article.answer").first.locator(".fb-yes").get_attribute("aria-pressed") == "true"
    assert not page.watch.errors and not page.watch.dialogs

    with QuestionLog(live.db) as log:  # type: ignore[attr-defined]
        assert log.count("feedback") >= 1
        assert any(r.question == QUESTION for r in log.top_questions(50))

    page.locator(f"{W} button.new-chat").click()
    assert page.locator(f"{W} .msg.user").count() == 0
    page.set_viewport_size({"width": 390, "height": 780})
    panel_box = page.locator(f"{W} .panel").bounding_box()
    assert panel_box and panel_box["width"] == 390  # full screen under 600px
    shot(page, "widget-phone")


def test_widget_is_styled_under_a_strict_host_csp(page, live) -> None:
    """A host page whose CSP forbids inline styles still gets a styled widget (constructable stylesheet)."""
    from bot.channels.web.security import STRICT_CSP

    def strict(route) -> None:
        resp = route.fetch()
        route.fulfill(response=resp, headers={**resp.headers, "content-security-policy": STRICT_CSP})

    page.route(live.url + "/", strict)
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").wait_for()
    assert shadow_eval(page, "return root.adoptedStyleSheets.length") == 1
    bg = shadow_eval(page, "return getComputedStyle(root.querySelector('.launcher')).backgroundColor")
    assert bg == "rgb(179, 23, 27)"
    assert not page.watch.errors


def test_suggestions_listbox(page, live) -> None:
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").click()
    page.locator(f"{W} #zwgk-q").press_sequentially("养老", delay=30)
    listbox = page.locator(f"{W} [role=listbox]")
    listbox.locator("[role=option]").first.wait_for()
    assert page.locator(f"{W} #zwgk-q").get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    active = page.locator(f"{W} #zwgk-q").get_attribute("aria-activedescendant")
    assert active and page.locator(f"{W} #{active}").get_attribute("aria-selected") == "true"
    chosen = page.locator(f"{W} #{active}").inner_text()
    page.keyboard.press("Enter")
    page.locator(f"{W} article.answer").first.wait_for()
    assert page.locator(f"{W} .msg.user p").first.inner_text().strip() == chosen
    assert not listbox.is_visible()


def test_keyboard_only(page, live) -> None:
    page.goto(live.url + "/")
    for _ in range(80):
        page.keyboard.press("Tab")
        if shadow_eval(page, "return root.activeElement && root.activeElement.className") == "launcher":
            break
    else:
        pytest.fail("Tab never reached the launcher")
    outline = shadow_eval(page, "return getComputedStyle(root.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    assert shadow_eval(page, "return root.activeElement.id") == "zwgk-q"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Tab")
    assert shadow_eval(page, "return root.activeElement.className") == "send"
    page.keyboard.press("Enter")
    page.locator(f"{W} article.answer").first.wait_for()
    assert "区民政局" in page.locator(f"{W} article.answer").first.inner_text()
    page.keyboard.press("Escape")
    assert not page.locator(f"{W} [role=dialog]").is_visible()
    assert shadow_eval(page, "return root.activeElement && root.activeElement.className") == "launcher"
    assert page.locator(f"{W} button.launcher").get_attribute("aria-expanded") == "false"


def test_hostile_question_is_shown_as_text(page, live) -> None:
    hostile = "<img src=x onerror=alert(1)>养老补贴"
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").click()
    ask(page, hostile)
    assert page.locator(f"{W} .msg.user p").first.inner_text().strip() == hostile
    assert shadow_eval(page, "return root.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.wait_for_timeout(300)
    assert page.watch.dialogs == []

    page.goto(live.url + "/kiosk")
    page.locator("#k-input").fill(hostile)
    page.locator("#k-send").click()
    page.locator("#k-answer .answer").wait_for()
    assert page.locator("#k-answer .q strong").inner_text() == hostile
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.watch.dialogs == [] and not page.watch.errors


def test_large_text_persists(page, live) -> None:
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").click()
    toggle = page.locator(f"{W} button.large-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    before = shadow_eval(page, "return parseFloat(getComputedStyle(root.querySelector('.root')).fontSize)")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    ask(page, QUESTION)
    shot(page, "widget-large")
    page.reload()
    page.locator(f"{W} button.large-toggle").wait_for()
    assert page.locator(f"{W} button.large-toggle").get_attribute("aria-pressed") == "true"
    after = shadow_eval(page, "return parseFloat(getComputedStyle(root.querySelector('.root')).fontSize)")
    assert after >= before * 1.25
    page.locator(f"{W} button.large-toggle").click()
    page.reload()
    page.locator(f"{W} button.large-toggle").wait_for()
    assert page.locator(f"{W} button.large-toggle").get_attribute("aria-pressed") == "false"


def test_large_mode_keeps_the_clause_link_readable(page, live) -> None:
    """大字 high contrast: "查看原文条款" and the card stay readable (axe-core finds no serious contrast issue),
    and the card leads with what was matched, the clause and its citation one tap away."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").click()
    page.locator(f"{W} button.large-toggle").click()
    ask(page, QUESTION)
    answer = page.locator(f"{W} article.answer").first
    assert answer.locator(".reply").inner_text().startswith("要点")  # what was matched, not only badges
    summary = answer.locator("details.clause summary")
    assert summary.is_visible() and summary.inner_text() == "查看原文条款"
    colour = shadow_eval(page, "const s = root.querySelector('details.clause summary'); "
                               "return [getComputedStyle(s).color, getComputedStyle(root.querySelector('.bot')).backgroundColor];")
    assert colour[0] != colour[1]
    summary.click()
    assert answer.locator("details.clause cite").is_visible()
    result = axe.Axe().run(page)
    bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]
           if v.get("impact") in ("serious", "critical")]
    assert not bad, bad
    page.locator(f"{W} button.large-toggle").click()  # leave the stored preference off for other tests


def test_widget_region_answers_region_less_questions_there(page, live) -> None:
    """The demo page embeds the widget with data-region="槐荫区": a question naming no region is answered from
    槐荫区's plan; a decline names the hotline and offers 槐荫区 questions, never echoing the message."""
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").click()
    ask(page, "义务教育信息公开由哪个部门负责？")
    answer = page.locator(f"{W} article.answer").last
    answer.locator("details.clause summary").click()
    assert "槐荫区" in answer.locator("details.clause cite").inner_text()
    long_message = "你好我想问一下我们家附近那个菜市场周末早上几点开门营业还有停车位多不多"
    ask(page, long_message)
    declined = page.locator(f"{W} article.answer").last
    text = declined.inner_text()
    assert "12345" in text and long_message not in text
    chips = declined.locator(".related .chip").all_inner_texts()
    assert chips and len(chips) == len(set(chips)) and all("槐荫区" in c for c in chips), chips


def test_kiosk_tile_question_answer_and_idle_reset(page, live) -> None:
    page.goto(live.url + "/kiosk?idle=2")
    tiles = page.locator(".tile")
    tiles.first.wait_for()
    names = tiles.all_inner_texts()
    assert any("养老" in n for n in names)
    shot(page, "kiosk-home")
    session = page.locator("body").get_attribute("data-session")
    tiles.filter(has_text="养老").first.click()
    page.locator("#k-topic-screen").wait_for(state="visible")
    page.locator(".question").first.click()
    page.locator("#k-answer .answer").wait_for()
    answer = page.locator("#k-answer .answer")
    # The direct answer is in the badges, the quoted clause in its own box (no repetition in .reply).
    assert answer.locator(".badge-units, .badge-deadline").count() >= 1
    if answer.locator(".badge-units").count():
        assert "负责单位" in answer.locator(".badge-units").inner_text()
    assert answer.locator(".clause blockquote").inner_text().strip()
    shot(page, "kiosk-answer")
    # Nobody touches it for 2 s: home again, previous visitor forgotten.
    # (Locator waits: wait_for_function compiles its predicate with eval, which our CSP rightly forbids.)
    page.locator("#k-answer-screen").wait_for(state="hidden", timeout=8000)
    assert page.evaluate("document.getElementById('k-answer').childElementCount") == 0
    assert page.locator("#k-home-screen").is_visible()
    assert page.locator("body").get_attribute("data-session") != session
    assert page.locator("#k-questions").inner_html() == ""
    assert "12345" in page.locator("#k-hint").inner_text()
    assert not page.watch.errors


def test_kiosk_typed_question_shows_unit(page, live) -> None:
    page.goto(live.url + "/kiosk?region=槐荫区")
    page.locator(".tile").filter(has_text="养老").first.click()
    page.locator(".question").first.wait_for()
    listed = page.locator(".question").all_inner_texts()
    assert listed and not [q for q in listed if any(r in q for r in OTHER_REGIONS)], listed
    page.locator("#k-input").fill(QUESTION)
    page.locator("#k-input").press("Enter")
    page.locator("#k-answer .badge-units").wait_for()
    assert "区民政局" in page.locator("#k-answer .badge-units").inner_text()
    assert page.locator("#k-answer .clause blockquote").inner_text().strip()


class HostSite:
    """Another website (its own origin, on loopback) whose page embeds the widget from the live server."""

    def __init__(self, html: str) -> None:
        body = html.encode("utf-8")

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                status = 200 if self.path == "/" else 404
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body) if status == 200 else 0))
                self.end_headers()
                if status == 200:
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # "localhost" vs the app's "127.0.0.1": a different origin, both on loopback (no Local Network Access prompt).
        self.url = f"http://localhost:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HostSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def test_widget_on_another_origin_in_english(page, live) -> None:
    """A host page elsewhere (CORS) with <html lang="en">: English UI, API base from the script src."""
    host_html = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>'
                 f'<link rel="icon" href="data:,"></head>'
                 f'<body><h1>Another site</h1><script src="{live.url}/widget.js" data-region="槐荫区" defer></script></body></html>')
    with HostSite(host_html) as site:
        page.goto(site.url)
        launcher = page.locator(f"{W} button.launcher")
        assert launcher.inner_text().strip() == "Ask us"
        launcher.click()
        ask(page, QUESTION)
        answer = page.locator(f"{W} article.answer").first
        assert "Responsible unit" in answer.locator(".badge-units").inner_text()
        assert "区民政局" in answer.inner_text()
        shot(page, "widget-english-cross-origin")
        assert not page.watch.errors
