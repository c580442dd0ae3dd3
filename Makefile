# sipdesk — the two commands a new machine needs: `make run` and `make test`.
VENV   := .venv
ifeq ($(OS),Windows_NT)
# python.org's installer gives `python`, and a venv keeps its programs in Scripts\.
PYTHON ?= python
BIN    := $(VENV)/Scripts
EXE    := .exe
else
PYTHON ?= python3
BIN    := $(VENV)/bin
EXE    :=
endif
# Exact versions for the suite, the build and CI (`make lock` refreshes them); `make run` installs
# within pyproject.toml's ranges, like any user's pip would.
CONSTRAINTS := constraints.txt
# Qt needs a platform plugin; tests and benchmarks never open a real screen.
HEADLESS := QT_QPA_PLATFORM=offscreen
# Under `faketime '2028-02-29 10:00' make test` (see README) only the date is fake: the monotonic
# clock that timers and timeouts wait on stays real (libfaketime reads this in each process).
export FAKETIME_DONT_FAKE_MONOTONIC := 1

.PHONY: run test lint bench faults dist lock clean

$(BIN)/python$(EXE):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "sipdesk behöver Python 3.11 eller senare")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python$(EXE)
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python$(EXE)
	$(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS) -e '.[test,dist]'
	@touch $@ $(VENV)/.run-installed

# On Linux, first: can Qt's xcb plugin load? (installs or names the missing system libraries)
run: $(VENV)/.run-installed
	@$(BIN)/python -m ui.platform_check
	$(BIN)/sipdesk $(ARGS)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint
	$(HEADLESS) $(BIN)/python -m pytest --durations=15 $(PYTEST_ARGS)

# Benchmarks at full size (tests/perf: 100,000 demo cases, timing targets asserted, a table printed).
# `make test` runs the same tests at a tiny size without timing targets, so none can rot unnoticed.
bench: $(VENV)/.test-installed
	SIPDESK_BENCH=full $(HEADLESS) $(BIN)/python -m pytest tests/perf -s -p no:cacheprovider \
		--override-ini "addopts=--strict-markers -ra" --timeout=0 $(PYTEST_ARGS)

# Fault tests at full size (tests/faults: concurrent edits, a restarted server, kill -9, hostile
# input, upgrades, backups); each prints its figures. `make test` runs them at a small size.
faults: $(VENV)/.test-installed
	SIPDESK_FAULTS=full $(HEADLESS) $(BIN)/python -m pytest tests/faults -p no:cacheprovider \
		--timeout=3600 $(PYTEST_ARGS)

dist: $(VENV)/.test-installed
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build build.spec

# Refreshes constraints.txt with the newest versions pyproject.toml's ranges allow, resolved in a
# throwaway venv. Then run `make test` and commit constraints.txt if it passes.
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	py="$$tmp/venv/$(notdir $(BIN))/python$(EXE)"; \
	"$$py" -m pip install --quiet --upgrade pip; \
	"$$py" -m pip install --quiet -e '.[test,dist]'; \
	made_with=$$("$$py" -c 'import platform; print(platform.python_version(), "on", platform.system())'); \
	{ echo "# Exact versions that make test, make dist and CI install (pip --constraint); make run"; \
	  echo "# keeps pyproject.toml's ranges. Resolved with Python $$made_with; make lock refreshes"; \
	  echo "# it. A package not listed (one only Windows or macOS needs) is left free."; \
	  "$$py" -m pip freeze --exclude-editable; } > "$$tmp/constraints.txt"; \
	mv "$$tmp/constraints.txt" $(CONSTRAINTS); \
	echo "$(CONSTRAINTS) uppdaterad; kör make test innan du checkar in den."

clean:
	rm -rf build dist .mypy_cache .pytest_cache .ruff_cache
