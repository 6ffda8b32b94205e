# Extra Mile: every target creates or reuses .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8866
LAB_PORT ?= 8888
EXTRAMILE_JOURNAL_DIR ?= $(CURDIR)/journal
export EXTRAMILE_JOURNAL_DIR
# make workshop TEAMS="Blue,Green": sign-in offers only these teams (or set EXTRAMILE_TEAMS_FILE)
ifdef TEAMS
export EXTRAMILE_TEAMS := $(TEAMS)
endif
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: workshop lab test report bench browser clean-venv

workshop: $(VENV)/.runtime
	$(BIN)/python -m extramile serve --host $(HOST) --port $(PORT)

lab: $(VENV)/.runtime
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=$(HOST) --port=$(LAB_PORT) \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root) \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

test: $(VENV)/.test browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests notebooks --nbval-lax

report: $(VENV)/.runtime
	$(BIN)/python -m extramile report --journal "$(EXTRAMILE_JOURNAL_DIR)" --out report.html

bench: $(VENV)/.test browser
	$(BIN)/python benchmarks/run_all.py

$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(PIP) install -r requirements-test.txt
	touch $@

# Browser tests drive Debian's Chromium; Playwright's own browser download does not work here.
browser:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: install it with 'sudo apt-get install chromium' to run the browser tests."; \
		if [ "$$CI" = true ]; then echo "CI=true: a missing browser fails the run."; exit 1; fi; \
	fi
