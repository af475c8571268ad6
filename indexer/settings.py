"""Settings: declared once as data, read from config.toml, overridden by the environment.

Precedence (Starlette's): environment `ZWGK_<TABLE>__<KEY>` over the file over the default.
The file comes from `--config`, else `ZWGK_CONFIG`, else `config.toml` in the project root.
Read once at the edge (CLI, create_app, build_application) and passed down; nothing else reads os.environ.
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One declared setting: `table.key`, its default (whose type drives validation) and its help."""

    table: str
    key: str
    default: Any
    help: str

    @property
    def name(self) -> str:
        return f"{self.table}.{self.key}"

    @property
    def env_name(self) -> str:
        return f"ZWGK_{self.table.upper()}__{self.key.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting("knowledge", "plans_dir", "knowledge/plans", "Folder of plan documents (txt, md, html, docx, doc, xlsx, xls, pdf)."),
    Setting("knowledge", "data_dir", "knowledge/data", "Folder of curated data: departments, synonyms, glossary, featured questions."),
    Setting("knowledge", "index_path", "var/index", "Index directory: data-only, memory-mapped versions and a `current` pointer; rebuilt only when plans or curated data change."),
    Setting("knowledge", "parsed_dir", "var/parsed", "Cache of parsed plan documents, keyed by file content, name and parser version: a plan parsed at upload (OCR included) is not parsed again at publish or rebuild."),
    Setting("search", "top_k", 5, "Results returned for who / when / what questions."),
    Setting("search", "list_limit", 50, "Most entries returned for a list question."),
    Setting("search", "min_score", 0.42, "Least relative match (0-1) of question terms an answer must cover before the bot answers rather than declines."),
    Setting("search", "default_region_boost", 1.25, "Score multiplier for the default region's clauses when a question names no region (1: no preference)."),
    Setting("search", "default_region", "", "Region this deployment serves (e.g. 槐荫区); questions naming no region prefer it. Empty: none."),
    Setting("search", "hotline", "12345政务服务便民热线", "Where the bot sends people when the plans are silent."),
    Setting("web", "host", "127.0.0.1", "Address `bot serve` listens on."),
    Setting("web", "port", 8000, "Port `bot serve` listens on."),
    Setting("web", "threads", 2, "Worker threads of the WSGI server (waitress; each gunicorn worker with --workers). Answering holds the GIL: more threads only take turns on one core (bench/README.md)."),
    Setting("web", "answer_cache", 2048, "Finished answers kept per process for repeated questions (0: off, as the uncached load benchmark runs)."),
    Setting("web", "public_url", "", "URL the widget script is served from, when behind a proxy. Empty: derived from each request."),
    Setting("web", "database", "var/zwgk.sqlite3", "Question log, feedback and staff-bot subscriptions: a SQLite file (default) or a postgresql:// URL shared by several workers and hosts."),
    Setting("web", "admin_token", "", "Token for /admin (also ZWGK_WEB__ADMIN_TOKEN). Empty: admin disabled."),
    Setting("web", "rate_limit", 60, "Questions per minute allowed from one client (0: unlimited)."),
    Setting("web", "max_question_chars", 500, "Longest question accepted by the API."),
    Setting("web", "trusted_proxies", 0, "Reverse proxies in front of the server (nginx: 1); their X-Forwarded-For names the client for rate limiting. 0: use the socket address."),
    Setting("web", "cors_origins", "*", "Origins allowed to call the API from another site (comma-separated, * for any)."),
    Setting("web", "site_name", "政务公开问答", "Name shown in the widget and kiosk headers."),
    Setting("web", "office_phone", "12345", "Phone number the kiosk shows for help in person."),
    Setting("web", "kiosk_idle_seconds", 90, "Kiosk returns home and forgets the visitor after this many idle seconds."),
    Setting("web", "admin_password_hash", "", "Hash of the /admin login password, made by `python -m bot admin-hash`. Empty: no browser login (the bearer token still works for scripts)."),
    Setting("web", "admin_login_limit", 5, "Failed /admin logins allowed per client in 15 minutes before it must wait."),
    Setting("web", "timezone", "Asia/Shanghai", "Timezone of the times shown in /admin and its CSV exports."),
    Setting("web", "log_retention_days", 180, "Days the question log and feedback are kept (purged daily by the server; `bot purge` by hand), and a WeChat follower's subscriptions and waiting notices after their last message (docs/wechat.md). 0: kept forever."),
    Setting("web", "metrics", False, "Serve GET /metrics in Prometheus text format (questions, declines and answer time per channel). Off: /metrics is 404."),
    Setting("office", "dir", "var/office", "Folder for uploaded plans, the published-plan record, official answers and the admin audit log."),
    Setting("office", "max_upload_mb", 20, "Largest plan file /admin accepts, in megabytes."),
    Setting("office", "parse_seconds", 300, "Longest an uploaded plan may take to read (OCR included), in seconds; it is read in a separate process, killed past this (docs/guarantees.md)."),
    Setting("office", "parse_memory_mb", 1536, "Memory (address space) the process reading one uploaded plan may use, in megabytes."),
    Setting("telegram", "token", "", "Bot token from BotFather; prefer the TELEGRAM_BOT_TOKEN environment variable."),
    Setting("telegram", "api_base", "https://api.telegram.org/bot", "Bot API base URL (TELEGRAM_API_BASE); point at a local Bot API server or a test server."),
    Setting("telegram", "proxy", "", "Proxy URL for reaching Telegram (e.g. http://proxy.local:3128). Empty: direct."),
    Setting("telegram", "webhook_url", "", "Public HTTPS URL for webhook mode. Empty: long polling."),
    Setting("telegram", "webhook_listen", "127.0.0.1", "Address the webhook listener binds to."),
    Setting("telegram", "webhook_port", 8443, "Port the webhook listener binds to."),
    Setting("telegram", "allowed_ids", "", "Comma-separated Telegram user or chat ids allowed to use the bot. Empty: everyone."),
    Setting("telegram", "remind_days_before", 7, "Days before a dated deadline that subscribers are reminded."),
    Setting("telegram", "reminder_time", "09:00", "Time of day (HH:MM) reminders are sent."),
    Setting("telegram", "digest_weekday", 1, "Weekday of the weekly digest (1 = Monday … 7 = Sunday)."),
    Setting("telegram", "timezone", "Asia/Shanghai", "Timezone for reminder and digest times."),
    Setting("telegram", "page_size", 8, "Tasks per page in /dept and /due lists."),
    Setting("wecom", "corp_id", "", "WeCom 企业ID (CorpID): admin console → 我的企业 → 企业信息. Also checked in every callback."),
    Setting("wecom", "agent_id", 0, "AgentId of the self-built app (应用管理 → the app)."),
    Setting("wecom", "secret", "", "Secret of the self-built app; prefer the ZWGK_WECOM__SECRET environment variable."),
    Setting("wecom", "token", "", "Token of the app's API receive settings (接收消息 → 设置API接收); prefer ZWGK_WECOM__TOKEN."),
    Setting("wecom", "aes_key", "", "EncodingAESKey (43 characters) of the same settings; prefer ZWGK_WECOM__AES_KEY."),
    Setting("wecom", "api_base", "https://qyapi.weixin.qq.com/cgi-bin", "WeCom server API base URL (gettoken, message/send); tests point it at a fake server."),
    Setting("wecom", "listen", "127.0.0.1", "Address the WeCom callback server (`bot wecom`) listens on."),
    Setting("wecom", "port", 8090, "Port the WeCom callback server listens on."),
    Setting("wecom", "path", "/wecom/callback", "URL path of the callback; the reverse proxy forwards https://DOMAIN<path> here."),
    Setting("wecom", "allowed_users", "", "Comma-separated WeCom user ids allowed to use the app. Empty: everyone who can see the app."),
    Setting("wechat", "app_id", "", "AppID of the 公众号 (服务号 / 订阅号): console → 设置与开发 → 基本配置 → 开发者ID. Also checked in every encrypted message."),
    Setting("wechat", "app_secret", "", "AppSecret (开发者密码) of the same page; prefer the ZWGK_WECHAT__APP_SECRET environment variable."),
    Setting("wechat", "token", "", "Token of 基本配置 → 服务器配置 (3-32 letters or digits); prefer ZWGK_WECHAT__TOKEN."),
    Setting("wechat", "aes_key", "", "EncodingAESKey (43 characters) of the same settings, for 兼容模式 / 安全模式; empty: 明文模式 (plaintext). Prefer ZWGK_WECHAT__AES_KEY."),
    Setting("wechat", "api_base", "https://api.weixin.qq.com/cgi-bin", "WeChat server API base URL (stable_token / token, message/custom/send, message/subscribe/bizsend, menu/create); tests point it at a fake server."),
    Setting("wechat", "listen", "127.0.0.1", "Address the 公众号 message server (`bot wechat`) listens on."),
    Setting("wechat", "port", 8091, "Port the 公众号 message server listens on."),
    Setting("wechat", "path", "/wechat/callback", "URL path of the message server; the reverse proxy forwards https://DOMAIN<path> here (the console's 服务器地址(URL))."),
    Setting("wechat", "proxy", "", "HTTP(S) proxy for calls to the WeChat API (e.g. a fixed egress address on the account's IP allow-list). Empty: direct."),
    Setting("wechat", "notice_template", "", "Template id of the 订阅通知 used for 政策找人 notices. Empty: notices wait for the person's next message."),
    Setting("wechat", "notice_keys", "thing1,thing2,thing3,time4", "Keys of that template for the topic, the clause, its citation and the time, in this order."),
)

# Environment variables named by the issues themselves, honoured beside the ZWGK_ names.
ALIASES: dict[str, str] = {
    "TELEGRAM_BOT_TOKEN": "telegram.token",
    "TELEGRAM_API_BASE": "telegram.api_base",
    "TELEGRAM_PROXY": "telegram.proxy",
}

SECRET_SETTINGS = {"telegram.token", "web.admin_token", "web.admin_password_hash", "wecom.secret", "wecom.token",
                   "wecom.aes_key", "wechat.app_secret", "wechat.token", "wechat.aes_key"}


class ConfigError(ValueError):
    """A config file or variable that cannot be used; the message names the key and the value."""


class Secret(str):
    """A string whose repr is masked, so tokens stay out of logs and tracebacks."""

    def __repr__(self) -> str:
        return "Secret('**********')" if self else "Secret('')"


def _cast(setting: Setting, value: Any, source: str) -> Any:
    want = type(setting.default)
    try:
        if want is bool:
            if isinstance(value, str):
                if value.lower() in {"1", "true", "yes", "on"}:
                    return True
                if value.lower() in {"0", "false", "no", "off", ""}:
                    return False
                raise ValueError(value)
            return bool(value)
        if want is int:
            if isinstance(value, bool):
                raise ValueError(value)
            return int(value)
        if want is float:
            return float(value)
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {setting.name} from {source}: {value!r} is not a valid {want.__name__}") from None


@dataclass(frozen=True)
class Settings:
    """Effective settings: `values["table.key"]`, and where each came from (default, file or env)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)
    root: Path = PROJECT_ROOT

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def integer(self, name: str) -> int:
        """An int setting; the declared default's type is checked, so no call site re-casts."""
        return _typed(self.values[name], int, name)

    def number(self, name: str) -> float:
        """A float setting (an int written in the file is accepted)."""
        value = self.values[name]
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else _typed(value, float, name)

    def text(self, name: str) -> str:
        """A str setting (a Secret stays a Secret)."""
        return _typed(self.values[name], str, name)

    def flag(self, name: str) -> bool:
        return _typed(self.values[name], bool, name)

    def path(self, name: str) -> Path:
        """A path setting resolved against the project root (absolute paths stay as they are)."""
        p = Path(str(self.values[name])).expanduser()
        return p if p.is_absolute() else self.root / p

    def replace(self, **overrides: Any) -> Settings:
        """A copy with `table__key=value` overrides, for tests and the CLI."""
        values = dict(self.values)
        sources = dict(self.sources)
        by_name = {s.name: s for s in SETTINGS}
        for k, v in overrides.items():
            name = k.replace("__", ".")
            if name not in by_name:
                raise ConfigError(f"unknown setting {name}")
            values[name] = _cast(by_name[name], v, "override")
            sources[name] = "override"
        return Settings(values, sources, self.root)


def _typed(value: Any, want: type[T], name: str) -> T:
    if not isinstance(value, want) or (want is int and isinstance(value, bool)):
        raise ConfigError(f"setting {name} is {type(value).__name__}, not {want.__name__}")
    return value


def default(name: str) -> Any:
    """The declared default of a setting: the one place a constant an operator may override is written
    (bot/engine/tuning.py takes its overridable defaults from here)."""
    for s in SETTINGS:
        if s.name == name:
            return s.default
    raise ConfigError(f"unknown setting {name}")


def _config_path(path: str | Path | None, environ: Mapping[str, str]) -> Path:
    """The file to read: the argument, else ZWGK_CONFIG, else config.toml in the project root."""
    if path is None:
        path = environ.get("ZWGK_CONFIG") or (PROJECT_ROOT / "config.toml")
    return Path(path)


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; a syntax error becomes one ConfigError line naming the file, not a traceback."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def _apply_file(path: Path, values: dict[str, Any], sources: dict[str, str]) -> None:
    """Lay the file's values over the defaults; a stray top-level key or unknown setting is refused,
    so a typo in config.toml fails loudly instead of being silently ignored."""
    by_name = {s.name: s for s in SETTINGS}
    for table, items in _read_toml(path).items():
        if not isinstance(items, dict):
            raise ConfigError(f"{path}: top-level key {table!r} must be a [table]")
        for key, value in items.items():
            name = f"{table}.{key}"
            if name not in by_name:
                raise ConfigError(f"{path}: unknown setting {name}")
            values[name] = _cast(by_name[name], value, str(path))
            sources[name] = "file"


def _apply_environ(environ: Mapping[str, str], values: dict[str, Any], sources: dict[str, str]) -> None:
    """Lay ZWGK_<TABLE>__<KEY> variables, then the non-empty ALIASES, over the file: the environment wins."""
    by_name = {s.name: s for s in SETTINGS}
    for s in SETTINGS:
        if s.env_name in environ:
            values[s.name] = _cast(s, environ[s.env_name], s.env_name)
            sources[s.name] = "env"
    for env_name, name in ALIASES.items():
        if environ.get(env_name):
            values[name] = _cast(by_name[name], environ[env_name], env_name)
            sources[name] = "env"


def load_settings(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the TOML file, then the environment; unknown keys and bad values raise ConfigError."""
    environ = os.environ if environ is None else environ
    path = _config_path(path, environ)
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    sources: dict[str, str] = {s.name: "default" for s in SETTINGS}
    root = PROJECT_ROOT
    if path.exists():
        root = path.resolve().parent
        _apply_file(path, values, sources)
    elif "ZWGK_CONFIG" in environ or path != PROJECT_ROOT / "config.toml":
        # Only the implicit default file may be absent; a file someone named must exist.
        raise ConfigError(f"config file {path} does not exist")
    _apply_environ(environ, values, sources)
    for name in SECRET_SETTINGS:
        values[name] = Secret(values[name])
    return Settings(values, sources, root)
