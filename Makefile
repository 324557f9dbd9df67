# The quick start: `make site` builds the example site, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check serve clean

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

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) output .pytest_cache .hypothesis
