"""Sending to Telegram without letting its errors crash the bot: bounded retries, skips and logging.

Job: `deliver` wraps one Bot API call. Flood control (429, `RetryAfter`) waits the time Telegram asks
for and retries a bounded number of times; network trouble (`TimedOut`, `NetworkError`) retries with a
short backoff; a user who blocked the bot or a chat the bot left (`Forbidden`) is skipped. A `BadRequest`
is our bug (bad markup, message too long) and is re-raised, since retrying cannot fix it.

Neighbours: handlers.py (replies, so a flood-control hiccup does not lose an answer) and reminders.py
(one subscriber's failure must not stop the others). The catch-all for anything else is the error
handler registered in handlers.register_handlers.
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

logger = logging.getLogger(__name__)

T = TypeVar("T")


def retry_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait.

    `RetryAfter.retry_after` is an int or a timedelta depending on PTB_TIMEDELTA and, in 22.x, warns
    about that transition on every access; the value is the same either way, so the warning is muted.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def deliver(send: Callable[[], Awaitable[T]], *, what: str, attempts: int = 3,
                  max_wait: float = 30.0) -> T | None:
    """Run `send()` (a fresh coroutine per attempt); its result, or None when it could not be delivered.

    `max_wait` bounds one flood-control wait: a handler must not stall every chat for minutes, and a
    longer ban is better served by trying again at the next scheduled run.
    """
    for attempt in range(1, attempts + 1):
        try:
            return await send()
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            if attempt == attempts or wait > max_wait:
                logger.warning("%s: flood control, retry after %.0f s; giving up", what, wait)
                return None
            logger.info("%s: flood control, retrying in %.1f s (attempt %d/%d)", what, wait, attempt, attempts)
            await asyncio.sleep(wait)
        except Forbidden as exc:
            logger.info("%s: skipped, %s", what, exc.message)
            return None
        except BadRequest:
            raise
        except (TimedOut, NetworkError) as exc:
            if attempt == attempts:
                logger.warning("%s: network error, giving up: %s", what, exc)
                return None
            await asyncio.sleep(min(2.0 ** (attempt - 1), max_wait))
    return None
