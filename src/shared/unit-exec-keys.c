/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <string.h>

#include "strv.h"
#include "text.h"
#include "unit-exec-keys.h"
#include "unit-specifier.h"

/* systemd's load-fragment-gperf.gperf.in: [Service] and [Socket] Exec settings that hold commands
 * (ExecSearchPath= and ExecPaths= hold paths). */
static const char * const service_keys[] = {
        "ExecCondition", "ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecReloadPost",
        "ExecStop", "ExecStopPost", NULL,
};

/* Those of service_keys that run while the main process may be alive and may need to signal it: after
 * ExecStart= has started it, and until ExecStopPost= has cleaned up what it left. */
static const char * const service_control_keys[] = {
        "ExecStartPost", "ExecReload", "ExecReloadPost", "ExecStop", "ExecStopPost", NULL,
};

static const char * const socket_keys[] = {
        "ExecStartPre", "ExecStartPost", "ExecStopPre", "ExecStopPost", NULL,
};

const char * const *unit_exec_keys(const char *section) {
        if (!section)
                return NULL;
        if (streq(section, "Service"))
                return service_keys;
        if (streq(section, "Socket"))
                return socket_keys;
        return NULL;
}

unsigned unit_exec_key_since(const char *key) {
        if (streq(key, "ExecReloadPost"))
                return 259;
        if (strv_contains((char **) service_keys, key) || strv_contains((char **) socket_keys, key))
                return SYSTEMD_VERSION_MIN;
        return 0;
}

bool unit_exec_key_is_valid(const char *section, const char *key) {
        const char * const *keys = unit_exec_keys(section);

        return keys && strv_contains((char **) keys, key);
}

bool unit_exec_key_controls_main(const char *section, const char *key) {
        /* Sockets have no main process. */
        return section && streq(section, "Service") && strv_contains((char **) service_control_keys, key);
}

int unit_exec_search_path(const UnitFile *u, const char *section, char **ret) {
        _cleanup_free_ const UnitFileEntry **l = NULL;
        _cleanup_(text_done) Text t = {};
        size_t n;
        int r;

        assert(u);
        assert(section);
        assert(ret);

        r = unit_file_get_list(u, section, "ExecSearchPath", &l, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                r = i > 0 ? text_append(&t, ":", 1) : 0;
                if (r >= 0)
                        r = text_appends(&t, l[i]->value);
                if (r < 0)
                        return r;
        }
        *ret = text_steal(&t);
        return 0;
}
