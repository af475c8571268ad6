#!/usr/bin/env python3
"""Check the blind development set H (dev_english_h, dev_citizen_h, dev_conversations_h): check_dev_round.py h."""

import runpy
import sys
from pathlib import Path

sys.argv = [sys.argv[0], "h"]
runpy.run_path(str(Path(__file__).resolve().with_name("check_dev_round.py")), run_name="__main__")
