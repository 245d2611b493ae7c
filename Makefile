# sf - the one build.
#
#   make            build sf (and its man pages)
#   make run        build, start the embedded database, show a tour
#   make check      every test, against a throwaway PostgreSQL cluster
#   make bench      benchmarks (not pass/fail)
#   make deps       install missing Debian packages
#   make install    install sf, its man pages and completions
#
# make SAN=1 ... builds into build-san/ with AddressSanitizer and UBSan.

PREFIX ?= /usr/local
SAN ?=
BUILD ?= build$(if $(SAN),-san)

# libmpv is compiled against but not linked: sf play loads it when it
# starts (lib/mpv_dl.h), so other commands start without its libraries.
PKGS := libpq jansson libcurl ncursesw libmicrohttpd libsodium readline
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) mpv 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

CFLAGS ?= -O2 -g
SF_LDFLAGS := -Wl,--as-needed
SF_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wno-missing-field-initializers \
	-Ilib -MMD -MP $(PKG_CFLAGS)
ifneq ($(CI),)
SF_CFLAGS += -Werror
endif
ifneq ($(WERROR),)
SF_CFLAGS += -Werror
endif
ifneq ($(SAN),)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SF_CFLAGS += $(SAN_FLAGS) -O1
SF_LDFLAGS += $(SAN_FLAGS)
endif

# Quiet rules: "CC lib/db.c"; make V=1 shows the commands.
ifeq ($(V),)
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
CMD_SRC := $(wildcard cmd/*.c)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
HARNESS_SRC := $(wildcard tests/harness/*.c)
HARNESS_OBJ := $(HARNESS_SRC:%.c=$(BUILD)/%.o)
CTEST_SRC := $(wildcard tests/unit/*.c tests/db/*.c)
CTEST_BIN := $(CTEST_SRC:%.c=$(BUILD)/%.t)
# Standalone programs the tests run (tests/tools/*.c: the shaping proxy).
TOOL_BIN := $(patsubst %.c,$(BUILD)/%,$(wildcard tests/tools/*.c))
# C benchmark programs: built like the C tests, run by tests/bench/*.sh.
BENCH_BIN := $(patsubst %.c,$(BUILD)/%.t,$(wildcard tests/bench/*.c))
MAN_SRC := $(wildcard man/*.scd)
MAN_OUT := $(MAN_SRC:%.scd=%)
SQL := $(sort $(wildcard sql/*.sql))

.PHONY: all run check bench deps install clean tests FORCE
.DELETE_ON_ERROR:
.SECONDARY:

all: $(BUILD)/sf $(MAN_OUT) $(if $(SAN),,sf)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(SF_CFLAGS) $(CFLAGS) -c -o $@ $<

# lib/route_openapi.c builds api/openapi.json in with .incbin.
$(BUILD)/lib/route_openapi.o: api/openapi.json

# The list of migration files, rewritten only when it changes, so that a
# renamed or removed migration regenerates migrations.c too.
$(BUILD)/gen/sql.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(SQL)' | cmp -s - $@ || echo '$(SQL)' > $@

$(BUILD)/gen/migrations.c: $(SQL) $(BUILD)/gen/sql.list tools/embed-sql
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)tools/embed-sql $(SQL) > $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(call say,CC,$<)$(CC) $(SF_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libsf.a: $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(BUILD)/sf: $(CMD_OBJ) $(BUILD)/libsf.a
	$(call say,LINK,$@)$(CC) $(SF_LDFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libsf.a $(PKG_LIBS)

# ./sf, for trying things by hand.
sf: $(BUILD)/sf
	$(Q)ln -sf $(BUILD)/sf $@

man/%: man/%.scd
	$(call say,SCDOC,$<)scdoc < $< > $@

$(BUILD)/tests/%.t: tests/%.c $(HARNESS_OBJ) $(BUILD)/libsf.a
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(SF_CFLAGS) $(CFLAGS) -Itests/harness $(SF_LDFLAGS) $(LDFLAGS) \
		-o $@ $< $(HARNESS_OBJ) $(BUILD)/libsf.a $(PKG_LIBS)

$(BUILD)/tests/tools/%: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(call say,LINK,$@)$(CC) $(SF_CFLAGS) $(CFLAGS) $(SF_LDFLAGS) $(LDFLAGS) -o $@ $< -lpthread

$(BUILD)/tests/harness/%.o: tests/harness/%.c
	@mkdir -p $(dir $@)
	$(call say,CC,$<)$(CC) $(SF_CFLAGS) $(CFLAGS) -c -o $@ $<

tests: $(BUILD)/sf $(CTEST_BIN) $(BENCH_BIN) $(TOOL_BIN) $(MAN_OUT)

check: deps
	$(MAKE) --no-print-directory tests
	tests/run $(BUILD)

bench: deps
	$(MAKE) --no-print-directory all $(BENCH_BIN)
	tests/bench/run $(BUILD)

deps:
	@tools/deps

run: deps
	$(MAKE) --no-print-directory all
	tools/tour $(BUILD)/sf

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BUILD)/sf $(DESTDIR)$(PREFIX)/bin/sf
	install -m 644 $(MAN_OUT) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 completions/sf.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sf
	install -m 644 completions/_sf $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_sf
	install -m 644 completions/sf.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/sf.fish

clean:
	rm -rf build build-san sf $(MAN_OUT)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
