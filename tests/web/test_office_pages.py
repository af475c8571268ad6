"""The office's HTML pages through Flask's test client: curation preview and publish, plan pages, the browse view."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from bot.channels.web.admin_auth import hash_password
from indexer.settings import PROJECT_ROOT

from .office_seed import SEED_TEXT, seed_docx

PASSWORD = "pages-test-password"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def staff(app_factory, tmp_path: Path, password_hash: str) -> FlaskClient:
    """A logged-in browser session over a private copy of knowledge/data (curation writes to it)."""
    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "knowledge" / "data", data)
    app = app_factory(admin_password_hash=password_hash, rate_limit=0)
    settings = app.extensions["office"].settings.replace(knowledge__data_dir=str(data),
                                                         knowledge__index_path=str(tmp_path / "idx" / "index"))
    from bot.channels.web.office_actions import Office

    app.extensions["office"] = Office.build(settings)
    client = app.test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    resp = client.post("/admin/login", data={"csrf": csrf_of(page), "password": PASSWORD, "next": "/admin"})
    assert resp.status_code == 302
    client.data_dir = data  # type: ignore[attr-defined]
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_curation_preview_lists_changed_answers_then_publishes(staff: FlaskClient) -> None:
    question = "槐荫区银发族补贴信息公开由哪个部门负责？"
    assert not staff.post("/api/ask", json={"question": question}).get_json()["answered"]
    html = staff.get("/admin").get_data(as_text=True)
    assert "加同义词" in html and "写答复口径" in html
    example = "槐荫区银发族补贴信息由哪个部门公开？"  # the rule's own example, never logged
    page = staff.get("/admin/curation?question=" + example).get_data(as_text=True)
    assert f'name="question" value="{example}"' in page
    form = {"csrf": csrf_of(page), "kind": "synonym", "words": "银发族", "terms": "老年人 养老"}
    preview = staff.post("/admin/curation/preview", data={**form, "question": example})
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "银发族 =&gt; 老年人 养老" in text
    changed = re.findall(r"<tr><td>([^<]+)</td>", text)
    assert {question, example} <= set(changed), changed  # the logged question and the rule's own example
    assert int(re.search(r'id="changed">(\d+)<', text).group(1)) >= 2
    assert "银发族" not in (staff.data_dir / "synonyms.txt").read_text(encoding="utf-8")  # nothing written yet
    done = staff.post("/admin/curation/apply", data=form)
    assert done.status_code == 303
    assert "银发族 => 老年人 养老" in (staff.data_dir / "synonyms.txt").read_text(encoding="utf-8")
    assert staff.post("/api/ask", json={"question": question}).get_json()["answered"]
    assert "curation.synonym" in staff.get("/admin/audit").get_data(as_text=True)


def test_an_alias_that_is_already_taken_is_refused(staff: FlaskClient) -> None:
    page = staff.get("/admin/curation").get_data(as_text=True)
    resp = staff.post("/admin/curation/preview", data={"csrf": csrf_of(page), "kind": "alias",
                                                        "department": "区民政局", "words": "区人社局"})
    assert resp.status_code == 400 and "already" in resp.get_data(as_text=True)


def test_plan_pages_upload_preview_publish_delete(staff: FlaskClient) -> None:
    page = staff.get("/admin/plans").get_data(as_text=True)
    assert page.count("已发布") == 5
    resp = staff.post("/admin/plans", data={"csrf": csrf_of(page), "file": (io.BytesIO(seed_docx()), "天桥.docx")},
                      content_type="multipart/form-data")
    assert resp.status_code == 303
    plan_url = resp.headers["Location"]
    preview = staff.get(plan_url).get_data(as_text=True)
    assert "2025年天桥区政务公开工作要点" in preview and "区发展改革局" in preview and "草稿" in preview
    bad = staff.post("/admin/plans", data={"csrf": csrf_of(page), "file": (io.BytesIO(b""), "x.txt")},
                     content_type="multipart/form-data")
    assert bad.status_code == 400 and "empty" in bad.get_data(as_text=True)
    assert staff.post(plan_url + "/delete", data={"csrf": csrf_of(preview)}).status_code == 303
    assert staff.get(plan_url).status_code == 404


def test_browse_filters_and_links_to_clauses(client: FlaskClient) -> None:
    html = client.get("/browse").get_data(as_text=True)
    total = int(re.search(r'id="count">(\d+)<', html).group(1))
    assert total > 10 and "责任单位" in html and "完成时限" in html
    plan = re.search(r'<option value="([^"]+)" selected', html).group(1)
    dept = re.search(r'<select id="dept" name="dept"><option value="">全部单位</option><option>([^<]+)</option>',
                     html).group(1)
    filtered = client.get("/browse", query_string={"plan": plan, "dept": dept}).get_data(as_text=True)
    n = int(re.search(r'id="count">(\d+)<', filtered).group(1))
    assert 0 < n <= total
    rows = re.findall(r'<a href="(/browse/entry/[^"]+)"', filtered)
    assert rows
    entry = client.get(rows[0])
    assert entry.status_code == 200 and dept in entry.get_data(as_text=True)
    dated = client.get("/browse", query_string={"plan": plan, "deadline": "dated"}).get_data(as_text=True)
    assert int(re.search(r'id="count">(\d+)<', dated).group(1)) <= total
    assert client.get("/browse/entry/nope").status_code == 404
    assert client.get("/browse", query_string={"plan": "x" * 5000, "deadline": "??"}).status_code == 200


def test_replace_a_plan_with_a_new_version_and_roll_back(staff: FlaskClient) -> None:
    page = staff.get("/admin/plans").get_data(as_text=True)
    seed = seed_docx()
    v1 = staff.post("/admin/plans", data={"csrf": csrf_of(page), "file": (io.BytesIO(seed), "天桥v1.docx")},
                    content_type="multipart/form-data").headers["Location"]
    staff.post(v1 + "/publish", data={"csrf": csrf_of(staff.get(v1).get_data(as_text=True))})
    v2_text = SEED_TEXT.replace("区发展改革局", "区工业和信息化局")
    v2 = staff.post("/admin/plans", data={"csrf": csrf_of(page), "file": (io.BytesIO(seed_docx(v2_text)), "天桥v2.docx")},
                    content_type="multipart/form-data").headers["Location"]
    preview = staff.get(v2).get_data(as_text=True)
    v1_id = v1.rsplit("/", 1)[1]
    assert f'<option value="{v1_id}" selected>' in preview  # the published version is offered for replacement
    staff.post(v2 + "/publish", data={"csrf": csrf_of(preview), "replaces": v1_id})
    units = staff.post("/api/ask", json={"question": "天桥区低空经济信息公开由哪个部门负责？"}).get_json()["units"]
    assert units == ["区工业和信息化局"]
    # roll back: publish v1 again, replacing v2
    back = staff.get(v1).get_data(as_text=True)
    assert "plan.publish" in back  # its history
    staff.post(v1 + "/publish", data={"csrf": csrf_of(back), "replaces": v2.rsplit("/", 1)[1]})
    units = staff.post("/api/ask", json={"question": "天桥区低空经济信息公开由哪个部门负责？"}).get_json()["units"]
    assert units == ["区发展改革局"]
