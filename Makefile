# Two commands matter (see README.md): `make demo` and `make test`.
# Both create the virtual environment in .venv on first use and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
PLUGINS := $(wildcard plugins/*/pyproject.toml)

.PHONY: demo test lint typecheck unit docs schema-check schema bench clean browser postgresql \
	screenshots npm-from-debian

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

# The browser tests open the report in a real browser: Debian's Chromium (Playwright's own
# browser download is not used), with fonts for stable rendering, and axe-core from the npm
# registry, pinned in package-lock.json. Each is installed once: the Chromium rule runs only
# while the file is missing, and npm ci only when the lock file is newer than node_modules.
CHROMIUM := /usr/bin/chromium
CHROMIUM_PACKAGES := chromium fonts-liberation2 fonts-dejavu-core

# Installs Debian packages: as root, or through sudo; otherwise says what to run, and stops.
define apt_install
	@if [ "$$(id -u)" = 0 ]; then sudo=; \
	elif command -v sudo >/dev/null 2>&1; then sudo=sudo; \
	else echo "The tests need Debian's $(1). Install it as root:" >&2; \
	  echo "  apt-get update && apt-get install -y --no-install-recommends $(1)" >&2; exit 1; fi; \
	$$sudo apt-get update && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y --no-install-recommends $(1)
endef

$(CHROMIUM):
	$(call apt_install,$(CHROMIUM_PACKAGES))

# npm comes from Debian too where the machine has none.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || $(MAKE) --no-print-directory npm-from-debian
	npm ci --no-audit --no-fund
	touch $@

npm-from-debian:
	$(call apt_install,npm)

# The history store's tests run against a real PostgreSQL server: Debian's, whose initdb and
# pg_ctl the tests use to start a throwaway cluster on a local socket (no service is started,
# none is left running). The rule runs only while no initdb is installed, whatever the version.
POSTGRESQL_INITDB := $(firstword $(wildcard /usr/lib/postgresql/*/bin/initdb))

## postgresql: install what the history store's PostgreSQL tests need (Debian's postgresql)
postgresql:
ifeq ($(POSTGRESQL_INITDB),)
	$(call apt_install,postgresql)
else
	@:
endif

## browser: install what the browser tests need (Chromium, fonts, axe-core)
browser: $(CHROMIUM) node_modules/.package-lock.json

## demo: validate, show and measure the bundled Solihull example (its data are synthetic),
## recording the run in a history store (solihull.history.sqlite) and showing its history, then
## write its strategy on a page (solihull.html) and its report (report.html), dated today
DEMO_STORE := solihull.history.sqlite
demo: $(STAMP)
	$(BIN)/socialcouncil validate docs/examples/solihull.toml
	$(BIN)/socialcouncil show docs/examples/solihull.toml
	$(BIN)/socialcouncil measure docs/examples/solihull.toml --record --store $(DEMO_STORE)
	$(BIN)/socialcouncil history docs/examples/solihull.toml --store $(DEMO_STORE) --measure assisted-digital-sessions
	$(BIN)/socialcouncil export docs/examples/solihull.toml --to strategy-on-a-page --force
	$(BIN)/socialcouncil report docs/examples/solihull.toml -o report.html --force --store $(DEMO_STORE)

## test: lint, type-check, run the tests, check the examples against the model file's schema and
## build the docs with their doctests
test: lint typecheck unit schema-check docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks docs plugins conftest.py
	$(BIN)/ruff format --check src tests benchmarks plugins conftest.py

typecheck: $(STAMP)
	$(BIN)/mypy --strict src
	$(BIN)/mypy --strict tests conftest.py docs/examples/data/make_data.py
	$(BIN)/mypy --strict $(foreach p,$(PLUGINS),$(dir $(p))src)

unit: $(STAMP) $(WHEELHOUSE)/.built browser postgresql
	$(BIN)/pytest
	for plugin in $(dir $(PLUGINS)); do $(BIN)/pytest $$plugin || exit 1; done

docs: $(STAMP)
	$(BIN)/sphinx-build -n -W --keep-going -q -b html docs docs/_build/html
	$(BIN)/sphinx-build -n -W --keep-going -q -b doctest docs docs/_build/doctest

# The model file's JSON Schema, as committed in the package, checked by two third-party
# validators over every bundled model file: check-jsonschema (from PyPI, in the test group) and
# taplo (@taplo/cli from the npm registry, pinned in package-lock.json), which editors use too.
# docs/reference/broken.toml is wrong on purpose; tests/test_schema.py checks that it is refused.
SCHEMA := src/socialcouncil/_schema/model-file.schema.json
MODEL_FILES := $(filter-out docs/reference/broken.toml,\
	$(wildcard docs/examples/*.toml docs/how-to/*.toml docs/how-to/*/*.toml docs/tutorial/*.toml \
	docs/reference/*.toml src/socialcouncil/templates/*.toml plugins/*/src/*/*.toml))

schema-check: $(STAMP) node_modules/.package-lock.json
	$(BIN)/check-jsonschema --check-metaschema $(SCHEMA)
	$(BIN)/check-jsonschema --schemafile $(SCHEMA) $(MODEL_FILES)
	node_modules/.bin/taplo check --schema file://$(CURDIR)/$(SCHEMA) $(MODEL_FILES)

## schema: rewrite the committed schema (package and docs) after a change to the model or to
## the descriptions in docs/reference/file-format.md
schema: $(STAMP)
	$(BIN)/python docs/update_schema.py

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
	$(BIN)/python benchmarks/store.py

## screenshots: write the report's screenshots at 390 and 1280 px to docs/_static/
screenshots: $(STAMP) browser
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) node_modules docs/_build .mypy_cache .ruff_cache .pytest_cache .hypothesis
