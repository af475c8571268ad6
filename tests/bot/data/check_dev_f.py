#!/usr/bin/env python3
"""Check the blind development set F (dev_english_f, dev_citizen_f, dev_conversations_f): check_dev_round.py f."""

import runpy
import sys
from pathlib import Path

sys.argv = [sys.argv[0], "f"]
runpy.run_path(str(Path(__file__).resolve().with_name("check_dev_round.py")), run_name="__main__")
