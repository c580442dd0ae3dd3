# sipdesk — the two commands a new machine needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Qt needs a platform plugin; tests and benchmarks never open a real screen.
HEADLESS := QT_QPA_PLATFORM=offscreen

.PHONY: run test lint bench dist clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sipdesk behöver Python 3.11 eller senare")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	@touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/sipdesk $(ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(HEADLESS) $(BIN)/python -m pytest --durations=15 $(PYTEST_ARGS)

# Benchmarks (tests/perf, 100,000 demo cases): not part of `make test`, whose addopts ignore them.
bench: $(VENV)/.test-installed
	$(HEADLESS) $(BIN)/python -m pytest tests/perf -s -p no:cacheprovider \
		--override-ini "addopts=--strict-markers -ra" --timeout=0 $(PYTEST_ARGS)

dist: $(VENV)/.test-installed
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build build.spec

clean:
	rm -rf build dist .mypy_cache .pytest_cache .ruff_cache
