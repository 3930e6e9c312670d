/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Golden tests: for each golden/<case>/, run the generator over the unit tree golden/<case>/root/ (as
 * the system manager would see it) and compare its output directory with golden/<case>/expected/.
 * GOLDEN_UPDATE=1 rewrites the expected trees instead (review the diff before committing). */

#include <dirent.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "generator-unit.h"
#include "landlock-args.h"
#include "tree-util.h"

static int run_case(const char *dir, const char *name) {
        char root[4096], expected[4096], early[4096], cmd[20480];
        char *out = tree_new();
        GeneratorOptions o = {
                .scope = UNIT_SCOPE_SYSTEM,
                .root = root,
                .output_dir = out,
                .early_dir = early,
                .exec_path = "/usr/libexec/systemd-landlock-exec",
        };
        int r;

        /* Masks go to the early directory: here a subdirectory of the output, so that they are compared. */
        snprintf(early, sizeof(early), "%s/early", out);
        if (mkdir(early, 0755) < 0)
                return -1;

        snprintf(root, sizeof(root), "%s/%s/root", dir, name);
        snprintf(expected, sizeof(expected), "%s/%s/expected", dir, name);

        r = generator_run(&o);
        (void) rmdir(early);    /* git keeps no empty directory in expected/ */
        if (r < 0) {
                printf("# %s: generator_run() failed: %s\n", name, strerror(-r));
                tree_remove(out);
                free(out);
                return -1;
        }

        if (getenv("GOLDEN_UPDATE"))
                snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s' && cp -a '%s/.' '%s/'",
                         expected, expected, out, expected);
        else
                snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && diff -ruN '%s' '%s' | sed 's/^/# /'; "
                         "diff -ruN '%s' '%s' >/dev/null", expected, expected, out, expected, out);
        r = system(cmd);
        tree_remove(out);
        free(out);
        if (r != 0)
                printf("# %s: generated drop-ins differ from %s\n", name, expected);
        return r == 0 ? 0 : -1;
}

TEST(golden_cases) {
        const char *dir = getenv("GOLDEN_DIR");
        struct dirent **cases;
        unsigned failed = 0;
        int n;

        ASSERT_TRUE(dir);
        unsetenv("SYSTEMD_UNIT_PATH");

        n = scandir(dir, &cases, NULL, alphasort);
        ASSERT_TRUE(n > 2);
        for (int i = 0; i < n; i++) {
                if (cases[i]->d_name[0] != '.') {
                        printf("# case %s\n", cases[i]->d_name);
                        if (run_case(dir, cases[i]->d_name) < 0)
                                failed++;
                }
                free(cases[i]);
        }
        free(cases);
        ASSERT_EQ(failed, 0);
}

/* A unit with directives whose drop-in cannot be written (here: its drop-in directory's name is taken by
 * a file) must not be left to run unconfined: it is masked from the early directory. And where the links
 * that give commands their journal identity cannot be made, the drop-in names the enforcer itself. */
static void run_failing(const char *what, bool identity_links, char **ret_out, char **ret_root) {
        char *root = tree_new(), *out = tree_new();
        char early[4096];
        GeneratorOptions o = {
                .scope = UNIT_SCOPE_SYSTEM,
                .root = root,
                .output_dir = out,
                .early_dir = early,
                .exec_path = "/usr/libexec/systemd-landlock-exec",
                .identity_links = identity_links,
        };

        snprintf(early, sizeof(early), "%s/early", out);
        ASSERT_EQ(mkdir(early, 0755), 0);
        tree_write(root, "etc/systemd/system/a.service",
                   "[Service]\nExecStart=/bin/true\nLandlockReadOnlyPaths=/etc\n");
        tree_write(out, what, "not a directory\n");
        unsetenv("SYSTEMD_UNIT_PATH");
        ASSERT_TRUE(generator_run(&o) >= 0);
        *ret_out = out;
        *ret_root = root;
}

TEST(a_unit_whose_dropin_cannot_be_written_is_masked) {
        char *out, *root, path[4096], target[64] = {};

        run_failing("a.service.d", false, &out, &root);
        snprintf(path, sizeof(path), "%s/early/a.service", out);
        ASSERT_TRUE(readlink(path, target, sizeof(target) - 1) > 0);
        ASSERT_STREQ(target, "/dev/null");
        tree_remove(out);
        tree_remove(root);
        free(out);
        free(root);
}

TEST(identity_links_that_cannot_be_made_leave_the_enforcer_path) {
        char *out, *root, path[4096], text[8192] = {};
        FILE *f;

        run_failing(LANDLOCK_EXEC_IDENTITY_DIR, true, &out, &root);
        snprintf(path, sizeof(path), "%s/a.service.d/~landlock.conf", out);
        f = fopen(path, "re");
        ASSERT_TRUE(f);
        ASSERT_TRUE(fread(text, 1, sizeof(text) - 1, f) > 0);
        fclose(f);
        ASSERT_TRUE(strstr(text, "\nExecStart=/usr/libexec/systemd-landlock-exec "));
        snprintf(path, sizeof(path), "%s/early/a.service", out);
        ASSERT_TRUE(access(path, F_OK) < 0);
        tree_remove(out);
        tree_remove(root);
        free(out);
        free(root);
}
