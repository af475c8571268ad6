"""The admin door: password login, the session cookie, CSRF on every form, throttling, start-up checks, audit."""
from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from bot.channels.web import create_app
from bot.channels.web.admin_auth import hash_password, verify_password
from indexer.settings import ConfigError

PASSWORD = "correct horse battery staple"
HASH = hash_password(PASSWORD)


@pytest.fixture
def door(app_factory) -> FlaskClient:
    return app_factory(admin_password_hash=HASH).test_client()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client: FlaskClient, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    page = client.get("/admin/login")
    return client.post("/admin/login", data={"csrf": csrf_of(page.get_data(as_text=True)), "password": password,
                                             "next": "/admin/answers"})


def test_password_hashes_verify_and_differ() -> None:
    assert verify_password(PASSWORD, HASH) and not verify_password("wrong", HASH)
    assert hash_password(PASSWORD) != HASH  # salted
    assert not verify_password(PASSWORD, "plain-text")


def test_browsers_are_sent_to_the_login_page(door: FlaskClient) -> None:
    resp = door.get("/admin/plans")
    assert resp.status_code == 302 and "/admin/login" in resp.headers["Location"]
    assert door.get("/admin?token=x").status_code == 302


def test_login_sets_a_strict_session_cookie(door: FlaskClient) -> None:
    resp = login(door)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/answers")
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("zwgk_admin="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert PASSWORD not in cookie
    assert door.get("/admin").status_code == 200
    assert door.get("/admin/plans").status_code == 200


def test_every_form_needs_its_csrf_token(door: FlaskClient) -> None:
    login(door)
    page = door.get("/admin/answers").get_data(as_text=True)
    data = {"question": "问题", "answer": "答复", "variants": ""}
    assert door.post("/admin/answers", data=data).status_code == 403
    assert door.post("/admin/answers", data={**data, "csrf": "forged"}).status_code == 403
    assert door.post("/admin/answers", data={**data, "csrf": csrf_of(page)}).status_code == 303
    assert door.post("/admin/logout").status_code == 403


def test_login_form_needs_its_own_token(door: FlaskClient) -> None:
    assert door.post("/admin/login", data={"password": PASSWORD}).status_code == 403


def test_failed_logins_are_throttled_and_audited(door: FlaskClient) -> None:
    assert [login(door, "wrong").status_code for _ in range(5)] == [401] * 5
    resp = login(door)  # even the right password waits now
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
    office = door.application.extensions["office"]
    assert [e.action for e in office.audit.recent()][:5] == ["login.fail"] * 5


def test_a_forged_or_expired_cookie_is_refused(door: FlaskClient) -> None:
    door.set_cookie("zwgk_admin", "admin|9999999999|forged", path="/admin")
    assert door.get("/admin/plans").status_code == 302
    office = door.application.extensions["office"]
    door.set_cookie("zwgk_admin", office.door.session_cookie("admin", now=1000.0), path="/admin")
    assert door.get("/admin/plans").status_code == 302


def test_logout_ends_the_session(door: FlaskClient) -> None:
    login(door)
    page = door.get("/admin").get_data(as_text=True)
    assert door.post("/admin/logout", data={"csrf": csrf_of(page)}).status_code == 302
    assert door.get("/admin/plans").status_code == 302


@pytest.mark.parametrize(("token", "says"), [
    ("   ", "blank"), (" spaced-token-abcdefgh ", "spaces"), ("short", "too weak"), ("a" * 30, "too weak")])
def test_weak_tokens_stop_start_up_with_one_line(settings, engine, token: str, says: str) -> None:
    with pytest.raises(ConfigError) as err:
        create_app(settings.replace(web__admin_token=token), engine=engine)
    assert says in str(err.value) and "\n" not in str(err.value)


def test_a_malformed_password_hash_stops_start_up(settings, engine) -> None:
    with pytest.raises(ConfigError, match="admin-hash"):
        create_app(settings.replace(web__admin_password_hash="md5$abc"), engine=engine)


def test_csv_times_are_in_the_configured_timezone(door: FlaskClient) -> None:
    door.post("/api/ask", json={"question": "你好"})
    login(door)
    text = door.get("/admin/export.csv").data.decode("utf-8-sig")
    ts = text.splitlines()[1].split(",")[1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", ts), ts


def test_admin_hash_command_makes_a_hash_the_door_accepts() -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    result = CliRunner().invoke(cli, ["admin-hash"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    made = result.output.strip().splitlines()[-1]
    assert made.startswith("scrypt$") and verify_password(PASSWORD, made)
    short = CliRunner().invoke(cli, ["admin-hash", "--password", "short"])
    assert short.exit_code != 0 and "too short" in short.output
