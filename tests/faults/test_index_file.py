"""A planted index file must not run code at start-up (issue 11 item 4): behaviour, whatever the format."""
from __future__ import annotations

import pickle
import shutil
import signal
from pathlib import Path

import pytest

from .server import PROJECT

pytestmark = pytest.mark.faults


class _Plant:
    """Unpickling this creates `marker` (via open(marker, "w")): proof that loading ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def _config(tmp_path: Path) -> Path:
    """A config in a temp folder: relative paths (the default var/index) resolve inside it."""
    knowledge = PROJECT / "knowledge"
    path = tmp_path / "config.toml"
    path.write_text(f'[knowledge]\nplans_dir = "{knowledge / "plans"}"\ndata_dir = "{knowledge / "data"}"\n',
                    encoding="utf-8")
    return path


def test_a_planted_index_file_does_not_run_code(start_server, tmp_path: Path, index_path: Path) -> None:
    """Whoever can write var/ plants the index and everything beside it (the parsed-plans cache too):
    at var/index.pickle (where release 0.1 kept it), in the index directory itself, and at a configured
    knowledge.index_path that names a pickle file."""
    marker = tmp_path / "PWNED"
    payload = pickle.dumps(_Plant(marker))
    planted = [tmp_path / "var" / "index.pickle", tmp_path / "planted" / "index.pickle"]
    for path in planted:
        shutil.copytree(index_path.parent, path.parent, dirs_exist_ok=True)
        path.write_bytes(payload)
    (tmp_path / "var" / "index" / "index.pickle").write_bytes(payload)  # beside the versions
    config = _config(tmp_path)
    default = start_server(tmp_path / "a.sqlite3", config=config, index=None)  # index_path's default, in tmp_path
    configured = start_server(tmp_path / "b.sqlite3", config=config, index=planted[1])
    for server in (default, configured):
        status, reply = server.ask("槐荫区养老补贴信息公开归哪个部门管？")
        assert status == 200 and reply["answered"] and reply["results"][0]["region"] == "槐荫区"
        server.signal(signal.SIGTERM)
        assert server.wait() == 0
    assert not marker.exists(), "loading the planted index file ran code"
