"""The admin door: password hashes, the signed session cookie, CSRF tokens, the login throttle, start-up checks.

Browsers log in at /admin/login with the password whose scrypt hash is `web.admin_password_hash`
(`python -m bot admin-hash` makes one); the session is a signed, expiring cookie (HttpOnly,
SameSite=Strict, Secure behind HTTPS, path /admin), so every worker accepts it without shared state.
Scripts send `Authorization: Bearer <web.admin_token>`. These are the break-glass admin; the office's
people (bot/office/people.py) sign in with their own name and password and carry their own tokens. The
session key includes the database's salt, so a deployment with people only still signs unforgeable cookies. Every comparison is constant-time; failed
logins and wrong tokens are throttled per client. Used by bot/channels/web/admin.py and admin_api.py.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from bot.channels.web.door_ledger import DoorLedger
from indexer.settings import ConfigError, Settings

COOKIE = "zwgk_admin"
SESSION_SECONDS = 8 * 3600
THROTTLE_WINDOW = 15 * 60
MIN_TOKEN_CHARS = 16
MIN_TOKEN_DISTINCT = 6
MIN_PASSWORD_CHARS = 10
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


# -- passwords ------------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash` (hex), the value for web.admin_password_hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def _parse_hash(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("not an scrypt hash")
    n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
    salt, digest = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    if n < 2**12 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or len(salt) < 8 or len(digest) < 16:
        raise ValueError("weak or malformed scrypt parameters")
    return n, r, p, salt, digest


def verify_password(password: str, stored: str) -> bool:
    try:
        n, r, p, salt, digest = _parse_hash(stored)
    except ValueError:
        return False
    got = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p,
                         dklen=len(digest), maxmem=256 * 1024 * 1024)
    return hmac.compare_digest(got, digest)


def same(given: str, expected: str) -> bool:
    """Constant-time string comparison (bytes, so non-ASCII input is compared too)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


# -- start-up checks ------------------------------------------------------------------------------

def check_settings(settings: Settings) -> None:
    """Refuse a weak or whitespace token and a malformed password hash, each with one line."""
    token = settings.text("web.admin_token")
    if token and (not token.strip() or token != token.strip()):
        raise ConfigError("web.admin_token (ZWGK_WEB__ADMIN_TOKEN) is blank or has spaces around it; "
                          "set a random token, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(24))'`")
    if token and (len(token) < MIN_TOKEN_CHARS or len(set(token)) < MIN_TOKEN_DISTINCT):
        raise ConfigError(f"web.admin_token (ZWGK_WEB__ADMIN_TOKEN) is too weak: use at least {MIN_TOKEN_CHARS} "
                          "random characters, e.g. `python -c 'import secrets; print(secrets.token_urlsafe(24))'`")
    stored = settings.text("web.admin_password_hash")
    if stored:
        try:
            _parse_hash(stored)
        except ValueError as exc:
            raise ConfigError(f"web.admin_password_hash (ZWGK_WEB__ADMIN_PASSWORD_HASH) is not usable ({exc}); "
                              "make one with `python -m bot admin-hash`") from None


# -- sessions and CSRF ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Door:
    """The secrets of one deployment: token for scripts, password hash for people."""

    token: str
    password_hash: str
    ledger: DoorLedger = field(default_factory=lambda: DoorLedger(), compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Door:
        return cls(settings.text("web.admin_token"), settings.text("web.admin_password_hash"))

    @property
    def enabled(self) -> bool:
        return bool(self.token or self.password_hash)

    def _key(self) -> bytes:
        # Derived from both secrets: changing the password or the token ends every session.
        seed = f"zwgk-admin-session-v4|{self.password_hash}|{self.token}|".encode() + self.ledger.secret
        return hashlib.sha256(seed).digest()

    def _sign(self, message: str) -> str:
        return hmac.new(self._key(), message.encode("utf-8"), hashlib.sha256).hexdigest()

    def session_cookie(self, user: str = "admin", now: float | None = None) -> str:
        expires = int((now or time.time()) + SESSION_SECONDS)
        body = f"{user}|{expires}|{secrets.token_hex(8)}"  # the nonce names this session (logout ends it)
        return f"{body}|{self._sign(body)}"

    def session_user(self, cookie: str | None, now: float | None = None) -> str | None:
        """The user a cookie was issued to, when its signature is right, it has not expired and it was
        not ended by a logout (on any worker: the ledger is in the database)."""
        if not cookie or not (self.enabled or self.ledger.secret) or cookie.count("|") != 3:
            return None
        user, expires, nonce, sig = cookie.split("|")
        if user == "admin" and not self.password_hash:  # the break-glass login needs its password hash
            return None
        if not same(sig, self._sign(f"{user}|{expires}|{nonce}")):
            return None
        if not expires.isdigit() or int(expires) < (now or time.time()):
            return None
        if self.ledger.ended(sig):
            return None
        return user

    def end_session(self, cookie: str | None) -> None:
        """Logout: this cookie is refused from now on, even if a copy of it is replayed."""
        if self.session_user(cookie) is not None and cookie:
            user, expires, _nonce, sig = cookie.split("|")
            self.ledger.end(sig, float(expires))

    def csrf_token(self, cookie: str) -> str:
        return self._sign(f"csrf|{cookie}")[:40]

    def csrf_ok(self, cookie: str, given: str | None) -> bool:
        return bool(given) and same(given or "", self.csrf_token(cookie))

    def token_ok(self, given: str) -> bool:
        return bool(self.token) and same(given, self.token)

    def password_ok(self, given: str) -> bool:
        return bool(self.password_hash) and verify_password(given, self.password_hash)


# -- throttle -------------------------------------------------------------------------------------

class LoginThrottle:
    """At most `limit` failures per client in THROTTLE_WINDOW seconds; then it waits until the oldest expires.

    In memory until `share(ledger)`; then counted in the database (bot/channels/web/door_ledger.py), so
    `serve --workers N` allows `limit` guesses in all, not `limit` per worker."""

    def __init__(self, limit: int, window: float = THROTTLE_WINDOW) -> None:
        self.limit = max(1, int(limit))
        self.window = window
        self._lock = threading.Lock()
        self._fails: dict[str, deque[float]] = {}
        self.ledger: DoorLedger | None = None

    def share(self, ledger: DoorLedger) -> None:
        self.ledger = ledger

    def wait(self, client: str, now: float | None = None) -> int:
        """Seconds this client must wait before trying again (0: may try now)."""
        if self.ledger is not None and self.ledger.shared:
            shared = self.ledger.fails_wait(client, self.limit, self.window)
            if shared is not None:
                return shared
        now = now or time.monotonic()
        with self._lock:
            fails = self._fails.get(client)
            if not fails:
                return 0
            while fails and fails[0] <= now - self.window:
                fails.popleft()
            if len(fails) < self.limit:
                return 0
            return max(1, int(fails[0] + self.window - now + 0.999))

    def fail(self, client: str, now: float | None = None) -> None:
        if self.ledger is not None and self.ledger.shared and self.ledger.fail(client, self.window):
            return
        now = now or time.monotonic()
        with self._lock:
            if len(self._fails) > 10_000:  # bound memory under a spray from many addresses
                self._fails.clear()
            self._fails.setdefault(client, deque()).append(now)

    def succeed(self, client: str) -> None:
        if self.ledger is not None and self.ledger.shared:
            self.ledger.forget_fails(client)
        with self._lock:
            self._fails.pop(client, None)
