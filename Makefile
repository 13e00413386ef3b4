# EVQ: `make run` builds a release evq and starts it; `make test` builds and runs every test.
SHELL := /bin/bash
SWIFT ?= swift
RELEASE_FLAGS := -c release --static-swift-stdlib
STATIC_FLAGS := -Xswiftc -static-executable -Xlinker -ltinfo -Xlinker -lbsd -Xlinker -lmd
# Without debug sections the binary is half the size and the loader maps less at start-up.
RELEASE_FLAGS += -Xswiftc -gnone -Xlinker --strip-all
BIN := .build/release/evq

.PHONY: run build test deps check-facts examples bench clean

# libedit (and the static libraries a fully static evq links) come from Debian's -dev packages;
# tmux drives the REPL tests through a pseudo-terminal.
deps:
	@if ! pkg-config --exists libedit || [ ! -f /usr/lib/x86_64-linux-gnu/libbsd.a ] || ! command -v tmux >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libedit-dev libbsd-dev libncurses-dev tmux; \
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

# The dataset's citations checked against the articles, when ../shared is beside the project.
check-facts:
	@if [ -x ../shared/tools/check-facts ]; then ../shared/tools/check-facts; else echo "check-facts: ../shared not present, skipped"; fi

# Rewrites the golden outputs of Examples/ from the current evq (review the diff before committing).
examples: build
	$(BIN) test --update Examples

bench: build
	@Benchmarks/startup.sh $(BIN)

clean:
	rm -rf .build
