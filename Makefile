# hoso: two commands on a fresh machine — `make site` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SITE_STAMP := $(VENV)/.installed-site

.PHONY: site serve test validate bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The site needs only the package and its runtime dependencies (MkDocs, Material), not the
# test tools: `make site` works on a machine that can reach nothing but the package index.
$(SITE_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
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

## test: the whole test suite (type checks included)
test: $(STAMP)
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

## bench: issue 14's table, each row against its floor measured in the same run (N=1000,10000 by
## default); BENCH_ARGS=--national puts the cases in the national tree, "--sizes 1000,2000" is smaller
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf site .hoso-cache bench/out test-artifacts
