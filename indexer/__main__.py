"""`python -m indexer` — see indexer/cli.py."""
from indexer.cli import main

main()
