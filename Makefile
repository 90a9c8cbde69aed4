# The two set-up commands of the README: `make demo` and `make test`.
# Each installs what it needs (system packages, a virtualenv, the project).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.kreview-installed

.PHONY: demo test bench bench-check install system-deps clean

demo: $(STAMP)
	$(BIN)/kreview --demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

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
	rm -rf $(VENV) .pytest_cache
