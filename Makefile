# The quick start: `make site` builds the example site, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test typecheck check serve clean bench bench-smoke

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

site: $(STAMP)
	$(BIN)/minutes build

check: $(STAMP)
	$(BIN)/minutes check

serve: $(STAMP)
	$(BIN)/minutes serve

# The type check of generator/ (settings in pyproject.toml), then every test.
test: typecheck
	$(BIN)/python -m pytest

typecheck: $(STAMP)
	$(BIN)/python -m mypy

# The performance benchmark against Hugo (docs/performance.md): `make bench` on size L,
# `make bench SIZE=S` for the smoke size, `make bench ONLY=ci,day` for some scenarios;
# `make bench-smoke` is what CI runs.
SIZE ?= L
RUNS ?= 3
ONLY ?=
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py $(SIZE) --runs $(RUNS)$(if $(ONLY), --only $(ONLY))

bench-smoke: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py S --runs 1 --no-save

clean:
	rm -rf $(VENV) output .pytest_cache .hypothesis
