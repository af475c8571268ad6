"""The office in a real headless Chromium: log in, upload a Word plan, preview, publish, ask the widget,
unpublish; write an official answer from a declined question and see the widget use it; an axe-core
audit (axe-playwright-python, its pinned axe.min.js injected from the installed package, nothing from a
CDN) of the widget, kiosk, browse view and admin pages finds no serious or critical violation.
"""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.web import close_app, create_app
from bot.channels.web.admin_auth import hash_password
from indexer.settings import load_settings

from .live_server import LiveServer
from .office_seed import QUESTION, seed_docx

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
W = "zwgk-widget"
PASSWORD = "office-browser-password"
DECLINED = "老年人优待证在哪里办？"

if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
    pytest.skip(f"{CHROMIUM} is missing: install it with `make system-deps`", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python package) is not installed")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, engine) -> Iterator[LiveServer]:
    var = tmp_path_factory.mktemp("office-browser")
    settings = load_settings(environ={}).replace(
        web__database=str(var / "web.sqlite3"), web__admin_password_hash=hash_password(PASSWORD),
        web__rate_limit=0, office__dir=str(var / "office"), knowledge__index_path=str(var / "index" / "i.pickle"))
    app = create_app(settings, engine=engine)
    try:
        with LiveServer(app) as server:
            yield server
    finally:
        close_app(app)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    try:
        yield pg
    finally:
        context.close()


ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def shot(page, name: str) -> None:
    """A screenshot for a person to look at (tests/artifacts/), like test_browser.py's."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def audit(page, where: str) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    result = axe_api.Axe().run(page)
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in result.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{where}: {bad}"


def log_in(page, live) -> None:
    page.goto(live.url + "/admin/plans")
    assert "/admin/login" in page.url
    audit(page, "admin login")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/plans")


def ask_widget(page, live, question: str):  # type: ignore[no-untyped-def]
    page.goto(live.url + "/")
    launcher = page.locator(f"{W} button.launcher")
    if launcher.get_attribute("aria-expanded") != "true":  # the widget remembers being open
        launcher.click()
    before = page.locator(f"{W} article.answer").count()
    page.locator(f"{W} #zwgk-q").fill(question)
    page.locator(f"{W} button.send").click()
    page.locator(f"{W} article.answer").nth(before).wait_for()
    return page.locator(f"{W} article.answer").nth(before)


def test_upload_preview_publish_ask_unpublish(page, live, tmp_path: Path) -> None:
    log_in(page, live)
    audit(page, "admin plans")
    plan_file = tmp_path / "天桥区2025年政务公开工作要点.docx"
    plan_file.write_bytes(seed_docx())
    page.set_input_files("#file", str(plan_file))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/admin/plans/u-*")
    assert "2025年天桥区政务公开工作要点" in page.locator("h1").inner_text()
    assert "草稿" in page.locator("#plan-status").inner_text()
    assert "区发展改革局" in page.locator("#h-clauses + table").inner_text()
    audit(page, "admin plan preview")
    shot(page, "admin-plan-preview")
    plan_url = page.url.split("?")[0]

    page.click("button.primary")  # 发布
    page.wait_for_url("**done=published")
    assert "已发布" in page.locator("#plan-status").inner_text()

    answer = ask_widget(page, live, QUESTION)
    assert "区发展改革局" in answer.inner_text()
    audit(page, "widget after an answer")

    page.goto(plan_url)
    page.click("text=撤回发布")
    page.click("button:has-text('确认撤回发布')")  # 撤回发布 asks once more
    page.wait_for_url("**done=unpublished")
    answer = ask_widget(page, live, QUESTION)
    assert "区发展改革局" not in answer.locator(".badges").inner_text() if answer.locator(".badges").count() else True
    assert not page.errors


def test_official_answer_from_a_declined_question(page, live) -> None:
    declined = ask_widget(page, live, DECLINED)
    assert declined.inner_text()
    log_in(page, live)
    page.goto(live.url + "/admin")
    row = page.locator("section[aria-labelledby=h-declined] tr", has_text=DECLINED).first  # other tests' too
    for _ in range(20):  # the log is written behind the request: reload until the row is there
        if row.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    assert row.count(), "the declined question is not listed in /admin"
    audit(page, "admin statistics")
    row.locator("a.act[href*='/admin/answers']").filter(has_text="写答复口径").first.click()
    page.wait_for_url("**/admin/answers?question=*")
    assert page.input_value("#question") == DECLINED
    audit(page, "admin answers")
    shot(page, "admin-answer-form")
    text = "老年人优待证可在户籍所在街道便民服务中心办理，携带身份证即可。"
    page.fill("#answer", text)
    page.fill("#source", "区民政局答复口径")
    page.click("text=保存并启用")
    page.wait_for_url("**done=added")

    answer = ask_widget(page, live, DECLINED)
    assert text in answer.inner_text() and "区民政局答复口径" in answer.inner_text()
    page.goto(live.url + "/admin/curation?question=" + DECLINED)
    audit(page, "admin curation")
    page.goto(live.url + "/admin/audit")
    assert "answer.add" in page.locator("table").inner_text()
    audit(page, "admin audit")
    assert not page.errors


def test_accessibility_of_widget_kiosk_and_browse(page, live) -> None:
    page.goto(live.url + "/")
    page.locator(f"{W} button.launcher").click()
    page.locator(f"{W} .featured .chip").first.wait_for()
    audit(page, "widget open")
    assert page.locator(f"{W} .welcome a[href$='/browse']").count() == 1  # the widget links the browse view

    page.goto(live.url + "/kiosk")
    page.locator("#k-tiles li button").first.wait_for()
    assert page.locator("#k-tiles > li > button.tile").count() >= 1
    assert page.locator("[role=listitem]").count() == 0
    audit(page, "kiosk home")
    page.locator("#k-tiles button.tile").first.click()
    page.locator("#k-questions li button").first.wait_for()
    audit(page, "kiosk topic")
    page.locator("#k-questions button.question").first.click()
    page.locator("#k-answer .reply, #k-answer p").first.wait_for()
    audit(page, "kiosk answer")

    page.goto(live.url + "/browse")
    audit(page, "browse")
    shot(page, "browse")
    total = int(page.locator("#count").inner_text())
    page.select_option("#dept", index=1)
    page.click("button[type=submit]")
    assert int(page.locator("#count").inner_text()) <= total
    page.locator("#results tbody a").first.click()
    page.wait_for_url("**/browse/entry/**")
    assert page.locator("blockquote").inner_text().strip()
    audit(page, "browse entry")
    assert not page.errors
