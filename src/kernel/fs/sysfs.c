// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's /sys: read-only, and only what programs read to size
 * themselves to the machine (lscpu, nproc, glibc's get_nprocs, Python's
 * os.cpu_count): devices/system/cpu with its online, possible, present
 * and kernel_max lists and each CPU's online state, topology and caches.
 * and the memory manager's switches programs test for (KSM, transparent
 * huge pages).  The rest of the host's sysfs (devices, cgroups, modules,
 * firmware) names host objects and is absent; its top directories are
 * there, empty.
 * The contents are copied from the host once, at setup: CPUs do not come
 * and go under a running guest often enough to matter.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/fs/sysfs.h"

#define HOST_CPU	"/sys/devices/system/cpu"

static const char *const top_dirs[] = {
	"block", "bus", "class", "dev", "devices", "firmware", "fs",
	"kernel", "module", "power", "devices/system", "devices/system/cpu",
};

static const char *const cpu_lists[] = {
	"online", "possible", "present", "offline", "kernel_max",
};

static const char *const topology[] = {
	"core_id", "physical_package_id", "die_id", "cluster_id",
	"core_cpus", "core_cpus_list", "core_siblings", "core_siblings_list",
	"thread_siblings", "thread_siblings_list", "package_cpus",
	"package_cpus_list", "die_cpus", "die_cpus_list", "cluster_cpus",
	"cluster_cpus_list",
};

static const char *const cache_files[] = {
	"level", "type", "size", "coherency_line_size", "ways_of_associativity",
	"number_of_sets", "shared_cpu_map", "shared_cpu_list", "id",
	"physical_line_partition",
};

/* Files kept where they are when the host has them. */
static const char *const mm_files[] = {
	"kernel/mm/ksm/run", "kernel/mm/ksm/pages_to_scan",
	"kernel/mm/transparent_hugepage/enabled",
	"kernel/mm/transparent_hugepage/defrag",
	"kernel/mm/transparent_hugepage/shmem_enabled",
	"kernel/mm/transparent_hugepage/hpage_pmd_size",
};

/* Copy one small host file into dir/name; a missing one is left out. */
static int copy_file(int dirfd, const char *name, const char *host)
{
	char buf[4096];
	ssize_t n;
	int in = open(host, O_RDONLY | O_CLOEXEC), out;

	if (in < 0)
		return 0;
	n = read(in, buf, sizeof(buf));
	close(in);
	if (n < 0)
		return 0;
	out = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		     O_CLOEXEC, 0444);
	if (out < 0)
		return -errno;
	if (write(out, buf, (size_t)n) != n) {
		close(out);
		return -EIO;
	}
	close(out);
	return 0;
}

static int open_dir(int dirfd, const char *name, bool make)
{
	if (make && mkdirat(dirfd, name, 0755) && errno != EEXIST)
		return -errno;
	return openat(dirfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int copy_set(int dirfd, const char *host_dir, const char *const *names,
		    size_t n)
{
	char host[512];
	int err = 0;

	for (size_t i = 0; !err && i < n; i++) {
		snprintf(host, sizeof(host), "%.400s/%.64s", host_dir, names[i]);
		err = copy_file(dirfd, names[i], host);
	}
	return err;
}

/* cpuN/cache/indexM: what lscpu reports as the caches. */
static int copy_caches(int cpufd, const char *host_cpu)
{
	char host[512], name[32];
	int cfd, ifd, err = 0;

	snprintf(host, sizeof(host), "%.400s/cache", host_cpu);
	if (access(host, X_OK))
		return 0;
	cfd = open_dir(cpufd, "cache", true);
	if (cfd < 0)
		return cfd;
	for (int i = 0; !err && i < 16; i++) {
		snprintf(name, sizeof(name), "index%d", i);
		snprintf(host, sizeof(host), "%.400s/cache/%s", host_cpu, name);
		if (access(host, X_OK))
			break;
		ifd = open_dir(cfd, name, true);
		if (ifd < 0) {
			err = ifd;
			break;
		}
		err = copy_set(ifd, host, cache_files,
			       sizeof(cache_files) / sizeof(cache_files[0]));
		close(ifd);
	}
	close(cfd);
	return err;
}

static int copy_cpu(int cpudir, const char *name)
{
	char host[512];
	int fd, tfd, err;

	snprintf(host, sizeof(host), HOST_CPU "/%s", name);
	fd = open_dir(cpudir, name, true);
	if (fd < 0)
		return fd;
	err = copy_set(fd, host, (const char *const[]){ "online" }, 1);
	snprintf(host, sizeof(host), HOST_CPU "/%s/topology", name);
	tfd = err ? -1 : open_dir(fd, "topology", true);
	if (!err && tfd < 0)
		err = tfd;
	if (!err)
		err = copy_set(tfd, host, topology,
			       sizeof(topology) / sizeof(topology[0]));
	if (tfd >= 0)
		close(tfd);
	snprintf(host, sizeof(host), HOST_CPU "/%s", name);
	if (!err)
		err = copy_caches(fd, host);
	close(fd);
	return err;
}

static bool is_cpu(const char *name)
{
	if (strncmp(name, "cpu", 3) || !name[3])
		return false;
	for (const char *p = name + 3; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

/* A host file at the same path below /sys, with its directories. */
static int copy_path(int rootfd, const char *rel)
{
	char host[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(rel, '/');
	int err = 0, fd;

	snprintf(host, sizeof(host), "/sys/%s", rel);
	if (access(host, R_OK) || !slash)
		return 0;
	for (const char *p = strchr(rel, '/'); p && !err; p = strchr(p + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(p - rel), rel);
		if (mkdirat(rootfd, dir, 0755) && errno != EEXIST)
			err = -errno;
	}
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - rel), rel);
	fd = err ? -1 : open_dir(rootfd, dir, false);
	if (!err && fd < 0)
		return -errno;
	if (!err)
		err = copy_file(fd, slash + 1, host);
	if (fd >= 0)
		close(fd);
	return err;
}

int sysfs_populate(int rootfd)
{
	DIR *d;
	struct dirent *e;
	int cpudir, err = 0;

	for (size_t i = 0; i < sizeof(top_dirs) / sizeof(top_dirs[0]); i++)
		if (mkdirat(rootfd, top_dirs[i], 0755) && errno != EEXIST)
			return -errno;
	cpudir = open_dir(rootfd, "devices/system/cpu", false);
	if (cpudir < 0)
		return -errno;
	err = copy_set(cpudir, HOST_CPU, cpu_lists,
		       sizeof(cpu_lists) / sizeof(cpu_lists[0]));
	d = err ? NULL : opendir(HOST_CPU);
	while (d && !err && (e = readdir(d)))
		if (is_cpu(e->d_name))
			err = copy_cpu(cpudir, e->d_name);
	if (d)
		closedir(d);
	close(cpudir);
	for (size_t i = 0; !err && i < sizeof(mm_files) / sizeof(mm_files[0]); i++)
		err = copy_path(rootfd, mm_files[i]);
	return err;
}
