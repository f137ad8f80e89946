# Growth Matrix — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev bench load mutation browser-test clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Local development server on SQLite with the demo organization; `make run PORT=8001` serves
# on another port. Migrations run quietly (errors still show); the demo logins are the last
# lines printed before the server's own output.
run: export DEBUG ?= true
# Links in emails and the ones printed below name the address this server listens on.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@$(PY) manage.py migrate --no-input -v 0
	@echo ""
	@echo "Growth Matrix is starting at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@$(PY) manage.py seed_demo
	@echo ""
	@$(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on PYTEST_WORKERS processes (pytest-xdist); `make test PYTEST_WORKERS=0` runs
# it in one process, which is easier to read when debugging.
PYTEST_WORKERS ?= 2
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

browser-test: install-dev
	$(VENV)/bin/pytest -m browser

bench: install-dev
	$(PY) bench/run.py

load: install-dev
	$(PY) load/run.py

# Mutation testing of the pure modules against their own tests; minutes, so not part of `make
# test`: run it after changing one. `make mutation MODULES=growth/careers.py` tests one.
mutation: install-dev
	$(PY) mutation/run.py $(MODULES)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
