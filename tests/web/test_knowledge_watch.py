"""bot/channels/web/knowledge_watch.py: a worker looks at the published files at most once per CHECK_SECONDS.

(That it then follows another worker's publication is tests/web/test_office_api.py's
`test_another_worker_follows_a_publication`.)"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.web import knowledge_watch
from bot.channels.web.knowledge_watch import CHECK_SECONDS, KnowledgeWatch


def test_the_files_are_looked_at_once_per_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watch = KnowledgeWatch(tmp_path / "plans.json", tmp_path, lambda: [], lambda app, engine: None)
    looks: list[int] = []
    unchanged = watch.stamp()
    monkeypatch.setattr(watch, "stamp", lambda: looks.append(1) or unchanged)
    now = [1000.0]
    monkeypatch.setattr(knowledge_watch.time, "monotonic", lambda: now[0])
    watch.check(None, None)  # type: ignore[arg-type]
    watch.check(None, None)  # type: ignore[arg-type]
    now[0] += CHECK_SECONDS / 2
    watch.check(None, None)  # type: ignore[arg-type]
    assert len(looks) == 1
    now[0] += CHECK_SECONDS
    watch.check(None, None)  # type: ignore[arg-type]
    assert len(looks) == 2
