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
