/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <string.h>

#include "text.h"
#include "unit-specifier.h"

/* unit_full_printf_full() of systemd 252 (src/core/unit-printf.c) and its COMMON_* tables; later
 * additions with their version (NEWS). unit_path_printf() uses the same table. */
static const struct {
        char letter;
        unsigned since;
        bool path;              /* accepted in Landlock paths */
} specifiers[] = {
        { 'a', 252, false },    /* architecture */
        { 'A', 252, false },    /* os-release IMAGE_VERSION, may be empty */
        { 'b', 252, true },     /* boot ID */
        { 'B', 252, false },    /* os-release BUILD_ID, may be empty */
        { 'c', 252, false },    /* cgroup path, deprecated */
        { 'C', 252, true },     /* cache directory */
        { 'd', 252, true },     /* credentials directory */
        { 'D', 256, true },     /* shared data directory */
        { 'E', 252, true },     /* configuration directory */
        { 'f', 252, true },     /* unescaped instance or prefix, as a path */
        { 'g', 252, true },     /* user group */
        { 'G', 252, true },     /* user GID */
        { 'h', 252, true },     /* user home */
        { 'H', 252, true },     /* host name */
        { 'i', 252, true },     /* instance */
        { 'I', 252, true },     /* instance, unescaped */
        { 'j', 252, true },     /* last component of the prefix */
        { 'J', 252, true },     /* the same, unescaped */
        { 'l', 252, true },     /* short host name */
        { 'L', 252, true },     /* logs directory */
        { 'm', 252, true },     /* machine ID */
        { 'M', 252, false },    /* os-release IMAGE_ID, may be empty */
        { 'n', 252, true },     /* full unit name */
        { 'N', 252, true },     /* unit name without the type suffix */
        { 'o', 252, false },    /* os-release ID */
        { 'p', 252, true },     /* prefix */
        { 'P', 252, true },     /* prefix, unescaped */
        { 'q', 252, false },    /* pretty host name, may contain anything */
        { 'r', 252, false },    /* cgroup slice, deprecated */
        { 'R', 252, false },    /* cgroup root, deprecated */
        { 's', 252, true },     /* user shell */
        { 'S', 252, true },     /* state directory */
        { 't', 252, true },     /* runtime directory */
        { 'T', 252, true },     /* temporary directory */
        { 'u', 252, true },     /* user name */
        { 'U', 252, true },     /* user UID */
        { 'v', 252, true },     /* kernel release */
        { 'V', 252, true },     /* temporary directory for large files */
        { 'w', 252, false },    /* os-release VERSION_ID, may be empty */
        { 'W', 252, false },    /* os-release VARIANT_ID, may be empty */
        { 'y', 252, false },    /* the fragment's real path: none for transient units */
        { 'Y', 252, false },    /* its directory */
};

static int find(char c) {
        for (size_t i = 0; i < ELEMENTSOF(specifiers); i++)
                if (specifiers[i].letter == c)
                        return (int) i;
        return -1;
}

unsigned unit_specifier_since(char c) {
        int i = find(c);

        return i < 0 ? 0 : specifiers[i].since;
}

static bool is_alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int check(const char *s, unsigned version, bool path, char *ret_bad) {
        assert(s);

        if (version == 0)
                version = SYSTEMD_VERSION_MIN;

        for (const char *p = s; *p; p++) {
                int i;

                if (*p != '%')
                        continue;
                p++;
                if (*p == '\0')
                        break;          /* a stray "%" at the end stays as is */
                if (*p == '%' || !is_alnum(*p))
                        continue;       /* "%%", or kept as written */

                i = find(*p);
                if (i < 0 || specifiers[i].since > version || (path && !specifiers[i].path)) {
                        if (ret_bad)
                                *ret_bad = *p;
                        return -EBADSLT;
                }
        }
        return 0;
}

int unit_specifiers_check(const char *s, unsigned version, char *ret_bad) {
        return check(s, version, false, ret_bad);
}

int unit_specifiers_check_path(const char *s, unsigned version, char *ret_bad) {
        return check(s, version, true, ret_bad);
}

char *unit_specifiers_path_list(unsigned version) {
        _cleanup_(text_done) Text list = {};

        if (version == 0)
                version = SYSTEMD_VERSION_MIN;
        for (size_t i = 0; i < ELEMENTSOF(specifiers); i++) {
                if (!specifiers[i].path || specifiers[i].since > version)
                        continue;
                if (text_appendf(&list, "%s%%%c", list.n > 0 ? " " : "", specifiers[i].letter) < 0)
                        return NULL;
        }
        return list.buf ? text_steal(&list) : strdup("");
}
