"""The office's people: who may sign in to /admin, with which role, and their API tokens.

Why: one shared password and token made everyone "admin", so the audit log could not say who did what
and anyone who could upload could publish. Offices work as 编辑 → 审核 → 发布, so each person has a role:
an editor uploads, edits drafts and submits them; a reviewer also publishes, unpublishes and approves
official answers; an admin also manages people. `web.admin_token` and `web.admin_password_hash` stay as
the break-glass admin (bot/channels/web/admin_auth.py).

People live in the project database (`web.database`, SQLite or PostgreSQL, table `office_people`,
component "office_people"), so every worker and host sees the same list. Passwords are stored as the
admin scrypt hash; API tokens only as their SHA-256, found by that hash and compared in constant time.
Used by the web door (bot/channels/web/admin.py) and `python -m bot admin-user` (bot/cli_people.py).
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.channels.web.admin_auth import MIN_PASSWORD_CHARS, hash_password, verify_password
from bot.storage.base import Database
from bot.storage.migrations import Migration

EDITOR, REVIEWER, ADMIN = "editor", "reviewer", "admin"
ROLES = (EDITOR, REVIEWER, ADMIN)
# What each role may do; each role holds the rights of the ones before it.
RIGHTS: dict[str, frozenset[str]] = {
    EDITOR: frozenset({"upload", "edit", "submit"}),
    REVIEWER: frozenset({"upload", "edit", "submit", "publish", "approve"}),
    ADMIN: frozenset({"upload", "edit", "submit", "publish", "approve", "people"}),
}
# Names the door itself uses for the break-glass admin (password login, bearer token).
RESERVED = frozenset({"admin", "token", "?"})
_NAME = re.compile(r"^[\w.\-@\u4e00-\u9fff]{1,40}$")

_TABLE = """CREATE TABLE IF NOT EXISTS office_people (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS office_people_token ON office_people(token_hash)"""
PEOPLE_MIGRATIONS = (Migration(1, "the office's people, roles, hashed passwords and tokens", _TABLE, _TABLE),)


class PeopleError(ValueError):
    """A person who cannot be added or changed; the message is one line for the admin."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    disabled: bool = False
    created: str = ""

    def may(self, right: str) -> bool:
        return not self.disabled and right in RIGHTS.get(self.role, frozenset())

    def public(self) -> dict:
        return {"name": self.name, "role": self.role, "disabled": self.disabled, "created": self.created}


def may(role: str, right: str) -> bool:
    return right in RIGHTS.get(role, frozenset())


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> str:
    return "zp_" + secrets.token_urlsafe(24)


def _checked(name: str, role: str, password: str) -> None:
    if not _NAME.match(name or "") or name.lower() in RESERVED:
        raise PeopleError(f"name {name!r} is not usable: 1-40 letters, digits, 汉字, . - _ @; not admin or token")
    if role not in ROLES:
        raise PeopleError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_CHARS:
        raise PeopleError(f"the password is too short (at least {MIN_PASSWORD_CHARS} characters)")


class People:
    """The people table; unusable (every lookup None) until `attach(db)`."""

    def __init__(self, db: Database | None = None) -> None:
        self.db: Database | None = None
        if db is not None:
            self.attach(db)

    def attach(self, db: Database) -> None:
        db.migrate("office_people", PEOPLE_MIGRATIONS)
        self.db = db

    def _run(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.db is None:
            return []
        return self.db.run(sql, params)

    # -- reading -------------------------------------------------------------------------------
    def all(self) -> list[Person]:
        rows = self._run("SELECT name, role, disabled, created FROM office_people ORDER BY name")
        return [Person(r[0], r[1], bool(r[2]), r[3]) for r in rows]

    def get(self, name: str) -> Person | None:
        rows = self._run("SELECT name, role, disabled, created FROM office_people WHERE name = ?", (name,))
        return Person(rows[0][0], rows[0][1], bool(rows[0][2]), rows[0][3]) if rows else None

    def any(self) -> bool:
        return bool(self._run("SELECT 1 FROM office_people WHERE disabled = 0 LIMIT 1"))

    def login(self, name: str, password: str) -> Person | None:
        """The person when the name exists, is not disabled and the password is right (else None)."""
        rows = self._run("SELECT password_hash FROM office_people WHERE name = ? AND disabled = 0", (name,))
        if not rows:
            verify_password(password, hash_password("x" * MIN_PASSWORD_CHARS))  # same time for unknown names
            return None
        return self.get(name) if verify_password(password, rows[0][0]) else None

    def by_token(self, token: str) -> Person | None:
        """The active person whose API token this is (looked up by its SHA-256, compared in constant time)."""
        if not token:
            return None
        digest = token_digest(token)
        rows = self._run("SELECT name, token_hash FROM office_people WHERE token_hash = ? AND disabled = 0",
                         (digest,))
        for name, stored in rows:
            if hmac.compare_digest(str(stored).encode(), digest.encode()):
                return self.get(name)
        return None

    # -- changes -------------------------------------------------------------------------------
    def add(self, name: str, role: str, password: str) -> tuple[Person, str]:
        """A new person; returns them and their API token (shown once, stored only hashed)."""
        _checked(name, role, password)
        if self.db is None:
            raise PeopleError("no database", 500)
        if self.get(name) is not None:
            raise PeopleError(f"{name} exists already", 409)
        token = new_token()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        self.db.run("INSERT INTO office_people(name, role, password_hash, token_hash, disabled, created) "
                    "VALUES (?, ?, ?, ?, 0, ?)", (name, role, hash_password(password), token_digest(token), created))
        return Person(name, role, False, created), token

    def disable(self, name: str) -> Person:
        self._known(name)
        self._run("UPDATE office_people SET disabled = 1 WHERE name = ?", (name,))
        return self._known(name)

    def reset_token(self, name: str) -> tuple[Person, str]:
        person = self._known(name)
        token = new_token()
        self._run("UPDATE office_people SET token_hash = ? WHERE name = ?", (token_digest(token), name))
        return person, token

    def _known(self, name: str) -> Person:
        person = self.get(name)
        if person is None:
            raise PeopleError(f"no such person: {name}", 404)
        return person
