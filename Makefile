# umbra — top-level build.  `make deps` (root) installs what the build and the
# tests need and builds the cached test root filesystems; `make` builds the
# monitor and the loader; `make check` runs the whole suite.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS := -D_GNU_SOURCE -Isrc -MMD -MP
LDLIBS  := -lseccomp -lpthread
B       := build

KERNEL_SRC   := $(wildcard src/kernel/*.c src/kernel/fs/*.c src/kernel/net/*.c)
PLATFORM_SRC := $(wildcard src/platform/*.c)
CLI_SRC      := $(wildcard src/cli/*.c)
UMBRA_SRC    := $(KERNEL_SRC) $(PLATFORM_SRC) $(CLI_SRC)

UMBRA_OBJ := $(UMBRA_SRC:%.c=$(B)/obj/%.o)
ASAN_OBJ  := $(UMBRA_SRC:%.c=$(B)/asan/%.o)

all: $(B)/umbra $(B)/umbra-loader

$(B)/umbra: $(UMBRA_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

# The same monitor with AddressSanitizer and UBSan, for part of the suite.
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
$(B)/asan/umbra: $(ASAN_OBJ)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

$(B)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) $(WARN) -c -o $@ $<

asan: $(B)/asan/umbra

include src/loader/loader.mk
include tests/tests.mk
include tests/ltp.mk
include bench/bench.mk

deps:
	scripts/deps.sh

clean:
	rm -rf $(B)

.PHONY: all asan deps clean check bench
-include $(shell find $(B) -name '*.d' 2>/dev/null)
