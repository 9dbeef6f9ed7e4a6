// SPDX-License-Identifier: GPL-2.0
/*
 * --trace: one line per emulated call, in guest terms, as the guest passed
 * its arguments:  "<vpid> <name>(<args>) = <result>".  The call is decoded
 * before the handler rewrites anything, the result after the platform has
 * applied it.  Each line goes out in one write(), so the two platform
 * threads never interleave inside a line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kernel/task.h"
#include "kernel/trace.h"
#include "platform/platform.h"

#define TRACE_LINE 1024

static int fmt_signal(char *b, size_t n, long sig)
{
	const char *abbrev = sig > 0 && sig < NSIG ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		return snprintf(b, n, "SIG%s", abbrev);
	return snprintf(b, n, "%ld", sig);
}

static int fmt_string(char *b, size_t n, struct task *task, uint64_t addr)
{
	char s[128];
	long len;
	int o = 0;

	if (!addr)
		return snprintf(b, n, "NULL");
	len = guest_read_str(task, addr, s, sizeof(s));
	if (len < 0 && len != -ENAMETOOLONG)
		return snprintf(b, n, "%#lx", (unsigned long)addr);
	o += snprintf(b + o, n - o, "\"");
	for (const char *p = s; *p && o < (int)n - 8; p++) {
		if (*p == '"' || *p == '\\')
			o += snprintf(b + o, n - o, "\\%c", *p);
		else if (*p < 32 || *p > 126)
			o += snprintf(b + o, n - o, "\\x%02x",
				      (unsigned char)*p);
		else
			b[o++] = *p;
	}
	return o + snprintf(b + o, n - o, len < 0 ? "\"..." : "\"");
}

static int fmt_arg(char *b, size_t n, struct trap *t, char kind, uint64_t v)
{
	switch (kind) {
	case 'd':
	case 'P':
		return snprintf(b, n, "%d", (int)v);
	case 'u':
		return snprintf(b, n, "%lu", (unsigned long)v);
	case 'S':
		return fmt_signal(b, n, (long)v);
	case 's':
		return fmt_string(b, n, t->task, v);
	case 'F':
		if ((int)v == AT_FDCWD)
			return snprintf(b, n, "AT_FDCWD");
		return snprintf(b, n, "%d", (int)v);
	case 'o':
		return snprintf(b, n, "%#lo", (unsigned long)v);
	case 'p':
		return v ? snprintf(b, n, "%#lx", (unsigned long)v) :
			   snprintf(b, n, "NULL");
	default:
		return snprintf(b, n, "%#lx", (unsigned long)v);
	}
}

void trace_enter(struct trap *t)
{
	const struct syscall_info *si = &syscall_table[t->nr];
	const char *fmt = si->argfmt ? si->argfmt : "";
	char *b = malloc(TRACE_LINE);
	int o;

	if (!b)
		return;
	o = snprintf(b, TRACE_LINE, "%d %s(", task_vpid(t->task),
		     si->name ? si->name : "?");
	for (int i = 0; fmt[i] && i < 6 && o < TRACE_LINE - 64; i++) {
		if (i)
			o += snprintf(b + o, TRACE_LINE - o, ", ");
		o += fmt_arg(b + o, TRACE_LINE - o, t, fmt[i], t->args[i]);
	}
	snprintf(b + o, TRACE_LINE - o, ")");
	t->trace = b;
}

/* line holds a snprintf result o for a buffer of cap bytes */
static void trace_write(char *line, int o, size_t cap)
{
	size_t len = o < 0 ? 0 : (size_t)o < cap ? (size_t)o : cap - 1;

	if (kconfig.trace_fd >= 0 && write(kconfig.trace_fd, line, len) < 0)
		kconfig.trace_fd = -1;	/* a full disk must not stop the guest */
}

void trace_leave(struct trap *t, long result)
{
	char line[TRACE_LINE + 64];
	int o;

	if (!t->trace)
		return;
	if (result < 0 && result >= -4095) {
		const char *name = strerrorname_np((int)-result);

		o = snprintf(line, sizeof(line), "%s = -1 %s\n", t->trace,
			     name ? name : "E?");
	} else {
		o = snprintf(line, sizeof(line), "%s = %ld\n", t->trace,
			     result);
	}
	free(t->trace);
	t->trace = NULL;
	trace_write(line, o, sizeof(line));
}

void trace_leave_native(struct trap *t)
{
	char line[TRACE_LINE + 64];
	int o = snprintf(line, sizeof(line), "%s = ? (native)\n", t->trace);

	free(t->trace);
	t->trace = NULL;
	trace_write(line, o, sizeof(line));
}

void trace_event(int vpid, const char *fmt, ...)
{
	char line[TRACE_LINE];
	va_list ap;
	int o;

	if (kconfig.trace_fd < 0)
		return;
	o = snprintf(line, sizeof(line), "%d ", vpid);
	va_start(ap, fmt);
	o += vsnprintf(line + o, sizeof(line) - o, fmt, ap);
	va_end(ap);
	if (o >= (int)sizeof(line) - 1)
		o = sizeof(line) - 2;
	line[o++] = '\n';
	trace_write(line, o, sizeof(line));
}
