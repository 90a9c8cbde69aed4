# The two set-up commands of the README: `make demo` and `make test`.
# Each installs what it needs (system packages, a virtualenv, the project).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.kreview-installed

.PHONY: demo test test-floor mutate bench bench-check install system-deps clean

# `make test` runs the suite in two processes (pytest-xdist), one per core of
# the 2-core machines it is built for; `make test TEST_WORKERS=0` runs it in
# one. --dist loadscope keeps a module's tests in one process, so a module's
# fixture (the 10,000-message database of test_tag_crash.py) is built once.
# Each test has its own HOME, XDG dirs, temporary databases and tmux socket
# (tests/conftest.py, tests/e2e/tmux.py), so the two never share a file.
# --max-worker-restart 0: a test that takes its process down (libnotmuch
# aborts on a C++ error) fails the run at once. A replaced worker under
# loadscope can wait for work that never comes (pytest-xdist issues 1323,
# 1378): CI saw a 90-minute hang after one SIGABRT.
TEST_WORKERS ?= 2

demo: $(STAMP)
	$(BIN)/kreview --demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadscope --max-worker-restart 0

# Mutation testing of the core modules that hold review facts (docs/testing.md).
# Not part of `make test` nor CI: it takes the better part of an hour. Run at
# the lowest priority and in one process, so the machine stays usable.
MUTATE_STAMP = $(VENV)/.kreview-mutation-installed

mutate: $(MUTATE_STAMP)
	rm -rf mutants
	nice -n 19 $(BIN)/mutmut run --max-children 1
	$(BIN)/python tools/mutation_report.py

$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,mutation]'
	touch $(MUTATE_STAMP)

# Not part of `make test`: the core and reader tests against the lowest
# version of each runtime dependency that pyproject.toml allows, in a
# virtualenv of their own (.venv-floor).
FLOOR_VENV ?= .venv-floor
test-floor: system-deps
	test -x $(FLOOR_VENV)/bin/python || $(PYTHON) -m venv $(FLOOR_VENV)
	$(PYTHON) scripts/floor_constraints.py > $(FLOOR_VENV)/floor-constraints.txt
	$(FLOOR_VENV)/bin/python -m pip install -q --upgrade pip
	$(FLOOR_VENV)/bin/python -m pip install -q -c $(FLOOR_VENV)/floor-constraints.txt -e '.[test]'
	$(FLOOR_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/core tests/tui

bench: $(STAMP)
	$(BIN)/python -m kreview.bench

# Not part of `make test`: a short benchmark judged against the speed budget
# and the stored baseline (kreview/bench/budget.py); exits 1 when a row fails.
bench-check: $(STAMP)
	$(BIN)/python -m kreview.bench --check

install: $(STAMP)

system-deps:
	sh scripts/install-system-deps.sh

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	sh scripts/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) $(FLOOR_VENV) .pytest_cache
