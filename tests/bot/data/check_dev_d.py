#!/usr/bin/env python3
"""Check the hand-written development sets dev_conversations_d.jsonl, dev_english_d.jsonl and dev_citizen_d.jsonl.

Standard library only.  Run from anywhere:

    python tests/bot/data/check_dev_d.py [--seeds DIR]

For every gold item (a single question, a conversation turn, and each of their `alt` options) it checks:

* required fields are present and typed; `kind` is who|when|what|none; ids are unique across the three files;
* answerable items name an existing seed file in `doc` (and `also_docs`), a region and a year;
* every anchor is 10-25 characters once whitespace is removed and occurs in the named seed (whitespace-insensitive);
* who items carry units, each of which occurs in the seed; when items carry a deadline that occurs in the seed;
* none items carry no doc, anchors, units or deadline;
* conversation turns carry a `move` from the agreed list, and the first turn of each conversation is `new`;
* `style` values match the file (english; citizen / voice / kiosk / dialect / confirm; first / followup in conversations);
* kiosk questions are 4-10 characters (punctuation and spaces not counted); confirm questions carry
  "前提正确" or "前提错误" in their note, and so do confirm_right / confirm_wrong turns;
* ids are also unique against the earlier _c sets in the same folder (no id reuse).

Seeds are looked up in --seeds, else ../shared/seeds relative to the project root, else /work/shared/seeds.
Exit status 0 when clean, 1 otherwise.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_dev_c import Checker, run  # noqa: E402  (the shared checks; this file adds round D's)

PUNCT = re.compile(r"[\s，。？！、,.?!：:；;“”\"'（）()…—-]+")
PREMISE = {"confirm_right": "前提正确", "confirm_wrong": "前提错误"}


class RoundD(Checker):
    files = {
        "dev_conversations_d.jsonl": "conv",
        "dev_english_d.jsonl": "english",
        "dev_citizen_d.jsonl": "citizen",
    }
    id_prefix = {"conv": "DCDc_", "english": "DED_", "citizen": "DCD_"}
    min_count = {"conv": 25, "english": 70, "citizen": 45}
    min_followups = 50
    styles = {"english": {"english"}, "citizen": {"citizen", "voice", "kiosk", "dialect", "confirm"}}

    def anchor_extra(self, where: str, anchor: str, squashed: str, doc: str) -> None:
        if isinstance(anchor, str) and anchor != squashed:
            self.err(where, f"anchor {anchor!r} contains whitespace")
        elif isinstance(anchor, str) and squashed in self.seed_text[doc] and anchor not in self.raw_text[doc]:
            self.warnings.append(f"{where}: anchor {anchor!r} spans a line break or space in {doc} "
                                 "(matches only whitespace-insensitively)")

    def turn_extra(self, where: str, turn: dict) -> None:
        want = PREMISE.get(turn.get("move", ""))
        if want and want not in (turn.get("note") or ""):
            self.err(where, f"{turn.get('move')} turn: note must say {want}")

    def record_extra(self, where: str, rec: dict) -> None:
        style = rec.get("style")
        if style == "kiosk":
            n_chars = len(PUNCT.sub("", rec.get("question", "")))
            if not 4 <= n_chars <= 10:
                self.err(where, f"kiosk question has {n_chars} characters (want 4-10)")
        if style == "confirm" and not any(k in (rec.get("note") or "") for k in PREMISE.values()):
            self.err(where, "confirm question: note must say 前提正确 or 前提错误")


if __name__ == "__main__":
    sys.exit(run(RoundD, __doc__, ["dev_conversations_c.jsonl", "dev_english_c.jsonl", "dev_citizen_c.jsonl"]))
