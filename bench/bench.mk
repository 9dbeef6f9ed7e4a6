# bench/ — umbra's time against the host and proot, as ratios.
# `make bench` prints the table; `make bench-quick` does the same with short
# measurements (seconds, not minutes; for tests, not for figures).
# See bench/README.md.

BENCH_CFLAGS := -O2 -static -D_GNU_SOURCE
# true: no libc, no start files, so exec loads one page of code and nothing else.
TRUE_CFLAGS  := -O2 -static -nostdlib -ffreestanding -fno-stack-protector \
		-fno-asynchronous-unwind-tables -Wl,--build-id=none

$(B)/bench/ubench: bench/ubench.c
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(WARN) -MMD -MP -o $@ $<

$(B)/bench/true: bench/true.c
	@mkdir -p $(dir $@)
	$(CC) $(TRUE_CFLAGS) $(WARN) -o $@ $<

BENCH_BIN := $(B)/bench/ubench $(B)/bench/true

# `all` (the monitor) is built first, but its failure does not stop the
# benchmark: run.sh then prints n/a in the umbra column and still measures the
# host and proot.  run.sh itself builds nothing and runs one timing at a time.
bench: $(BENCH_BIN)
	@$(MAKE) --no-print-directory all || \
		echo "bench: warning: 'make all' failed; umbra will show n/a or fail" >&2
	UMBRA=$(B)/umbra UBENCH=$(B)/bench/ubench bench/run.sh

bench-quick: $(BENCH_BIN)
	@$(MAKE) --no-print-directory all || \
		echo "bench: warning: 'make all' failed; umbra will show n/a or fail" >&2
	BENCH_QUICK=1 UMBRA=$(B)/umbra UBENCH=$(B)/bench/ubench bench/run.sh

.PHONY: bench bench-quick
