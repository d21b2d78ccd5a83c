# Communique: two commands for a fresh machine.
#   make run   - install, build the bundled ASEAN-ROK sample into communique.db, show it
#   make test  - install with test dependencies, run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= communique.db

.PHONY: run test install install-test bench clean

$(BIN)/communique: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv || true
	@if command -v uv >/dev/null 2>&1; then \
		uv sync --quiet --frozen --compile-bytecode --extra test --python $(PYTHON); \
	else \
		$(PYTHON) -m venv $(VENV) && $(BIN)/pip install --quiet -e '.[test]'; \
	fi
	@# byte-code compiled once here (pip does it, uv only when told): every build, worker process and
	@# query then skips compiling spaCy, numpy and our own modules again (about 3 s of CPU a process)
	@$(BIN)/python -m compileall -q -j 0 src >/dev/null || true
	@touch $@

install: $(BIN)/communique

install-test: install

HOST ?= 127.0.0.1
PORT ?= 8000

run: install
	$(BIN)/communique build --db $(DB)
	$(BIN)/communique stats --db $(DB)
	$(BIN)/communique serve --db $(DB) --host $(HOST) --port $(PORT)

test: install-test
	@set +e; $(BIN)/python -m pytest -q $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

bench: install
	$(BIN)/python -c "import bm25s" 2>/dev/null || uv pip install --quiet -p $(VENV) bm25s
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache $(DB) $(DB)-wal $(DB)-shm $(DB).lock
