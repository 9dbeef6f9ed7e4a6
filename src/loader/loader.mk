# src/loader/loader.mk: the in-guest ELF loader, a static PIE without libc
# (entry.S says why a PIE), and its tests.  Included by the top-level Makefile.

LOADER_SRC := $(wildcard src/loader/*.c src/loader/*.S)
LOADER_OBJ := $(patsubst src/loader/%,$(B)/loader/%.o,$(basename $(LOADER_SRC)))

# -mgeneral-regs-only: the loader never touches the FPU/SSE state, so the
# program starts with the kernel's.  -fvisibility=hidden: every symbol is
# reached pc-relatively, which relocate.c relies on.
LOADER_CFLAGS := -Os -g -std=gnu11 -ffreestanding -fno-builtin -fno-stack-protector \
	-fPIE -fvisibility=hidden -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fcf-protection=none -Isrc -MMD -MP
LOADER_LDFLAGS := -nostdlib -static-pie -Wl,-z,noexecstack

$(B)/umbra-loader: $(LOADER_OBJ)
	$(CC) $(LOADER_CFLAGS) $(LOADER_LDFLAGS) -o $@ $^

$(B)/loader/%.o: src/loader/%.c
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) $(WARN) -c -o $@ $<

$(B)/loader/%.o: src/loader/%.S
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_CFLAGS) -c -o $@ $<

# Tests: the loader run standalone on the host (tests/loader/run.sh).
LT := $(B)/tests/loader
LOADER_TEST_CFLAGS := -O2 -g -D_GNU_SOURCE $(WARN)
LOADER_PROBES := $(LT)/probe-pie $(LT)/probe-nopie $(LT)/probe-static \
	$(LT)/probe-static-pie $(LT)/probe-execstack $(LT)/probe-align2m
ifneq ($(shell command -v musl-gcc 2>/dev/null),)
LOADER_PROBES += $(LT)/probe-musl $(LT)/probe-musl-static
endif

# One probe source, built every way a program can be linked.
$(LT)/probe-pie:        LOADER_PROBE := -fPIE -pie
$(LT)/probe-nopie:      LOADER_PROBE := -fno-PIE -no-pie
$(LT)/probe-static:     LOADER_PROBE := -fno-PIE -static
$(LT)/probe-static-pie: LOADER_PROBE := -fPIE -static-pie
$(LT)/probe-execstack:  LOADER_PROBE := -fPIE -pie -Wl,-z,execstack
$(LT)/probe-align2m:    LOADER_PROBE := -fPIE -pie -Wl,-z,max-page-size=0x200000
$(LT)/probe-musl:       LOADER_PROBE_CC := musl-gcc
$(LT)/probe-musl-static: LOADER_PROBE_CC := musl-gcc
$(LT)/probe-musl-static: LOADER_PROBE := -static
LOADER_PROBE_CC ?= $(CC)

$(LT)/probe-%: tests/loader/probe.c
	@mkdir -p $(dir $@)
	$(LOADER_PROBE_CC) $(LOADER_TEST_CFLAGS) $(LOADER_PROBE) -o $@ $<
$(LT)/high: tests/loader/high.S
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-Ttext-segment=0x7fffffff0000 -o $@ $<
$(LT)/mkbad: tests/loader/mkbad.c
	@mkdir -p $(dir $@)
	$(CC) $(LOADER_TEST_CFLAGS) -o $@ $<

loader-test: $(B)/umbra-loader $(LOADER_PROBES) $(LT)/high $(LT)/mkbad
	tests/loader/run.sh $(B)/umbra-loader $(LT)

.PHONY: loader-test
