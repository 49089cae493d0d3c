# The two commands a new user needs: `make run` (demo) and `make test` (every test).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
export DJANGO_SETTINGS_MODULE := recruiting.settings

.PHONY: run test bench install install-dev migrate clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Run the demo: sandbox, worker and web server, with demo data and a printed login.
run: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} bash bin/run-demo

## Run every test (PostgreSQL when DATABASE_URL is set, SQLite otherwise).
test: $(VENV)/.installed-dev
	@command -v $${CHROMIUM_PATH:-/usr/bin/chromium} >/dev/null 2>&1 || echo "Chromium is not installed: the browser tests will be skipped (in CI they fail). Install it with: sudo apt-get install -y chromium"
	$(PY) -m pytest $(PYTEST_ARGS)

## Benchmarks; results in bench/results.json.
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py

migrate: $(VENV)/.installed
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py migrate --noinput

clean:
	rm -rf var/celery-broker var/static
