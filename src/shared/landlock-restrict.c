/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>

#include "landlock-restrict.h"
#include "log.h"

static const char *const nnp_table[_LANDLOCK_NNP_MAX] = {
        [LANDLOCK_NNP_ALREADY_SET] = "no_new_privs was already set",
        [LANDLOCK_NNP_CAP_SYS_ADMIN] = "no_new_privs not needed (CAP_SYS_ADMIN)",
        [LANDLOCK_NNP_PRCTL] = "set no_new_privs with prctl()",
        [LANDLOCK_NNP_RESTRICT_FLAG] = "set no_new_privs with LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS",
};

const char *landlock_nnp_to_string(LandlockNoNewPrivs n) {
        return n < _LANDLOCK_NNP_MAX ? nnp_table[n] : NULL;
}

/* One capget() system call; libcap would add a constructor probing the bounding set at every start of the
 * enforcer, and a library to link statically. */
static bool have_effective_cap_sys_admin(void) {
        struct __user_cap_header_struct header = {
                .version = _LINUX_CAPABILITY_VERSION_3,
        };
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

        if (syscall(SYS_capget, &header, data) < 0)
                return false;
        return data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN);
}

int landlock_no_new_privs_plan(unsigned abi, LandlockNoNewPrivs *ret) {
        int r;

        assert(ret);

        r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        if (r < 0)
                return negative_errno();
        if (r > 0)
                *ret = LANDLOCK_NNP_ALREADY_SET;
        else if (have_effective_cap_sys_admin())
                *ret = LANDLOCK_NNP_CAP_SYS_ADMIN;
        else if (abi >= landlock_right_from_name(LANDLOCK_KIND_RESTRICT_FLAG, "no-new-privs")->abi)
                *ret = LANDLOCK_NNP_RESTRICT_FLAG;
        else
                *ret = LANDLOCK_NNP_PRCTL;
        return 0;
}

int landlock_restrict_thread(int ruleset_fd, uint32_t flags) {
        return RET_NERRNO(landlock_restrict_self(ruleset_fd, flags));
}

/* Restricts the calling thread, meeting the no_new_privs requirement as planned. */
static int restrict_caller(int ruleset_fd, uint32_t flags, LandlockNoNewPrivs nnp) {
        if (nnp == LANDLOCK_NNP_PRCTL && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();
        if (nnp == LANDLOCK_NNP_RESTRICT_FLAG)
                flags |= LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS;
        return landlock_restrict_thread(ruleset_fd, flags);
}

/* The entries of a getdents64() buffer, as the kernel lays them out. */
typedef struct LinuxDirent64 {
        uint64_t d_ino;
        int64_t d_off;
        unsigned short d_reclen;
        unsigned char d_type;
        char d_name[];
} LinuxDirent64;

int landlock_count_threads(void) {
        _cleanup_close_ int fd = -EBADF;
        char buf[4096] __attribute__((aligned(8)));
        int n = 0;

        /* getdents64() into the stack: opendir() would allocate 32 KiB for a handful of entries. */
        fd = open("/proc/self/task", O_RDONLY|O_DIRECTORY|O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        for (;;) {
                long k = syscall(SYS_getdents64, fd, buf, sizeof buf);

                if (k < 0)
                        return negative_errno();
                if (k == 0)
                        return n;
                for (long off = 0; off < k; ) {
                        const LinuxDirent64 *de = (const LinuxDirent64 *) (buf + off);

                        off += de->d_reclen;
                        if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
                                n++;
                }
        }
}

/* ---- The userspace fallback (Landlock ABI < 8) ----
 *
 * State shared with the signal handler. Only one fallback runs at a time (fallback_busy). The slot array
 * is only reallocated between sweeps, when every signalled thread has answered. */

enum {
        SLOT_PENDING,
        SLOT_DONE,
        SLOT_GONE,              /* the thread exited before it could be signalled or answer */
};

typedef struct ThreadSlot {
        pid_t tid;
        _Atomic int state;
        int error;              /* errno of the thread's restriction, 0 on success */
} ThreadSlot;

static struct {
        int ruleset_fd;
        uint32_t flags;
        bool set_nnp;
        ThreadSlot *slots;
        size_t n_slots;
        _Atomic uint32_t acks;  /* futex word: number of handlers that finished */
        _Atomic uint32_t wake_at; /* handlers wake the waiter only once acks reaches this */
} fallback;

static atomic_flag fallback_busy = ATOMIC_FLAG_INIT;

#define SWEEPS_MAX 1000

/* Async-signal-safe: raw system calls and atomics only. */
static void restrict_signal_handler(int sig, siginfo_t *si, void *context) {
        int saved_errno = errno, e = 0;
        ThreadSlot *slot;
        size_t i;

        /* Only our own rt_tgsigqueueinfo(): SI_QUEUE from this process, aimed at this thread's slot. */
        if (si->si_code != SI_QUEUE || si->si_pid != getpid())
                goto out;
        i = (size_t) si->si_value.sival_int;
        if (i >= fallback.n_slots)
                goto out;
        slot = fallback.slots + i;
        if (slot->tid != (pid_t) syscall(SYS_gettid) || atomic_load(&slot->state) != SLOT_PENDING)
                goto out;

        if (fallback.set_nnp && syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) < 0)
                e = errno;
        else if (syscall(__NR_landlock_restrict_self, fallback.ruleset_fd, fallback.flags) < 0)
                e = errno;

        slot->error = e;
        atomic_store(&slot->state, SLOT_DONE);
        /* One wake-up for the whole sweep, not one per thread. */
        if (atomic_fetch_add(&fallback.acks, 1) + 1 >= atomic_load(&fallback.wake_at))
                (void) syscall(SYS_futex, &fallback.acks, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
out:
        errno = saved_errno;
}

static uint64_t now_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000ULL;
}

/* Waits until "target" handlers have answered, or the deadline passes (-ETIMEDOUT). */
static int wait_acks(uint32_t target, uint64_t deadline) {
        /* Sequentially consistent: either the handler that reaches "target" sees it and wakes us, or we
         * see its acknowledgement before sleeping. */
        atomic_store(&fallback.wake_at, target);
        for (;;) {
                uint32_t a = atomic_load(&fallback.acks);
                uint64_t n = now_usec();
                struct timespec ts;

                if (a >= target)
                        return 0;
                if (n >= deadline)
                        return -ETIMEDOUT;
                ts = (struct timespec) {
                        .tv_sec = (time_t) ((deadline - n) / 1000000ULL),
                        .tv_nsec = (long) ((deadline - n) % 1000000ULL * 1000ULL),
                };
                (void) syscall(SYS_futex, &fallback.acks, FUTEX_WAIT_PRIVATE, a, &ts, NULL, 0);
        }
}

static int cmp_tid(const void *a, const void *b) {
        pid_t x = *(const pid_t *) a, y = *(const pid_t *) b;
        return x < y ? -1 : x > y;
}

typedef struct TidList {
        pid_t *tids;
        size_t n, allocated;
} TidList;

static int tid_list_add(TidList *l, pid_t tid) {
        if (l->n >= l->allocated) {
                size_t a = l->allocated ? l->allocated * 2 : 64;
                pid_t *t = reallocarray(l->tids, a, sizeof(pid_t));

                if (!t)
                        return -ENOMEM;
                l->tids = t;
                l->allocated = a;
        }
        l->tids[l->n++] = tid;
        return 0;
}

/* Lists the tids of /proc/self/task not in "known" (sorted) and not "self" into "fresh". getdents64 on the
 * directory opened before anything was restricted: READ_DIR may be handled by now. */
static int list_new_tids(int task_fd, pid_t self, const TidList *known, TidList *fresh) {
        char buf[8192] __attribute__((aligned(8)));

        fresh->n = 0;
        if (lseek(task_fd, 0, SEEK_SET) < 0)
                return negative_errno();

        for (;;) {
                long n = syscall(SYS_getdents64, task_fd, buf, sizeof buf);

                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return 0;

                for (long off = 0; off < n; ) {
                        const LinuxDirent64 *de = (const LinuxDirent64 *) (buf + off);
                        char *end;
                        long tid;

                        off += de->d_reclen;
                        if (de->d_name[0] < '1' || de->d_name[0] > '9')
                                continue;
                        tid = strtol(de->d_name, &end, 10);
                        if (*end != '\0' || tid <= 0 || tid > INT_MAX)
                                continue;
                        if ((pid_t) tid == self ||
                            bsearch_safe(&(pid_t) { (pid_t) tid }, known->tids, known->n, sizeof(pid_t), cmp_tid))
                                continue;
                        if (tid_list_add(fresh, (pid_t) tid) < 0)
                                return -ENOMEM;
                }
        }
}

static bool thread_exists(int task_fd, pid_t tid) {
        char name[16];

        snprintf(name, sizeof name, "%i", (int) tid);
        return faccessat(task_fd, name, F_OK, 0) >= 0;
}

static int signal_thread(pid_t tid, size_t slot) {
        siginfo_t si = {};

        /* Assigned one by one: si_pid and si_value live in different members of a union, and designated
         * initializers for both would leave only the last one. */
        si.si_signo = LANDLOCK_RESTRICT_SIGNAL;
        si.si_code = SI_QUEUE;
        si.si_pid = getpid();
        si.si_uid = getuid();
        si.si_value.sival_int = (int) slot;

        return RET_NERRNO(syscall(SYS_rt_tgsigqueueinfo, getpid(), tid, LANDLOCK_RESTRICT_SIGNAL, &si));
}

_noreturn_ static void kill_self(void) {
        (void) kill(getpid(), SIGKILL);
        for (;;)
                abort();
}

/* One sweep: signal every new tid, wait for all answers. Returns the number of new threads (0: the sweep
 * found nothing new), or a negative errno; on a timeout *ret_stuck names a thread that did not answer. */
static int sweep(int task_fd, pid_t self, TidList *known, TidList *fresh, uint64_t timeout_usec,
                 uint32_t *sent, pid_t *ret_stuck) {
        ThreadSlot *slots;
        size_t first;
        int r;

        r = list_new_tids(task_fd, self, known, fresh);
        if (r < 0)
                return r;
        if (fresh->n == 0)
                return 0;

        /* Every earlier handler has answered: nothing reads the array while it moves. */
        slots = reallocarray(fallback.slots, fallback.n_slots + fresh->n, sizeof(ThreadSlot));
        if (!slots)
                return -ENOMEM;
        fallback.slots = slots;
        first = fallback.n_slots;
        for (size_t i = 0; i < fresh->n; i++)
                slots[first + i] = (ThreadSlot) { .tid = fresh->tids[i], .state = SLOT_PENDING };
        fallback.n_slots += fresh->n;

        for (size_t i = first; i < fallback.n_slots; i++) {
                r = signal_thread(slots[i].tid, i);
                if (r == -EAGAIN) {
                        /* The queue of realtime signals is full: let the signalled threads drain it. */
                        r = wait_acks(*sent, now_usec() + timeout_usec);
                        if (r >= 0)
                                r = signal_thread(slots[i].tid, i);
                }
                if (r == -ESRCH) {      /* exited meanwhile */
                        atomic_store(&slots[i].state, SLOT_GONE);
                        continue;
                }
                if (r < 0)
                        return r;
                (*sent)++;
        }

        for (size_t i = 0; i < fresh->n; i++) {
                r = tid_list_add(known, fresh->tids[i]);
                if (r < 0)
                        return r;
        }
        qsort(known->tids, known->n, sizeof(pid_t), cmp_tid);

        r = wait_acks(*sent, now_usec() + timeout_usec);
        if (r == -ETIMEDOUT) {
                /* A thread that exited with the signal still pending never answers, and is no danger. */
                for (size_t i = first; i < fallback.n_slots; i++) {
                        if (atomic_load(&slots[i].state) != SLOT_PENDING)
                                continue;
                        if (!thread_exists(task_fd, slots[i].tid) && atomic_load(&slots[i].state) == SLOT_PENDING) {
                                atomic_store(&slots[i].state, SLOT_GONE);
                                continue;
                        }
                        *ret_stuck = slots[i].tid;
                        return -ETIMEDOUT;
                }
                return (int) fresh->n;
        }
        if (r < 0)
                return r;
        return (int) fresh->n;
}

/* Restores the signal disposition and frees the slots; only once no handler can run any more. */
static void fallback_finish(const struct sigaction *old) {
        (void) sigaction(LANDLOCK_RESTRICT_SIGNAL, old, NULL);
        free(fallback.slots);
        fallback.slots = NULL;
        fallback.n_slots = 0;
}

static int restrict_process_fallback(int ruleset_fd, const LandlockRestrictOptions *o, LandlockNoNewPrivs nnp,
                                     LandlockRestrictResult *result) {
        _cleanup_close_ int task_fd = -EBADF;
        _cleanup_free_ pid_t *known_tids = NULL, *fresh_tids = NULL;
        TidList known = {}, fresh = {};
        struct sigaction sa = {
                .sa_sigaction = restrict_signal_handler,
                .sa_flags = SA_SIGINFO | SA_RESTART,
        }, old;
        uint64_t timeout = o->timeout_usec ?: LANDLOCK_RESTRICT_TIMEOUT_USEC_DEFAULT;
        pid_t self = (pid_t) syscall(SYS_gettid), stuck = 0;
        uint32_t flags = o->flags, sent = 0;
        unsigned n_ok = 0;
        int r;

        /* Before anything is restricted: READ_DIR on /proc may be handled afterwards. */
        task_fd = open("/proc/self/task", O_RDONLY|O_DIRECTORY|O_CLOEXEC);
        if (task_fd < 0)
                return log_error_errno(errno, "Failed to open /proc/self/task: %m");

        if (nnp == LANDLOCK_NNP_RESTRICT_FLAG)
                flags |= LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS;
        fallback.ruleset_fd = ruleset_fd;
        fallback.flags = flags;
        /* no_new_privs is per thread: each sibling sets its own. */
        fallback.set_nnp = nnp == LANDLOCK_NNP_PRCTL;
        fallback.slots = NULL;
        fallback.n_slots = 0;
        atomic_store(&fallback.acks, 0);
        atomic_store(&fallback.wake_at, UINT32_MAX);

        sigemptyset(&sa.sa_mask);
        if (sigaction(LANDLOCK_RESTRICT_SIGNAL, &sa, &old) < 0)
                return log_error_errno(errno, "Failed to install the handler for signal SIGRTMIN+%d: %m",
                                       LANDLOCK_RESTRICT_SIGNAL - SIGRTMIN);

        /* Repeat until a sweep finds no new thread: a thread created by a not-yet-restricted thread
         * exists (is listed) before its creator runs the handler, hence before the next sweep. */
        for (;;) {
                r = sweep(task_fd, self, &known, &fresh, timeout, &sent, &stuck);
                result->n_sweeps++;
                if (r <= 0)
                        break;
                /* Threads created by already restricted threads are restricted, but look new all the
                 * same: a process that never stops creating threads would keep us sweeping forever. */
                if (result->n_sweeps >= SWEEPS_MAX) {
                        r = -EBUSY;
                        break;
                }
        }
        known_tids = known.tids;
        fresh_tids = fresh.tids;

        /* A sweep that failed half-way may have signalled threads it did not wait for: let them answer
         * before counting, so that no handler runs after the disposition is restored. */
        if (r < 0 && r != -ETIMEDOUT && wait_acks(sent, now_usec() + timeout) < 0) {
                log_error("Threads did not answer signal SIGRTMIN+%d within %" PRIu64 " ms after an error, "
                          "killing the process.", LANDLOCK_RESTRICT_SIGNAL - SIGRTMIN, timeout / 1000);
                kill_self();
        }

        for (size_t i = 0; i < fallback.n_slots; i++)
                if (atomic_load(&fallback.slots[i].state) == SLOT_DONE && fallback.slots[i].error == 0)
                        n_ok++;

        if (r == -ETIMEDOUT) {
                log_error("Thread %i did not answer signal SIGRTMIN+%d within %" PRIu64 " ms (blocked?), "
                          "killing the process: it must not run partly unrestricted.",
                          (int) stuck, LANDLOCK_RESTRICT_SIGNAL - SIGRTMIN, timeout / 1000);
                kill_self();
        }
        if (r < 0) {
                if (n_ok > 0) {
                        log_error_errno(r, "Failed to reach every thread after restricting %u (%u sweeps): %m; killing the process.",
                                        n_ok, result->n_sweeps);
                        kill_self();
                }
                fallback_finish(&old);
                return log_error_errno(r, "Failed to signal the threads of this process: %m");
        }

        for (size_t i = 0; i < fallback.n_slots; i++) {
                ThreadSlot *s = fallback.slots + i;

                if (atomic_load(&s->state) != SLOT_DONE || s->error == 0)
                        continue;
                if (n_ok == 0) {
                        /* Nothing is restricted yet: an ordinary failure. */
                        r = -s->error;
                        fallback_finish(&old);
                        return log_error_errno(r, "Failed to restrict thread %i: %m", (int) s->tid);
                }
                log_error_errno(s->error, "Failed to restrict thread %i: %m; %u other threads are restricted, "
                                "killing the process: it must not run half-restricted.", (int) s->tid, n_ok);
                kill_self();
        }

        r = restrict_caller(ruleset_fd, o->flags, nnp);
        if (r < 0) {
                if (n_ok > 0) {
                        log_error_errno(r, "Failed to restrict the calling thread %i after %u others: %m; "
                                        "killing the process.", (int) self, n_ok);
                        kill_self();
                }
                fallback_finish(&old);
                return log_error_errno(r, "Failed to restrict the calling thread: %m");
        }

        fallback_finish(&old);

        result->fallback = true;
        result->n_threads = n_ok + 1;
        return 0;
}

int landlock_restrict_process(int ruleset_fd, const LandlockRestrictOptions *o, LandlockRestrictResult *ret) {
        LandlockRestrictResult result = {};
        int r;

        assert(ruleset_fd >= 0);
        assert(o);

        r = landlock_no_new_privs_plan(o->abi, &result.nnp);
        if (r < 0)
                return log_error_errno(r, "Failed to read the no_new_privs state: %m");

        if (!o->process_wide) {
                r = restrict_caller(ruleset_fd, o->flags, result.nnp);
                if (r < 0)
                        return log_error_errno(r, "Failed to restrict the calling thread: %m");
                result.n_threads = 1;
        } else if (o->abi >= landlock_right_from_name(LANDLOCK_KIND_RESTRICT_FLAG, "tsync")->abi &&
                   !o->force_fallback) {
                r = restrict_caller(ruleset_fd, o->flags | LANDLOCK_RESTRICT_SELF_TSYNC, result.nnp);
                if (r < 0)
                        return log_error_errno(r, "Failed to restrict every thread (LANDLOCK_RESTRICT_SELF_TSYNC): %m");
                result.tsync = true;
        } else {
                if (atomic_flag_test_and_set(&fallback_busy))
                        return log_error_errno(EBUSY, "Another process-wide restriction is running.");
                r = restrict_process_fallback(ruleset_fd, o, result.nnp, &result);
                atomic_flag_clear(&fallback_busy);
                if (r < 0)
                        return r;
        }

        if (ret)
                *ret = result;
        return 0;
}
