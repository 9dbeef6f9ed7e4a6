/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few system calls the loader makes, without libc.  Every wrapper returns
 * the raw kernel value: a result, or -errno in [-4095, -1].
 */
#ifndef UMBRA_LOADER_SYS_H
#define UMBRA_LOADER_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <asm/unistd.h>
#include <asm/stat.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/stat.h>

static inline long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#define SC(nr, a, b, c, d, e, f) \
	syscall6(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static inline int is_err(long ret)
{
	return (unsigned long)ret >= -4095UL;
}

static inline long sys_open(const char *path)
{
	return SC(__NR_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0, 0, 0);
}

static inline long sys_pread(int fd, void *buf, size_t len, uint64_t off)
{
	return SC(__NR_pread64, fd, buf, len, off, 0, 0);
}

static inline long sys_fstat(int fd, struct stat *st)
{
	return SC(__NR_fstat, fd, st, 0, 0, 0, 0);
}

static inline long sys_close(int fd)
{
	return SC(__NR_close, fd, 0, 0, 0, 0, 0);
}

static inline long sys_write(int fd, const void *buf, size_t len)
{
	return SC(__NR_write, fd, buf, len, 0, 0, 0);
}

static inline long sys_mmap(uintptr_t addr, size_t len, int prot, int flags, int fd, uint64_t off)
{
	return SC(__NR_mmap, addr, len, prot, flags, fd, off);
}

static inline long sys_munmap(uintptr_t addr, size_t len)
{
	return SC(__NR_munmap, addr, len, 0, 0, 0, 0);
}

static inline long sys_mprotect(uintptr_t addr, size_t len, int prot)
{
	return SC(__NR_mprotect, addr, len, prot, 0, 0, 0);
}

static inline long sys_brk(uintptr_t addr)
{
	return SC(__NR_brk, addr, 0, 0, 0, 0, 0);
}

static inline long sys_prctl(int op, unsigned long a, unsigned long b, unsigned long c)
{
	return SC(__NR_prctl, op, a, b, c, 0, 0);
}

static inline __attribute__((noreturn)) void sys_exit_group(int status)
{
	for (;;)
		SC(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

#endif
