# The only entry points a newcomer needs: make demo, make test (and make bench, make lint).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: venv demo test lint bench mutation shuffle reliability fuzz pull-roundtrip diff-concurrently clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

## demo: apply sql/ to the embedded PostgreSQL 18 of this project, twice (the second run is a no-op)
demo: $(STAMP)
	$(BIN)/schemactl apply sql
	$(BIN)/schemactl apply sql

## test: the whole suite, on $$SCHEMACTL_TEST_DSN if set, else on the embedded server
test: $(STAMP)
	$(BIN)/python -m pytest --durations=20 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/run.py

## mutation: weaken the RLS of sql/ one mutant at a time (docs/rls.md); tests/rls must kill every mutant (exit 1 if one survives)
mutation: $(STAMP)
	$(BIN)/schemactl rls mutate sql --jobs 2

## shuffle: the shuffle property test with 1000 examples (SCHEMACTL_SHUFFLE_EXAMPLES=N for more)
shuffle: $(STAMP)
	SCHEMACTL_SHUFFLE_EXAMPLES=$${SCHEMACTL_SHUFFLE_EXAMPLES:-1000} $(BIN)/python -m pytest tests/db/test_shuffle.py -k shuffled_order $(PYTEST_ARGS)

## reliability: kill apply at EVERY statement boundary, SIGKILL / restart it at 16 (tests/faults.py; make test samples), on $$SCHEMACTL_TEST_DSN if set, else embedded
reliability: $(STAMP)
	SCHEMACTL_FAULT_SAMPLE=$${SCHEMACTL_FAULT_SAMPLE:-all} SCHEMACTL_FAULT_PROCESS_SAMPLE=$${SCHEMACTL_FAULT_PROCESS_SAMPLE:-16} $(BIN)/python -m pytest tests/db/test_faults.py tests/db/test_faults_process.py -rP $(PYTEST_ARGS)

## fuzz: the fuzz tests (mutated SQL, hostile config incl. partitions/refresh tables) with 5000 examples (make test: 200; SCHEMACTL_FUZZ_EXAMPLES=N)
fuzz: $(STAMP)
	SCHEMACTL_FUZZ_EXAMPLES=$${SCHEMACTL_FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest tests/unit/test_fuzz_inputs.py tests/cli/test_fuzz_apply.py $(PYTEST_ARGS)

## pull-roundtrip: pull, order, apply and diff every diff case's b.sql (make test runs a sample of 12)
pull-roundtrip: $(STAMP)
	SCHEMACTL_PULL_ALL_CASES=1 $(BIN)/python -m pytest tests/db/test_pull.py -k diff_case $(PYTEST_ARGS)

## diff-concurrently: every index/constraint diff case round-tripped with --concurrently (make test runs 6)
diff-concurrently: $(STAMP)
	SCHEMACTL_DIFF_CONCURRENTLY_ALL=1 $(BIN)/python -m pytest tests/db/test_diff_cases.py -k concurrently $(PYTEST_ARGS)

clean:
	-$(BIN)/schemactl dev stop
	rm -rf .schemactl .pytest_cache
