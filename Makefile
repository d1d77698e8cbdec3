# Charter - governance as code.  GNU make.
#
#   make            install missing build packages (as root), build charter,
#                   and render content/ into out/
#   make check      run every test; ends with "N passed, N failed"
#   make install    PREFIX=/usr/local DESTDIR=
#   make fuzz       libFuzzer targets for FUZZ_SECONDS each (clang)
#   make check-valgrind  the command-line suites under valgrind memcheck
#   make lint bench clean
#
# DEVELOPER=1 adds -Werror; SANITIZE=address,undefined builds with sanitizers.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DESTDIR	?=
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60

PKGS	= libcmark xlsxwriter yaml-0.1 sqlite3 zlib libzip libcrypto
# Debian packages: the libraries' -dev packages, and what the tests use.
DEBS	= pkg-config libcmark-dev libxlsxwriter-dev libyaml-dev libsqlite3-dev \
	  zlib1g-dev libzip-dev libssl-dev
TEST_DEBS = python3 python3-jsonschema python3-openpyxl python3-yaml sqlite3 \
	    chromium openjdk-17-jre-headless unzip faketime valgrind groff-base \
	    man-db

CFLAGS	?= -O2 -g
WARN	= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wpointer-arith -Wwrite-strings -Wvla
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) \
	  -MMD -MP $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
ifdef DEVELOPER
ALL_CFLAGS += -Werror
endif
ifdef SANITIZE
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	  -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif
# A sanitizer that owns malloc: Charter's own (src/util.c) stays out.
comma	:= ,
ifneq ($(filter address hwaddress leak memory thread,$(subst $(comma), ,$(SANITIZE))),)
ALL_CFLAGS += -DCHARTER_NO_MALLOC_WRAP
endif

# Recursively expanded: evaluated after the deps step has run.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm

LIB_SRCS = src/arena.c src/buf.c src/chart.c src/diag.c src/euaia.c \
	   src/evidence.c src/input.c src/log.c src/manifest.c src/md.c \
	   src/metrics.c src/model.c src/mustache.c src/outdir.c src/pack.c \
	   src/rules.c src/sample.c src/schema.c src/site.c src/util.c \
	   src/verify.c src/view.c src/xlsx.c src/ydoc.c src/zipw.c src/embedded.c \
	   src/diff.c
LIB_OBJS = $(LIB_SRCS:.c=.o)
OBJS	= src/main.o $(LIB_OBJS)
EMBED	= $(sort $(wildcard schemas/*.json schemas/*.yaml) \
	  $(shell find templates -type f 2>/dev/null | LC_ALL=C sort))
TEST_BINS = tests/unit tests/unit-metrics tests/schema-validate tests/fuzz-replay \
	    tests/outdir-test tests/chart-test tests/mustache-spec tests/zip-test \
	    tests/failmalloc.so
FUZZ_TARGETS = load template markdown pipeline

.PHONY: all deps test-deps content check check-sanitize check-valgrind \
	install uninstall clean lint fuzz bench regen readme-rules
.DELETE_ON_ERROR:

all: charter content

# Install what is missing: apt-get when root, else one line naming it.
deps:
	@missing=""; \
	command -v $(PKG_CONFIG) >/dev/null 2>&1 || missing="pkg-config"; \
	for p in $(PKGS); do \
		$(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "charter: installing $(DEBS)"; \
			apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			    $(DEBS) >/dev/null || exit 1; \
		else \
			echo "charter: missing libraries:$$missing; install" \
			    "them with: apt-get install $(DEBS)" >&2; \
			exit 1; \
		fi; \
	fi

test-deps:
	@missing=""; \
	for p in $(TEST_DEBS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "charter: installing test packages:$$missing"; \
			apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			    $$missing >/dev/null || exit 1; \
		else \
			echo "charter: tests need:$$missing; install them" \
			    "with: apt-get install$$missing" >&2; \
		fi; \
	fi
	@# Browser-test tools (tests/browser): playwright-core, axe-core and
	@# vnu-jar at the versions package-lock.json pins.  No install scripts:
	@# vnu-jar's would download a JDK; Debian's java is used instead.
	@if [ ! -d tests/browser/node_modules ] || \
	    [ tests/browser/package-lock.json -nt tests/browser/node_modules ]; then \
		if command -v npm >/dev/null; then \
			echo "charter: installing tests/browser node modules"; \
			(cd tests/browser && npm ci --no-audit --no-fund \
			    --ignore-scripts --loglevel=error >/dev/null) && \
			touch tests/browser/node_modules || exit 1; \
		else \
			echo "charter: browser tests need node and npm" >&2; \
		fi; \
	fi

$(OBJS) src/embed: | deps

charter: $(OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJS) $(ALL_LDFLAGS) $(PKG_LIBS)

src/%.o: src/%.c
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

# The embedding tool runs at build time only; no sanitizers, no -Werror.
src/embed: src/embed.c
	$(CC) -O1 -o $@ src/embed.c

src/embedded.c: src/embed $(EMBED) Makefile
	src/embed $@ $(EMBED)

# The main job: render the default governance repo into out/.
# The example's decision logs are generated, never committed.  Exit 1 is
# expected: content/ plants boundary breaches for the findings pages
# (tests/t-content.sh pins exactly which); anything worse fails the build.
content: charter
	./charter log sample --content content --problems --force --quiet
	./charter build --content content --out out || test $$? -eq 1

tests/%.o: tests/%.c
	$(CC) $(ALL_CFLAGS) -Isrc -c -o $@ $<

# The output-directory driver needs outdir.c, the manifest it may fill and
# the utilities.
tests/outdir-test: tests/outdir-test.o src/outdir.o src/manifest.o src/buf.o \
	    src/util.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

tests/unit: tests/unit.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

tests/unit-metrics: tests/unit-metrics.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

tests/schema-validate: tests/schema-validate.o $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# One replay program for every target: -DFUZZ_REPLAY leaves out each
# target's LLVMFuzzerTestOneInput, so they link together.
tests/fuzz/%.o: ALL_CFLAGS += -DFUZZ_REPLAY
tests/fuzz-replay: tests/fuzz/replay.o $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%.o) \
	    $(LIB_OBJS)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# The charts need only the buffer and the utilities.
tests/chart-test: tests/chart-test.o src/chart.o src/buf.o src/util.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) -lm

# The Mustache spec runner needs the engine and what it stands on.
tests/mustache-spec: tests/mustache-spec.o src/mustache.o src/arena.o \
	    src/buf.o src/diag.o src/manifest.o src/util.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# The zip writer's driver: zipw.c and what it stands on.
tests/zip-test: tests/zip-test.o src/zipw.o src/buf.o src/util.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS)

# The out-of-memory tests' shim (LD_PRELOAD, tests/t-hostile-build.sh):
# never sanitized, since a sanitizer owns malloc and would never call it.
tests/failmalloc.so: tests/failmalloc.c
	$(CC) -std=c11 $(WARN) $(if $(DEVELOPER),-Werror) $(CFLAGS) -fPIC \
	    -shared -o $@ tests/failmalloc.c $(LDFLAGS) -ldl

check: charter $(TEST_BINS) test-deps
	@sh tests/run.sh

# The command-line suites with charter under valgrind's memcheck: an
# error or a definite or indirect leak fails the case (exit 25).  Slow
# (about 20 times a normal run), so not part of check.
VALGRIND_SUITES = t-cli t-verify
check-valgrind: charter test-deps
	@VALGRIND=1 sh tests/run.sh $(VALGRIND_SUITES)

check-sanitize:
	$(MAKE) clean
	$(MAKE) DEVELOPER=1 SANITIZE=address,undefined CFLAGS="-O1 -g" check

# Rewrite the golden files from the current binary, for review in git diff.
regen: charter
	@sh tests/t-rules.sh --regen

# The README's rule reference comes from the rule table.
readme-rules: charter
	@sh tests/readme-rules.sh --write

# libFuzzer builds go to tests/fuzz/work/, never touching src/*.o.
fuzz: src/embedded.c
	@command -v clang >/dev/null || { echo "make fuzz needs clang" >&2; exit 1; }
	@mkdir -p tests/fuzz/work
	@for t in $(FUZZ_TARGETS); do \
		clang -O1 -g -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
		    -fsanitize=fuzzer,address,undefined -Isrc $(PKG_CFLAGS) \
		    -o tests/fuzz/work/fuzz_$$t tests/fuzz/fuzz_$$t.c \
		    $(LIB_SRCS) $(PKG_LIBS) || exit 1; \
		mkdir -p tests/fuzz/work/corpus_$$t; \
		tests/fuzz/work/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
		    -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		    -print_final_stats=1 \
		    tests/fuzz/work/corpus_$$t tests/fuzz/corpus/$$t || exit 1; \
	done

bench: charter tests/xlsx-bench test-deps
	@sh tests/bench.sh

# The yardstick for the workbook export (make bench only).
tests/xlsx-bench: tests/xlsx-bench.c
	$(CC) $(ALL_CFLAGS) -o $@ tests/xlsx-bench.c $(ALL_LDFLAGS) $(PKG_LIBS)

lint:
	@command -v cppcheck >/dev/null && cppcheck --quiet --std=c11 \
	    --enable=warning,portability --error-exitcode=1 \
	    --suppress=missingIncludeSystem -Isrc src/*.c || true

install: charter
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 charter $(DESTDIR)$(BINDIR)/charter
	install -m 0644 src/charter.1 $(DESTDIR)$(MANDIR)/man1/charter.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/charter $(DESTDIR)$(MANDIR)/man1/charter.1

.PHONY: clean-objs
clean-objs:
	rm -f src/*.o src/*.d tests/*.o tests/*.d tests/fuzz/*.o tests/fuzz/*.d

clean: clean-objs
	rm -f charter src/embed src/embedded.c $(TEST_BINS) tests/xlsx-bench
	rm -rf tests/fuzz/work tests/tmp content/logs

-include $(OBJS:.o=.d) tests/unit.d tests/unit-metrics.d tests/schema-validate.d \
	tests/fuzz/replay.d $(FUZZ_TARGETS:%=tests/fuzz/fuzz_%.d) \
	tests/outdir-test.d
-include tests/chart-test.d
-include tests/mustache-spec.d
-include tests/zip-test.d
