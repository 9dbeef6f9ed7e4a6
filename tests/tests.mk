# Tests: unit tests of kernel/ logic, the C programs the integration tests run
# inside umbra, and the runner.  Included by the top-level Makefile.
#
#   make check        everything: unit, integration (also under the ASan
#                     monitor and, as root, again as an unprivileged user),
#                     and the loader tests if there are any
#   make check-quick  unit tests and the fast integration tests only
#
# tests/run.sh -h tells how to run a part of the suite.

UNIT_SRC  := $(wildcard tests/unit/test_*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%)
UNIT_STUB := $(B)/tests/unit/stubs.o
KERNEL_OBJ := $(KERNEL_SRC:%.c=$(B)/obj/%.o)

PROG_SRC := $(wildcard tests/progs/*.c)
PROG_BIN := $(PROG_SRC:tests/progs/%.c=$(B)/tests/progs/%)

# Unit tests: one binary per tests/unit/test_*.c, linked with the whole guest
# kernel and stubs of the platform functions it calls.
$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS) $(WARN) -c -o $@ $<

$(B)/tests/unit/test_%: $(B)/tests/unit/test_%.o $(UNIT_STUB) $(KERNEL_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

# Test programs: static, so that they also run in a minimal guest root.
$(B)/tests/progs/%: tests/progs/%.c $(wildcard tests/progs/*.h)
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE $(CFLAGS) $(WARN) -static -pthread -o $@ $<

tests: $(UNIT_BIN) $(PROG_BIN)

check: all asan tests
	tests/run.sh

check-quick: all tests
	tests/run.sh --quick

.PHONY: tests check check-quick
.SECONDARY: $(UNIT_BIN:%=%.o) $(UNIT_STUB)

# The syscall fuzzer: a guest program (tests/fuzz/fuzz.c), run for 60 s in
# `make check` (tests/integration/fuzz.sh) and as long as asked here:
#   make fuzz [FUZZ_SECONDS=600] [FUZZ_SEED=N|random]
FUZZ_BIN := $(B)/tests/fuzz/fuzz
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= random

$(FUZZ_BIN): tests/fuzz/fuzz.c src/kernel/syscalls.def
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE $(CFLAGS) $(WARN) -static -pthread -o $@ $<

tests: $(FUZZ_BIN)

fuzz: all asan tests
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED) UMBRA=$(B)/asan/umbra \
	UMBRA_ASAN=1 ASAN_OPTIONS=detect_leaks=0:exitcode=86 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	setsid bash tests/integration/fuzz.sh test_fuzz

.PHONY: fuzz
