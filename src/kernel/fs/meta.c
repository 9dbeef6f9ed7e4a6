// SPDX-License-Identifier: GPL-2.0
/*
 * The store of remembered owners, modes and device numbers (meta.h).
 *
 * In memory: an open-addressing table of records keyed by the host
 * inode (st_dev, st_ino), looked up on every stat the kernel reports, so
 * a miss costs one hash and one probe.  On disk: a journal of fixed-size
 * records, each with a checksum, appended with one write(2) as the guest
 * changes something; a record with have == 0 deletes.  A monitor killed
 * mid-write leaves at worst a torn last record, which the next load
 * finds by its length or checksum and cuts off; compaction writes a new
 * file and renames it over the old one, so the journal is always either
 * the old or the new whole.  One run writes a store at a time (an flock
 * on the journal); a second run over the same tree reads it and keeps
 * its own changes in memory only, and says so.
 *
 * Inode numbers are reused: a record is forgotten when the kernel removes
 * the inode's last link.  A file removed behind umbra's back (by the host
 * user, outside any run) can leave a record that a new file with the same
 * inode number would show; documented in docs/decisions.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kernel/fs/meta.h"
#include "kernel/fs/ovl.h"

#define META_MAX	(1u << 20)	/* records: what a guest can make us keep */
#define META_MAGIC	0x554d4d31u	/* "UMM1" */
static const char meta_header[16] = "UMBRA-META v1\n";

struct disk_rec {
	uint32_t magic;
	uint32_t have;			/* 0: forget the inode */
	uint64_t dev, ino;
	uint32_t uid, gid, mode, pad;
	uint64_t rdev;
	uint32_t sum, pad2;
};

struct slot {
	dev_t dev;
	ino_t ino;			/* 0: empty (no inode has number 0) */
	bool dead;			/* a tombstone: probing goes on */
	bool durable;			/* in the journal (else this run's only) */
	struct meta m;
};

static struct {
	struct slot *v;
	size_t cap, live, used;		/* used: live + tombstones */
	bool on;			/* there is a store, in memory at least */
	char *path;			/* its journal; NULL: this run's only */
	int fd;				/* the journal, -1 until the first write */
	bool locked;			/* this run writes the journal */
	size_t journal;			/* records in the journal file */
	bool keep_all;			/* journal every record, not only the root's */
	bool map_on;
	uid_t map_uid;
	gid_t map_gid;
} ms = { .fd = -1 };

void meta_map_set(uid_t host_uid, gid_t host_gid)
{
	ms.map_on = host_uid != 0;
	ms.map_uid = host_uid;
	ms.map_gid = host_gid;
}

/* uids and gids map alike: mine is the invoking user's id of that kind */
static unsigned int host_id(unsigned int guest, unsigned int mine)
{
	if (!ms.map_on || guest == (unsigned int)-1)
		return guest;
	if (guest == 0)
		return mine;
	return guest == mine ? (unsigned int)-2 : guest;
}

uid_t meta_host_uid(uid_t guest)
{
	return host_id(guest, ms.map_uid);
}

gid_t meta_host_gid(gid_t guest)
{
	return host_id(guest, ms.map_gid);
}

bool meta_root_mapped(void)
{
	return ms.map_on;
}

bool meta_has_records(void)
{
	return ms.live != 0;
}

bool meta_shown_as_own(uid_t uid, gid_t gid)
{
	return uid == (ms.map_on ? 0 : geteuid()) &&
	       gid == (ms.map_on ? 0 : getegid());
}

static uint32_t rec_sum(const struct disk_rec *r)
{
	const unsigned char *p = (const unsigned char *)r;
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < offsetof(struct disk_rec, sum); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static size_t hash(dev_t dev, ino_t ino)
{
	uint64_t x = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev;

	return (size_t)(x ^ (x >> 29));
}

static struct slot *find(dev_t dev, ino_t ino)
{
	size_t i;

	if (!ms.cap)
		return NULL;
	for (i = hash(dev, ino) & (ms.cap - 1); ms.v[i].ino || ms.v[i].dead;
	     i = (i + 1) & (ms.cap - 1))
		if (!ms.v[i].dead && ms.v[i].ino == ino && ms.v[i].dev == dev)
			return &ms.v[i];
	return NULL;
}

static int grow(void)
{
	struct slot *old = ms.v;
	size_t n = ms.cap;

	ms.cap = n ? 2 * n : 1024;
	ms.v = calloc(ms.cap, sizeof(*ms.v));
	if (!ms.v) {
		ms.v = old;
		ms.cap = n;
		return -ENOMEM;
	}
	ms.used = ms.live = 0;
	for (size_t i = 0; i < n; i++) {
		if (!old[i].ino || old[i].dead)
			continue;
		size_t j = hash(old[i].dev, old[i].ino) & (ms.cap - 1);

		while (ms.v[j].ino)
			j = (j + 1) & (ms.cap - 1);
		ms.v[j] = old[i];
		ms.live++;
		ms.used++;
	}
	free(old);
	return 0;
}

/* Put (or with have == 0 drop) the record of an inode, in memory. */
static int put(dev_t dev, ino_t ino, const struct meta *m, bool durable)
{
	struct slot *s = find(dev, ino);
	size_t i;

	if (s && !m->have) {
		s->dead = true;
		ms.live--;
		return 0;
	}
	if (s) {
		s->m = *m;
		s->durable |= durable;
		return 0;
	}
	if (!m->have || !ino)
		return 0;
	if (ms.live >= META_MAX)
		return -ENOSPC;
	if ((ms.used + 1) * 4 > ms.cap * 3 && grow())
		return -ENOMEM;
	for (i = hash(dev, ino) & (ms.cap - 1); ms.v[i].ino && !ms.v[i].dead;
	     i = (i + 1) & (ms.cap - 1))
		;
	if (!ms.v[i].dead)
		ms.used++;
	ms.v[i] = (struct slot){ .dev = dev, .ino = ino, .m = *m,
				 .durable = durable };
	ms.live++;
	return 0;
}

static void to_disk(struct disk_rec *r, dev_t dev, ino_t ino,
		    const struct meta *m)
{
	memset(r, 0, sizeof(*r));
	r->magic = META_MAGIC;
	r->have = m->have;
	r->dev = dev;
	r->ino = ino;
	r->uid = m->uid;
	r->gid = m->gid;
	r->mode = m->mode;
	r->rdev = m->rdev;
	r->sum = rec_sum(r);
}

/* Replay the journal; returns the length of its good part. */
static off_t replay(int fd)
{
	char head[sizeof(meta_header)];
	struct disk_rec r[256];
	off_t good = sizeof(meta_header);
	ssize_t n;

	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    memcmp(head, meta_header, sizeof(head)))
		return -1;
	while ((n = pread(fd, r, sizeof(r), good)) > 0) {
		size_t k = (size_t)n / sizeof(r[0]);

		for (size_t i = 0; i < k; i++) {
			struct meta m = { r[i].uid, r[i].gid, r[i].mode,
					  r[i].rdev, r[i].have };

			if (r[i].magic != META_MAGIC || rec_sum(&r[i]) != r[i].sum)
				return good;	/* torn: the rest is not ours */
			if (put(r[i].dev, r[i].ino, &m, true))
				return good;
			good += sizeof(r[0]);
			ms.journal++;
		}
		if (k * sizeof(r[0]) != (size_t)n)
			return good;
	}
	return good;
}

/* Write every live record to a new journal and rename it over the old. */
static int compact(void)
{
	char tmp[4200];
	struct disk_rec r;
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new", ms.path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, meta_header, sizeof(meta_header)) != sizeof(meta_header))
		err = -EIO;
	for (size_t i = 0; !err && i < ms.cap; i++) {
		if (!ms.v[i].ino || ms.v[i].dead || !ms.v[i].durable)
			continue;
		to_disk(&r, ms.v[i].dev, ms.v[i].ino, &ms.v[i].m);
		if (write(fd, &r, sizeof(r)) != sizeof(r))
			err = -EIO;
	}
	if (!err && (fsync(fd) || rename(tmp, ms.path)))
		err = -errno;
	if (err) {
		close(fd);
		unlink(tmp);
		return err;
	}
	/* the lock goes with the old file: take it on the new one */
	flock(fd, LOCK_EX | LOCK_NB);
	close(ms.fd);
	ms.fd = fd;
	fcntl(fd, F_SETFL, O_APPEND);
	ms.journal = ms.live;
	return 0;
}

/* The journal, made at the first record; the lock says we may write it. */
static void mkdir_parents(const char *path)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
}

static int journal_fd(void)
{
	if (ms.fd < 0) {
		mkdir_parents(ms.path);
		ms.fd = open(ms.path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC,
			     0600);
		if (ms.fd < 0)
			return -errno;
		ms.locked = flock(ms.fd, LOCK_EX | LOCK_NB) == 0;
	}
	if (!ms.locked)
		return -EBUSY;
	if (lseek(ms.fd, 0, SEEK_END) == 0 &&
	    write(ms.fd, meta_header, sizeof(meta_header)) != sizeof(meta_header))
		return -EIO;
	return ms.fd;
}

static int journal_add(dev_t dev, ino_t ino, const struct meta *m)
{
	struct disk_rec r;
	int fd = journal_fd();

	if (fd == -EBUSY)
		return 0;	/* another run writes it: ours stay in memory */
	if (fd < 0)
		return fd;
	to_disk(&r, dev, ino, m);
	if (write(fd, &r, sizeof(r)) != sizeof(r))
		return -EIO;
	if (++ms.journal > 4 * ms.live + 4096)
		compact();
	return 0;
}

int meta_open(const char *path, bool keep_all)
{
	off_t good;
	int fd;

	ms.on = true;
	if (!path)
		return 0;	/* remembered for this run only */
	ms.path = strdup(path);
	if (!ms.path)
		return -ENOMEM;
	ms.keep_all = keep_all;
	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	ms.fd = fd;
	ms.locked = flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (!ms.locked)
		fprintf(stderr, "umbra: %s is in use by another run: owners "
			"set in this one are not kept\n", path);
	good = lseek(fd, 0, SEEK_END) ? replay(fd) : 0;
	if (good < 0) {
		fprintf(stderr, "umbra: %s: not an umbra store\n", path);
		return -EINVAL;
	}
	if (ms.locked && good < lseek(fd, 0, SEEK_END) && ftruncate(fd, good))
		return -errno;
	if (ms.locked && ms.journal > 2 * ms.live + 1024)
		compact();
	return 0;
}

void meta_close(void)
{
	if (ms.fd >= 0)
		close(ms.fd);	/* and the lock */
	free(ms.v);
	free(ms.path);
	ms.v = NULL;
	ms.path = NULL;
	ms.on = false;
	ms.fd = -1;
	ms.cap = ms.live = ms.used = 0;
}

bool meta_store_on(void)
{
	return ms.on;
}

bool meta_get(dev_t dev, ino_t ino, struct meta *out)
{
	struct slot *s = find(dev, ino);

	if (s)
		*out = s->m;
	return s != NULL;
}

/* What the host shows through the id map alone, without a record. */
static void map_ids(struct stat *st)
{
	if (ms.map_on) {
		if (st->st_uid == ms.map_uid)
			st->st_uid = 0;
		if (st->st_gid == ms.map_gid)
			st->st_gid = 0;
	}
}

void meta_fix(struct stat *st)
{
	struct slot *s;

	map_ids(st);
	if (!ms.live || !(s = find(st->st_dev, st->st_ino)))
		return;
	if (s->m.have & META_OWNER) {
		st->st_uid = s->m.uid;
		st->st_gid = s->m.gid;
	}
	if (s->m.have & META_MODE)
		st->st_mode = (st->st_mode & S_IFMT) | (s->m.mode & 07777);
	if (s->m.have & META_DEV) {
		st->st_mode = (s->m.mode & S_IFMT) | (st->st_mode & 07777);
		st->st_rdev = s->m.rdev;
	}
}

int meta_set(const struct stat *host, const struct meta *m, int where)
{
	struct slot *s = find(host->st_dev, host->st_ino);
	struct meta now = s ? s->m : (struct meta){ 0 };
	struct stat shown = *host;
	bool durable;
	int err;

	if (!ms.on)
		return -ENOSPC;
	if (m->have & META_OWNER) {
		now.uid = m->uid;
		now.gid = m->gid;
		now.have |= META_OWNER;
	}
	if (m->have & META_MODE) {
		now.mode = (now.mode & S_IFMT) | (m->mode & 07777);
		now.have |= META_MODE;
	}
	if (m->have & META_DEV) {
		now.mode = (m->mode & S_IFMT) | (now.mode & 07777);
		now.rdev = m->rdev;
		now.have |= META_DEV;
	}
	/* what the host shows by itself needs no record */
	map_ids(&shown);
	if ((now.have & META_OWNER) && now.uid == shown.st_uid &&
	    now.gid == shown.st_gid)
		now.have &= ~META_OWNER;
	if ((now.have & META_MODE) &&
	    (now.mode & 07777) == (shown.st_mode & 07777))
		now.have &= ~META_MODE;
	if (s && s->m.have == now.have &&
	    !memcmp(&s->m, &now, sizeof(now)))
		return 0;
	if (!s && !now.have)
		return 0;
	/*
	 * Only what lies in the root tree (or everything, for --meta) goes to
	 * the journal: a bind's or a tmpfs's files are removed behind our
	 * back, and their inode numbers come back as other files.
	 */
	durable = ms.path && ((s && s->durable) || ms.keep_all ||
		  (where >= 0 && meta_durable && meta_durable(where)));
	err = put(host->st_dev, host->st_ino, &now, durable);
	if (err || !durable)
		return err;
	return journal_add(host->st_dev, host->st_ino, &now);
}

void meta_forget(const struct stat *host)
{
	static const struct meta none;
	struct slot *s = find(host->st_dev, host->st_ino);
	bool durable = s && s->durable;

	if (s) {
		put(host->st_dev, host->st_ino, &none, false);
		if (durable)
			journal_add(host->st_dev, host->st_ino, &none);
	}
}

int meta_fstatat(int dirfd, const char *name, struct stat *st, int flags)
{
	if (fstatat(dirfd, name, st, flags))
		return -1;
	ovl_stat(dirfd, name, st);	/* a placeholder is its lower file */
	meta_fix(st);
	return 0;
}

int meta_fstat(int fd, struct stat *st)
{
	if (fstat(fd, st))
		return -1;
	ovl_stat(fd, "", st);
	meta_fix(st);
	return 0;
}
