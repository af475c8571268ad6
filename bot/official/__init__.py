"""Official answers (答复口径): the office's own standing answers to frequent questions.

store.py keeps them (one JSON file, reloaded when another process changes it), match.py finds the one a
question asks (normalised exact match on question and variants, then a strict near-match), overlay.py
puts it in front of the engine's plan answer. The engine calls `OfficialAnswers.overlay` at the end of
`Engine.answer` (bot/engine/coordinator.py); staff write answers in /admin (bot/channels/web/admin_api.py, admin_answers.py).
"""
from __future__ import annotations

from bot.official.overlay import OfficialAnswers
from bot.official.store import AnswerRecord, AnswerStore

__all__ = ["AnswerRecord", "AnswerStore", "OfficialAnswers"]
