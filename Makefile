# 政务公开问答 — `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: help install system-deps serve ask index test lint bench

help:            ## list the targets
	@grep -E '^[a-z-]+:.*##' Makefile | sed 's/:.*##/\t/'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the pinned dependencies

system-deps:     ## Debian packages: chromium + CJK fonts (browser tests), postgresql (storage tests), antiword (.doc), tesseract chi_sim (scans), LibreOffice (.doc test fixtures)
	@command -v chromium >/dev/null && fc-list | grep -qi 'Noto Sans CJK' && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  && command -v antiword >/dev/null && command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim \
	  && command -v soffice >/dev/null || \
	  { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk \
	      postgresql antiword tesseract-ocr tesseract-ocr-chi-sim libreoffice-writer-nogui >/dev/null; }

serve: install   ## build the index and serve the web chat, kiosk, API and admin on the shipped plans
	$(PY) -m bot serve

ask: install     ## interactive question prompt in the terminal
	$(PY) -m bot ask

index: install   ## (re)build the index from knowledge/
	$(PY) -m bot index build

lint: install    ## ruff, then mypy on bot/ and indexer/ (settings in pyproject.toml [tool.mypy])
	$(PY) -m ruff check .
	$(PY) -m mypy

test: lint system-deps  ## lint (ruff, mypy) and run every test (unit, web, browser, staff bot, storage, faults)
	$(PY) -m pytest -n 2 --dist loadfile

bench: install   ## speed and memory benchmark (installs the bench extras: bm25s)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m bench
