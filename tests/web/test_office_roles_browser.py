"""Review before publish in a real headless Chromium: an editor signs in by name, uploads a plan and
submits it (no 发布 button for them); a reviewer signs in, publishes it, and 撤回发布 asks to confirm."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.web import close_app, create_app
from indexer.settings import load_settings

from .live_server import LiveServer
from .office_seed import seed_docx

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser-roles-password"

if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
    pytest.skip(f"{CHROMIUM} is missing: install it with `make system-deps`", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="playwright (python package) is not installed")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory, engine) -> Iterator[LiveServer]:
    var = tmp_path_factory.mktemp("roles-browser")
    settings = load_settings(environ={}).replace(
        web__database=str(var / "web.sqlite3"), web__admin_token="roles-browser-token-5c8e2a", web__rate_limit=0,
        office__dir=str(var / "office"), knowledge__index_path=str(var / "index" / "i.pickle"))
    app = create_app(settings, engine=engine)
    people = app.extensions["office"].people
    people.add("小王", "editor", PASSWORD)
    people.add("老李", "reviewer", PASSWORD)
    try:
        with LiveServer(app) as server:
            yield server
    finally:
        close_app(app)


def sign_in(browser, live, name: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live.url + "/admin/plans")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/plans")
    return context, page


def test_editor_submits_reviewer_publishes(browser, live, tmp_path: Path) -> None:
    context, page = sign_in(browser, live, "小王")
    plan_file = tmp_path / "天桥区2025年政务公开工作要点.docx"
    plan_file.write_bytes(seed_docx())
    page.set_input_files("#file", str(plan_file))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/admin/plans/u-*")
    plan_url = page.url.split("?")[0]
    assert page.locator("form[action$='/publish']").count() == 0  # an editor has no 发布 button
    page.click("button:has-text('提交审核')")
    page.wait_for_url("**done=submitted")
    assert "待审核" in page.locator("#plan-status").inner_text()
    context.close()

    context, page = sign_in(browser, live, "老李")
    page.goto(plan_url)
    page.click("button.primary:has-text('发布')")
    page.wait_for_url("**done=published")
    assert "已发布" in page.locator("#plan-status").inner_text()
    page.click("button:has-text('撤回发布')")
    assert "确认撤回发布" in page.locator("h1").inner_text()  # asked once more before answers stop citing it
    page.click("a:has-text('取消')")
    assert "已发布" in page.locator("#plan-status").inner_text()
    page.goto(live.url + "/admin/audit")
    audit = page.locator("main").inner_text()
    assert "小王" in audit and "老李" in audit
    context.close()
