"""Helper programs (antiword, LibreOffice, tesseract) run with a deadline, and killed whole when they miss it.

`soffice` is a shell script that starts `oosplash`, which starts `soffice.bin`: killing the process we
started (what subprocess.run's timeout does) orphans the rest, which keep a core busy forever. Here the
helper runs in its own session and, on timeout, `kill_tree` freezes and kills every descendant (found
through /proc, so a grandchild that made its own session is found too) and every process group they
lead. indexer/sandbox.py kills a stuck sandbox child the same way.
"""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

REAP_SECONDS = 5.0


def _parents() -> dict[int, int]:
    """pid -> parent pid of every process we can see (Linux /proc)."""
    out: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1:
            out[int(name)] = int(fields[1])
    return out


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in _parents().items():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _signal(pids: set[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def kill_tree(root: int) -> None:
    """SIGKILL `root`, all its descendants and the process groups they lead (never our own group)."""
    tree = {root} | descendants(root)
    _signal(tree, signal.SIGSTOP)  # frozen: nobody forks or re-parents while we look again
    tree |= descendants(root)
    _signal(tree, signal.SIGSTOP)
    own = os.getpgrp()
    groups: set[int] = set()
    for pid in tree:
        try:
            groups.add(os.getpgid(pid))
        except ProcessLookupError:
            continue
    _signal(tree, signal.SIGKILL)
    for group in groups - {own}:
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run_bounded(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run `cmd` (stdout, stderr captured) in its own session; past `timeout` s its whole tree is killed
    and subprocess.TimeoutExpired is raised."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_tree(proc.pid)
        try:
            proc.communicate(timeout=REAP_SECONDS)
        except subprocess.TimeoutExpired:  # a pipe still held by something outside the tree: stop reading
            proc.kill()
            proc.wait(REAP_SECONDS)
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
