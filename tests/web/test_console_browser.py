"""In a real headless Chromium with the axe-core audit: the statistics page (SVG charts, no network, the
question-log filter and its exports) and the kiosk on a 390 px phone (header tools one line each, several
topic tiles on screen)."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.web import close_app, create_app
from bot.channels.web.admin_auth import hash_password
from indexer.settings import load_settings

from .live_server import LiveServer

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "console-browser-password"
if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
    pytest.skip(f"{CHROMIUM} is missing: install it with `make system-deps`", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright (python package) is not installed")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python missing")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, engine) -> Iterator[LiveServer]:
    var = tmp_path_factory.mktemp("console-browser")
    settings = load_settings(environ={}).replace(
        web__database=str(var / "web.sqlite3"), web__admin_password_hash=hash_password(PASSWORD),
        web__rate_limit=0, office__dir=str(var / "office"))
    app = create_app(settings, engine=engine)
    store = app.extensions["zwgk"].store
    for i in range(6):
        store.log_question("槐荫区养老补贴信息公开归哪个部门管？", intent="who", answered=True, channel="web")
        store.log_question(f"火星上有政务公开吗？{i % 2}", intent="other", answered=False, channel="kiosk")
    try:
        with LiveServer(app) as server:
            yield server
    finally:
        close_app(app)


def audit(page, where: str) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    result = axe_api.Axe().run(page)
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
           for v in result.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{where}: {bad}"


def test_statistics_page_charts_filters_and_exports(browser, live) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    elsewhere: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(live.url) else None)
    try:
        page.goto(live.url + "/admin/stats")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/stats")
        charts = page.locator('svg[role="img"]')
        assert charts.count() == 3
        assert page.locator("#chart-days title").first.text_content() == "每日提问数与未回答率"
        assert charts.nth(0).bounding_box()["height"] > 100  # drawn, not an empty box
        assert page.locator("#chart-declined rect").count() == 2
        audit(page, "statistics page")
        page.select_option("#f-answered", "no")
        page.select_option("#f-channel", "kiosk")
        page.fill("#f-q", "火星")
        page.click("#h-log ~ form button[type=submit]")
        page.wait_for_url("**answered=no**")
        assert page.locator("#log tbody tr").count() == 6
        assert "养老补贴" not in page.locator("#log").inner_text()
        with page.expect_download() as download:
            page.click("#export-xlsx")
        assert download.value.suggested_filename.endswith(".xlsx")
        audit(page, "statistics page, filtered")
        assert not elsewhere, elsewhere  # nothing fetched from any other host
    finally:
        context.close()


def test_kiosk_at_390_px(browser, live) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(live.url + "/kiosk")
        page.locator("#k-tiles li button").first.wait_for()
        for tool in ("#k-large", "#k-home"):
            box = page.locator(tool).bounding_box()
            lines = page.eval_on_selector(tool, "b => Math.round(b.getBoundingClientRect().height / "
                                                "parseFloat(getComputedStyle(b).lineHeight))")
            assert box["height"] <= 64 and lines <= 2, (tool, box)  # one line of text (plus padding)
            assert page.eval_on_selector(tool, "b => b.scrollWidth <= b.clientWidth")
        main = page.locator("#k-main").bounding_box()
        tiles = page.locator("#k-tiles button.tile")
        visible = sum(1 for i in range(tiles.count())
                      if (b := tiles.nth(i).bounding_box()) and b["y"] + b["height"] <= main["y"] + main["height"])
        assert visible >= 4, visible
        assert page.eval_on_selector("body", "b => b.scrollWidth <= window.innerWidth")  # no sideways scrolling
        audit(page, "kiosk at 390 px")
        page.click("#k-large")
        audit(page, "kiosk at 390 px, large text")
        page.locator("#k-tiles button.tile").first.click()
        page.locator("#k-questions li button").first.wait_for()
        audit(page, "kiosk topic at 390 px")
    finally:
        context.close()
