# Front desk: two commands.
#
#   make run    install what is missing, build the client (release) and the relay, and serve
#               the app and /sync on http://127.0.0.1:8080 with its data under ./data/
#   make test   install what is missing, check formatting and clippy (both targets), and run
#               all three test levels: native `cargo test`, browser unit tests in headless
#               Chromium, and the Playwright end-to-end suite against the release build
#               served by the real relay; prints the client's size report on the way
#
# `.ci/run` runs `make test`. The other targets are steps of these two, and the benchmarks
# (figures, not part of `make test`): `make bench-relay` (the relay under load),
# `make bench-schedule` and `make bench-client` (a 10,000-appointment month, native and in
# the browser), `make bench-stock` and `make bench-stock-client` (a site of 2,000 items and
# 50,000 stock movements, native and in the browser).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run
# .ci/tools holds wasm-opt (npm's binaryen 116); it comes first so Trunk finds that version.
export PATH := $(CURDIR)/.ci/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# A CI run builds once from clean: incremental state would only take disk and time.
ifneq ($(filter true 1,$(CI)),)
export CARGO_INCREMENTAL := 0
endif

ADDR ?= 127.0.0.1:8080
DATA ?= ./data
ORG ?= main

.PHONY: bench-register bench-register-client bench-reports bench-reports-client bench-relay bench-schedule bench-sealing bench-stock bench-stock-client run test tools fetch client relay-release relay-debug lint test-native test-browser test-e2e size

run: tools client relay-release
	exec target/release/sync-server serve --addr $(ADDR) --data $(DATA) --dist ./dist --first-run-org $(ORG)

test: tools lint test-native test-browser client size relay-debug test-e2e

# Installs only what is missing; prints what it installs and what it skips.
tools:
	.ci/install-tools.sh

# Trunk builds with `cargo --offline`, so the crates must be on disk first.
fetch:
	cargo fetch

# The client, release build (cargo profile `wasm-release`, then wasm-opt -Oz) into dist/.
client: fetch
	trunk build --release

relay-release:
	cargo build --release -p sync-server

relay-debug:
	cargo build -p sync-server

# Formatting, and clippy with warnings as errors on both targets: the native crates with
# their tests, and the client as the browser builds it.
lint: fetch
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --target wasm32-unknown-unknown --all-targets -- -D warnings

# With a throwaway PostgreSQL cluster for the storage tests on PostgreSQL: pg_virtualenv
# (Debian's postgresql-common) makes it in a temporary directory (-t: even as root, so two
# runs at once, or one left by a killed run, never collide), on a free port that psql reads
# back, runs the tests with its settings and drops it; the machine's clusters are untouched.
test-native:
	pg_virtualenv -t sh -c 'SYNC_SERVER_TEST_POSTGRES="host=$$PGHOST port=$$(psql -XtAc "show port") user=$$PGUSER password=$$PGPASSWORD" exec cargo test --workspace'


# Every test file in app/tests/, in headless Chromium. The runner and its ChromeDriver
# settings come from .cargo/config.toml and app/webdriver.json.
BROWSER_TESTS := $(patsubst app/tests/%.rs,--test %,$(sort $(wildcard app/tests/*.rs)))
test-browser: fetch
	cargo test -p app --target wasm32-unknown-unknown $(BROWSER_TESTS)

size:
	.ci/size-report.sh

test-e2e:
	cd tests/e2e && npx playwright test

# The schedule on a 10,000-appointment month: clash detection, next free slot, reading the
# month and booking into it (tests/benches/schedule.rs). Figures, not assertions.
bench-schedule:
	cargo bench -p tests --bench schedule

# The schedule in headless Chromium, release client and relay: today's month of 10,000
# appointments loaded from IndexedDB and the Today page drawn, then bookings into it
# (tests/e2e/bench/month-10k.mjs, data from tests/examples/month_10k.rs). Prints medians
# and p90s and keeps them in tests/e2e/test-results/bench-client.txt; BENCH_PROFILE=1 adds
# a CPU profile. Figures, not assertions; not part of `make test`.
.PHONY: bench-client
bench-client: client
	cargo build --release -p sync-server
	cargo build --release -p tests --example month_10k
	cd tests/e2e && node bench/month-10k.mjs

# Supplies at a site far busier than any practice's: 2,000 items and 50,000 movements over
# twelve monthly logs (tests/benches/stock.rs, data from tests::stock): reorder suggestions,
# loading and reading the inventory, reading a month's log, posting one movement; prints
# the documents' sizes in bytes first. Generating the data takes about a minute. Figures,
# not assertions; not part of `make test`.
bench-stock:
	cargo bench -p tests --bench stock

# The patient register at 20,000 patients over its sixteen documents: bytes a patient
# costs, loading and reading it, type-ahead lookups and finding duplicates
# (tests/benches/register.rs). Figures, not assertions; not part of `make test`.
bench-register:
	cargo bench -p tests --bench register

# The manager's reports over a year of the demo clinic, natively (tests/benches/reports.rs)
# and in headless Chromium (app/benches/reports.rs): loading a site's year, each report
# computed, and the charts drawn. Figures, not assertions; not part of `make test`.
bench-reports:
	cargo bench -p tests --bench reports

bench-reports-client: fetch
	WASM_BINDGEN_TEST_TIMEOUT=900 cargo bench -p app --target wasm32-unknown-unknown --bench reports

# The same register in headless Chromium (app/benches/register.rs, wasm-bindgen-test's
# benchmark runner; the runner's limit raised, as the data takes a while to make):
# loading and reading it, type-ahead lookups. Figures, not assertions; not part of
# `make test`.
bench-register-client: fetch
	WASM_BINDGEN_TEST_TIMEOUT=900 cargo bench -p app --target wasm32-unknown-unknown --bench register

# What sealing and opening a bundle costs (end-to-end encryption), natively.
bench-sealing:
	cargo bench -p tests --bench sealing

# Supplies in headless Chromium, release client and relay: the same site written to
# IndexedDB, then after each reload the Stock tab opened until the item list shows its
# first rows (the inventory loaded from IndexedDB, read and drawn), and "Show all" until
# all 2,000 are there (tests/e2e/bench/stock-2k.mjs, data from tests/examples/stock_2k.rs).
# Prints medians and p90s and keeps them in tests/e2e/test-results/bench-stock.txt;
# BENCH_PROFILE=1 adds a CPU profile. Figures, not assertions; not part of `make test`.
bench-stock-client: client
	cargo build --release -p sync-server
	cargo build --release -p tests --example stock_2k
	cd tests/e2e && node bench/stock-2k.mjs

# Relay load (sync-server/examples/loadgen.rs): durable pushes/s, ack latency, fan-out,
# relay CPU, memory per idle connection and a new device catching up a busy year, with 40
# and 400 devices over 4 and 400 documents, on SQLite, then on PostgreSQL (a throwaway
# cluster, with fsync turned back on, which pg_virtualenv turns off). Not part of
# `make test`: figures, not assertions.
RELAY_LOADS := "40 200 600 1000 4" "40 200 600 0 400" "400 50 600 0 4" "400 50 600 0 400"
bench-relay: tools
	cargo build --release -p sync-server --bin sync-server --example loadgen
	for load in $(RELAY_LOADS); do target/release/examples/loadgen $$load; done
	pg_virtualenv -t sh -c 'psql -XqAc "ALTER SYSTEM SET fsync = on" && psql -XqAc "SELECT pg_reload_conf()" && \
		export LOADGEN_DATABASE="host=$$PGHOST port=$$(psql -XtAc "show port") user=$$PGUSER password=$$PGPASSWORD dbname=$$PGDATABASE" && \
		for load in $(RELAY_LOADS); do target/release/examples/loadgen $$load; done'
