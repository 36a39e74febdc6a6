# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# With DATABASE_URL / REDIS_URL unset, an embedded PostgreSQL and Redis run under .data/.

PYTHON_BOOTSTRAP ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PYTHON := $(VENV)/bin/python
LAUNCH := $(PYTHON) -m regional_platform.launcher

.PHONY: install demo test test-citus test-slow test-repeat run check lint typecheck format bench bench-scan bench-serve bench-screening bench-console bench-fleet bench-citus screenshots messages clean-data

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON_BOOTSTRAP) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

demo: install  ## migrate, create a demo region, serve web + worker + beat until Ctrl-C
	$(LAUNCH) demo

# Test processes in parallel (pytest-xdist, a database each): one per core; 0 runs the suite in one process.
PYTEST_WORKERS ?= auto

test: install  ## the whole suite against real PostgreSQL and Redis, but the slow tests (PYTEST_ARGS=... to narrow)
	$(LAUNCH) test -- -n $(PYTEST_WORKERS) -m "not slow" $(PYTEST_ARGS)

# How many worker nodes test-citus starts beside the coordinator, and what it runs on them: the whole suite but
# the launcher's own tests (they start servers of their own, not the cluster's).
CITUS_WORKERS ?= 2
CITUS_TESTS ?= tests --ignore=tests/test_launcher.py --ignore=tests/test_launcher_faults.py

test-citus: install  ## the suite on an embedded Citus cluster (built once; docs/citus.md)
	CITUS_WORKERS=$(CITUS_WORKERS) $(LAUNCH) test -- -n $(PYTEST_WORKERS) -m "not slow" $(CITUS_TESTS) $(PYTEST_ARGS)

test-slow: install  ## the slow scale, cluster and fault tests (none collected is not a failure)
	$(LAUNCH) test -- -n $(PYTEST_WORKERS) -m slow $(PYTEST_ARGS) || [ $$? -eq 5 ]

# How many times test-repeat runs each test.
COUNT ?= 20

test-repeat: install  ## the tests that wait on a real worker or browser, COUNT times each, with every core kept busy
	$(LAUNCH) test -- -n $(PYTEST_WORKERS) -p tests.cpu_hog -m "worker or browser" --count $(COUNT) $(PYTEST_ARGS)

run: install  ## any command with the services, e.g. make run CMD="python manage.py shell"
	$(LAUNCH) run -- $(CMD)

check: install  ## Django's system checks, the missing-migrations check and the expand-then-contract check
	$(LAUNCH) run -- sh -c "$(PYTHON) manage.py check && $(PYTHON) manage.py makemigrations --check --dry-run && $(PYTHON) manage.py migrations_expand_check"

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# mypy needs the settings only to read the models: nothing connects to these addresses.
typecheck: install  ## mypy with django-stubs over the regulation, the services and the selectors
	DATABASE_URL=postgres://unused@127.0.0.1:1/unused REDIS_URL=redis://127.0.0.1:1/0 $(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install  ## provisioning benchmark (N=50 schools by default)
	$(LAUNCH) run -- $(PYTHON) bench/provision.py $(BENCH_ARGS)

bench-scan: install  ## daily scan of 1,000 schools with one worker, and the region's ledger query
	$(LAUNCH) run -- $(PYTHON) bench/scan.py $(BENCH_ARGS)

bench-serve: install  ## serving benchmark: gunicorn against nginx (needs nginx and wrk)
	$(LAUNCH) run -- $(PYTHON) bench/serve.py $(BENCH_ARGS)

bench-screening: install  ## screening speed: a 2,000-word page, a 50-page PDF's text, 100,000 chars of punctuation
	$(LAUNCH) run -- $(PYTHON) bench/screening.py $(BENCH_ARGS)

bench-console: install  ## regional console: overview and CSV/XLSX exports with 1,000 schools in the ledger
	$(LAUNCH) run -- $(PYTHON) bench/console.py $(BENCH_ARGS)

bench-citus: install  ## the platform on an embedded Citus cluster against a single PostgreSQL, same run
	CITUS_WORKERS=$(CITUS_WORKERS) $(LAUNCH) run -- $(PYTHON) bench/citus.py $(BENCH_ARGS)

bench-fleet: install  ## a whole region on one PostgreSQL: 2,000 schools provisioned, migrated, checked, backed up
	$(LAUNCH) run -- $(PYTHON) bench/fleet.py $(BENCH_ARGS)

screenshots: install  ## desktop and phone screenshots of a demo school for the README (run `make demo` first)
	$(PYTHON) -m demo.screenshots $(SCREENSHOT_ARGS)

messages: install  ## refresh the kk/ru/en catalogues after changing strings or upgrading Wagtail (needs GNU gettext)
	$(PYTHON) -m regional_platform.vendor_catalogues
	$(LAUNCH) run -- sh -c "$(PYTHON) manage.py makemessages -l kk -l ru -l en --no-obsolete --ignore=.venv --ignore=.data && $(PYTHON) manage.py compilemessages --ignore=.venv"

clean-data:  ## forget the embedded databases (stop `make demo` first)
	rm -rf .data
