# EVQ: `make run` builds a release evq and starts it; `make test` builds and runs every test.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_FLAGS := -c release --static-swift-stdlib
STATIC_FLAGS := -Xswiftc -static-executable -Xlinker -ltinfo -Xlinker -lbsd -Xlinker -lmd
# Without debug sections the binary is half the size and the loader maps less at start-up.
RELEASE_FLAGS += -Xswiftc -gnone -Xlinker --strip-all
BIN := .build/release/evq

.PHONY: run build test deps check-facts examples bench clean fuzz report-check soak engines-test spark-test

# libedit (and the static libraries a fully static evq links) come from Debian's -dev packages;
# tmux drives the REPL tests through a pseudo-terminal; rsvg-convert renders the SVG test's picture.
deps:
	@if ! pkg-config --exists libedit || [ ! -f /usr/lib/x86_64-linux-gnu/libbsd.a ] || ! command -v tmux >/dev/null \
		|| ! command -v rsvg-convert >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libedit-dev libbsd-dev libncurses-dev tmux librsvg2-bin; \
	fi

# A fully static binary starts fastest; if static linking fails, fall back to a static Swift runtime only.
build: deps
	@$(SWIFT) build $(RELEASE_FLAGS) $(STATIC_FLAGS) 2>&1 | tail -3 || true
	@test -x $(BIN) || $(SWIFT) build $(RELEASE_FLAGS)

run: build
	@$(BIN)

test: build check-facts
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(BIN) test Examples
	@$(MAKE) --no-print-directory engines-test
	@$(MAKE) --no-print-directory report-check

# Every Examples/*.evq again on DuckDB and on PostgreSQL, each filled by `evq push`, byte for byte; hostile text
# through push and query; and each way an engine fails (Tests/Engines/). DuckDB's CLI comes from the duckdb-cli
# PyPI package, installed into .build-bench/venv when missing (python3-venv from apt if need be); PostgreSQL from
# Debian's packages, a private cluster started on a free port and stopped at the end. About 20 s.
engines-test: build
	@python3 -m venv --help >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv python3-pip >/dev/null; }
	@Tests/Engines/duckdb.sh $(BIN) .build/engines/duckdb
	@Tests/Engines/postgres.sh $(BIN) .build/engines/postgres

# Every Examples/*.evq again on Spark SQL in local mode, on the Parquet tables `evq push --engine spark:DIR` wrote,
# byte for byte, with hostile text and each way Spark fails (Tests/Engines/spark.sh). PySpark comes from PyPI into
# .build-bench/venv and Java 17 from Debian's packages, each installed when missing. Its own target, not part of
# `make test`: Spark takes a few seconds to start for every evq process, about 3 minutes in all; CI runs it.
spark-test: build
	@python3 -m venv --help >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv python3-pip >/dev/null; }
	@Tests/Engines/spark.sh $(BIN) .build/engines/spark

# The HTML report as a browser shows it: headless Chromium (Debian's package, installed when missing) takes the
# Examples page at desktop and phone widths and prints it; the phone layout is measured (no sideways scrolling).
# Look at the pictures in .build/report/ (desktop.png, phone.png, print.pdf) after changing the page.
report-check: build
	@if ! command -v chromium >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	fi
	@Tests/Report/screenshots.sh $(BIN) .build/report

# The dataset's citations checked against the articles, when ../shared is beside the project.
check-facts:
	@if [ -x ../shared/tools/check-facts ]; then ../shared/tools/check-facts; else echo "check-facts: ../shared not present, skipped"; fi

# Hostile data at size under a memory ceiling (Tests/Soak/soak.sh): 5 million disagreeing rows and 100,000
# entities, loaded and queried with `ulimit -v`; fails past its time, memory or output limits. About a minute.
soak: build
	@Tests/Soak/soak.sh $(BIN) .build/soak

# Rewrites the golden outputs of Examples/ from the current evq (review the diff before committing).
examples: build
	$(BIN) test --update Examples

# Start-up against sqlite3, then load and query speed at 100k, 1M and 10M rows against sqlite3 and DuckDB
# (BENCH_SIZES, QUERY_REPEATS, LOAD_REPEATS: see Benchmarks/scale.sh; results also in .build-bench/results.md).
# It installs what it compares with when missing: hyperfine, sqlite3 and time with apt-get, and DuckDB's CLI
# with pip into .build-bench/venv (not a dependency of evq). Then Benchmarks/threads.sh: loading and ranking
# at 1, 2, 4… threads beside DuckDB given as many (THREADS, ROWS, REPEATS). Then Benchmarks/engines.sh: the
# questions through --engine duckdb: and postgres:// beside each engine's shell running the hand-written SQL
# (ENGINE_SIZES, RUNS; a private PostgreSQL cluster). About 10 minutes and 3 GB of generated files and databases.
bench: build
	@Benchmarks/startup.sh $(BIN)
	@Benchmarks/scale.sh $(BIN)
	@Benchmarks/threads.sh $(BIN)
	@Benchmarks/engines.sh $(BIN)
	@Benchmarks/spark.sh $(BIN)

clean:
	rm -rf .build

# libFuzzer over the whole EVQ library (lexer, parser, evaluator, renderers, completer, CSV loaders) for
# FUZZ_SECONDS, seeded from Examples/ and the embedded data; see Fuzz/FuzzTarget.swift. Built with swiftc
# into .build-fuzz (SwiftPM's embedded resources generated by Fuzz/embed.sh); the corpus grows in
# .build-fuzz/corpus across runs. Fails if an input crashes (a Swift trap: index out of range, overflow,
# force-unwrap…), takes over 5 s or needs over 2 GB; the reproducer is left in .build-fuzz/ (crash-*,
# timeout-*, oom-*). Replay one with `.build-fuzz/evq-fuzz FILE`. The library has no unsafe code, so
# AddressSanitizer is off by default (it halves the executions per second); FUZZ_ASAN=1 turns it on.
FUZZ_SECONDS ?= 60
FUZZ_ASAN ?= 0
FUZZ_FLAGS ?=
SWIFTC ?= swiftc
FUZZ_DIR := .build-fuzz
FUZZ_BIN := $(FUZZ_DIR)/evq-fuzz$(if $(filter 1,$(FUZZ_ASAN)),-asan)
comma := ,
FUZZ_SANITIZERS := fuzzer$(if $(filter 1,$(FUZZ_ASAN)),$(comma)address)
FUZZ_SWIFT := $(shell find Sources/EVQ -name '*.swift' | sort)
FUZZ_DATA := $(sort $(wildcard Sources/EVQ/Data/*.csv))

$(FUZZ_DIR)/embedded_resources.swift: Fuzz/embed.sh $(FUZZ_DATA)
	@mkdir -p $(FUZZ_DIR)
	@Fuzz/embed.sh $@ $(FUZZ_DATA)

$(FUZZ_BIN): $(FUZZ_SWIFT) $(FUZZ_DIR)/embedded_resources.swift Fuzz/FuzzTarget.swift
	@echo "swiftc -sanitize=$(FUZZ_SANITIZERS) … -o $@"
	@$(SWIFTC) -swift-version 6 -parse-as-library -O -g -sanitize=$(FUZZ_SANITIZERS) -use-ld=lld \
		-module-name EVQFuzz $(FUZZ_SWIFT) $(FUZZ_DIR)/embedded_resources.swift Fuzz/FuzzTarget.swift -o $@

# Prints libFuzzer's progress without the per-input NEW/REDUCE/NEW_FUNC lines and the recommended dictionary,
# then the number of executions; the whole log is in .build-fuzz/fuzz.log. Swift's own crash backtracer
# is off while fuzzing (it would take the trap's signal from libFuzzer, which then writes no reproducer);
# a crash's reproducer is then replayed once with it on, for a readable Swift stack trace.
fuzz: $(FUZZ_BIN)
	@Fuzz/seeds.sh $(FUZZ_DIR)/seeds
	@mkdir -p $(FUZZ_DIR)/corpus
	@SWIFT_BACKTRACE=enable=no ASAN_SYMBOLIZER_PATH=$${ASAN_SYMBOLIZER_PATH:-$$(command -v llvm-symbolizer)} \
	$(FUZZ_BIN) $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds -dict=Fuzz/evq.dict -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -timeout=5 -rss_limit_mb=2048 -artifact_prefix=$(FUZZ_DIR)/ -print_final_stats=1 $(FUZZ_FLAGS) \
		2>&1 | tee $(FUZZ_DIR)/fuzz.log | sed -e '/^###### Recommended dictionary/,/^###### End of recommended/d' \
		-e '/^#[0-9]*[[:space:]]*\(NEW\|REDUCE\) /d' -e '/^[[:space:]]*NEW_FUNC/d'; status=$${PIPESTATUS[0]}; \
	runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_DIR)/fuzz.log | tail -1); \
	echo "fuzz: $${runs:-?} executions (FUZZ_SECONDS=$(FUZZ_SECONDS)), exit status $$status (log: $(FUZZ_DIR)/fuzz.log)"; \
	for a in $$(sed -n 's/^.*Test unit written to //p' $(FUZZ_DIR)/fuzz.log); do \
		echo "fuzz: reproducer $$a — replay: $(FUZZ_BIN) $$a"; \
		case $$a in *crash-*) SWIFT_BACKTRACE=enable=yes,interactive=no,color=no $(FUZZ_BIN) $$a 2>&1 \
			| grep -E '^\*\*\* |^ *[0-9]+ .* in evq-fuzz' | head -14;; esac; \
	done; \
	exit $$status
