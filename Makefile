# align: `make run` aligns the seeds, `make test` runs the tests. Both create .venv and install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
BENCH  ?= ../shared/bench
PIP     = $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test lint bench bench-quality clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test,st,st-test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[bench]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/align run seeds/ --out out/

test: $(VENV)/.installed-test
	$(BIN)/ruff check align tests bench
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check align tests bench

# Quality on the ../shared/bench dev corpora (both modes, seed 1): writes bench/quality.md.
bench-quality: $(VENV)/.installed-bench
	$(BIN)/python bench/quality.py --bench $(BENCH) --out bench-work --seed 1

# Speed against the encoder's limit and sentalign, scaling, cache, jobs: writes bench/results.json.
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/perf.py --bench $(BENCH) --work bench-work/perf

clean:
	rm -rf $(VENV) out bench-work .pytest_cache .ruff_cache
