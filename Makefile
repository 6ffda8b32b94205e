# Extra Mile: every target creates or reuses .venv by itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8866
LAB_PORT ?= 8888
HUB_PORT ?= 8000
HUB_STATE ?= $(CURDIR)/.hub
HUB_FACILITATORS ?= facilitator
HUB_PROXY := hub/proxy/node_modules/.bin/configurable-http-proxy
EXTRAMILE_JOURNAL_DIR ?= $(CURDIR)/journal
export EXTRAMILE_JOURNAL_DIR
# make workshop TEAMS="Blue,Green": sign-in offers only these teams (or set EXTRAMILE_TEAMS_FILE)
ifdef TEAMS
export EXTRAMILE_TEAMS := $(TEAMS)
endif
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: workshop lab test report bench browser haproxy hub hub-proxy clean-venv

# make workshop CERT=cert.pem KEY=key.pem: the room over HTTPS (facilitator_guide.md says when and how)
# make workshop WORKERS=2: two app processes behind HAProxy, for rooms over about 100 (the guide says when)
workshop: $(VENV)/.runtime $(if $(filter-out 1,$(WORKERS)),haproxy)
	$(BIN)/python -m extramile serve --host $(HOST) --port $(PORT) $(if $(CERT),--cert "$(CERT)") \
		$(if $(KEY),--key "$(KEY)") $(if $(WORKERS),--workers $(WORKERS))

lab: $(VENV)/.runtime
	$(BIN)/jupyter lab --notebook-dir=notebooks --ip=$(HOST) --port=$(LAB_PORT) \
		$$([ "$$(id -u)" = 0 ] && echo --allow-root) \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

test: $(VENV)/.test browser haproxy hub-proxy
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 tests notebooks --nbval-lax

report: $(VENV)/.runtime
	$(BIN)/python -m extramile report --journal "$(EXTRAMILE_JOURNAL_DIR)" --out report.html

bench: $(VENV)/.test browser haproxy hub-proxy
	$(BIN)/python benchmarks/run_all.py

$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.test: requirements-test.txt requirements-hub.txt $(VENV)/.runtime
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

# HAProxy shares the room's port among the app processes of `make workshop WORKERS=2`.
haproxy:
	@if command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's haproxy for rooms served by several processes..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; \
	else \
		echo "HAProxy is missing: install it with 'sudo apt-get install haproxy' to serve large rooms and test them."; \
		if [ "$$CI" = true ]; then echo "CI=true: a missing HAProxy fails the run."; exit 1; fi; \
	fi

# A JupyterHub on loopback to try the kit as a company would run it: trial mode (no OS users,
# no isolation: never for real participants), state and journal under .hub/. A hub left
# running by an earlier `make hub` is stopped first, by its pid file.
hub: $(VENV)/.hub hub-proxy
	@if [ -f "$(HUB_STATE)/jupyterhub.pid" ] && kill -0 "$$(cat "$(HUB_STATE)/jupyterhub.pid")" 2>/dev/null; then \
		echo "Stopping the hub already running (pid $$(cat "$(HUB_STATE)/jupyterhub.pid"))..."; \
		kill "$$(cat "$(HUB_STATE)/jupyterhub.pid")"; \
		while kill -0 "$$(cat "$(HUB_STATE)/jupyterhub.pid")" 2>/dev/null; do sleep 0.5; done; \
	fi
	@echo "Open http://$(HOST):$(HUB_PORT)/ and log in with any name and a new password of 7 or more"
	@echo "characters: the first login sets it. '$(HUB_FACILITATORS)' is in the facilitators group."
	EXTRAMILE_HUB_TRIAL=1 EXTRAMILE_HUB_URL=http://$(HOST):$(HUB_PORT) EXTRAMILE_HUB_STATE="$(HUB_STATE)" \
	EXTRAMILE_JOURNAL_STORE="$(HUB_STATE)/journal" EXTRAMILE_FACILITATORS="$(HUB_FACILITATORS)" \
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyterhub -f hub/jupyterhub_config.py

$(VENV)/.hub: requirements-hub.txt $(VENV)/.runtime
	$(PIP) install -r requirements-hub.txt
	touch $@

# JupyterHub's proxy (node), exactly as pinned by hub/proxy/package-lock.json.
hub-proxy:
	@if [ -x $(HUB_PROXY) ] && [ $(HUB_PROXY) -nt hub/proxy/package-lock.json ]; then exit 0; fi; \
	if command -v npm >/dev/null; then \
		npm ci --prefix hub/proxy --no-audit --no-fund --loglevel=error && touch $(HUB_PROXY); \
	else \
		echo "npm is missing: install Node.js 20 to run the hub tests and 'make hub'."; \
		if [ "$$CI" = true ]; then echo "CI=true: a missing proxy fails the run."; exit 1; fi; \
	fi
