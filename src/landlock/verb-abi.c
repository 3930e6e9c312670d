/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "systemd-landlock abi": what the running kernel supports, derived from the one ABI table. */

#include <sys/utsname.h>

#include "landlock-abi.h"
#include "log.h"
#include "verbs.h"

/* What a failed probe means, in words an administrator can act on. */
static const char *abi_status_to_string(int abi) {
        if (abi > 0)
                return "available";
        switch (abi) {
        case -ENOSYS:
                return "not built in";
        case -EOPNOTSUPP:
                return "disabled at boot";
        case -EPERM:
                return "blocked";
        default:
                return "unavailable";
        }
}

static const char *abi_status_hint(int abi) {
        switch (abi) {
        case -ENOSYS:
                return "the kernel was built without CONFIG_SECURITY_LANDLOCK";
        case -EOPNOTSUPP:
                return "add \"landlock\" to the lsm= kernel command line option";
        case -EPERM:
                return "a seccomp filter denies the Landlock system calls (e.g. a container manager's)";
        default:
                return NULL;
        }
}

static bool right_supported(const LandlockRight *r, int abi) {
        return abi > 0 && r->abi <= (unsigned) abi;
}

static bool erratum_fixed(const LandlockErratum *e, int errata) {
        return errata > 0 && (errata & (1 << (e->id - 1)));
}

static int abi_errata_json(int errata, json_object **ret) {
        _cleanup_json_ json_object *l = json_object_new_array();
        int r;

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < landlock_n_errata; i++) {
                const LandlockErratum *e = landlock_errata + i;
                json_object *o = json_object_new_object();

                r = json_append(l, o);
                if (r >= 0)
                        r = json_add_uint(o, "id", e->id);
                if (r >= 0)
                        r = json_add_uint(o, "abi", e->abi);
                if (r >= 0)
                        r = json_add_bool(o, "fixed", erratum_fixed(e, errata));
                if (r >= 0)
                        r = json_add_string(o, "description", e->description);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static int abi_rights_json(int abi, json_object **ret) {
        _cleanup_json_ json_object *l = json_object_new_array();
        int r;

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *right = landlock_rights + i;
                json_object *o = json_object_new_object();

                r = json_append(l, o);
                if (r >= 0)
                        r = json_add_string(o, "kind", landlock_kind_to_string(right->kind));
                if (r >= 0)
                        r = json_add_string(o, "name", right->name);
                if (r >= 0)
                        r = json_add_string(o, "uapi", right->kernel_name);
                if (r >= 0)
                        r = json_add_uint(o, "abi", right->abi);
                if (r >= 0)
                        r = json_add_string(o, "linux", landlock_abi_linux_version(right->abi));
                if (r >= 0)
                        r = json_add_bool(o, "supported", right_supported(right, abi));
                if (r >= 0)
                        r = json_add_string(o, "description", right->description);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static int abi_print_json(const char *release, int abi, int errata) {
        _cleanup_json_ json_object *o = json_object_new_object();
        json_object *errata_list = NULL, *rights = NULL;
        int r;

        if (!o)
                return log_oom();
        r = json_add_string(o, "kernel", release);
        if (r >= 0)
                r = json_add_bool(o, "available", abi > 0);
        if (r >= 0)
                r = json_add_string(o, "status", abi_status_to_string(abi));
        if (r >= 0)
                r = abi > 0 ? json_add_uint(o, "abi", abi) : json_add_string(o, "abi", NULL);
        if (r >= 0)
                r = json_add_string(o, "hint", abi_status_hint(abi));
        if (r >= 0)
                r = json_add_uint(o, "known_abi_max", LANDLOCK_ABI_MAX);
        if (r >= 0)
                r = abi_errata_json(errata, &errata_list);
        if (r >= 0)
                r = json_add(o, "errata", errata_list);
        if (r >= 0)
                r = abi_rights_json(abi, &rights);
        if (r >= 0)
                r = json_add(o, "rights", rights);
        if (r >= 0)
                r = json_print(o, arg_json);
        return r < 0 ? log_oom() : 0;
}

static int abi_print_text(const char *release, int abi, int errata) {
        printf("%sKernel:%s   Linux %s\n", ansi_highlight(), ansi_normal(), release);
        if (abi > 0) {
                const char *v = landlock_abi_linux_version(abi);

                printf("%sLandlock:%s ABI %d%s%s%s\n", ansi_highlight(), ansi_normal(), abi,
                       v ? " (Linux " : "", v ?: "", v ? ")" : "");
                if (abi > LANDLOCK_ABI_MAX)
                        printf("          newer than this build knows (ABI %d): its new features are not used\n",
                               LANDLOCK_ABI_MAX);
        } else {
                const char *hint = abi_status_hint(abi);

                printf("%sLandlock:%s %s%s%s", ansi_highlight(), ansi_normal(),
                       ansi_red(), abi_status_to_string(abi), ansi_normal());
                if (hint)
                        printf(" (%s)", hint);
                printf("\n");
        }

        printf("%sErrata:%s\n", ansi_highlight(), ansi_normal());
        for (size_t i = 0; i < landlock_n_errata; i++) {
                const LandlockErratum *e = landlock_errata + i;
                bool fixed = erratum_fixed(e, errata);

                printf("  %s%-9s%s %u: %s\n", fixed ? ansi_green() : ansi_grey(),
                       fixed ? "fixed" : "not fixed", ansi_normal(), e->id, e->description);
        }
        printf("\n");

        if (arg_legend)
                printf("%s%-14s %-21s %-40s %-4s %-7s %s%s\n", ansi_highlight(), "KIND", "NAME", "UAPI", "ABI",
                       "LINUX", "SUPPORTED", ansi_normal());
        for (size_t i = 0; i < landlock_n_rights; i++) {
                const LandlockRight *r = landlock_rights + i;
                bool ok = right_supported(r, abi);

                printf("%-14s %-21s %-40s %-4u %-7s %s%s%s\n", landlock_kind_to_string(r->kind), r->name,
                       r->kernel_name, r->abi, strna(landlock_abi_linux_version(r->abi)),
                       ok ? ansi_green() : ansi_red(), ok ? "yes" : "no", ansi_normal());
        }
        return 0;
}

int verb_abi(int argc, char *argv[]) {
        struct utsname u;
        int abi, errata = 0;

        if (argc > 1)
                return log_error_errno(EINVAL, "\"abi\" takes no arguments, got \"%s\".", argv[1]);

        if (uname(&u) < 0)
                return log_error_errno(errno, "Failed to get the kernel release: %m");

        abi = landlock_abi_probe();
        if (abi > 0) {
                errata = landlock_errata_probe();
                if (errata < 0) {
                        log_warning_errno(errata, "Failed to query Landlock errata, assuming none fixed: %m");
                        errata = 0;
                }
        }

        if (arg_json != JSON_OFF)
                return abi_print_json(u.release, abi, errata);
        return abi_print_text(u.release, abi, errata);
}
