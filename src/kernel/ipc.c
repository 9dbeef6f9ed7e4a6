// SPDX-License-Identifier: GPL-2.0
/*
 * System V IPC, as in an IPC namespace of the guest's own.  Keys and ids
 * are host-global, so: a key the guest names is mapped into a key space of
 * this run (the same guest key gives the same object to every guest
 * process, a host object's key is out of reach), and an id is usable only
 * if a guest *get call returned it.  Every id-taking call has the id in a
 * register, so the check cannot be raced.
 *
 * The pids in IPC_STAT's structures and semctl(GETPID) are translated
 * (0 for a process outside the guest).
 *
 * Differs from Linux: the *_STAT and *_STAT_ANY commands (which walk the
 * host's tables by index) are EINVAL; IPC_INFO and *_INFO report the
 * host's limits and usage.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/random.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include "kernel/syscalls.h"
#include "kernel/task.h"
#include "platform/platform.h"

#define MAX_IPC_IDS 4096

enum ipc_kind { IPC_SHM, IPC_MSG, IPC_SEM };

static struct { int kind, id; } ids[MAX_IPC_IDS];
static int nids;
static uint32_t key_salt;

static bool id_known(int kind, int id)
{
	for (int i = 0; i < nids; i++)
		if (ids[i].kind == kind && ids[i].id == id)
			return true;
	return false;
}

static void id_add(int kind, int id)
{
	if (!id_known(kind, id) && nids < MAX_IPC_IDS) {
		ids[nids].kind = kind;
		ids[nids++].id = id;
	}
}

static void id_del(int kind, int id)
{
	for (int i = 0; i < nids; i++)
		if (ids[i].kind == kind && ids[i].id == id)
			ids[i] = ids[--nids];
}

/* A guest key in this run's key space; IPC_PRIVATE stays private. */
static key_t map_key(key_t key)
{
	uint32_t k = (uint32_t)key;

	if (key == IPC_PRIVATE)
		return key;
	while (!key_salt)
		if (getrandom(&key_salt, sizeof(key_salt), 0) < 0)
			key_salt = 0x9e3779b9u;
	k = (k ^ key_salt) * 2654435761u;
	return k ? (key_t)k : 1;	/* never IPC_PRIVATE */
}

static void get_exit(struct trap *t, long *result)
{
	if (*result >= 0)
		id_add((int)t->saved[0], (int)*result);
}

static long do_get(struct trap *t, int kind)
{
	t->saved[0] = kind;
	trap_set_arg(t, 0, (uint64_t)(uint32_t)map_key((key_t)t->args[0]));
	return trap_native_then(t, get_exit);
}

long sys_shmget(struct trap *t) { return do_get(t, IPC_SHM); }
long sys_msgget(struct trap *t) { return do_get(t, IPC_MSG); }
long sys_semget(struct trap *t) { return do_get(t, IPC_SEM); }

static long use_id(struct trap *t, int kind)
{
	return id_known(kind, (int)t->args[0]) ? trap_native(t) : -EINVAL;
}

long sys_shmat(struct trap *t) { return use_id(t, IPC_SHM); }
long sys_msgsnd(struct trap *t) { return use_id(t, IPC_MSG); }
long sys_msgrcv(struct trap *t) { return use_id(t, IPC_MSG); }
long sys_semop(struct trap *t) { return use_id(t, IPC_SEM); }
long sys_semtimedop(struct trap *t) { return use_id(t, IPC_SEM); }

static void rmid_exit(struct trap *t, long *result)
{
	if (*result == 0)
		id_del((int)t->saved[0], (int)t->args[0]);
}

#define IPC_64_FLAG 0x0100

/* The commands that walk the host's table by index instead of by id. */
static bool by_index(int kind, int cmd)
{
	switch (kind) {
	case IPC_SHM:
		return cmd == SHM_STAT || cmd == SHM_STAT_ANY;
	case IPC_MSG:
		return cmd == MSG_STAT || cmd == MSG_STAT_ANY;
	default:
		return cmd == SEM_STAT || cmd == SEM_STAT_ANY;
	}
}

/* The last process to use an object may have exited since. */
static void stat_exit(struct trap *t, long *result)
{
	struct shmid_ds shm;
	struct msqid_ds msg;
	uint64_t buf = t->orig_args[2];

	if (*result < 0)
		return;
	if (t->saved[0] == IPC_SHM && !guest_read(t->task, buf, &shm, sizeof(shm))) {
		shm.shm_cpid = pid_to_guest_recent(shm.shm_cpid);
		shm.shm_lpid = pid_to_guest_recent(shm.shm_lpid);
		guest_write(t->task, buf, &shm, sizeof(shm));
	} else if (t->saved[0] == IPC_MSG &&
		   !guest_read(t->task, buf, &msg, sizeof(msg))) {
		msg.msg_lspid = pid_to_guest_recent(msg.msg_lspid);
		msg.msg_lrpid = pid_to_guest_recent(msg.msg_lrpid);
		guest_write(t->task, buf, &msg, sizeof(msg));
	}
}

static void getpid_exit(struct trap *t, long *result)
{
	if (*result > 0)
		*result = pid_to_guest_recent((pid_t)*result);
}

/* cmd is args[cmd_arg]. */
static long do_ctl(struct trap *t, int kind, int cmd_arg)
{
	int cmd = (int)t->args[cmd_arg] & ~IPC_64_FLAG;

	if (cmd == IPC_INFO || cmd == SHM_INFO || cmd == MSG_INFO ||
	    cmd == SEM_INFO)
		return trap_native(t);
	if (by_index(kind, cmd))
		return -EINVAL;
	if (!id_known(kind, (int)t->args[0]))
		return -EINVAL;
	t->saved[0] = kind;
	if (cmd == IPC_RMID)
		return trap_native_then(t, rmid_exit);
	if (cmd == IPC_STAT && kind != IPC_SEM)
		return trap_native_then(t, stat_exit);
	if (cmd == GETPID && kind == IPC_SEM)
		return trap_native_then(t, getpid_exit);
	return trap_native(t);
}

long sys_shmctl(struct trap *t) { return do_ctl(t, IPC_SHM, 1); }
long sys_msgctl(struct trap *t) { return do_ctl(t, IPC_MSG, 1); }
long sys_semctl(struct trap *t) { return do_ctl(t, IPC_SEM, 2); }

/*
 * The monitor ends: as with an IPC namespace that dies, the objects the
 * run made go too.  Every id we know was made by the run (its keys are
 * in the run's key space, or IPC_PRIVATE).  A SIGKILLed monitor leaves
 * them behind: a guard acting on ids later could remove a host object
 * that reused one.
 */
void ipc_teardown(void)
{
	kernel_lock();
	while (nids) {
		int id = ids[--nids].id;

		switch (ids[nids].kind) {
		case IPC_SHM:
			shmctl(id, IPC_RMID, NULL);
			break;
		case IPC_MSG:
			msgctl(id, IPC_RMID, NULL);
			break;
		default:
			semctl(id, 0, IPC_RMID);
		}
	}
	kernel_unlock();
}
