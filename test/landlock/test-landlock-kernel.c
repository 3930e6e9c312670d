/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Real Landlock on the running kernel. Every case forks a child that restricts itself and reports what
 * the kernel answered (errno values) through a pipe; the parent asserts on the reports and on how the
 * child ended. Landlock needs no root. */

#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "child-setup.h"
#include "landlock-policy.h"
#include "landlock-restrict.h"
#include "landlock-ruleset.h"
#include "tests.h"

#define MARKER 0x4d41524b       /* reported only if the child went on after restricting */

static int abi;

static void need_landlock(void) {
        abi = landlock_abi_probe();
        if (abi < 0)
                test_skip("Landlock is not available on this kernel");
}

/* ---- Child plumbing ---- */

static int report_fd = -1;

static void report(int v) {
        if (write(report_fd, &v, sizeof v) != sizeof v)
                _exit(99);
}

static void report_errno_of(int r) {
        report(r < 0 ? errno : 0);
}

typedef struct ChildResult {
        int status;
        int values[4096];
        size_t n;
        char err[8192];         /* the child's stderr */
} ChildResult;

static void read_all(int fd, void *buf, size_t size, size_t *ret_n) {
        size_t n = 0;

        for (;;) {
                ssize_t k = read(fd, (char *) buf + n, size - n);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        break;
                n += (size_t) k;
                if (n == size) {
                        char drain[256];

                        while (read(fd, drain, sizeof drain) > 0)
                                ;
                        break;
                }
        }
        *ret_n = n;
}

/* Runs fn in a forked child; fn reports with report(); returns once the child has ended. Its stderr is
 * read after its reports (small), so the two pipes cannot block each other. */
static void run_child(void (*fn)(void *), void *userdata, ChildResult *res) {
        int rep[2], err[2];
        size_t n;
        pid_t pid;

        *res = (ChildResult) {};
        ASSERT_OK(pipe2(rep, O_CLOEXEC));
        ASSERT_OK(pipe2(err, O_CLOEXEC));

        fflush(stdout);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                close(rep[0]);
                close(err[0]);
                report_fd = rep[1];
                dup2(err[1], STDERR_FILENO);
                fn(userdata);
                _exit(0);
        }
        close(rep[1]);
        close(err[1]);
        read_all(rep[0], res->values, sizeof res->values, &n);
        res->n = n / sizeof(int);
        read_all(err[0], res->err, sizeof res->err - 1, &n);
        res->err[n] = '\0';
        close(rep[0]);
        close(err[0]);
        ASSERT_EQ(waitpid(pid, &res->status, 0), pid);
        if (res->err[0])
                printf("# child stderr: %.*s\n", (int) strcspn(res->err, "\n"), res->err);
}

static void assert_exited_ok(const ChildResult *res) {
        if (!WIFEXITED(res->status) || WEXITSTATUS(res->status) != 0)
                test_fail(__FILE__, __LINE__, "child did not exit 0 (status 0x%x): %s", res->status, res->err);
}

/* In the child: compile "p" for this kernel, build, restrict (process-wide or not). Exits 100+ on failure. */
static LandlockRestrictResult last_result;
/* Generous where every thread answers (the wait ends with the last answer; a loaded CI machine must not
 * turn slowness into a kill); short where a thread is meant not to answer. */
static uint64_t restrict_timeout_usec = 5 * 1000 * 1000;

static void child_restrict(LandlockPolicy *p, bool process_wide, LandlockRulesetReport *report_out) {
        _cleanup_free_ char *e = NULL;
        LandlockCompiled c;
        int fd, r;

        r = landlock_policy_compile(p, (unsigned) abi, 0, &c, &e);
        if (r < 0) {
                fprintf(stderr, "compile: %s\n", strna(e));
                _exit(100);
        }
        r = landlock_ruleset_build(&c, &fd, report_out, &e);
        if (r < 0) {
                fprintf(stderr, "build: %s\n", strna(e));
                _exit(101);
        }
        r = landlock_restrict_process(fd, &(LandlockRestrictOptions) {
                        .abi = (unsigned) abi,
                        .flags = c.restrict_flags,
                        .process_wide = process_wide,
                        .timeout_usec = restrict_timeout_usec,
                }, &last_result);
        if (r < 0)
                _exit(102);
        close(fd);
        landlock_compiled_done(&c);
}

static void add_path(LandlockPolicy *p, const char *path, const char *access, bool optional) {
        uint64_t a;

        if (landlock_parse_access(access, &a, NULL, NULL) < 0 ||
            landlock_policy_add_path(p, path, a, 0, optional, NULL) < 0)
                _exit(103);
}

/* ---- A scratch tree ---- */

static char tree[PATH_MAX / 2];

static void make_file(const char *rel) {
        char p[PATH_MAX];
        int fd;

        snprintf(p, sizeof p, "%s/%s", tree, rel);
        fd = open(p, O_CREAT|O_WRONLY|O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0);
        close(fd);
}

static void make_dir(const char *rel) {
        char p[PATH_MAX];

        snprintf(p, sizeof p, "%s/%s", tree, rel);
        ASSERT_OK(RET_NERRNO(mkdir(p, 0755)));
}

static const char *at(const char *rel) {
        static char buf[8][PATH_MAX];
        static unsigned i;

        i = (i + 1) % ELEMENTSOF(buf);
        snprintf(buf[i], sizeof buf[i], "%s/%s", tree, rel);
        return buf[i];
}

static void setup_tree(void) {
        snprintf(tree, sizeof tree, "/tmp/test-landlock-XXXXXX");
        ASSERT_TRUE(mkdtemp(tree));
        ASSERT_OK(RET_NERRNO(chmod(tree, 0755)));
        make_dir("allowed");
        make_file("allowed/f");
        make_dir("denied");
        make_file("denied/f");
        make_dir("files");
        make_file("files/one");
        make_file("files/two");
}

/* ---- Filesystem ---- */

static void child_fs_basic(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        add_path(&p, at("allowed"), "ro", false);
        child_restrict(&p, false, NULL);
        report_errno_of(open(at("allowed/f"), O_RDONLY|O_CLOEXEC));
        report_errno_of(open(at("denied/f"), O_RDONLY|O_CLOEXEC));
        report_errno_of(open(at("allowed/f"), O_WRONLY|O_CLOEXEC));
        report_errno_of(open(at("allowed"), O_RDONLY|O_DIRECTORY|O_CLOEXEC));
        report_errno_of(open(at("allowed/new"), O_CREAT|O_WRONLY|O_CLOEXEC, 0644));
}

TEST(fs_allowed_vs_denied_open) {
        ChildResult res;

        need_landlock();
        setup_tree();
        run_child(child_fs_basic, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 5);
        ASSERT_EQ(res.values[0], 0);
        ASSERT_EQ(res.values[1], EACCES);
        ASSERT_EQ(res.values[2], EACCES);
        ASSERT_EQ(res.values[3], 0);
        ASSERT_EQ(res.values[4], EACCES);
}

static void child_fs_file_rule(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockRulesetReport r = {};

        add_path(&p, at("files/one"), "rw", false);     /* a file: rw is masked to what a file can take */
        add_path(&p, at("allowed"), "ro", false);
        child_restrict(&p, false, &r);
        report((int) r.n_path_rules);
        report((int) r.n_file_rules);
        report_errno_of(open(at("files/one"), O_RDWR|O_CLOEXEC));
        report_errno_of(open(at("files/two"), O_RDONLY|O_CLOEXEC));
        report_errno_of(open(at("files"), O_RDONLY|O_DIRECTORY|O_CLOEXEC));
        report_errno_of(open(at("allowed/f"), O_RDONLY|O_CLOEXEC));
        report_errno_of(open(at("allowed/f"), O_WRONLY|O_CLOEXEC));
        report_errno_of(truncate(at("files/one"), 0));
}

TEST(fs_file_rule_vs_directory_rule) {
        ChildResult res;

        need_landlock();
        setup_tree();
        run_child(child_fs_file_rule, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 8);
        ASSERT_EQ(res.values[0], 2);
        ASSERT_EQ(res.values[1], 1);
        ASSERT_EQ(res.values[2], 0);            /* the file itself: read+write */
        ASSERT_EQ(res.values[3], EACCES);       /* its sibling: nothing */
        ASSERT_EQ(res.values[4], EACCES);       /* its directory: not listable */
        ASSERT_EQ(res.values[5], 0);            /* beneath the directory rule */
        ASSERT_EQ(res.values[6], EACCES);
        ASSERT_EQ(res.values[7], abi >= 3 ? 0 : EACCES);
}

/* A rule on an open file (the enforcer's rules on the command's own files) is on that very file: what its
 * name resolves to afterwards gains nothing. */
static void child_fs_open_file_rule(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        int fd;

        fd = open(at("files/one"), O_RDONLY|O_CLOEXEC);
        if (fd < 0 || (fd < 3 && (fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0))
                _exit(104);
        if (rename(at("files/one"), at("files/moved")) < 0 || rename(at("files/two"), at("files/one")) < 0)
                _exit(105);
        if (landlock_policy_add_open_file(&p, fd, at("files/one"), LANDLOCK_ACCESS_FS_READ_FILE, NULL) < 0)
                _exit(106);
        child_restrict(&p, false, NULL);
        report_errno_of(open(at("files/moved"), O_RDONLY|O_CLOEXEC));
        report_errno_of(open(at("files/one"), O_RDONLY|O_CLOEXEC));
}

TEST(fs_rule_on_an_open_file_is_on_that_file_not_its_name) {
        ChildResult res;

        need_landlock();
        setup_tree();
        run_child(child_fs_open_file_rule, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 2);
        ASSERT_EQ(res.values[0], 0);            /* the file opened, now elsewhere */
        ASSERT_EQ(res.values[1], EACCES);       /* what the name now resolves to */
}

/* A rule path that cannot be opened (out of descriptors here): the message names it once. */
TEST(fs_rule_that_cannot_be_opened_is_named_once) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_free_ char *e = NULL;
        struct rlimit saved, low;
        LandlockCompiled c;
        int fd = -1, lowest, r;
        char twice[64];

        /* A path of one component: it fails as a whole, not on the way to it. */
        need_landlock();
        add_path(&p, "/etc", "ro", false);
        ASSERT_OK(landlock_policy_compile(&p, (unsigned) abi, 0, &c, NULL));

        /* Room for the ruleset and the root directory, not for the rule's path. */
        lowest = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
        ASSERT_TRUE(lowest >= 3);
        close(lowest);
        ASSERT_OK(RET_NERRNO(getrlimit(RLIMIT_NOFILE, &saved)));
        low = (struct rlimit) { .rlim_cur = (rlim_t) lowest + 2, .rlim_max = saved.rlim_max };
        ASSERT_OK(RET_NERRNO(setrlimit(RLIMIT_NOFILE, &low)));
        r = landlock_ruleset_build(&c, &fd, NULL, &e);
        ASSERT_OK(RET_NERRNO(setrlimit(RLIMIT_NOFILE, &saved)));

        ASSERT_ERROR(r, EMFILE);
        printf("# %s\n", strna(e));
        ASSERT_TRUE(e && strstr(e, "/etc"));
        snprintf(twice, sizeof twice, "cannot open %s: cannot open %s", "/etc", "/etc");
        ASSERT_TRUE(!strstr(e, twice));
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(fs_optional_missing_paths_are_skipped_and_reported) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockRulesetReport r = {};
        _cleanup_free_ char *e = NULL;
        LandlockCompiled c;
        int fd = -1;

        need_landlock();
        setup_tree();
        add_path(&p, at("nope"), "ro", true);
        add_path(&p, at("files/one/below"), "ro", true);        /* ENOTDIR */
        add_path(&p, at("files/two"), "make-dir", false);       /* a file that can take nothing of it */
        add_path(&p, at("allowed"), "ro", false);
        ASSERT_OK(landlock_policy_compile(&p, (unsigned) abi, 0, &c, NULL));
        ASSERT_OK(landlock_ruleset_build(&c, &fd, &r, &e));
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(r.n_path_rules, 1);
        ASSERT_EQ(r.n_skipped, 3);
        ASSERT_STREQ(r.skipped[0].path, at("nope"));
        ASSERT_EQ(r.skipped[0].error, -ENOENT);
        ASSERT_EQ(r.skipped[1].error, -ENOTDIR);
        ASSERT_STREQ(r.skipped[2].path, at("files/two"));
        ASSERT_EQ(r.skipped[2].error, 0);
        close(fd);
        landlock_ruleset_report_done(&r);
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

TEST(fs_required_missing_path_is_an_error_naming_it) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_free_ char *e = NULL, *expected = NULL;
        LandlockCompiled c;
        int fd = -1;

        need_landlock();
        setup_tree();
        add_path(&p, at("allowed"), "ro", false);
        add_path(&p, at("nope"), "ro", false);
        ASSERT_OK(landlock_policy_compile(&p, (unsigned) abi, 0, &c, NULL));
        ASSERT_ERROR(landlock_ruleset_build(&c, &fd, NULL, &e), ENOENT);
        ASSERT_EQ(fd, -1);
        ASSERT_TRUE(asprintf(&expected, "required path %s does not exist (prefix it with '-' to make it optional)",
                             at("nope")) > 0);
        ASSERT_STREQ(e, expected);
        landlock_compiled_done(&c);
        landlock_policy_done(&p);
}

/* ---- Network ---- */

static int tcp_socket(void) {
        return socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0);
}

static struct sockaddr_in loopback(uint16_t port) {
        return (struct sockaddr_in) {
                .sin_family = AF_INET,
                .sin_port = htons(port),
                .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
        };
}

/* A listening socket on a free loopback port. */
static int tcp_listener(uint16_t *ret_port) {
        struct sockaddr_in a = loopback(0);
        socklen_t l = sizeof a;
        int fd = tcp_socket();

        ASSERT_TRUE(fd >= 0);
        ASSERT_OK(RET_NERRNO(bind(fd, (struct sockaddr *) &a, sizeof a)));
        ASSERT_OK(RET_NERRNO(listen(fd, 8)));
        ASSERT_OK(RET_NERRNO(getsockname(fd, (struct sockaddr *) &a, &l)));
        *ret_port = ntohs(a.sin_port);
        return fd;
}

typedef struct NetCase {
        uint16_t bind_ok, bind_denied, connect_ok, connect_denied;
} NetCase;

static void child_net(void *u) {
        NetCase *n = u;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        struct sockaddr_in a;
        int fd;

        if (landlock_policy_add_port(&p, LANDLOCK_ACCESS_NET_BIND_TCP, n->bind_ok, n->bind_ok, NULL) < 0 ||
            landlock_policy_add_port(&p, LANDLOCK_ACCESS_NET_CONNECT_TCP, n->connect_ok, n->connect_ok, NULL) < 0)
                _exit(103);
        child_restrict(&p, false, NULL);

        a = loopback(n->bind_ok);
        fd = tcp_socket();
        report_errno_of(bind(fd, (struct sockaddr *) &a, sizeof a));
        close(fd);
        a = loopback(n->bind_denied);
        fd = tcp_socket();
        report_errno_of(bind(fd, (struct sockaddr *) &a, sizeof a));
        close(fd);
        a = loopback(n->connect_ok);
        fd = tcp_socket();
        report_errno_of(connect(fd, (struct sockaddr *) &a, sizeof a));
        close(fd);
        a = loopback(n->connect_denied);
        fd = tcp_socket();
        report_errno_of(connect(fd, (struct sockaddr *) &a, sizeof a));
        close(fd);
}

TEST(net_tcp_bind_and_connect_allowed_vs_denied_port) {
        NetCase n;
        ChildResult res;
        int l1, l2, l3, l4;

        need_landlock();
        if (abi < 4)
                test_skip("TCP rules need Landlock ABI 4");
        /* Four distinct free ports: two listened on (connect targets), two closed again (bind targets). */
        l1 = tcp_listener(&n.connect_ok);
        l2 = tcp_listener(&n.connect_denied);
        l3 = tcp_listener(&n.bind_ok);
        l4 = tcp_listener(&n.bind_denied);
        close(l3);
        close(l4);
        run_child(child_net, &n, &res);
        close(l1);
        close(l2);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 4);
        ASSERT_EQ(res.values[0], 0);
        ASSERT_EQ(res.values[1], EACCES);
        ASSERT_EQ(res.values[2], 0);
        ASSERT_EQ(res.values[3], EACCES);
}

/* ---- Scopes ---- */

static void child_scope_signal(void *u) {
        pid_t outside = *(pid_t *) u, inside;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        p.scoped = LANDLOCK_SCOPE_SIGNAL;
        child_restrict(&p, false, NULL);
        report_errno_of(kill(outside, SIGTERM));
        inside = fork();
        if (inside == 0) {
                pause();
                _exit(0);
        }
        report_errno_of(kill(inside, SIGKILL));        /* same domain: allowed */
        (void) waitpid(inside, NULL, 0);
}

TEST(scope_signal_to_a_process_outside_the_domain_is_denied) {
        ChildResult res;
        pid_t outside;
        int status;

        need_landlock();
        if (abi < 6)
                test_skip("scopes need Landlock ABI 6");
        outside = fork();
        ASSERT_TRUE(outside >= 0);
        if (outside == 0) {
                pause();
                _exit(0);
        }
        run_child(child_scope_signal, &outside, &res);
        /* Still alive: the SIGTERM was refused. */
        ASSERT_EQ(waitpid(outside, &status, WNOHANG), 0);
        kill(outside, SIGKILL);
        waitpid(outside, &status, 0);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 2);
        ASSERT_EQ(res.values[0], EPERM);
        ASSERT_EQ(res.values[1], 0);
}

static socklen_t abstract_address(struct sockaddr_un *a, const char *name) {
        *a = (struct sockaddr_un) { .sun_family = AF_UNIX };
        snprintf(a->sun_path + 1, sizeof a->sun_path - 1, "%s", name);
        return (socklen_t) (offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int abstract_listener(const char *name) {
        struct sockaddr_un a;
        socklen_t l = abstract_address(&a, name);
        int fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);

        if (fd < 0 || bind(fd, (struct sockaddr *) &a, l) < 0 || listen(fd, 8) < 0)
                return -1;
        return fd;
}

static int abstract_connect(const char *name) {
        struct sockaddr_un a;
        socklen_t l = abstract_address(&a, name);
        int fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0), r;

        r = connect(fd, (struct sockaddr *) &a, l);
        if (r < 0)
                r = -errno;
        close(fd);
        return r < 0 ? -r : 0;
}

static void child_scope_abstract(void *u) {
        const char *outside = u;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        char inside[64];

        p.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET;
        child_restrict(&p, false, NULL);
        report(abstract_connect(outside));
        snprintf(inside, sizeof inside, "%s-inside", outside);
        if (abstract_listener(inside) < 0)
                _exit(104);
        report(abstract_connect(inside));
}

TEST(scope_abstract_unix_socket_outside_the_domain_is_denied) {
        char name[64];
        ChildResult res;
        int l;

        need_landlock();
        if (abi < 6)
                test_skip("scopes need Landlock ABI 6");
        snprintf(name, sizeof name, "test-landlock-%i", (int) getpid());
        l = abstract_listener(name);
        ASSERT_TRUE(l >= 0);
        ASSERT_EQ(abstract_connect(name), 0);  /* reachable from outside the domain */
        run_child(child_scope_abstract, name, &res);
        close(l);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 2);
        ASSERT_EQ(res.values[0], EPERM);
        ASSERT_EQ(res.values[1], 0);
}

/* ---- Process-wide restriction ---- */

typedef struct Threads {
        unsigned n_waiting;             /* sibling threads created up front */
        unsigned n_spawners;            /* threads that create threads while the restriction runs */
        pthread_mutex_t lock;
        pthread_cond_t cond;
        bool go, spawning;
        unsigned started;
        pthread_t *ids;
        int *allowed, *denied;          /* per worker: errno of an allowed and a denied open() */
        unsigned n_workers, max_workers;
} Threads;

static Threads T;
static char allowed_file[PATH_MAX], denied_file[PATH_MAX];    /* at() is not thread-safe */

static pthread_attr_t small_stack(void) {
        pthread_attr_t a;

        pthread_attr_init(&a);
        pthread_attr_setstacksize(&a, 64 * 1024);
        return a;
}

static void unblock_restrict_signal(void) {
        sigset_t s;

        sigemptyset(&s);
        sigaddset(&s, LANDLOCK_RESTRICT_SIGNAL);
        pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

static void *worker(void *arg) {
        unsigned i = (unsigned) (uintptr_t) arg;
        int fd;

        unblock_restrict_signal();      /* a late spawner's child inherits the blocked mask */

        pthread_mutex_lock(&T.lock);
        T.started++;
        pthread_cond_broadcast(&T.cond);
        while (!T.go)
                pthread_cond_wait(&T.cond, &T.lock);
        pthread_mutex_unlock(&T.lock);

        fd = open(allowed_file, O_RDONLY|O_CLOEXEC);
        T.allowed[i] = fd < 0 ? errno : 0;
        if (fd >= 0)
                close(fd);
        fd = open(denied_file, O_RDONLY|O_CLOEXEC);
        T.denied[i] = fd < 0 ? errno : 0;
        if (fd >= 0)
                close(fd);
        return NULL;
}

/* Reserves a worker slot and starts it; false when full. */
static bool start_worker(void) {
        pthread_attr_t a = small_stack();
        unsigned i;

        pthread_mutex_lock(&T.lock);
        i = T.n_workers < T.max_workers ? T.n_workers++ : UINT_MAX;
        pthread_mutex_unlock(&T.lock);
        if (i == UINT_MAX)
                return false;
        if (pthread_create(&T.ids[i], &a, worker, (void *) (uintptr_t) i) != 0)
                _exit(105);
        pthread_attr_destroy(&a);
        return true;
}

static void *spawner(void *arg) {
        for (;;) {
                bool spawning;

                pthread_mutex_lock(&T.lock);
                spawning = T.spawning;
                pthread_mutex_unlock(&T.lock);
                if (!spawning || !start_worker())
                        return NULL;
                usleep(50);
        }
}

/* Deterministically creates a thread after the fallback listed it and before it is restricted: it keeps
 * the signal blocked until the signal is pending, starts a worker, then lets the handler run. The worker
 * can only be found by a later sweep. Gives up after 2 s (TSYNC sends no signal). */
static atomic_int late_ready;

static void *late_spawner(void *arg) {
        sigset_t s, pending;

        sigemptyset(&s);
        sigaddset(&s, LANDLOCK_RESTRICT_SIGNAL);
        pthread_sigmask(SIG_BLOCK, &s, NULL);
        late_ready = 1;

        for (unsigned i = 0; i < 20000; i++) {
                sigpending(&pending);
                if (sigismember(&pending, LANDLOCK_RESTRICT_SIGNAL)) {
                        start_worker();
                        break;
                }
                usleep(100);
        }
        pthread_sigmask(SIG_UNBLOCK, &s, NULL);
        return NULL;
}

static void child_process_wide(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        pthread_t *spawners;
        int fd;

        snprintf(allowed_file, sizeof allowed_file, "%s", at("allowed/f"));
        snprintf(denied_file, sizeof denied_file, "%s", at("denied/f"));
        T.max_workers = T.n_waiting + T.n_spawners * 200;
        T.ids = calloc(T.max_workers, sizeof(pthread_t));
        T.allowed = calloc(T.max_workers, sizeof(int));
        T.denied = calloc(T.max_workers, sizeof(int));
        spawners = calloc(T.n_spawners + 1, sizeof(pthread_t));
        if (!T.ids || !T.allowed || !T.denied || !spawners)
                _exit(106);
        pthread_mutex_init(&T.lock, NULL);
        pthread_cond_init(&T.cond, NULL);
        T.spawning = true;

        for (unsigned i = 0; i < T.n_waiting; i++)
                start_worker();
        pthread_mutex_lock(&T.lock);
        while (T.started < T.n_waiting)
                pthread_cond_wait(&T.cond, &T.lock);
        pthread_mutex_unlock(&T.lock);

        /* The first spawner is the deterministic late one, the others create threads continuously. */
        for (unsigned i = 0; i < T.n_spawners; i++) {
                pthread_attr_t a = small_stack();

                if (pthread_create(&spawners[i], &a, i == 0 ? late_spawner : spawner, NULL) != 0)
                        _exit(105);
        }
        while (T.n_spawners > 0 && !late_ready)
                usleep(100);
        if (T.n_spawners > 0)
                usleep(2000);   /* let the others get going */

        add_path(&p, at("allowed"), "ro", false);
        child_restrict(&p, true, NULL);

        pthread_mutex_lock(&T.lock);
        T.spawning = false;
        pthread_mutex_unlock(&T.lock);
        for (unsigned i = 0; i < T.n_spawners; i++)
                pthread_join(spawners[i], NULL);

        pthread_mutex_lock(&T.lock);
        T.go = true;
        pthread_cond_broadcast(&T.cond);
        pthread_mutex_unlock(&T.lock);
        for (unsigned i = 0; i < T.n_workers; i++)
                pthread_join(T.ids[i], NULL);

        /* The calling thread, then every worker. */
        fd = open(at("denied/f"), O_RDONLY|O_CLOEXEC);
        report(fd < 0 ? errno : 0);
        report((int) last_result.n_sweeps);
        report((int) T.n_workers);
        for (unsigned i = 0; i < T.n_workers; i++) {
                report(T.allowed[i]);
                report(T.denied[i]);
        }
}

static void check_process_wide(unsigned n_waiting, unsigned n_spawners) {
        ChildResult res;
        unsigned n;

        need_landlock();
        setup_tree();
        T = (Threads) { .n_waiting = n_waiting, .n_spawners = n_spawners };
        run_child(child_process_wide, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_TRUE(res.n >= 3);
        ASSERT_EQ(res.values[0], EACCES);
        /* With the late spawner, a sweep found a thread that appeared meanwhile: the first sweep, that
         * one, and the last, which finds nothing new. */
        if (n_spawners > 0 && abi < 8)
                ASSERT_TRUE(res.values[1] >= 3);
        n = (unsigned) res.values[2];
        ASSERT_TRUE(n >= n_waiting);
        ASSERT_EQ(res.n, 3 + 2 * n);
        for (unsigned i = 0; i < n; i++) {
                if (res.values[3 + 2 * i] != 0 || res.values[4 + 2 * i] != EACCES)
                        test_fail(__FILE__, __LINE__, "worker %u of %u: allowed open → %d, denied open → %d (want 0, EACCES)",
                                  i, n, res.values[3 + 2 * i], res.values[4 + 2 * i]);
        }
        printf("# %u threads besides the caller, all denied; %d sweeps\n", n, res.values[1]);
}

TEST(process_wide_1_thread) {
        check_process_wide(0, 0);
}

TEST(process_wide_2_threads) {
        check_process_wide(1, 0);
}

TEST(process_wide_64_threads) {
        check_process_wide(63, 0);
}

TEST(process_wide_1000_threads) {
        check_process_wide(999, 0);
}

TEST(process_wide_threads_creating_threads_meanwhile) {
        check_process_wide(16, 8);
}

/* A sibling that has stacked 16 domains already: its restriction fails with E2BIG, the others succeed. */
static pthread_t stacked_thread, plain_thread;
static atomic_int stacked_ready, plain_ready;
static atomic_int stacked_tid;

static void *stack_16_domains(void *arg) {
        struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_MAKE_BLOCK };
        int fd = landlock_create_ruleset(&attr, landlock_ruleset_attr_size(1), 0);

        for (int i = 0; i < 16; i++)
                if (fd < 0 || landlock_restrict_self(fd, 0) < 0)
                        _exit(107);
        if (landlock_restrict_self(fd, 0) >= 0 || errno != E2BIG)       /* proof: the 17th fails */
                _exit(108);
        stacked_tid = (int) syscall(SYS_gettid);
        stacked_ready = 1;
        for (;;)
                pause();
        return NULL;
}

static void *idle_thread(void *arg) {
        plain_ready = 1;
        for (;;)
                pause();
        return NULL;
}

static void child_e2big(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;

        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                _exit(109);
        pthread_create(&plain_thread, NULL, idle_thread, NULL);
        pthread_create(&stacked_thread, NULL, stack_16_domains, NULL);
        while (!stacked_ready || !plain_ready)
                usleep(1000);
        report(stacked_tid);

        add_path(&p, at("allowed"), "ro", false);
        child_restrict(&p, true, NULL);
        report(MARKER);         /* must never happen */
        (void) open(at("allowed/marker"), O_CREAT|O_WRONLY|O_CLOEXEC, 0644);
}

TEST(process_wide_e2big_in_one_thread_kills_the_process) {
        ChildResult res;
        char needle[64];

        need_landlock();
        setup_tree();
        run_child(child_e2big, NULL, &res);
        if (!WIFSIGNALED(res.status) || WTERMSIG(res.status) != SIGKILL)
                test_fail(__FILE__, __LINE__, "child was not killed by SIGKILL (status 0x%x): %s", res.status, res.err);
        ASSERT_EQ(res.n, 1);    /* the tid, and no marker */
        ASSERT_EQ(access(at("allowed/marker"), F_OK), -1);
        snprintf(needle, sizeof needle, "thread %i", res.values[0]);
        if (!strstr(res.err, needle) || !strstr(res.err, strerror(E2BIG)))
                test_fail(__FILE__, __LINE__, "stderr does not name %s and E2BIG: %s", needle, res.err);
        ASSERT_TRUE(strstr(res.err, "1 other threads are restricted"));
}

/* A sibling that blocks the signal never answers: killed after the bounded wait. */
static atomic_int blocked_ready, blocked_tid;

static void *block_signal(void *arg) {
        sigset_t s;

        sigemptyset(&s);
        sigaddset(&s, LANDLOCK_RESTRICT_SIGNAL);
        pthread_sigmask(SIG_BLOCK, &s, NULL);
        blocked_tid = (int) syscall(SYS_gettid);
        blocked_ready = 1;
        for (;;)
                pause();
        return NULL;
}

static void child_blocked(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        pthread_t t;

        pthread_create(&t, NULL, block_signal, NULL);
        while (!blocked_ready)
                usleep(1000);
        report(blocked_tid);

        add_path(&p, at("allowed"), "ro", false);
        restrict_timeout_usec = 200 * 1000;
        child_restrict(&p, true, NULL);
        report(MARKER);
        (void) open(at("allowed/marker"), O_CREAT|O_WRONLY|O_CLOEXEC, 0644);
}

TEST(process_wide_thread_blocking_the_signal_kills_the_process) {
        ChildResult res;
        char needle[64];

        need_landlock();
        setup_tree();
        run_child(child_blocked, NULL, &res);
        if (!WIFSIGNALED(res.status) || WTERMSIG(res.status) != SIGKILL)
                test_fail(__FILE__, __LINE__, "child was not killed by SIGKILL (status 0x%x): %s", res.status, res.err);
        ASSERT_EQ(res.n, 1);
        ASSERT_EQ(access(at("allowed/marker"), F_OK), -1);
        snprintf(needle, sizeof needle, "Thread %i did not answer", res.values[0]);
        if (!strstr(res.err, needle))
                test_fail(__FILE__, __LINE__, "stderr does not say \"%s\": %s", needle, res.err);
}

/* Without CAP_SYS_ADMIN and no_new_privs, every thread must set no_new_privs itself. */
static atomic_int nnp_seen;

static void *report_nnp(void *arg) {
        pthread_mutex_lock(&T.lock);
        while (!T.go)
                pthread_cond_wait(&T.cond, &T.lock);
        pthread_mutex_unlock(&T.lock);
        nnp_seen = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        return NULL;
}

static void child_nnp(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        LandlockRestrictResult result;
        _cleanup_free_ char *e = NULL;
        LandlockCompiled c;
        pthread_t t;
        int fd;

        /* Drop every capability, as an unprivileged service would run. */
        if (setgid(65534) < 0 || setuid(65534) < 0)
                _exit(110);
        pthread_mutex_init(&T.lock, NULL);
        pthread_cond_init(&T.cond, NULL);
        T.go = false;
        pthread_create(&t, NULL, report_nnp, NULL);

        add_path(&p, "/", "ro", false);
        if (landlock_policy_compile(&p, (unsigned) abi, 0, &c, &e) < 0 || landlock_ruleset_build(&c, &fd, NULL, &e) < 0)
                _exit(111);
        if (landlock_restrict_process(fd, &(LandlockRestrictOptions) {
                        .abi = (unsigned) abi, .process_wide = true, .force_fallback = true,
                        .timeout_usec = restrict_timeout_usec }, &result) < 0)
                _exit(112);
        report((int) result.nnp);
        report(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
        pthread_mutex_lock(&T.lock);
        T.go = true;
        pthread_cond_broadcast(&T.cond);
        pthread_mutex_unlock(&T.lock);
        pthread_join(t, NULL);
        report(nnp_seen);
}

TEST(process_wide_sets_no_new_privs_in_every_thread_when_needed) {
        ChildResult res;

        need_landlock();
        if (geteuid() != 0)
                test_skip("needs root to switch to an unprivileged user");
        run_child(child_nnp, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 3);
        ASSERT_EQ(res.values[0], abi >= 11 ? LANDLOCK_NNP_RESTRICT_FLAG : LANDLOCK_NNP_PRCTL);
        ASSERT_EQ(res.values[1], 1);
        ASSERT_EQ(res.values[2], 1);
}

/* The plan of a process with CAP_SYS_ADMIN in its effective set, then without it (permitted still). */
static void child_nnp_plan_by_capability(void *u) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};
        LandlockNoNewPrivs plan;

        if (landlock_no_new_privs_plan((unsigned) abi, &plan) < 0)
                _exit(110);
        report((int) plan);

        if (syscall(SYS_capget, &h, d) < 0)
                _exit(111);
        d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
        if (syscall(SYS_capset, &h, d) < 0)
                _exit(112);
        if (landlock_no_new_privs_plan((unsigned) abi, &plan) < 0)
                _exit(113);
        report((int) plan);
}

TEST(no_new_privs_is_not_needed_with_effective_cap_sys_admin) {
        ChildResult res;

        if (geteuid() != 0 || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 0)
                test_skip("needs root without no_new_privs");
        run_child(child_nnp_plan_by_capability, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 2);
        ASSERT_EQ(res.values[0], LANDLOCK_NNP_CAP_SYS_ADMIN);
        ASSERT_EQ(res.values[1], abi >= 11 ? LANDLOCK_NNP_RESTRICT_FLAG : LANDLOCK_NNP_PRCTL);
}

TEST(count_threads_counts_this_process) {
        pthread_t t;

        ASSERT_EQ(landlock_count_threads(), 1);
        ASSERT_EQ(pthread_create(&t, NULL, idle_thread, NULL), 0);
        ASSERT_EQ(landlock_count_threads(), 2);
        pthread_cancel(t);
        pthread_join(t, NULL);
}

/* ---- Threads the C library does not know, and a caller alone without /proc ---- */

/* A thread made with clone() itself, as no pthread_create() wrapper sees it: only raw system calls (it
 * shares the caller's thread pointer), its results in atomics. */
static char raw_allowed_path[PATH_MAX], raw_denied_path[PATH_MAX];
static _Atomic uint32_t raw_ready, raw_go, raw_done;
static atomic_int raw_allowed_opened, raw_denied_opened;

static void raw_futex_wait_for(_Atomic uint32_t *word) {
        while (!atomic_load(word))
                (void) syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void raw_futex_set(_Atomic uint32_t *word) {
        atomic_store(word, 1);
        (void) syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

static int raw_thread(void *arg) {
        raw_futex_set(&raw_ready);
        raw_futex_wait_for(&raw_go);
        raw_allowed_opened = syscall(SYS_openat, AT_FDCWD, raw_allowed_path, O_RDONLY|O_CLOEXEC) >= 0;
        raw_denied_opened = syscall(SYS_openat, AT_FDCWD, raw_denied_path, O_RDONLY|O_CLOEXEC) >= 0;
        raw_futex_set(&raw_done);
        return 0;
}

static void child_raw_clone(void *u) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        size_t size = 256 * 1024;
        void *stack;

        snprintf(raw_allowed_path, sizeof raw_allowed_path, "%s", at("allowed/f"));
        snprintf(raw_denied_path, sizeof raw_denied_path, "%s", at("denied/f"));
        stack = mmap(NULL, size, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0);
        if (stack == MAP_FAILED)
                _exit(120);
        if (clone(raw_thread, (char *) stack + size,
                  CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, NULL) < 0)
                _exit(121);
        raw_futex_wait_for(&raw_ready);
        report(landlock_count_threads());

        add_path(&p, at("allowed"), "ro", false);
        child_restrict(&p, true, NULL);
        raw_futex_set(&raw_go);
        raw_futex_wait_for(&raw_done);
        report(raw_allowed_opened);
        report(raw_denied_opened);
        report_errno_of(open(at("denied/f"), O_RDONLY|O_CLOEXEC));
}

TEST(process_wide_reaches_a_thread_made_with_clone_itself) {
        ChildResult res;

        need_landlock();
        setup_tree();
        run_child(child_raw_clone, NULL, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 4);
        ASSERT_EQ(res.values[0], 2);            /* counted, though no pthread_create() made it */
        ASSERT_EQ(res.values[1], 1);            /* restricted: the allowed file opens… */
        ASSERT_EQ(res.values[2], 0);            /* …the denied one does not */
        ASSERT_EQ(res.values[3], EACCES);
}

/* The ruleset allowing "allowed" read-only, built before anything hides /proc. */
static int ruleset_allowing_allowed(void) {
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        _cleanup_free_ char *e = NULL;
        LandlockCompiled c;
        int fd;

        add_path(&p, at("allowed"), "ro", false);
        if (landlock_policy_compile(&p, (unsigned) abi, 0, &c, &e) < 0 || landlock_ruleset_build(&c, &fd, NULL, &e) < 0)
                _exit(122);
        landlock_compiled_done(&c);
        return fd;
}

/* In the child: a mount namespace of its own where /proc is an empty tmpfs. */
static void hide_proc(void) {
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", "/proc", "tmpfs", 0, "mode=0755") < 0)
                _exit(123);
}

typedef enum AloneMode {
        ALONE_WITHOUT_PROC,             /* the caller alone, /proc hidden */
        ALONE_UNDER_SECCOMP,            /* the caller alone, a filter that kills unshare() */
        SIBLING_WITHOUT_PROC,           /* one more thread, /proc hidden */
} AloneMode;

static void child_alone(void *u) {
        AloneMode mode = (AloneMode) (uintptr_t) u;
        int fd = ruleset_allowing_allowed();
        pthread_t t;

        if (mode == SIBLING_WITHOUT_PROC && pthread_create(&t, NULL, idle_thread, NULL) != 0)
                _exit(124);
        if (mode != ALONE_UNDER_SECCOMP)
                hide_proc();
        else if (TEST_SECCOMP_KILL(__NR_unshare) < 0)
                _exit(125);
        report(landlock_restrict_process(fd, &(LandlockRestrictOptions) {
                        .abi = (unsigned) abi, .process_wide = true, .force_fallback = true,
                        .timeout_usec = restrict_timeout_usec }, &last_result));
        report_errno_of(open(at("denied/f"), O_RDONLY|O_CLOEXEC));
}

static void check_alone(AloneMode mode, int want_r, int want_denied_open) {
        ChildResult res;

        need_landlock();
        if (mode != ALONE_UNDER_SECCOMP && geteuid() != 0)
                test_skip("needs root to mount over /proc in a mount namespace");
        setup_tree();
        run_child(child_alone, (void *) (uintptr_t) mode, &res);
        assert_exited_ok(&res);
        ASSERT_EQ(res.n, 2);
        if (want_r < 0)
                ASSERT_TRUE(res.values[0] < 0);
        else
                ASSERT_EQ(res.values[0], want_r);
        ASSERT_EQ(res.values[1], want_denied_open);
}

/* unshare(CLONE_THREAD) proves the caller alone: no /proc needed, restricted. */
TEST(process_wide_caller_alone_needs_no_proc) {
        check_alone(ALONE_WITHOUT_PROC, 0, EACCES);
}

/* Under a seccomp filter, which could kill unshare(), the caller counts in /proc instead: restricted, and
 * not killed by SIGSYS. */
TEST(process_wide_caller_alone_under_seccomp_does_not_call_unshare) {
        check_alone(ALONE_UNDER_SECCOMP, 0, EACCES);
}

/* A sibling, and no /proc to list it in: an error, and nothing restricted. */
TEST(process_wide_sibling_without_proc_fails_and_restricts_nothing) {
        check_alone(SIBLING_WITHOUT_PROC, -1, 0);
}
