// SPDX-License-Identifier: GPL-2.0
/*
 * The little of libc the loader needs, and its one way to fail.  memset and
 * memcpy are string instructions rather than loops, so that the compiler
 * cannot recognise a loop and turn it back into a call to itself.
 */
#include "loader/loader.h"
#include "loader/sys.h"

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

/* Assigned at run time, not initialised: die() must work before relocation. */
static const char *context_prog, *context_interp;

void die_context(const char *prog, const char *interp)
{
	context_prog = prog;
	context_interp = interp;
}

/*
 * A table of pointers, so the loader does carry relocations: every error
 * message exercises relocate.c.
 */
static const char *const errno_texts[] = {
	[EPERM]		= "Operation not permitted",
	[ENOENT]	= "No such file or directory",
	[EIO]		= "Input/output error",
	[ENOEXEC]	= "Exec format error",
	[EAGAIN]	= "Resource temporarily unavailable",
	[ENOMEM]	= "Cannot allocate memory",
	[EACCES]	= "Permission denied",
	[EFAULT]	= "Bad address",
	[EEXIST]	= "File exists",
	[ENODEV]	= "No such device",
	[ENOTDIR]	= "Not a directory",
	[EISDIR]	= "Is a directory",
	[EINVAL]	= "Invalid argument",
	[ENFILE]	= "Too many open files in system",
	[EMFILE]	= "Too many open files",
	[ETXTBSY]	= "Text file busy",
	[ENAMETOOLONG]	= "File name too long",
	[ENOSYS]	= "Function not implemented",
	[ELOOP]		= "Too many levels of symbolic links",
	[EOVERFLOW]	= "Value too large for defined data type",
};

static const char *errno_text(long err)
{
	unsigned long e = -err;

	return e < sizeof(errno_texts) / sizeof(errno_texts[0]) ? errno_texts[e] : NULL;
}

struct line {
	char buf[2 * INTERP_MAX + 256];
	size_t len;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

static void put_errno(struct line *l, long err)
{
	char num[24], *p = num + sizeof(num);
	unsigned long v = -err;
	const char *text = errno_text(err);

	if (text) {
		put(l, text);
		return;
	}
	*--p = '\0';
	do
		*--p = '0' + v % 10;
	while (v /= 10);
	put(l, "error ");
	put(l, p);
}

void die(const char *what, long err)
{
	struct line l;

	l.len = 0;
	put(&l, "umbra-loader");
	if (context_prog) {
		put(&l, ": ");
		put(&l, context_prog);
	}
	if (context_interp) {
		put(&l, ": interpreter ");
		put(&l, context_interp);
	}
	if (what) {
		put(&l, ": ");
		put(&l, what);
	}
	if (err) {
		put(&l, ": ");
		put_errno(&l, err);
	}
	l.buf[l.len++] = '\n';
	/* One write, so that the line stays whole between other writers. */
	sys_write(2, l.buf, l.len);
	sys_exit_group(127);
}
