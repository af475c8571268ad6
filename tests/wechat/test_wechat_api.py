"""The token client and API calls against the fake WeChat API on 127.0.0.1 (the real httpx path)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.channels.wechat.api import WeChatApi, WeChatApiError

from .fake_wechat_api import FakeWeChatApi
from .loopback_proxy import LoopbackProxy
from .wechat_side import APP_ID, APP_SECRET


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(api: FakeWeChatApi, sleeps: Sleeps) -> Iterator[WeChatApi]:
    wechat_api = WeChatApi(api.base_url, APP_ID, APP_SECRET, backoff=0.01, sleep=sleeps)
    yield wechat_api
    wechat_api.close()


def test_token_is_fetched_once_and_cached(api: FakeWeChatApi, client: WeChatApi) -> None:
    for i in range(3):
        client.send_text("o-1", f"第{i}条")
    assert api.texts("o-1") == ["第0条", "第1条", "第2条"]
    assert api.token_fetches() == 1 and len(api.of("stable_token")) == 1
    stable = api.of("stable_token")[0].body
    assert stable["appid"] == APP_ID and stable["grant_type"] == "client_credential" and stable["force_refresh"] is False
    sent = api.of("message/custom/send")[0]
    assert sent.body == {"touser": "o-1", "msgtype": "text", "text": {"content": "第0条"}}
    assert sent.query["access_token"] == api.of("stable_token")[0].query.get("access_token", client.access_token())


def test_classic_token_where_there_is_no_stable_token(sleeps: Sleeps) -> None:
    with FakeWeChatApi(stable=False) as api:
        wechat_api = WeChatApi(api.base_url, APP_ID, APP_SECRET, sleep=sleeps)
        wechat_api.send_text("o-1", "你好")
        wechat_api.send_text("o-1", "再见")
        wechat_api.close()
    token_call = api.of("token", ok=True)
    assert len(token_call) == 1 and token_call[0].query == {"grant_type": "client_credential", "appid": APP_ID,
                                                            "secret": APP_SECRET}
    assert api.texts() == ["你好", "再见"]


@pytest.mark.parametrize("breakage", ["expire_tokens", "revoke_tokens"])  # 42001 and 40001
def test_refused_token_is_refreshed_and_the_call_repeated(api: FakeWeChatApi, client: WeChatApi,
                                                          breakage: str) -> None:
    client.send_text("o-1", "一")
    getattr(api, breakage)()
    client.send_text("o-1", "二")
    assert api.texts() == ["一", "二"]
    assert api.token_fetches() == 2
    refused = api.of("message/custom/send", ok=False)
    assert [c.errcode for c in refused] == [42001 if breakage == "expire_tokens" else 40001]


def test_injected_token_error_forces_a_refresh_once(api: FakeWeChatApi, client: WeChatApi) -> None:
    client.send_text("o-1", "一")
    api.fail_next("message/custom/send", 40001)  # the platform still hands out the same token
    client.send_text("o-1", "二")
    stable_calls = api.of("stable_token")
    assert [c.body["force_refresh"] for c in stable_calls] == [False, False, True]
    assert api.texts() == ["一", "二"]


def test_token_errors_twice_in_a_row_are_raised(api: FakeWeChatApi, client: WeChatApi) -> None:
    api.fail_next("message/custom/send", 42001, times=2)
    with pytest.raises(WeChatApiError) as caught:
        client.send_text("o-1", "一")
    assert caught.value.errcode == 42001


@pytest.mark.parametrize("errcode", [45009, -1, 45011])
def test_busy_and_quota_errors_back_off_and_retry(api: FakeWeChatApi, client: WeChatApi, sleeps: Sleeps,
                                                  errcode: int) -> None:
    api.fail_next("message/custom/send", errcode, times=2)
    client.send_text("o-1", "稍后")
    assert api.texts() == ["稍后"] and sleeps == [0.01, 0.02]


def test_persistent_quota_error_is_raised_after_the_attempts(api: FakeWeChatApi, client: WeChatApi,
                                                             sleeps: Sleeps) -> None:
    api.fail_next("message/custom/send", 45009, times=10)
    with pytest.raises(WeChatApiError) as caught:
        client.send_text("o-1", "x")
    assert caught.value.errcode == 45009 and len(sleeps) == 3


def test_other_errors_are_raised_at_once_with_a_hint(api: FakeWeChatApi, client: WeChatApi, sleeps: Sleeps) -> None:
    api.fail_next("message/custom/send", 40164)
    with pytest.raises(WeChatApiError, match="IP allow-list"):
        client.send_text("o-1", "x")
    api.fail_next("message/custom/send", 45015)  # the citizen has not written for 48 hours
    with pytest.raises(WeChatApiError) as caught:
        client.send_text("o-1", "x")
    assert caught.value.errcode == 45015 and sleeps == []


def test_wrong_secret_is_a_clear_error(api: FakeWeChatApi, sleeps: Sleeps) -> None:
    wrong = WeChatApi(api.base_url, APP_ID, "not-the-secret", sleep=sleeps)
    with pytest.raises(WeChatApiError, match="APP_SECRET") as caught:
        wrong.access_token()
    wrong.close()
    assert caught.value.errcode == 40125 and "not-the-secret" not in str(caught.value)


def test_unreachable_api_is_errcode_minus_2(sleeps: Sleeps) -> None:
    dead = WeChatApi("http://127.0.0.1:9/cgi-bin", APP_ID, APP_SECRET, sleep=sleeps, attempts=2)
    with pytest.raises(WeChatApiError) as caught:
        dead.access_token()
    dead.close()
    assert caught.value.errcode == -2 and sleeps == [0.5]


def test_subscription_notice_and_menu_payloads(api: FakeWeChatApi, client: WeChatApi) -> None:
    client.send_notice("o-1", "TPL", {"thing1": "养老", "time2": "2026-12-07"}, page="https://example.org/a")
    assert api.notices("o-1")[0].body == {"touser": "o-1", "template_id": "TPL", "page": "https://example.org/a",
                                          "data": {"thing1": {"value": "养老"}, "time2": {"value": "2026-12-07"}}}
    api.fail_next("message/subscribe/bizsend", 43101)  # the citizen refused this template
    with pytest.raises(WeChatApiError) as caught:
        client.send_notice("o-1", "TPL", {"thing1": "养老"})
    assert caught.value.errcode == 43101
    client.create_menu({"button": [{"type": "click", "name": "常见问题", "key": "FAQ"}]})
    assert api.of("menu/create", ok=True)[0].body["button"][0]["key"] == "FAQ"


def test_calls_go_through_the_configured_proxy(api: FakeWeChatApi, sleeps: Sleeps,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with LoopbackProxy() as proxy:
        proxied = WeChatApi(api.base_url, APP_ID, APP_SECRET, proxy=proxy.url, sleep=sleeps)
        proxied.send_text("o-1", "经代理")
        proxied.close()
    assert api.texts() == ["经代理"]
    assert [url.split("?")[0].rsplit("/cgi-bin/", 1)[1] for url in proxy.seen] == ["stable_token", "message/custom/send"]


def test_a_stable_token_refusal_falls_back_to_the_classic_token_but_bad_credentials_do_not(
        api: FakeWeChatApi, sleeps: Sleeps) -> None:
    api.fail_next("stable_token", 48001)  # e.g. an API base without stable_token permission
    wechat_api = WeChatApi(api.base_url, APP_ID, APP_SECRET, sleep=sleeps)
    wechat_api.send_text("o-1", "一")
    wechat_api.send_text("o-1", "二")
    wechat_api.close()
    assert len(api.of("stable_token")) == 1 and len(api.of("token", ok=True)) == 1 and sleeps == []
    api.fail_next("stable_token", 40164)
    blocked = WeChatApi(api.base_url, APP_ID, APP_SECRET, sleep=sleeps)
    with pytest.raises(WeChatApiError, match="IP allow-list"):
        blocked.access_token()
    blocked.close()
