# Two commands matter: `make demo` serves the demo portal, `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test lint check messages bench clean

setup: $(VENV)/.installed locale/.compiled node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q ".[dev]"
	touch $@

locale/.compiled: $(VENV)/.installed $(shell find locale */locale partner_center/*/locale -name '*.po' 2>/dev/null)
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv
	touch $@

# axe-core for the accessibility walk (tests/a11y); skipped where npm is missing.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility walk (tests/a11y) will be skipped"; fi

demo: setup
	bin/demo

test: setup
	bin/run-tests

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: setup
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: setup
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --no-obsolete

bench: setup
	bin/run-benchmarks

clean:
	rm -rf $(VENV) var locale/.compiled
