// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory, read and written with process_vm_readv/writev: one
 * syscall, no stop of the guest, and a bad guest pointer is an error
 * (EFAULT), never a fault in the monitor.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>
#include "kernel/kernel.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define PAGE_SIZE 4096UL

int guest_read(const struct task *t, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)addr, len };

	if (!len)
		return 0;
	if (!addr || process_vm_readv(t->tid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)len)
		return -EFAULT;
	return 0;
}

int guest_write(const struct task *t, uint64_t addr, const void *buf,
		size_t len)
{
	return guest_write_tid(t->tid, addr, buf, len);
}

int guest_write_tid(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)buf, len };
	struct iovec remote = { (void *)addr, len };

	if (!len)
		return 0;
	if (!addr || process_vm_writev(tid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)len)
		return -EFAULT;
	return 0;
}

/*
 * A NUL-terminated string of at most size-1 bytes (its NUL the size-th).  Read page by page so
 * that a string ending just before an unmapped page is still read whole.
 * Returns its length, -EFAULT, or -ENAMETOOLONG (buf then holds a prefix).
 */
long guest_read_str(const struct task *t, uint64_t addr, char *buf,
		    size_t size)
{
	size_t got = 0, step = 256;	/* most paths are short */

	if (!addr)
		return -EFAULT;
	while (got < size) {
		size_t chunk = PAGE_SIZE - ((addr + got) & (PAGE_SIZE - 1));
		char *nul;

		if (chunk > step)
			chunk = step;
		step = PAGE_SIZE;
		if (chunk > size - got)
			chunk = size - got;
		if (guest_read(t, addr + got, buf + got, chunk)) {
			buf[got] = '\0';
			return -EFAULT;
		}
		nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return nul - buf;
		got += chunk;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}

/*
 * Below the red zone of a thread stopped in a syscall nothing is live: the
 * ABI lets signal handlers use it only after the call returns, and the
 * host reads our rewritten arguments before that.
 */
uint64_t guest_scratch(const struct trap *t, size_t len)
{
	uint64_t top = t->sp;

	if (t->source != TRAP_PTRACE)
		return 0;
	/*
	 * Below what the call's own arguments point to just under the
	 * stack pointer: a tracer inside (an umbra in umbra) puts its
	 * rewritten arguments there, and what they point to reaches up to
	 * the stack pointer.  64 KB: such an area, never another mapping's
	 * data (a new stack is mapped below the libraries, not above).
	 */
	for (int i = 0; i < 6; i++)
		if (t->orig_args[i] < top && t->orig_args[i] + 65536 > t->sp)
			top = t->orig_args[i];
	if (top < 4096 + len)
		return 0;
	return (top - 1024 - len) & ~15ULL;
}
