# lumap: one command to run the app (`make run`), one to run every test (`make test`).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
## Where `make run` listens: this machine only by default; `make run HOST=0.0.0.0` serves the
## network (PUBLIC_HOST: the name people type, shown in the banner; default this machine's).
HOST   ?= 127.0.0.1
PUBLIC_HOST ?= $(shell hostname)
DATA_DIR := $(or $(LUMAP_DATA_DIR),data)
AXE_VERSION := 4.14.1
AXE := .axe/node_modules/axe-core/axe.min.js

.PHONY: setup data store browser run test lint format unit e2e bench sweep load serve clean

## Virtual environment with the exact pins, and lumap itself installed editable so that
## `.venv/bin/lumap` works (re-run when requirements.txt or pyproject.toml changes).
$(BIN)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m lumap.ui.assets >/dev/null
	touch $@

setup: $(BIN)/.installed $(AXE)

## axe-core, for the browser tests' accessibility checks: from the npm registry into the
## git-ignored .axe/ (exact version; node and npm from Debian when the machine has none).
$(AXE):
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm install --silent --no-audit --no-fund --save-exact --prefix .axe axe-core@$(AXE_VERSION)
	@test -f $@

## Build the store from the default source (../shared/data if present, else ONS).
data: setup
	$(BIN)/python -m lumap build

## Build the store only when it is missing (data/indicators/ and data/boundaries/ hold only
## their READMEs in a fresh clone: `lumap.data.layout check` looks for a published build).
store: setup
	@if ! $(BIN)/python -m lumap.data.layout check "$(DATA_DIR)"; then $(BIN)/python -m lumap build; else echo "(make data rebuilds it)"; fi

## Debian's chromium for the browser tests (Playwright's own download does not work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@chromium --version 2>/dev/null | head -1

## A wildcard address with no browser.serverAddress makes Streamlit look up this machine's
## external IP on the internet at start; naming the address avoids that request.
run: store
	$(BIN)/python -m streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
	  $(if $(filter 0.0.0.0 ::,$(HOST)),--browser.serverAddress $(PUBLIC_HOST))

## Debian's HAProxy for `make serve` and its tests.
proxy:
	@command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq haproxy >/dev/null; }
	@/usr/sbin/haproxy -v 2>/dev/null | head -1

## N replicas behind HAProxy on HOST:PORT (sticky sessions, websockets, health checks, gzip).
REPLICAS ?= 2
serve: store proxy
	$(BIN)/python deploy/serve.py --replicas $(REPLICAS) --host $(HOST) --port $(PORT)

## A room of people: N concurrent sessions against a fresh server (figures: see README).
load: store
	$(BIN)/python scripts/loadtest.py -n 1 10 30

## Every test: lint, unit, AppTest and the real-browser tests.
test: lint store browser proxy
	$(BIN)/python -m pytest -q tests

## Lint, format check (ruff) and types (mypy on lumap/data, analysis, queries); CI fails on any.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Rewrite the code in the project's format.
format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit: setup
	$(BIN)/python -m pytest -q tests --ignore=tests/e2e

e2e: store browser
	$(BIN)/python -m pytest -q tests/e2e

bench: store
	$(BIN)/python scripts/benchmark.py

## Every indicator at every level through the map page (make test samples 13 of them).
sweep: store
	LUMAP_SWEEP=full $(BIN)/python -m pytest -q tests/test_page_map.py -k every_indicator

clean:
	rm -rf $(VENV) static tests/screenshots .axe
