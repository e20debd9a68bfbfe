# hoso: two commands on a fresh machine — `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SITE_STAMP := $(VENV)/.installed-site

.PHONY: site serve test validate bench lint clean fuzz mutation

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,site]'
	touch $(STAMP)

# The site needs only the package and its site extra (MkDocs, Material), not the test tools:
# `make site` works on a machine that can reach nothing but the package index.
$(SITE_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[site]'
	touch $(SITE_STAMP)

## site: validate the records and build the site into site/
site: $(SITE_STAMP)
	$(BIN)/hoso site

## serve: build the site, then serve it (both languages) on http://127.0.0.1:8000
serve: site
	$(BIN)/python -m http.server 8000 --bind 127.0.0.1 --directory site

## validate: check every record, procedure and org file
validate: $(STAMP)
	$(BIN)/hoso validate

## test: the whole test suite (mypy's strict type check is one of its tests, tests/test_types.py), on
## every core, the 10 slowest tests listed
## (PYTEST_ARGS: more pytest options, e.g. "--durations=0" for every test's time). The modules of
## tests/slow_first.txt start first; an idle worker takes tests queued on the other (worksteal).
## Python writes its compiled files (__pycache__) during the run even where the machine sets
## PYTHONDONTWRITEBYTECODE (this one does): without them every `hoso` child process compiles the
## package again and every pytest worker rewrites every test module's asserts.
## One worker more than the cores this process may use: a worker that waits on a child process, the
## browser or a loopback server leaves its core to the third (two workers on two cores left 10 % of
## the run idle; three, 1 %).
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(len(os.sched_getaffinity(0)) + 1)' 2>/dev/null || echo auto)
PYTEST_ARGS ?=
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist worksteal --durations=10 $(PYTEST_ARGS)

## fuzz: the fuzzers of tests/test_fuzz*.py and the fast-path property tests with 2,000 examples each,
## drawn at random (`make test` draws a few dozen to a few hundred, the same ones on every run)
fuzz: $(STAMP)
	HOSO_FUZZ_EXAMPLES=2000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py tests/test_fuzz_fields.py tests/test_fastpath.py

## mutation: mutmut on the rule modules against the fast tests, score per module (MUTATION_ARGS:
## e.g. "checks calendar", "--per-function 2 checks"); equivalent mutants: tests/mutation/equivalent.txt
mutation: $(STAMP)
	$(BIN)/python tests/mutation/run.py $(MUTATION_ARGS)

## bench: issue 14's table, each row against its floor measured in the same run (N=1000,10000 by
## default); BENCH_ARGS=--national puts the cases in the national tree, "--sizes 1000,2000" is smaller
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## dist: the sdist and the wheel into dist/ (offline: the build tools come with .[test])
.PHONY: dist
dist: $(STAMP)
	rm -rf dist build
	$(BIN)/python -m build --no-isolation --outdir dist .

clean:
	rm -rf site .hoso-cache bench/out test-artifacts dist build/mutation
