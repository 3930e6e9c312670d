/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The generator over a tree of N units (default 1000), half of them with Landlock directives and a
 * drop-in, the other half plain (each with a drop-in too). Prints the median wall time of R runs
 * (default 21), per unit, and the ratio against a baseline measured in the same run: reading every
 * unit file and drop-in of the tree once; and against the floor of any generator exact about every
 * unit: that, plus listing every drop-in directory and writing the drop-ins. Also the output alone:
 * writing the drop-ins, which any generator that writes them pays at every run.
 *
 *   generator-bench [--units=N] [--runs=R] [--make-tree=DIR]
 *
 * The output goes to a tmpfs (/dev/shm), as /run/systemd/generator is one on a real system.
 * --make-tree only writes the tree (beneath DIR/etc/systemd/system) and exits: generator-reload.sh uses
 * it to measure daemon-reload in a container. */

#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "generator-unit.h"
#include "strv.h"
#include "unit-file.h"

static void die(const char *what) {
        perror(what);
        exit(EXIT_FAILURE);
}

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");

        if (!f || fputs(text, f) < 0 || fclose(f) != 0)
                die(path);
}

static void make_tree(const char *root, unsigned n) {
        char dir[4096], path[4200], text[2048];

        snprintf(dir, sizeof(dir), "%s/etc", root);
        (void) mkdir(dir, 0755);
        snprintf(dir, sizeof(dir), "%s/etc/systemd", root);
        (void) mkdir(dir, 0755);
        snprintf(dir, sizeof(dir), "%s/etc/systemd/system", root);
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                die(dir);

        for (unsigned i = 0; i < n; i++) {
                bool landlock = i % 2 == 0;

                snprintf(path, sizeof(path), "%s/bench-%04u.service", dir, i);
                snprintf(text, sizeof(text),
                         "[Unit]\nDescription=Benchmark unit %u\n\n"
                         "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
                         "ExecStartPre=-/bin/true pre\nExecStart=/bin/true \"arg %u\" $HOME\n"
                         "ExecStop=/bin/true stop\nSystemCallFilter=@system-service\n"
                         "%s\n[Install]\nWantedBy=multi-user.target\n",
                         i, i,
                         landlock ? "LandlockReadOnlyPaths=/etc /usr\nLandlockReadWritePaths=-/var/lib/bench /tmp\n"
                                    "LandlockConnectPorts=tcp:5432\nLandlockScope=signal\n" : "");
                write_file(path, text);

                snprintf(path, sizeof(path), "%s/bench-%04u.service.d", dir, i);
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        die(path);
                snprintf(path, sizeof(path), "%s/bench-%04u.service.d/override.conf", dir, i);
                write_file(path, landlock ? "[Service]\nEnvironment=A=1\nX-LandlockPaths=/srv/bench:rw\n"
                                          : "[Service]\nEnvironment=A=1\n");
        }
}

static double now(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

static double median(double *v, unsigned n) {
        qsort(v, n, sizeof(double), cmp_double);
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void read_file(const char *path) {
        char *text = NULL;

        if (read_full_file(path, &text, NULL) < 0)
                die(path);
        free(text);
}

/* Opens and reads every file of the tree once. The baseline knows the tree's layout (one override.conf
 * per drop-in directory); the floor ("list_dropin_dirs") lists every drop-in directory, as an exact
 * generator must, whose contents are not known in advance. Through the same libc calls. */
static void read_tree(const char *root, bool list_dropin_dirs) {
        char dir[4096], path[8400];
        struct dirent *de;
        DIR *d;

        snprintf(dir, sizeof(dir), "%s/etc/systemd/system", root);
        d = opendir(dir);
        if (!d)
                die(dir);
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                if (endswith(de->d_name, ".d") && list_dropin_dirs) {
                        struct dirent *e;
                        DIR *dd;

                        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                        dd = opendir(path);
                        if (!dd)
                                die(path);
                        while ((e = readdir(dd)))
                                if (e->d_name[0] != '.') {
                                        snprintf(path, sizeof(path), "%s/%s/%s", dir, de->d_name, e->d_name);
                                        read_file(path);
                                }
                        closedir(dd);
                        continue;
                }
                if (endswith(de->d_name, ".d"))
                        snprintf(path, sizeof(path), "%s/%s/override.conf", dir, de->d_name);
                else
                        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
                read_file(path);
        }
        closedir(d);
}

/* The generator's output alone: one drop-in of the generator's size, in a directory of its own, for each
 * unit with directives. PID 1 gives every generator an empty output directory at every run, so any
 * generator that writes drop-ins pays this, even one that knew them without reading anything. */
static void write_dropins(const char *out, unsigned n, size_t dropin_size) {
        char path[8400];
        char *dropin;

        dropin = malloc(dropin_size);
        if (!dropin)
                die("malloc");
        memset(dropin, '#', dropin_size);

        for (unsigned i = 0; i < n; i += 2) {
                int fd;

                snprintf(path, sizeof(path), "%s/bench-%04u.service.d", out, i);
                if (mkdir(path, 0755) < 0)
                        die(path);
                snprintf(path, sizeof(path), "%s/bench-%04u.service.d/~landlock.conf", out, i);
                fd = open(path, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0644);
                if (fd < 0 || write(fd, dropin, dropin_size) != (ssize_t) dropin_size || close(fd) < 0)
                        die(path);
        }
        free(dropin);
}

/* The floor: what any generator that is exact about every unit must do, with nothing else: list the unit
 * directory and every drop-in directory, read every file once, and write the output. */
static void floor_tree(const char *root, const char *out, unsigned n, size_t dropin_size) {
        read_tree(root, /* list_dropin_dirs= */ true);
        write_dropins(out, n, dropin_size);
}

static void reset_dir(const char *dir) {
        char cmd[8600];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir '%s'", dir, dir);
        if (system(cmd) != 0)
                die("reset output");
}

static size_t dropin_size(const char *out) {
        char path[4200];
        struct stat st;

        snprintf(path, sizeof(path), "%s/bench-0000.service.d/~landlock.conf", out);
        return stat(path, &st) < 0 ? 1024 : (size_t) st.st_size;
}

static int run_generator(const char *root, const char *out) {
        GeneratorOptions o = {
                .scope = UNIT_SCOPE_SYSTEM,
                .root = root,
                .output_dir = out,
                .exec_path = "/usr/libexec/systemd-landlock-exec",
        };
        int written = generator_run(&o);

        if (written < 0)
                die("generator_run");
        return written;
}

/* The three, alternating in each of "runs" rounds, each from an empty output directory (as systemd
 * gives generators). Prints the medians. */
static void measure(const char *root, const char *out, unsigned n_units, unsigned runs) {
        double *gen = calloc(runs, sizeof(double)), *base = calloc(runs, sizeof(double)),
               *flr = calloc(runs, sizeof(double)), *wr = calloc(runs, sizeof(double)), g, b, f, w;
        int written;
        size_t size;

        if (!gen || !base || !flr || !wr)
                die("calloc");

        /* A first run, not measured: the page cache warm for all, and the size of the drop-ins the floor
         * writes. */
        run_generator(root, out);
        size = dropin_size(out);

        for (unsigned i = 0; i < runs; i++) {
                double t;

                reset_dir(out);
                t = now();
                floor_tree(root, out, n_units, size);
                flr[i] = now() - t;

                reset_dir(out);
                t = now();
                write_dropins(out, n_units, size);
                wr[i] = now() - t;

                reset_dir(out);
                t = now();
                read_tree(root, /* list_dropin_dirs= */ false);
                base[i] = now() - t;

                t = now();
                written = run_generator(root, out);
                gen[i] = now() - t;
        }

        g = median(gen, runs);
        b = median(base, runs);
        f = median(flr, runs);
        w = median(wr, runs);
        printf("units: %u (%u with Landlock directives), drop-ins written: %d, runs: %u\n",
               n_units, (n_units + 1) / 2, written, runs);
        printf("generator: median %.2f ms, %.2f us/unit\n", g * 1e3, g * 1e6 / n_units);
        printf("baseline (read every file once): median %.2f ms\n", b * 1e3);
        printf("ratio generator/baseline: %.1f\n", g / b);
        printf("floor (list every directory, read every file, write the drop-ins): median %.2f ms\n", f * 1e3);
        printf("ratio generator/floor: %.1f\n", g / f);
        printf("output alone (write the drop-ins, nothing else): median %.2f ms\n", w * 1e3);
        free(wr);
        free(gen);
        free(base);
        free(flr);
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "units",     required_argument, NULL, 'u' },
                { "runs",      required_argument, NULL, 'r' },
                { "make-tree", required_argument, NULL, 'm' },
                {}
        };
        unsigned n_units = 1000, runs = 21;
        char root[] = "/tmp/generator-bench-XXXXXX", out[] = "/dev/shm/generator-bench-out-XXXXXX", cmd[8600];
        int c;

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'u':
                        n_units = strtoul(optarg, NULL, 10);
                        break;
                case 'r':
                        runs = strtoul(optarg, NULL, 10);
                        break;
                case 'm':
                        make_tree(optarg, n_units);
                        return EXIT_SUCCESS;
                default:
                        return EXIT_FAILURE;
                }
        if (runs == 0 || n_units == 0)
                return EXIT_FAILURE;

        if (!mkdtemp(root))
                die("mkdtemp");
        make_tree(root, n_units);
        /* Generators write to /run, a tmpfs: so does the benchmark (on ext4, creating 500 directories and
         * files right after deleting them costs more than everything else together). */
        if (!mkdtemp(out))
                die("mkdtemp /dev/shm");
        unsetenv("SYSTEMD_UNIT_PATH");

        measure(root, out, n_units, runs);

        snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", root, out);
        (void) system(cmd);
        return EXIT_SUCCESS;
}
