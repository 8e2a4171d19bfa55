# The two commands in the README:
#   make run    install and start Crampwise (web page + API on http://127.0.0.1:8000, SQLite diary)
#   make test   install everything (test tools, chromium, PostgreSQL) and run every check
.PHONY: run install test lint typecheck kb unit e2e bench score clean

PY := .venv/bin/python

run: install
	.venv/bin/crampwise serve

install:
	scripts/setup.sh

test:
	scripts/setup.sh --dev
	$(MAKE) lint typecheck kb unit e2e score

lint:
	.venv/bin/ruff check src tests bench

typecheck:
	.venv/bin/mypy

kb:
	$(PY) -m crampwise.kb.build --check
	$(PY) -m crampwise.labs.build --check

unit:
	$(PY) -m pytest -q -p no:cacheprovider -m "not e2e" -n 2 --dist loadfile

e2e:
	$(PY) -m pytest -q -p no:cacheprovider -m e2e

score:
	$(PY) ../shared/evaluation/score.py ../shared/evaluation/cases-dev.jsonl --quiet \
	  --cmd ".venv/bin/crampwise assess --jsonl {cases}" \
	  --require "triage_acceptable>=0.95,emergency_sensitivity>=1,red_flag_recall>=0.95,factor_recall_top3>=0.9,drug_class_recall>=1,unsafe_plans==0,never_advice==0,errors==0"

bench:
	$(PY) bench/run_all.py

clean:
	rm -rf .venv build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
