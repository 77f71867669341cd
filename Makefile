# Two commands matter (see README.md): `make demo` and `make test`.
# Both create the virtual environment in .venv on first use and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
PLUGINS := $(wildcard plugins/*/pyproject.toml)

.PHONY: demo test lint typecheck unit docs bench clean

# The councils' plugin packages in plugins/ are installed too, as a council would install them.
$(STAMP): pyproject.toml $(PLUGINS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet --editable ".[yaml]" --group dev
	$(BIN)/python -m pip install --quiet --no-deps $(foreach p,$(PLUGINS),--editable $(dir $(p)))
	touch $(STAMP)

# What a plugin made by `socialcouncil new-plugin` needs, as wheels (socialcouncil's own is built
# fresh by the test), so that the test installing one into a fresh environment runs offline.
WHEELHOUSE := $(VENV)/wheelhouse
$(WHEELHOUSE)/.built: $(STAMP) Makefile
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(WHEELHOUSE) . "pytest>=8" "hypothesis>=6" "hatchling>=1.27" editables
	rm -f $(WHEELHOUSE)/socialcouncil-*.whl
	touch $@

## demo: validate, show and measure the bundled Solihull example (its data are synthetic), then
## write its strategy on a page (solihull.html) and its report (report.html), dated today
demo: $(STAMP)
	$(BIN)/socialcouncil validate docs/examples/solihull.toml
	$(BIN)/socialcouncil show docs/examples/solihull.toml
	$(BIN)/socialcouncil measure docs/examples/solihull.toml
	$(BIN)/socialcouncil export docs/examples/solihull.toml --to strategy-on-a-page --force
	$(BIN)/socialcouncil report docs/examples/solihull.toml -o report.html --force

## test: lint, type-check, run the tests and build the docs with their doctests
test: lint typecheck unit docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs plugins conftest.py
	$(BIN)/ruff format --check src tests benchmarks plugins conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict src
	$(BIN)/mypy --strict tests conftest.py docs/examples/data/make_data.py
	$(BIN)/mypy --strict $(foreach p,$(PLUGINS),$(dir $(p))src)

unit: $(STAMP) $(WHEELHOUSE)/.built
	$(BIN)/pytest
	for plugin in $(dir $(PLUGINS)); do $(BIN)/pytest $$plugin || exit 1; done

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html
	$(BIN)/sphinx-build -n -W --keep-going -q -b doctest docs docs/_build/doctest

## bench: print the performance figures (needs the bench dependency group)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --group bench
	$(BIN)/python benchmarks/import_time.py
	$(BIN)/python benchmarks/load_json.py
	$(BIN)/python benchmarks/load_yaml.py
	$(BIN)/python benchmarks/plugin_startup.py
	$(BIN)/python benchmarks/measure_survey.py
	$(BIN)/python benchmarks/measure_timebank.py
	$(BIN)/python benchmarks/measure_networks.py

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .ruff_cache .pytest_cache .hypothesis
