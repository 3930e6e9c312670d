/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock profile list|show|enable|disable NAME": the tested Landlock profiles of packaged
 * services, shipped as drop-ins under the data directory; "enable" links one into the unit's drop-in
 * directory in /etc, where an administrator's overrides belong, and reloads the manager.
 * "systemd-landlock preset list|show NAME": the presets units may name in LandlockPreset=. */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "landlock-preset.h"
#include "log.h"
#include "strv.h"
#include "unit-file.h"
#include "verbs.h"

#define PROFILE_SUFFIX ".conf"
/* The drop-in "enable" creates: sorted after the distribution's (10-…) and before "override.conf" of
 * "systemctl edit", so that an administrator's own directives still come last. */
#define PROFILE_DROPIN "50-landlock-profile.conf"
#define PROFILE_UNIT_DIR "/etc/systemd/system"

static const char *profile_dir(void) {
        const char *e = getenv("SYSTEMD_LANDLOCK_PROFILE_DIR");

        return isempty(e) ? LANDLOCK_DATA_DIR "/profiles" : e;
}

/* Profile "nginx" is for nginx.service, "postgresql@" for every instance of postgresql@.service. */
static bool profile_name_is_valid(const char *name) {
        const char *at = strchr(name, '@');

        if (isempty(name) || name[0] == '.' || (at && at[1] != '\0'))
                return false;
        for (const char *c = name; *c; c++)
                if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@", *c))
                        return false;
        return true;
}

static int profile_path(const char *name, char **ret) {
        _cleanup_free_ char *path = NULL;

        if (!profile_name_is_valid(name))
                return log_error_errno(EINVAL, "\"%s\" is not a profile name (expected the unit name without "
                                       "\".service\", such as nginx or postgresql@); see \"profile list\".", name);
        if (asprintf(&path, "%s/%s%s", profile_dir(), name, PROFILE_SUFFIX) < 0)
                return log_oom();
        if (access(path, F_OK) < 0)
                return log_error_errno(errno, "No profile \"%s\" (%s: %m); see \"systemd-landlock profile list\".",
                                       name, path);
        *ret = TAKE_PTR(path);
        return 0;
}

static int dropin_paths(const char *name, char **ret_dir, char **ret_link) {
        _cleanup_free_ char *dir = NULL, *link = NULL;

        if (asprintf(&dir, "%s" PROFILE_UNIT_DIR "/%s.service.d", strempty(arg_root), name) < 0 ||
            asprintf(&link, "%s/" PROFILE_DROPIN, dir) < 0)
                return log_oom();
        *ret_dir = TAKE_PTR(dir);
        *ret_link = TAKE_PTR(link);
        return 0;
}

/* 1 if the unit's drop-in directory links to this profile, 0 if not, -EEXIST if something else is there. */
static int profile_is_enabled(const char *name, const char *target) {
        _cleanup_free_ char *dir = NULL, *link = NULL;
        char buf[PATH_MAX];
        ssize_t n;

        if (dropin_paths(name, &dir, &link) < 0)
                return -ENOMEM;
        n = readlink(link, buf, sizeof(buf) - 1);
        if (n < 0)
                return errno == ENOENT ? 0 : errno == EINVAL ? -EEXIST : -errno;
        buf[n] = '\0';
        return streq(buf, target) ? 1 : -EEXIST;
}

static int mkdir_parents_and_self(const char *path) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++)
                if (*s == '/') {
                        *s = '\0';
                        if (mkdir(p, 0755) < 0 && errno != EEXIST)
                                return -errno;
                        *s = '/';
                }
        return mkdir(p, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

static int daemon_reload(void) {
        int status;
        pid_t pid;

        if (arg_offline) {
                log_info("Not reloading the manager (--offline/--root): run \"systemctl daemon-reload\".");
                return 0;
        }
        pid = fork();
        if (pid < 0)
                return log_error_errno(errno, "Failed to fork: %m");
        if (pid == 0) {
                execlp("systemctl", "systemctl", arg_scope == UNIT_SCOPE_USER ? "--user" : "--system",
                       "daemon-reload", (char *) NULL);
                log_error_errno(errno, "Failed to execute systemctl: %m");
                _exit(EXIT_FAILURE);
        }
        if (waitpid(pid, &status, 0) < 0)
                return log_error_errno(errno, "Failed to wait for systemctl: %m");
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return log_error_errno(EPROTO, "\"systemctl daemon-reload\" failed.");
        return 0;
}

static int list_names(const char *dir, const char *suffix, char ***ret) {
        _cleanup_closedir_ DIR *d = opendir(dir);
        _cleanup_strv_free_ char **names = NULL;
        struct dirent *de;

        if (!d)
                return errno == ENOENT ? 0 : log_error_errno(errno, "Failed to open %s: %m", dir);
        while ((de = readdir(d))) {
                const char *e = endswith(de->d_name, suffix);

                if (e && e != de->d_name && de->d_name[0] != '.' &&
                    strv_consume(&names, strndup(de->d_name, e - de->d_name)) < 0)
                        return log_oom();
        }
        strv_sort(names);
        *ret = TAKE_PTR(names);
        return 0;
}

static int print_file(const char *path) {
        _cleanup_free_ char *text = NULL;
        size_t size;
        int r;

        r = read_full_file(path, &text, &size);
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", path);
        printf("# %s\n", path);
        fwrite(text, 1, size, stdout);
        return 0;
}

static int profile_list(void) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = list_names(profile_dir(), PROFILE_SUFFIX, &names);
        if (r < 0)
                return r;
        if (arg_legend)
                printf("%-20s %-28s %s\n", "PROFILE", "UNIT", "STATE");
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *target = NULL, *unit = NULL;
                int e;

                if (asprintf(&target, "%s/%s%s", profile_dir(), *n, PROFILE_SUFFIX) < 0 ||
                    asprintf(&unit, "%s.service", *n) < 0)
                        return log_oom();
                e = profile_is_enabled(*n, target);
                printf("%-20s %-28s %s\n", *n, unit, e > 0 ? "enabled" : e == 0 ? "disabled" : "overridden");
        }
        if (arg_legend)
                printf("\n%zu profiles in %s.\n", strv_length(names), profile_dir());
        return 0;
}

/* Where the profile is, its unit's drop-in directory and link, and profile_is_enabled() of them. Errors are
 * logged, all but -EEXIST: what to say of a foreign link depends on what the caller was about to do. */
static int profile_locate(const char *name, char **ret_target, char **ret_dir, char **ret_link) {
        int r;

        r = profile_path(name, ret_target);
        if (r < 0)
                return r;
        r = dropin_paths(name, ret_dir, ret_link);
        if (r < 0)
                return r;
        r = profile_is_enabled(name, *ret_target);
        if (r < 0 && r != -EEXIST)
                return log_error_errno(r, "Failed to read %s: %m", *ret_link);
        return r;
}

/* The drop-in changed: systemd has to reload to see it, and the running service to restart to get it. */
static int profile_reload(const char *name, const char *what) {
        int r;

        r = daemon_reload();
        if (r < 0)
                return r;
        log_info("Restart %s.service for the %s to apply to the running service.", name, what);
        return 0;
}

static int profile_enable(const char *name) {
        _cleanup_free_ char *target = NULL, *dir = NULL, *link = NULL;
        int r;

        r = profile_locate(name, &target, &dir, &link);
        if (r == -EEXIST)
                return log_error_errno(r, "%s exists and is not a link to %s: not replacing it.", link, target);
        if (r < 0)
                return r;
        if (r == 0) {
                r = mkdir_parents_and_self(dir);
                if (r < 0)
                        return log_error_errno(r, "Failed to create %s: %m", dir);
                if (symlink(target, link) < 0)
                        return log_error_errno(errno, "Failed to create %s: %m", link);
                log_info("Created symlink %s → %s.", link, target);
        }
        return profile_reload(name, "profile");
}

static int profile_disable(const char *name) {
        _cleanup_free_ char *target = NULL, *dir = NULL, *link = NULL;
        int r;

        r = profile_locate(name, &target, &dir, &link);
        if (r == -EEXIST)
                return log_error_errno(r, "%s is not a link to %s: not removing it.", link, target);
        if (r < 0)
                return r;
        if (r > 0) {
                if (unlink(link) < 0)
                        return log_error_errno(errno, "Failed to remove %s: %m", link);
                log_info("Removed %s.", link);
                (void) rmdir(dir);      /* only if we left it empty */
        }
        return profile_reload(name, "change");
}

int verb_profile(int argc, char *argv[]) {
        _cleanup_free_ char *path = NULL;
        int r;

        if (argc == 2 && streq(argv[1], "list"))
                return profile_list();
        if (argc != 3 || !STR_IN_SET(argv[1], "show", "enable", "disable"))
                return log_error_errno(EINVAL, "Usage: profile list | profile show|enable|disable NAME");

        if (streq(argv[1], "enable"))
                return profile_enable(argv[2]);
        if (streq(argv[1], "disable"))
                return profile_disable(argv[2]);

        r = profile_path(argv[2], &path);
        if (r < 0)
                return r;
        return print_file(path);
}

static int preset_list(void) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = landlock_preset_list(&names);
        if (r < 0)
                return log_error_errno(r, "Failed to list presets: %m");
        if (arg_legend)
                printf("%-16s %-8s %s\n", "PRESET", "VERSION", "DESCRIPTION");
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *description = NULL, *error = NULL;
                unsigned version;

                r = landlock_preset_describe(*n, &description, &version, &error);
                if (r == -ENOMEM)
                        return log_oom();
                if (r < 0) {
                        printf("%-16s %-8s (%s)\n", *n, "-", strna(error));
                        continue;
                }
                printf("%-16s %-8u %s\n", *n, version, strna(description));
        }
        return 0;
}

int verb_preset(int argc, char *argv[]) {
        _cleanup_free_ char *path = NULL, *error = NULL;
        LandlockPolicy p = LANDLOCK_POLICY_INIT;
        int r;

        if (argc == 2 && streq(argv[1], "list"))
                return preset_list();
        if (argc != 3 || !streq(argv[1], "show"))
                return log_error_errno(EINVAL, "Usage: preset list | preset show NAME");

        r = landlock_preset_find(argv[2], &path);
        if (r < 0)
                return log_error_errno(r, "No preset \"%s\": %m; see \"systemd-landlock preset list\".", argv[2]);
        r = print_file(path);
        if (r < 0)
                return r;

        /* And what it expands to here and now, computed grants included. */
        r = landlock_preset_apply_list(argv[2], &p, &error);
        if (r < 0) {
                landlock_policy_done(&p);
                return log_error_errno(r, "%s", strna(error));
        }
        printf("\n# Expanded on this system:\n");
        for (size_t i = 0; i < p.n_paths; i++) {
                _cleanup_free_ char *access = landlock_access_to_string(p.paths[i].access);

                printf("%s%s:%s\t# %s:%u\n", p.paths[i].optional ? "-" : "", p.paths[i].path, strna(access),
                       strna(p.paths[i].source.file), p.paths[i].source.line);
        }
        landlock_policy_done(&p);
        return 0;
}
