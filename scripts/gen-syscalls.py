#!/usr/bin/env python3
"""Generate src/kernel/syscalls.def from the x86-64 unistd header.

Each line: SYSCALL(nr, name, class, args) where class is NATIVE, NOTIFY
(emulated via seccomp user notification; NOTIFY_IF_ARGn only when
argument n is not 0), TRACE (emulated via a ptrace stop:
the handler needs registers or the syscall's exit) or REFUSE_<errno>.  args
is a string of argument kinds for --trace: d int, u unsigned, x hex, p pointer,
s guest string, F dirfd, S signal, P pid.  Re-run after adding names below;
the output is meant to be read and reviewed.
"""
import re, sys

HDR = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
NEWER = {451: "cachestat", 452: "fchmodat2", 453: "map_shadow_stack",
         454: "futex_wake", 455: "futex_wait", 456: "futex_requeue",
         457: "statmount", 458: "listmount", 459: "lsm_get_self_attr",
         460: "lsm_set_self_attr", 461: "lsm_list_modules", 462: "mseal",
         463: "setxattrat", 464: "getxattrat", 465: "listxattrat",
         466: "removexattrat", 467: "open_tree_attr", 468: "file_getattr",
         469: "file_setattr"}

# Answered from the task table alone: a user notification is enough.
NOTIFY = """getpid getppid gettid getpgrp getpgid getsid
open openat openat2 creat stat lstat newfstatat statx access faccessat
faccessat2 readlink readlinkat getcwd chdir fchdir chroot umask
mkdir mkdirat mknod mknodat rmdir unlink unlinkat rename renameat renameat2
link linkat symlink symlinkat chmod fchmodat fchmodat2 chown lchown
fchownat truncate utime utimes utimensat futimesat statfs setxattr lsetxattr
getxattr lgetxattr listxattr llistxattr removexattr lremovexattr
inotify_add_watch bind connect getsockname getpeername fchmod fchown
fsetxattr fremovexattr sendmsg sendmmsg mq_open mq_unlink pidfd_open
getuid geteuid getgid getegid getresuid getresgid getgroups setuid setgid
setreuid setregid setresuid setresgid setfsuid setfsgid setgroups""".split()
# Emulated only when argument N (an address buffer) is not NULL.
NOTIFY_IF = {"sendto": 4, "recvfrom": 4, "accept": 1, "accept4": 1}
# Ptrace stop, but a user notification when argument N is 0: signal 0 only
# asks whether the target exists, which the kernel answers alone.  A signal
# itself is sent from a ptrace stop: a user notification is interrupted by
# a signal that comes before the monitor took it (kill would fail with
# EINTR, which Linux never answers), and the ptrace thread sends it in
# order with the delivery stops it handles.
TRACE_NOTIFY0 = {"kill": 1, "tkill": 1, "tgkill": 2}
# Ptrace stop (a pid argument to translate), but native when argument N is
# 0: pid 0 names the caller, which is the same task on the host.
TRACE_NATIVE0 = {"prlimit64": 0, "sched_setaffinity": 0,
                 "sched_setparam": 0,
                 "sched_getparam": 0, "sched_setscheduler": 0,
                 "sched_getscheduler": 0, "sched_rr_get_interval": 0,
                 "sched_setattr": 0, "sched_getattr": 0,
                 "get_robust_list": 0, "getpriority": 1, "setpriority": 1,
                 "ioprio_get": 1, "ioprio_set": 1}
# Need argument rewriting, result rewriting or registers: ptrace stop.
TRACE = """clone clone3 rt_sigtimedwait shmget shmat shmctl msgget msgsnd
msgrcv msgctl semget semop semctl semtimedop fork vfork set_tid_address wait4 waitid
kill tkill tgkill rt_sigqueueinfo rt_tgsigqueueinfo setpgid setsid
sched_setparam sched_getparam sched_setscheduler sched_getscheduler
sched_setaffinity sched_getaffinity sched_rr_get_interval sched_setattr
sched_getattr getpriority setpriority prlimit64 ioprio_get ioprio_set
process_vm_readv process_vm_writev kcmp migrate_pages move_pages
get_robust_list capget capset execve execveat timer_create ptrace""".split()
REFUSE = {
    "ENOSYS": """io_uring_setup io_uring_enter io_uring_register
        lookup_dcookie nfsservctl uselib _sysctl create_module get_kernel_syms
        query_module afs_syscall tuxcall security vserver getpmsg putpmsg
        epoll_ctl_old epoll_wait_old set_thread_area get_thread_area
        map_shadow_stack setxattrat getxattrat listxattrat
        removexattrat fanotify_mark uselib""".split(),
    "EPERM": """bpf kexec_load kexec_file_load init_module finit_module
        delete_module userfaultfd perf_event_open keyctl add_key request_key
        setns unshare mount umount2 pivot_root swapon swapoff reboot acct
        quotactl quotactl_fd iopl ioperm syslog vhangup fanotify_init
        fsopen fsconfig fsmount fspick move_mount open_tree open_tree_attr
        mount_setattr statmount listmount memfd_secret file_getattr
        file_setattr
        open_by_handle_at""".split(),
    "EOPNOTSUPP": ["name_to_handle_at"],
}
ARGS = {
    "getpgid": "P", "getsid": "P", "setpgid": "PP", "kill": "PS",
    "tkill": "PS", "tgkill": "PPS", "rt_sigqueueinfo": "PSp",
    "rt_tgsigqueueinfo": "PPSp", "wait4": "Ppxp", "waitid": "dPpxp",
    "clone": "xppppx", "clone3": "pu", "set_tid_address": "p",
    "pidfd_open": "Px", "execve": "spp", "execveat": "Fsppx",
    "sched_setaffinity": "Pup", "sched_getaffinity": "Pup",
    "getpriority": "dP", "setpriority": "dPd", "prlimit64": "Pdpp",
    "sched_getscheduler": "P", "sched_setscheduler": "Pdp",
    "sched_getparam": "Pp", "sched_setparam": "Pp",
    "sched_rr_get_interval": "Pp", "sched_getattr": "Ppuu",
    "sched_setattr": "Ppu", "ioprio_get": "dP", "ioprio_set": "dPd",
    "capget": "pp", "capset": "pp", "kcmp": "PPdxx",
    "process_vm_readv": "Ppupux", "process_vm_writev": "Ppupux",
    "migrate_pages": "Pupp", "move_pages": "Pupppx",
    "get_robust_list": "Ppp", "ptrace": "dPpp",
    "open": "sxo", "openat": "Fsxo", "openat2": "Fspu", "creat": "so",
    "stat": "sp", "lstat": "sp", "newfstatat": "Fspx", "statx": "Fsxxp",
    "access": "sx", "faccessat": "Fsx", "faccessat2": "Fsxx",
    "readlink": "spu", "readlinkat": "Fspu", "getcwd": "pu", "chdir": "s",
    "fchdir": "d", "chroot": "s", "umask": "o",
    "mkdir": "so", "mkdirat": "Fso", "mknod": "sox", "mknodat": "Fsox",
    "rmdir": "s", "unlink": "s", "unlinkat": "Fsx", "rename": "ss",
    "renameat": "FsFs", "renameat2": "FsFsx", "link": "ss",
    "linkat": "FsFsx", "symlink": "ss", "symlinkat": "sFs", "chmod": "so",
    "fchmodat": "Fso", "fchmodat2": "Fsox", "chown": "sdd", "lchown": "sdd",
    "fchownat": "Fsddx", "truncate": "sd", "utime": "sp", "utimes": "sp",
    "utimensat": "Fspx", "futimesat": "Fsp", "statfs": "sp",
    "setxattr": "sspux", "lsetxattr": "sspux", "getxattr": "sspu",
    "lgetxattr": "sspu", "listxattr": "spu", "llistxattr": "spu",
    "removexattr": "ss", "lremovexattr": "ss", "inotify_add_watch": "dsx",
    "bind": "dpd", "connect": "dpd", "accept": "dpp", "accept4": "dppx",
    "getsockname": "dpp", "getpeername": "dpp", "sendto": "dpuxpd",
    "recvfrom": "dpuxpp", "sendmsg": "dpx", "sendmmsg": "dpux",
    "mq_open": "sxop", "mq_unlink": "s", "timer_create": "dpp",
}

def main():
    calls = {}
    for line in open(HDR):
        m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
        if m:
            calls[int(m.group(2))] = m.group(1)
    calls.update(NEWER)
    refuse = {n: e for e, names in REFUSE.items() for n in names}
    out = ["/* Generated by scripts/gen-syscalls.py; reviewed by hand. */"]
    for nr in sorted(calls):
        name = calls[nr]
        if name in refuse:
            cls = "REFUSE_" + refuse[name]
        elif name in TRACE_NOTIFY0:
            cls = "TRACE_NOTIFY0_ARG%d" % TRACE_NOTIFY0[name]
        elif name in TRACE_NATIVE0:
            cls = "TRACE_NATIVE0_ARG%d" % TRACE_NATIVE0[name]
        elif name in TRACE:
            cls = "TRACE"
        elif name in NOTIFY:
            cls = "NOTIFY"
        elif name in NOTIFY_IF:
            cls = "NOTIFY_IF_ARG%d" % NOTIFY_IF[name]
        else:
            cls = "NATIVE"
        out.append('SYSCALL(%d, %s, %s, "%s")' % (nr, name, cls, ARGS.get(name, "")))
    sys.stdout.write("\n".join(out) + "\n")

main()
