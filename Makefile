# Spirit Hub — `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every install goes through the constraints file: it pins the CPU build of torch.
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install browser run test lint fmt migrate seed bench bench-realtime clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt web/package.json web/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@if $(BIN)/python -m pip list --format=freeze | grep -i '^nvidia-'; then \
		echo "install failed: nvidia-* packages were pulled in; torch must come from constraints.txt (CPU build)" >&2; exit 1; fi
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP) browser ## create .venv and install everything (Python packages, front-end packages, Chromium)

# The browser tests drive Debian's Chromium (no browser download by Playwright); apt installs it when missing.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser: ## install Chromium for the browser tests with apt when /usr/bin/chromium is missing
	@test -x $(CHROMIUM) || $(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	@test -x $(CHROMIUM) || { echo "the browser tests need $(CHROMIUM): install the Debian package 'chromium' (apt-get install -y chromium)" >&2; exit 1; }

migrate: install ## apply database migrations
	$(BIN)/python -m hub migrate

seed: migrate ## load demo data (idempotent)
	$(BIN)/python -m hub seed-demo

run: seed ## serve the hub with demo data on http://127.0.0.1:8000 (embedded SQLite under var/)
	$(BIN)/python -m hub run --host $(HOST) --port $(PORT)

test: install browser ## run the whole test suite, browser tests included (SQLite; PostgreSQL and Redis too when HUB_TEST_*_URL are set)
	$(BIN)/python -m pytest

lint: install ## ruff, mypy strict on hub web realtime ai domains, import-linter contracts (layers, no cycles)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install ## format and auto-fix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## run every benchmark; they print figures
	$(BIN)/python -m bench

bench-realtime: install ## Socket.IO capacity: the hub against a bare python-socketio server (~10 min)
	$(BIN)/python -m bench realtime

clean: ## remove the virtualenv, front-end packages and local data
	rm -rf $(VENV) web/node_modules var test-artifacts
