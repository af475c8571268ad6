"""Rough edges of issue 21 through the test client: the browse view's deadline filter, default plan and row
numbers; the upload chooser lists every format the server reads; the curation preview replays each logged
question with the region it was asked for."""
from __future__ import annotations

import re
from types import SimpleNamespace

from flask.testing import FlaskClient

from bot.office.curation import diff_answers
from indexer.read import SUPPORTED_SUFFIXES

from .conftest import ADMIN_TOKEN

HUAIYIN = "2022-济南市槐荫区-政务公开工作要点"


def count(html: str) -> int:
    return int(re.search(r'id="count">(\d+)<', html).group(1))


def selected_plan(html: str) -> str:
    return re.search(r'<select id="plan" name="plan">.*?<option value="([^"]+)" selected', html, re.S).group(1)


def test_deadline_choices_split_the_plan_year(client: FlaskClient) -> None:
    total = count(client.get("/browse", query_string={"plan": HUAIYIN}).get_data(as_text=True))
    got = {k: count(client.get("/browse", query_string={"plan": HUAIYIN, "deadline": k}).get_data(as_text=True))
           for k in ("h1", "q3", "q4", "ongoing", "dated")}
    assert total == 67 and got == {"h1": 2, "q3": 3, "q4": 9, "ongoing": 57, "dated": 10}, got
    q3 = client.get("/browse", query_string={"plan": HUAIYIN, "deadline": "q3"}).get_data(as_text=True)
    assert "2022年9月底前" in q3 and "全年" not in q3.split('id="results"')[1]


def test_browse_opens_the_sites_region_and_numbers_rows_as_answers_cite_them(client: FlaskClient, app_factory) -> None:
    first = selected_plan(client.get("/browse").get_data(as_text=True))
    assert first.split("-")[1].endswith("历城区")  # the first region held, not the newest plan of any district
    assert selected_plan(client.get("/browse?region=槐荫区").get_data(as_text=True)) == HUAIYIN
    from bot.channels.web.office_actions import Office

    site = app_factory()
    site.extensions["zwgk"].settings = site.extensions["zwgk"].settings.replace(search__default_region="槐荫区")
    site.extensions["office"] = Office.build(site.extensions["zwgk"].settings)
    html = site.test_client().get("/browse").get_data(as_text=True)
    assert selected_plan(html) == HUAIYIN
    assert "附件任务表第21项" in html and "表.21" not in html
    entry = site.test_client().get(f"/browse/entry/{HUAIYIN}%23表.21").get_data(as_text=True)
    assert "附件任务表第21项" in entry


def test_upload_chooser_lists_every_readable_format(client: FlaskClient) -> None:
    html = client.get("/admin/plans", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).get_data(as_text=True)
    accept = re.search(r'accept="([^"]+)"', html).group(1).split(",")
    assert set(accept) == set(SUPPORTED_SUFFIXES) and {".xlsx", ".xls", ".doc"} <= set(accept)
    assert "xlsx、xls" in html and "doc、" in html


def test_curation_preview_asks_with_the_logged_region() -> None:
    seen: list[tuple[str, str | None]] = []

    def engine(top: str):  # type: ignore[no-untyped-def]
        def answer(q: str, region: str | None = None):  # type: ignore[no-untyped-def]
            seen.append((q, region))
            hit = top if region == "槐荫区" else "same"
            return SimpleNamespace(answered=True, results=[SimpleNamespace(entry=SimpleNamespace(id=hit))])
        return SimpleNamespace(answer=answer)

    changes = diff_answers([("银发族补贴谁公开？", "槐荫区"), "银发族补贴谁公开？"], engine("a"), engine("b"))
    assert [c.question for c in changes] == ["银发族补贴谁公开？"] and ("银发族补贴谁公开？", "槐荫区") in seen
