# hoso: two commands on a fresh machine — `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SITE_STAMP := $(VENV)/.installed-site

.PHONY: site serve test validate bench lint clean

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

## test: the whole test suite (type checks included), on every core, the 10 slowest tests listed
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --durations=10

## bench: benchmarks against floors measured in the same run (N=1000,10000 by default)
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## dist: the sdist and the wheel into dist/ (offline: the build tools come with .[test])
.PHONY: dist
dist: $(STAMP)
	rm -rf dist build
	$(BIN)/python -m build --no-isolation --outdir dist .

clean:
	rm -rf site .hoso-cache bench/out test-artifacts dist
