# steep-repl entry points. Run as root, or as a user with sudo: steps that change the
# system (apt packages, installing into PostgreSQL's directories) use sudo when needed.
#
#   make install   build the Java worker/CLI jar and the extension, install both and the
#                  steep-repl launcher
#   make test      every test: pg_regress for the SQL API, JUnit unit and integration tests
#                  (first installing the PostgreSQL 18 binaries the integration tests start as
#                  a peer, scripts/install-pg18-peer.sh)
#   make demo      two throwaway local nodes with the extension: register, status, health
#   make bench     benchmarks (see bench/README.md)

PG_CONFIG ?= pg_config
PREFIX    ?= /usr/local
MVN       ?= mvn -B -q
MVN_TEST  ?= mvn -B -ntp
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JAR       := java/cli/target/steep-repl.jar

.PHONY: all deps test-deps build install test test-regress test-java demo bench clean

all: build

deps:
	@$(SUDO) scripts/install-deps.sh

test-deps: deps
	@$(SUDO) scripts/install-pg18-peer.sh

build: deps
	cd java && $(MVN) package -DskipTests
	$(MAKE) -C extension PG_CONFIG=$(PG_CONFIG)

install: build
	$(SUDO) $(MAKE) -C extension install PG_CONFIG=$(PG_CONFIG) JAR=$(CURDIR)/$(JAR)
	$(SUDO) scripts/install-launcher.sh "$(PREFIX)/bin/steep-repl" "$$($(PG_CONFIG) --sharedir)/extension/steep_repl/steep-repl.jar"

test: install test-regress test-java

test-regress:
	$(MAKE) -C extension regress PG_CONFIG=$(PG_CONFIG)

test-java: test-deps
	cd java && $(MVN_TEST) verify

demo: install
	scripts/demo.sh

bench: install
	bench/run.sh

clean:
	cd java && $(MVN) clean
	$(MAKE) -C extension clean
