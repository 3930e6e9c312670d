/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/stat.h>
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

/* The threads of the process of /proc/PID/task open at "task_fd": the kernel reports the directory with a
 * link count of 2 plus its number of threads (proc_task_getattr()), one fstat() where listing it would
 * instantiate an entry per thread. */
static int task_dir_count_threads(int task_fd) {
        struct stat st;

        if (fstat(task_fd, &st) < 0)
                return negative_errno();
        if (st.st_nlink < 3 || st.st_nlink - 2 > INT_MAX)
                return -EBADMSG;        /* not what procfs reports for a live process */
        return (int) (st.st_nlink - 2);
}

/* Whether the caller is the only thread of its process: unshare(CLONE_THREAD) has nothing to unshare and
 * succeeds exactly when the thread group holds the caller alone (check_unshare_flags(); EINVAL otherwise),
 * and only a thread of the group can add one to it. One system call where opening /proc/self/task
 * instantiates its inodes. Returns 1 (alone), 0 (not alone) or -1: unknown under a seccomp filter, which
 * may kill a call it does not expect, or after any other error; the caller then counts in /proc. */
static int caller_alone(void) {
        if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 0)
                return -1;
        if (unshare(CLONE_THREAD) >= 0)
                return 1;
        return errno == EINVAL ? 0 : -1;
}

int landlock_count_threads(void) {
        _cleanup_close_ int fd = -EBADF;

        if (caller_alone() > 0)
                return 1;
        fd = openat(AT_FDCWD, "/proc/self/task", O_RDONLY|O_DIRECTORY|O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        return task_dir_count_threads(fd);
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
        pid_t pid;              /* getpid() and getuid() once, not once per signal sent or received */
        uid_t uid;
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
        if (si->si_code != SI_QUEUE || si->si_pid != fallback.pid)
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
        si.si_pid = fallback.pid;
        si.si_uid = fallback.uid;
        si.si_value.sival_int = (int) slot;

        return RET_NERRNO(syscall(SYS_rt_tgsigqueueinfo, fallback.pid, tid, LANDLOCK_RESTRICT_SIGNAL, &si));
}

_noreturn_ static void kill_self(void) {
        (void) kill(getpid(), SIGKILL);
        for (;;)
                abort();
}

/* A sweep's state: the tids seen so far (sorted), those new in this sweep, how many signals were sent in
 * all, the slots allocated, and the thread that did not answer in time. */
typedef struct Sweeps {
        int task_fd;
        pid_t self;
        uint64_t timeout_usec;
        TidList known, fresh;
        unsigned n_listed;      /* tids the last listing named, the caller's and known ones included */
        uint32_t sent;
        size_t n_slots_allocated;
        pid_t stuck;
} Sweeps;

/* Room for n more slots. Handlers read the array, so it only moves once every signalled thread has
 * answered: sized up front from the thread count, it rarely has to. */
static int slots_reserve(Sweeps *w, size_t n) {
        ThreadSlot *slots;
        size_t want;
        int r;

        if (fallback.n_slots + n <= w->n_slots_allocated)
                return 0;
        r = wait_acks(w->sent, now_usec() + w->timeout_usec);
        if (r < 0)
                return r;
        want = MAX(fallback.n_slots + n, w->n_slots_allocated * 2);
        slots = reallocarray(fallback.slots, want, sizeof(ThreadSlot));
        if (!slots)
                return -ENOMEM;
        fallback.slots = slots;
        w->n_slots_allocated = want;
        return 0;
}

/* Gives "tid" a slot and signals it at once, so that it restricts itself while the listing goes on. */
static int slot_add_and_signal(Sweeps *w, pid_t tid) {
        ThreadSlot *slot;
        size_t i;
        int r;

        r = slots_reserve(w, 1);
        if (r < 0)
                return r;
        i = fallback.n_slots++;
        slot = fallback.slots + i;
        *slot = (ThreadSlot) { .tid = tid, .state = SLOT_PENDING };

        r = signal_thread(tid, i);
        if (r == -EAGAIN) {
                /* The queue of realtime signals is full: let the signalled threads drain it. */
                r = wait_acks(w->sent, now_usec() + w->timeout_usec);
                if (r >= 0)
                        r = signal_thread(tid, i);
        }
        if (r == -ESRCH) {              /* exited meanwhile */
                atomic_store(&slot->state, SLOT_GONE);
                return 0;
        }
        if (r < 0)
                return r;
        w->sent++;
        return 0;
}

/* The tid a /proc/self/task entry names, else 0 ("." and ".."). */
static pid_t entry_tid(const char *name) {
        char *end;
        long tid;

        if (name[0] < '1' || name[0] > '9')
                return 0;
        tid = strtol(name, &end, 10);
        if (*end != '\0' || tid <= 0 || tid > INT_MAX)
                return 0;
        return (pid_t) tid;
}

static bool tid_is_known(const Sweeps *w, pid_t tid) {
        return tid == w->self || bsearch_safe(&tid, w->known.tids, w->known.n, sizeof(pid_t), cmp_tid);
}

/* Lists /proc/self/task into w->fresh: the tids not seen in an earlier sweep. The buffer holds two
 * thousand entries, so that a listing is one or two getdents64() calls; it is static (only one fallback
 * runs at a time) and only the pages a listing fills are ever touched. getdents64 on the directory opened
 * before anything was restricted: READ_DIR may be handled by now. */
static int list_new_tids(Sweeps *w) {
        static char buf[64 * 1024] __attribute__((aligned(8))) _large_bss_;

        w->fresh.n = 0;
        w->n_listed = 0;
        if (lseek(w->task_fd, 0, SEEK_SET) < 0)
                return negative_errno();
        for (;;) {
                long n = syscall(SYS_getdents64, w->task_fd, buf, sizeof buf);

                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return 0;
                for (long off = 0; off < n; ) {
                        const LinuxDirent64 *de = (const LinuxDirent64 *) (buf + off);
                        pid_t tid = entry_tid(de->d_name);
                        int r;

                        off += de->d_reclen;
                        if (tid == 0)
                                continue;
                        w->n_listed++;
                        if (tid_is_known(w, tid))
                                continue;
                        r = tid_list_add(&w->fresh, tid);
                        if (r < 0)
                                return r;
                }
        }
}

/* Lists first, then signals every new thread in one go: the signalled threads restrict themselves on the
 * other CPUs while the caller sends the rest, and no listing (which instantiates an inode per thread the
 * first time) runs between two signals. */
static int list_and_signal(Sweeps *w) {
        int r;

        r = list_new_tids(w);
        if (r < 0)
                return r;
        r = slots_reserve(w, w->fresh.n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < w->fresh.n; i++) {
                r = slot_add_and_signal(w, w->fresh.tids[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* After a timeout: a thread that exited with the signal still pending never answers, and is no danger.
 * Returns -ETIMEDOUT, naming the first live thread that did not answer in w->stuck, or 0. */
static int slots_find_stuck(Sweeps *w, size_t first) {
        for (size_t i = first; i < fallback.n_slots; i++) {
                ThreadSlot *slot = fallback.slots + i;

                if (atomic_load(&slot->state) != SLOT_PENDING)
                        continue;
                if (!thread_exists(w->task_fd, slot->tid) && atomic_load(&slot->state) == SLOT_PENDING) {
                        atomic_store(&slot->state, SLOT_GONE);
                        continue;
                }
                w->stuck = slot->tid;
                return -ETIMEDOUT;
        }
        return 0;
}

/* One sweep: signal every new tid, wait for all answers. Returns the number of new threads, 0 when the
 * sweep proves there is none, or a negative errno (-ETIMEDOUT: w->stuck did not answer).
 *
 * A listing alone proves nothing: proc_task_readdir() ends early when the thread it stands on exits, and
 * the next getdents64() resumes by position, skipping the thread after it (next_tid(), first_tid()). The
 * proof is the thread count, taken before the listing: known threads alive during the listing were alive
 * then, so if the listing named nothing new and as many threads as were counted, every thread counted
 * was a known one, and only a known (restricted) thread can have made a thread since. Anything else
 * (an exit meanwhile) takes one more sweep. */
static int sweep(Sweeps *w) {
        size_t first = fallback.n_slots;
        int n_counted, r;

        n_counted = task_dir_count_threads(w->task_fd);
        if (n_counted < 0)
                return n_counted;
        r = list_and_signal(w);
        if (r < 0)
                return r;
        if (w->fresh.n == 0)
                return w->n_listed == (unsigned) n_counted ? 0 : 1;

        /* While the threads answer. */
        for (size_t i = 0; i < w->fresh.n; i++) {
                r = tid_list_add(&w->known, w->fresh.tids[i]);
                if (r < 0)
                        return r;
        }
        qsort(w->known.tids, w->known.n, sizeof(pid_t), cmp_tid);

        r = wait_acks(w->sent, now_usec() + w->timeout_usec);
        if (r == -ETIMEDOUT)
                r = slots_find_stuck(w, first);
        if (r < 0)
                return r;
        return (int) w->fresh.n;
}

/* Repeats sweeps until one finds no new thread: a thread created by a not-yet-restricted thread exists
 * (is listed) before its creator runs the handler, hence before the next sweep. */
static int sweep_all(Sweeps *w, LandlockRestrictResult *result) {
        for (;;) {
                int r = sweep(w);

                result->n_sweeps++;
                if (r <= 0)
                        return r;
                /* Threads created by already restricted threads are restricted, but look new all the
                 * same: a process that never stops creating (or ending) threads would keep us sweeping
                 * forever. */
                if (result->n_sweeps >= SWEEPS_MAX)
                        return -EBUSY;
        }
}

/* Restores the signal disposition and frees the slots; only once no handler can run any more. */
static void fallback_finish(const struct sigaction *old) {
        (void) sigaction(LANDLOCK_RESTRICT_SIGNAL, old, NULL);
        free(fallback.slots);
        fallback.slots = NULL;
        fallback.n_slots = 0;
}

static unsigned slots_count_restricted(void) {
        unsigned n = 0;

        for (size_t i = 0; i < fallback.n_slots; i++)
                if (atomic_load(&fallback.slots[i].state) == SLOT_DONE && fallback.slots[i].error == 0)
                        n++;
        return n;
}

/* After the sweeps ended with "r": all or nothing. Kills the process when some threads are restricted and
 * others are not (or may not be); returns a negative errno when none is, 0 when all siblings are. */
static int sweeps_settle(Sweeps *w, int r, const LandlockRestrictResult *result, unsigned *ret_n_ok) {
        unsigned n_ok;

        /* A sweep that failed half-way may have signalled threads it did not wait for: let them answer
         * before counting, so that no handler runs after the disposition is restored. */
        if (r < 0 && r != -ETIMEDOUT && wait_acks(w->sent, now_usec() + w->timeout_usec) < 0) {
                log_error("Threads did not answer signal SIGRTMIN+%d within %" PRIu64 " ms after an error, "
                          "killing the process.", LANDLOCK_RESTRICT_SIGNAL - SIGRTMIN, w->timeout_usec / 1000);
                kill_self();
        }
        n_ok = *ret_n_ok = slots_count_restricted();

        if (r == -ETIMEDOUT) {
                log_error("Thread %i did not answer signal SIGRTMIN+%d within %" PRIu64 " ms (blocked?), "
                          "killing the process: it must not run partly unrestricted.",
                          (int) w->stuck, LANDLOCK_RESTRICT_SIGNAL - SIGRTMIN, w->timeout_usec / 1000);
                kill_self();
        }
        if (r < 0) {
                if (n_ok > 0) {
                        log_error_errno(r, "Failed to reach every thread after restricting %u (%u sweeps): %m; killing the process.",
                                        n_ok, result->n_sweeps);
                        kill_self();
                }
                return log_error_errno(r, "Failed to signal the threads of this process: %m");
        }

        for (size_t i = 0; i < fallback.n_slots; i++) {
                ThreadSlot *t = fallback.slots + i;

                if (atomic_load(&t->state) != SLOT_DONE || t->error == 0)
                        continue;
                if (n_ok == 0)  /* Nothing is restricted yet: an ordinary failure. */
                        return log_error_errno(t->error, "Failed to restrict thread %i: %m", (int) t->tid);
                log_error_errno(t->error, "Failed to restrict thread %i: %m; %u other threads are restricted, "
                                "killing the process: it must not run half-restricted.", (int) t->tid, n_ok);
                kill_self();
        }
        return 0;
}

/* Installs the handler and the state it reads. */
static int fallback_start(int ruleset_fd, const LandlockRestrictOptions *o, LandlockNoNewPrivs nnp,
                          struct sigaction *ret_old) {
        struct sigaction sa = {
                .sa_sigaction = restrict_signal_handler,
                .sa_flags = SA_SIGINFO | SA_RESTART,
        };

        fallback.ruleset_fd = ruleset_fd;
        fallback.flags = o->flags | (nnp == LANDLOCK_NNP_RESTRICT_FLAG ? LANDLOCK_RESTRICT_SELF_NO_NEW_PRIVS : 0);
        /* no_new_privs is per thread: each sibling sets its own. */
        fallback.set_nnp = nnp == LANDLOCK_NNP_PRCTL;
        fallback.pid = getpid();
        fallback.uid = getuid();
        fallback.slots = NULL;
        fallback.n_slots = 0;
        atomic_store(&fallback.acks, 0);
        atomic_store(&fallback.wake_at, UINT32_MAX);

        sigemptyset(&sa.sa_mask);
        if (sigaction(LANDLOCK_RESTRICT_SIGNAL, &sa, ret_old) < 0)
                return log_error_errno(errno, "Failed to install the handler for signal SIGRTMIN+%d: %m",
                                       LANDLOCK_RESTRICT_SIGNAL - SIGRTMIN);
        return 0;
}

/* Restricts the caller last, once every sibling is restricted. */
static int restrict_caller_last(int ruleset_fd, const LandlockRestrictOptions *o, LandlockNoNewPrivs nnp,
                                unsigned n_ok) {
        int r = restrict_caller(ruleset_fd, o->flags, nnp);

        if (r < 0 && n_ok > 0) {
                log_error_errno(r, "Failed to restrict the calling thread %i after %u others: %m; killing the "
                                "process.", (int) syscall(SYS_gettid), n_ok);
                kill_self();
        }
        if (r < 0)
                return log_error_errno(r, "Failed to restrict the calling thread: %m");
        return 0;
}

static int restrict_process_fallback(int ruleset_fd, const LandlockRestrictOptions *o, LandlockNoNewPrivs nnp,
                                     LandlockRestrictResult *result) {
        _cleanup_close_ int task_fd = -EBADF;
        Sweeps w = {
                .self = (pid_t) syscall(SYS_gettid),
                .timeout_usec = o->timeout_usec ?: LANDLOCK_RESTRICT_TIMEOUT_USEC_DEFAULT,
        };
        struct sigaction old;
        bool started = false;
        unsigned n_ok = 0;
        int alone, r;

        /* The caller alone: no other thread exists that could start one, nothing to signal. */
        alone = caller_alone();
        if (alone <= 0) {
                /* Before anything is restricted: READ_DIR on /proc may be handled afterwards. */
                task_fd = openat(AT_FDCWD, "/proc/self/task", O_RDONLY|O_DIRECTORY|O_CLOEXEC);
                if (task_fd < 0)
                        return log_error_errno(errno, "Failed to open /proc/self/task: %m");
                w.task_fd = task_fd;
        }
        if (alone < 0) {
                r = task_dir_count_threads(task_fd);
                if (r < 0)
                        return log_error_errno(r, "Failed to count the threads in /proc/self/task: %m");
                alone = r == 1;
        }
        if (!alone) {
                r = fallback_start(ruleset_fd, o, nnp, &old);
                if (r < 0)
                        return r;
                started = true;
                r = sweep_all(&w, result);
                r = sweeps_settle(&w, r, result, &n_ok);
                free(w.known.tids);
                free(w.fresh.tids);
                if (r < 0) {
                        fallback_finish(&old);
                        return r;
                }
        }
        result->n_sweeps = MAX(result->n_sweeps, 1u);

        r = restrict_caller_last(ruleset_fd, o, nnp, n_ok);
        if (started)
                fallback_finish(&old);
        if (r < 0)
                return r;

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
