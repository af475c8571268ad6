"""One plan file parsed in a child process with limits on time, memory and what the file may unpack to.

Why a process: an uploaded file is untrusted and may be huge. Parsing is pure Python holding the GIL,
OCR takes minutes, and a hostile file can make a reader allocate gigabytes; in the server's own process
either would starve every other request. `parse_in_child(path, limits)` runs `python -m indexer.sandbox`
(a fresh interpreter: nothing of the server's state, threads or sockets), which

- sets RLIMIT_AS (`memory_mb`: an allocation past it is a MemoryError or a dead child, never a server
  swapping), RLIMIT_CPU (a backstop for `seconds`), RLIMIT_CORE 0, and lowers its priority (nice 10) so
  answering keeps the cores it needs;
- applies the read limits of indexer/read/limits.py (ZIP sizes, table cells, render pixels), checked
  before anything is materialised;
- parses with `indexer.parse_file` and writes one JSON line: the document, or the error and the limit
  it broke.

The caller's thread only waits on the child's pipe (no GIL held). Past `seconds` the child and all it
started (tesseract, LibreOffice) are killed (indexer/read/process.py `kill_tree`). Every failure is a
DocumentError; one over a limit is `LimitExceeded` whose `limit` names it ("seconds", "memory_mb",
"zip_ratio", "table_columns", …), so the upload can answer 422 naming the limit.

The interface is deliberately one call, so a cache (indexer/parsed.py) wraps it unchanged.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from indexer.model import Document, DocumentError
from indexer.read.limits import LimitExceeded, ReadLimits
from indexer.read.process import REAP_SECONDS, kill_tree

ROOT = Path(__file__).resolve().parent.parent
NICE = 10
_NO_MEMORY = "reading the file needed more memory than allowed; the limit is {} MB"
STDERR_KEPT = 2000  # characters of the child's stderr quoted in a crash message's log line


@dataclass(frozen=True)
class Limits:
    """Limits for one document: wall-clock seconds, address space, and the read limits."""

    seconds: float = 300.0  # a 12-page scan OCRs in about a minute on one core
    memory_mb: int = 1536  # address space of the child (the interpreter and libraries take ~300 MB)
    read: ReadLimits = field(default_factory=ReadLimits)

    def to_dict(self) -> dict[str, Any]:
        return {"seconds": self.seconds, "memory_mb": self.memory_mb, "read": self.read.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Limits:
        return cls(float(data["seconds"]), int(data["memory_mb"]), ReadLimits.from_dict(data.get("read", {})))


def parse_in_child(path: str | Path, limits: Limits | None = None) -> Document:
    """`indexer.parse_file(path)` in a child process within `limits`; DocumentError (or LimitExceeded)."""
    limits = limits or Limits()
    path = Path(path).resolve()
    cmd = [sys.executable, "-m", "indexer.sandbox", json.dumps(limits.to_dict()), str(path)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limits.seconds)
    except subprocess.TimeoutExpired:
        kill_tree(proc.pid)
        try:
            proc.communicate(timeout=REAP_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(REAP_SECONDS)
        raise LimitExceeded("seconds", f"reading the file took longer than {limits.seconds:g} s; "
                            f"the limit is {limits.seconds:g} s") from None
    return _result(out, err, proc.returncode, limits)


def _result(out: bytes, err: bytes, code: int, limits: Limits) -> Document:
    lines = out.decode("utf-8", "replace").strip().splitlines()
    try:
        reply = json.loads(lines[-1]) if lines else None
    except ValueError:
        reply = None
    if isinstance(reply, dict) and "document" in reply:
        from indexer.parsed import document_from_json

        return document_from_json(reply["document"])
    if isinstance(reply, dict) and "error" in reply:
        limit = reply.get("limit")
        raise LimitExceeded(limit, reply["error"]) if limit else DocumentError(reply["error"])
    if code in (-signal.SIGXCPU, -signal.SIGKILL) and b"MemoryError" not in err:
        raise LimitExceeded("seconds", f"reading the file used more than {limits.seconds:g} s of CPU; "
                            f"the limit is {limits.seconds:g} s")
    # No answer: the child died. With RLIMIT_AS set, a library that cannot allocate aborts or crashes.
    tail = err.decode("utf-8", "replace")[-STDERR_KEPT:]
    raise LimitExceeded("memory_mb", f"reading the file needed more memory than allowed (the reader stopped "
                        f"with code {code}); the limit is {limits.memory_mb} MB" + (f" [{tail.strip()[-200:]}]"
                                                                                   if tail.strip() else ""))


# -- the child -----------------------------------------------------------------------------------

def _confine(limits: Limits) -> None:
    import resource

    memory = limits.memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        os.nice(NICE)
    except OSError:
        pass


def _child(argv: list[str]) -> int:
    limits = Limits.from_dict(json.loads(argv[0]))
    path = Path(argv[1])
    reply_fd = os.dup(1)
    os.dup2(2, 1)  # whatever a library prints goes to stderr; fd `reply_fd` carries only the answer
    _confine(limits)
    reply: dict[str, Any]
    try:
        from indexer import parse_file
        from indexer.parsed import document_to_json
        from indexer.read import limits as read_limits

        read_limits.use(limits.read)
        reply = {"document": document_to_json(parse_file(path))}
    except LimitExceeded as exc:
        reply = {"error": str(exc), "limit": exc.limit}
    except DocumentError as exc:  # a reader's last guard wraps a MemoryError too
        reply = ({"error": _NO_MEMORY.format(limits.memory_mb), "limit": "memory_mb"}
                 if isinstance(exc.__cause__, MemoryError) else {"error": str(exc)})
    except MemoryError:
        reply = {"error": _NO_MEMORY.format(limits.memory_mb), "limit": "memory_mb"}
    with os.fdopen(reply_fd, "w", encoding="utf-8") as out:
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
