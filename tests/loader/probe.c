// SPDX-License-Identifier: GPL-2.0
/*
 * Prints what a program can see of how it was started.  run.sh runs it once
 * directly and once through umbra-loader and wants the same output: every
 * line is either the same fact in both runs or "name=ok" / "name=BAD ...".
 * Built as PIE, non-PIE, static, static-pie, with an executable stack, and
 * against musl.
 */
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char _start[];

static int ctor_ran;
static __thread int tls_word = 42;

__attribute__((constructor)) static void ctor(void)
{
	ctor_ran = 1;
}

static void check(const char *name, int ok, const char *why)
{
	if (ok)
		printf("%s=ok\n", name);
	else
		printf("%s=BAD %s\n", name, why);
}

static size_t slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	while (len < size && (n = read(fd, buf + len, size - len)) > 0)
		len += n;
	close(fd);
	return len;
}

struct self {
	int seen, phdr_ok, main_inside, base_found, aligned;
};

/* The first object dl_iterate_phdr reports is the program itself. */
static int each_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct self *s = data;
	uintptr_t fn = (uintptr_t)&each_object;
	int i;

	if (getauxval(AT_BASE) && info->dlpi_addr == getauxval(AT_BASE))
		s->base_found = 1;
	if (s->seen++)
		return 0;
	s->phdr_ok = (uintptr_t)info->dlpi_phdr == getauxval(AT_PHDR) &&
		     info->dlpi_phnum == getauxval(AT_PHNUM);
	s->aligned = 1;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD)
			continue;
		if (fn >= lo && fn < lo + ph->p_memsz)
			s->main_inside = 1;
		if (!(ph->p_align & (ph->p_align - 1)) && info->dlpi_addr % ph->p_align)
			s->aligned = 0;
	}
	return 0;
}

static void stack_perms(void)
{
	static char maps[1 << 16];
	size_t len = slurp("/proc/self/maps", maps, sizeof(maps) - 1);
	char *line;

	maps[len] = '\0';
	for (line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
		if (strstr(line, "[stack]")) {
			char *perm = strchr(line, ' ');

			printf("stack=%.4s\n", perm ? perm + 1 : "?");
		}
	}
}

/* The loader must not leave its own file descriptors behind. */
static void open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	printf("fds=");
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d))
			printf("%s ", de->d_name);
	printf("\n");
	if (d)
		closedir(d);
}

static void proc_self(int argc, char **argv, const ElfW(auxv_t) *auxv, size_t auxv_len)
{
	static char buf[1 << 16];
	size_t len, want = 0;
	size_t probe;
	int i;

	/* PR_SET_MM_MAP is how the loader fixes these; without it, skip. */
	if (prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &probe, 0, 0)) {
		printf("cmdline=skipped\nprocauxv=skipped\n");
		return;
	}
	len = slurp("/proc/self/cmdline", buf, sizeof(buf));
	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;

		if (want + n > len || memcmp(buf + want, argv[i], n))
			break;
		want += n;
	}
	check("cmdline", i == argc && want == len, "differs from argv");
	len = slurp("/proc/self/auxv", buf, sizeof(buf));
	check("procauxv", len == auxv_len && !memcmp(buf, auxv, len), "differs from the stack's");
}

int main(int argc, char **argv, char **envp)
{
	const char *execfn = (const char *)getauxval(AT_EXECFN);
	const char *base = execfn ? strrchr(execfn, '/') : NULL;
	ElfW(auxv_t) *auxv;
	char **e, comm[64] = "";
	struct self self = { 0 };
	size_t n, comm_len;
	int i, bad, envc = 0;
	long cur;
	void *p;

	printf("argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (e = envp; *e; e++)
		envc++;
	printf("envc=%d\n", envc);
	printf("execfn=%s\n", execfn ? execfn : "(none)");
	printf("interp=%s\n", getauxval(AT_BASE) ? "yes" : "no");

	check("ctor", ctor_ran, "static constructor did not run");
	check("tls", tls_word == 42, "TLS initial value lost");
	dl_iterate_phdr(each_object, &self);
	check("phdr", self.phdr_ok, "dl_iterate_phdr's first object is not AT_PHDR/AT_PHNUM");
	check("self", self.main_inside, "code not inside the first object's PT_LOADs");
	check("aligned", self.aligned, "load address not aligned to p_align");
	check("base", !getauxval(AT_BASE) || self.base_found, "no object loaded at AT_BASE");
	check("entry", getauxval(AT_ENTRY) == (uintptr_t)_start, "AT_ENTRY is not _start");
	check("phent", getauxval(AT_PHENT) == sizeof(ElfW(Phdr)), "AT_PHENT");
	check("pagesz", getauxval(AT_PAGESZ) == 4096, "AT_PAGESZ");
	check("random", getauxval(AT_RANDOM) != 0, "AT_RANDOM missing");
	check("vdso", getauxval(AT_SYSINFO_EHDR) != 0, "AT_SYSINFO_EHDR missing");

	/* The initial stack: argc | argv | 0 | envp | 0 | auxv, rsp 16-aligned. */
	check("align", ((uintptr_t)argv - 8) % 16 == 0, "initial rsp not 16-byte aligned");
	check("layout", envp == argv + argc + 1 && !argv[argc], "envp does not follow argv");
	auxv = (ElfW(auxv_t) *)(e + 1);
	bad = 0;
	for (n = 0; auxv[n].a_type != AT_NULL; n++)
		/* glibc rewrites its AT_HWCAP copy with its own bits. */
		if (auxv[n].a_type != AT_HWCAP && auxv[n].a_type != AT_HWCAP2 &&
		    getauxval(auxv[n].a_type) != auxv[n].a_un.a_val)
			bad = 1;
	check("auxv", !bad, "stack auxv disagrees with getauxval");
	proc_self(argc, argv, auxv, (n + 1) * sizeof(*auxv));

	comm_len = slurp("/proc/self/comm", comm, sizeof(comm) - 1);
	comm[comm_len] = '\0';
	base = base ? base + 1 : execfn ? execfn : "";
	check("comm", !strncmp(comm, base, strnlen(base, 15)) && comm[strnlen(base, 15)] == '\n',
	      "task name is not the program's");

	p = malloc(1 << 20);
	check("malloc", p && memset(p, 1, 1 << 20), "malloc failed");
	free(p);
	/* The raw call: musl's sbrk() refuses to grow. */
	cur = syscall(SYS_brk, 0);
	check("brk", syscall(SYS_brk, cur + 4096) == cur + 4096, "brk heap cannot grow");
	stack_perms();
	open_fds();
	fflush(stdout);
	return 0;
}
