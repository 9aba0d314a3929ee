# align: `make run` aligns the seeds, `make test` runs the tests. Both create .venv and install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
BENCH  ?= ../shared/bench
PIP     = $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test fuzz lint bench bench-quality chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test,formats,st,st-test,dask]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[bench]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/align run seeds/ --out out/

# Debian's Chromium for the browser test of the HTML report (tests/test_html.py), installed only if missing.
chromium:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null; then \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo -n ) sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium' \
	  || echo "chromium not installed: browser tests will be skipped"; fi

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check align tests bench
	$(BIN)/python -m pytest

# The fuzz tests with thousands of examples per property, and 500 per side file through the CLI (make test runs a
# small profile of the same tests).
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest tests/test_fuzz.py tests/test_fuzz_sidefiles.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check align tests bench

# Quality on the ../shared/bench dev corpora (both modes, seed 1): writes bench/quality.md.
bench-quality: $(VENV)/.installed-bench
	$(BIN)/python bench/quality.py --bench $(BENCH) --out bench-work --seed 1
	$(BIN)/python bench/textberg.py --bench $(BENCH) --out bench-work/textberg

# Speed against the encoder's limit and sentalign, scaling, cache, jobs: writes bench/results.json.
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/perf.py --bench $(BENCH) --work bench-work/perf

clean:
	rm -rf $(VENV) out bench-work .pytest_cache .ruff_cache
