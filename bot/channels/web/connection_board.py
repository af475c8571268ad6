"""How many connections each worker of `serve --workers N` holds, and whether it is busy: a small table in
memory the gunicorn master maps before it forks, so every worker reads the others' figures.

Why: keep-alive connections stay with the worker that accepted them, and a worker only knew whether its
own threads were busy. When many clients connect at once while the workers are idle (256 browsers
opening the page, wrk's 256 connections), whichever woke first took most of them: 185 / 71 measured, so
one process served nearly three quarters of the traffic on one core while the other idled (402 req/s
against 830 for two busy workers). With the table, a worker holding more connections than an idle worker
(not busy) by more than `SLACK` leaves a waiting connection to it (bot/channels/web/balanced_worker.py).
Each worker writes only its own slot (two aligned 32-bit integers); a figure read a moment late only
moves a connection to the other worker, never loses one.
Neighbours: bot/channels/web/workers.py makes the board before the fork and clears a slot when its
worker exits (gunicorn's `child_exit`, in the master); balanced_worker.py posts and reads.
"""
from __future__ import annotations

import mmap
from typing import Any

SLOTS = 64  # a worker's slot is its gunicorn age modulo this (ages count every worker ever spawned)
SLACK = 2  # connections a worker may hold beyond the worker holding fewest before it steps aside,
SLACK_SHARE = 8  # or this share of that worker's connections when more (an eighth: 64 -> 72)
_EMPTY = -1


class ConnectionBoard:
    """Per worker slot: (open connections, busy); -1 connections marks a slot no worker holds."""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, 8 * SLOTS)  # anonymous and shared: the forked workers see one table
        self._cells = memoryview(self._memory).cast("i")
        for slot in range(SLOTS):
            self._cells[2 * slot] = _EMPTY

    @staticmethod
    def slot_of(worker: Any) -> int:
        return int(worker.age) % SLOTS

    def post(self, slot: int, connections: int, busy: bool) -> None:
        self._cells[2 * slot] = connections
        self._cells[2 * slot + 1] = int(busy)

    def clear(self, slot: int) -> None:
        self._cells[2 * slot] = _EMPTY

    def _fewest(self, slot: int) -> tuple[int | None, int | None]:
        """The fewest connections any other worker holds, and the fewest an idle (not busy) one holds."""
        cells = self._cells
        fewest: int | None = None
        fewest_idle: int | None = None
        for other in range(SLOTS):
            held = cells[2 * other]
            if other == slot or held == _EMPTY:
                continue
            if fewest is None or held < fewest:
                fewest = held
            if not cells[2 * other + 1] and (fewest_idle is None or held < fewest_idle):
                fewest_idle = held
        return fewest, fewest_idle

    def fuller(self, slot: int, connections: int) -> bool:
        """Whether a worker holding `connections` holds more than another worker by more than the slack."""
        fewest, _ = self._fewest(slot)
        return fewest is not None and connections > _allowed(fewest)

    def should_leave(self, slot: int, connections: int, busy: bool) -> bool:
        """Whether a worker should leave a new connection to the others for a moment: it is busy while
        another is idle, or it holds more than another by more than the slack. A busy worker among busy
        ones with no more than its share takes it at once (waiting would only delay it)."""
        fewest, fewest_idle = self._fewest(slot)
        return (busy and fewest_idle is not None) or (fewest is not None and connections > _allowed(fewest))


def _allowed(fewest: int) -> int:
    return fewest + max(SLACK, fewest // SLACK_SHARE)
