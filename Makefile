# The one entry point for people and CI. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the project's patches installed first (rasa_ext/__main__.py).
RASA := $(PY) -m rasa_ext
SETUP_STAMP := $(VENV)/.setup-complete
SPACY_MODEL := build/spacy-en-clinic
MODEL_STAMP := models/.trained
# The folders too: a data file removed or renamed changes only its folder's time.
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' -o -type d 2>/dev/null) \
	content/topics.yml content/details.yml \
	$(wildcard rasa_ext/nlu/*.py rasa_ext/nlu/*.yml)
export TF_CPP_MIN_LOG_LEVEL ?= 2
# Nothing leaves the machine: no Rasa telemetry or error reports (docs/security.md).
export RASA_TELEMETRY_ENABLED ?= false
export PYTHONHASHSEED ?= 0
# The secret Rasa sends the action server (endpoints.yml reads it, so every
# Rasa command needs it): the caller's, or one kept in var/action-server.token.
ifndef ACTION_SERVER_TOKEN
ACTION_SERVER_TOKEN := $(shell scripts/action-token.sh)
endif
export ACTION_SERVER_TOKEN

.PHONY: help setup train run shell interactive actions check test lint unit validate \
	conversations nlu-heldout dialogues e2e channels browser browser-setup screenshots nginx-setup integration \
	production images security faults forget staff-user retention take-review console \
	bench bench-smoke bench-console bench-handoff bench-soak eval lock clean

help: ## Show this list
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

WIDGET := web/node_modules/deep-chat/dist/deepChat.bundle.js

setup: $(SETUP_STAMP) $(SPACY_MODEL)/patterns.sha $(WIDGET) ## Create .venv, install pinned dependencies, build the spaCy pipeline, install the widget

$(SETUP_STAMP): requirements.in requirements-dev.in constraints.txt pyproject.toml
	@[ -x $(PY) ] || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check \
		-r requirements.in -r requirements-dev.in -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(WIDGET): web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# The script rewrites the pipeline only when it is stale; the touch keeps make
# from re-running it (a 7 s import) on every command after an unrelated edit.
$(SPACY_MODEL)/patterns.sha: rasa_ext/nlu/entity_patterns.yml rasa_ext/nlu/spacy_pipeline.py $(SETUP_STAMP)
	$(PY) -m rasa_ext.nlu.spacy_pipeline $(SPACY_MODEL)
	@touch $@

train: setup $(MODEL_STAMP) ## Train a model when data, domain or config changed since the last one

# The stamp takes the time training started, so data edited while it trains trains again.
$(MODEL_STAMP): $(TRAIN_INPUTS) $(SPACY_MODEL)/patterns.sha
	@mkdir -p models && touch $@.started
	$(RASA) train --quiet
	@mv $@.started $@

run: train ## Start the assistant (action server + Rasa with REST and socket.io) on embedded defaults
	scripts/run.sh

shell: train ## Chat with the bot in the terminal (starts the action server too)
	scripts/shell.sh

interactive: setup ## Improve training data with `rasa interactive`
	scripts/shell.sh interactive

actions: setup ## Start only the action server (127.0.0.1:5055, needs X-Action-Token)
	$(PY) -m actions.server --port 5055

lint: setup ## ruff (lint + format check) and mypy on every package
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

unit: setup ## Unit tests (no servers, no databases): clinic, rasa_ext, actions, staff, web, content, bench
	$(PY) -m pytest tests/unit -q

validate: setup ## rasa data validate --fail-on-warnings
	$(RASA) data validate --fail-on-warnings --quiet

conversations: train ## Conversation tests with rasa test --fail-on-prediction-errors
	$(RASA) test core --stories tests/conversations --e2e --fail-on-prediction-errors --out results/conversations

nlu-heldout: train ## Held-out NLU accuracy against the asserted floor
	$(PY) -m pytest tests/nlu -q

dialogues: train ## Realistic conversations written apart from the training data, against floors (tests/dialogues)
	$(PY) -m pytest tests/dialogues -q

e2e: train ## End-to-end: start the real servers and ask them every fact over HTTP
	$(PY) -m pytest tests/e2e -q

channels: train ## Telegram, Slack, Messenger and Twilio webhooks against the running server
	$(PY) -m pytest tests/channels -q

browser-setup: ## Install Debian's Chromium and an emoji font for the browser tests (needs root or sudo)
	@{ command -v chromium >/dev/null && [ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]; } || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-color-emoji; }

browser: train browser-setup ## The chat widget in headless Chromium (screenshots in tests/artifacts/)
	$(PY) -m pytest tests/browser -q

screenshots: browser ## Retake docs/screenshots/ (every console page and the live chat, two widths)
	$(PY) -m tests.browser.screenshots

nginx-setup: ## Install Debian's nginx for the scale-out test (needs root or sudo)
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			$$SUDO apt-get install -y -qq --no-install-recommends nginx; }

production: train nginx-setup ## Scale-out test: two replicas behind nginx on PostgreSQL + Redis
	$(PY) -m pytest tests/production -q

check: lint unit validate ## Quick feedback, no services: lint, mypy, unit tests, rasa data validate

test: check train conversations nlu-heldout dialogues e2e channels browser console security faults integration production images bench-smoke ## Set up and run every test (what CI runs)

integration: setup ## Tests against the machine's Redis (the lock store)
	$(PY) -m pytest tests/integration -q

images: setup nginx-setup $(WIDGET) ## Each deploy image's files, assembled as its Dockerfile copies them, started from only those
	$(PY) -m pytest tests/deploy -q

faults: train nginx-setup ## Fault tests: action server, PostgreSQL, Redis (private ones) and Rasa really stopped and started
	$(PY) -m pytest tests/faults -q

forget: setup ## Delete one visitor's conversation, calendars and console rows on request: make forget SENDER=...
	@[ -n "$(SENDER)" ] || { echo "Usage: make forget SENDER=<conversation id>" >&2; exit 2; }
	$(PY) -m staff.conversations --endpoints "$${ENDPOINTS:-endpoints.yml}" forget "$(SENDER)"

staff-user: setup ## Create a staff console account (the first is the administrator; ADMIN=1 for more) or set its password: make staff-user NAME=...
	@[ -n "$(NAME)" ] || { echo "Usage: make staff-user NAME=<name> (ADMIN=1 makes an administrator, REMOVE=1 deletes it)" >&2; exit 2; }
	$(PY) -m staff.accounts --endpoints "$${ENDPOINTS:-endpoints.yml}" $(if $(REMOVE),remove,add $(if $(ADMIN),--admin)) "$(NAME)"

retention: setup ## Delete conversations older than clinic.yml's retention_days (the web app also does it daily)
	$(PY) -m staff.conversations --endpoints "$${ENDPOINTS:-endpoints.yml}" retention

take-review: setup ## After checking review/new-wording.yml (filed in the console), move it into data/nlu/ and train
	$(PY) -m staff.review take
	$(MAKE) train

console: setup ## Tests of the staff console: unit, web routes and security (the browser ones are in `make browser`)
	$(PY) -m pytest tests/console -q

security: train ## Input limits, session binding and a fuzzer against the running Rasa server and web app
	$(PY) -m pytest tests/security -q

bench: train ## Benchmark vs stock Rasa and the HTTP floor (about an hour the first time, stock training included; bench/README.md)
	$(PY) -m bench.run

bench-console: setup ## Console page times on a store of 10,000 seeded conversations (bench/console.py)
	$(PY) -m bench.console

bench-handoff: train nginx-setup ## Live chat: a staff message to a widget visitor, p50/p95 over 100 (embedded and two replicas; bench/handoff.py)
	$(PY) -m bench.handoff

bench-soak: train ## Memory over 10 minutes: 20 REST visitors, a new conversation every 3 messages, Rasa's RSS every 30 s (bench/soak.py)
	$(PY) -m bench.soak --minutes 10 --visitors 20 --turns-per-conversation 3

bench-smoke: train ## A few benchmark requests, so `make bench` keeps working (part of `make test`)
	$(PY) -m bench.run --smoke

eval: train ## NLU quality on the held-out set, this configuration beside stock (bench/results/)
	$(PY) -m bench.eval_nlu

lock: ## Re-resolve constraints.txt from requirements*.in (needs the package index)
	scripts/lock.sh

clean: ## Remove trained models, build output and local conversation data
	rm -rf models/*.tar.gz $(MODEL_STAMP) $(MODEL_STAMP).started build results var
