"""`python -m bot.channels.web [--host H] [--port P] [--get PATH] [--config FILE]`: serve.py without the click CLI."""
from __future__ import annotations

import argparse
import sys

from bot.channels.web.serve import get_once, serve
from indexer.settings import load_settings


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bot.channels.web", description="Serve the 政务公开问答 web app.")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--config")
    p.add_argument("--get", metavar="PATH", help="print one response (status on stderr) and exit")
    args = p.parse_args(argv)
    settings = load_settings(args.config)
    if args.get:
        status, text = get_once(settings, args.get)
        print(text)
        print(f"HTTP {status}", file=sys.stderr)
        return 0 if status < 400 else 1
    serve(settings, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
