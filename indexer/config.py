"""Where the indexer finds the plans and writes the knowledge store: the `[knowledge]` settings of
config.toml, read here with tomllib because indexer/ never imports bot/ (indexer/settings.py declares them).

Same precedence as the bot: the environment (`ZWGK_KNOWLEDGE__PLANS_DIR`, `ZWGK_KNOWLEDGE__INDEX_PATH`) over
the file over the default; the file is `--config`, else `ZWGK_CONFIG`, else config.toml in the project
root. Relative paths are relative to the config file's folder. The knowledge store is `knowledge.json`
beside the index file, where the bot looks for it (bot/index/search_index.py).
"""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from indexer.model import DocumentError

ROOT = Path(__file__).resolve().parent.parent
DEFAULTS = {"plans_dir": "knowledge/plans", "index_path": "var/index.pickle"}


@dataclass(frozen=True)
class KnowledgePaths:
    plans_dir: Path
    index_path: Path

    @property
    def store(self) -> Path:
        """The knowledge store file (parsed plans), beside the bot's index."""
        return self.index_path.with_name("knowledge.json")


def knowledge_paths(config: str | Path | None = None, environ: Mapping[str, str] | None = None) -> KnowledgePaths:
    """The plans folder and index path in force; a config file that was named but is missing or broken
    raises DocumentError with a one-line reason."""
    environ = os.environ if environ is None else environ
    named = config or environ.get("ZWGK_CONFIG")
    path = Path(named) if named else ROOT / "config.toml"
    values = dict(DEFAULTS)
    root = ROOT
    if path.is_file():
        root = path.resolve().parent
        try:
            with path.open("rb") as f:
                table = tomllib.load(f).get("knowledge", {})
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise DocumentError(f"{path}: not valid TOML ({exc})") from None
        for key in DEFAULTS:
            if isinstance(table, dict) and isinstance(table.get(key), str):
                values[key] = table[key]
    elif named:
        raise DocumentError(f"config file {path} does not exist")
    for key in DEFAULTS:
        env = environ.get(f"ZWGK_KNOWLEDGE__{key.upper()}")
        if env:
            values[key] = env
    return KnowledgePaths(_resolve(values["plans_dir"], root), _resolve(values["index_path"], root))


def _resolve(value: str, root: Path) -> Path:
    """A path setting against the config file's folder (absolute paths stay as they are), as indexer/settings.py."""
    p = Path(value).expanduser()
    return p if p.is_absolute() else root / p
