/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <assert.h>
#include <stdarg.h>

#include "error-message.h"
#include "escape.h"
#include "landlock-directives.h"
#include "landlock-preset.h"
#include "strv.h"
#include "unit-specifier.h"

/* List items follow systemd's quoting; unknown escapes are kept, so "\:" reaches the path parser. */
#define ITEM_FLAGS (EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE|EXTRACT_CUNESCAPE_RELAX)

static int next_item(const char **p, char **ret, const char *value, char **ret_error) {
        int r = extract_first_word(p, ret, NULL, ITEM_FLAGS);

        if (r == -EINVAL)
                return set_error(ret_error, -EINVAL, "bad quoting in \"%s\"", value);
        return r;
}

static int has_unescaped_colon(const char *s) {
        _cleanup_free_ char *path = NULL;
        const char *rest;
        int r;

        r = path_colon_unescape(s, &path, &rest);
        if (r < 0)
                return r;
        return !!rest;
}

/* systemd expands the specifiers of our paths in the Exec lines we write; one it does not know would make
 * it reject the line. Only those whose value is a plain part of a path are accepted (unit-specifier.h). */
static int check_path_specifiers(const char *path, char **ret_error) {
        _cleanup_free_ char *list = NULL;
        char bad;

        if (unit_specifiers_check_path(path, SYSTEMD_VERSION_MIN, &bad) >= 0)
                return 0;
        if (unit_specifier_since(bad) > 0) {
                list = unit_specifiers_path_list(SYSTEMD_VERSION_MIN);
                if (!list)
                        return -ENOMEM;
                return set_error(ret_error, -EINVAL,
                                 "the specifier \"%%%c\" in \"%s\" is not supported in Landlock paths (its value is "
                                 "not a stable part of a path, or systemd %u does not know it); use one of %s, or "
                                 "\"%%%%\" for a literal \"%%\"", bad, path, SYSTEMD_VERSION_MIN, list);
        }
        return set_error(ret_error, -EINVAL,
                         "unknown specifier \"%%%c\" in \"%s\" (systemd would reject the command line); write "
                         "\"%%%%\" for a literal \"%%\"", bad, path);
}

static int parse_paths(const LandlockDirective *d, const char *value, const LandlockSource *source,
                       LandlockPolicy *p, char **ret_error) {
        uint64_t default_access;
        int r;

        r = landlock_parse_access(d->default_bundle, &default_access, NULL, ret_error);
        if (r < 0)
                return r;

        for (const char *q = value;;) {
                _cleanup_free_ char *item = NULL, *path = NULL;
                uint64_t access, named;
                bool optional;

                r = next_item(&q, &item, value, ret_error);
                if (r <= 0)
                        return r;

                r = d->access_suffix ? 0 : has_unescaped_colon(item);
                if (r < 0)
                        return r;
                if (r > 0)
                        return set_error(ret_error, -EINVAL,
                                         "\"%s\" has an access suffix, but %s= grants \"%s\" (expected [-]PATH, "
                                         "escape a colon in PATH as \"\\:\", or use LandlockPaths=PATH:ACCESS)",
                                         item, d->name, d->default_bundle);

                r = landlock_parse_path_spec(item, default_access, &path, &access, &named, &optional, ret_error);
                if (r < 0)
                        return r;
                r = check_path_specifiers(path, ret_error);
                if (r < 0)
                        return r;
                r = landlock_policy_add_path(p, path, access, named, optional, source);
                if (r < 0)
                        return r;
        }
}

static int parse_ports(const LandlockDirective *d, const char *value, const LandlockSource *source,
                       LandlockPolicy *p, char **ret_error) {
        bool bind = streq(d->name, "LandlockBindPorts");
        int r;

        for (const char *q = value;;) {
                _cleanup_free_ char *item = NULL;
                uint64_t access;
                uint16_t first, last;

                r = next_item(&q, &item, value, ret_error);
                if (r <= 0)
                        return r;
                r = landlock_parse_port_spec(item, bind, &access, &first, &last, ret_error);
                if (r < 0)
                        return r;
                r = landlock_policy_add_port(p, access, first, last, source);
                if (r < 0)
                        return r;
        }
}

static int parse_scope(const LandlockDirective *d, const char *value, const LandlockSource *source,
                       LandlockPolicy *p, char **ret_error) {
        int r;

        for (const char *q = value;;) {
                _cleanup_free_ char *item = NULL;
                uint64_t scoped;

                r = next_item(&q, &item, value, ret_error);
                if (r <= 0)
                        return r;
                r = landlock_parse_scope(item, &scoped, ret_error);
                if (r < 0)
                        return r;
                p->scoped |= scoped;
        }
}

static int parse_bool_value(const LandlockDirective *d, const char *value, char **ret_error) {
        int b = parse_boolean(value);

        if (b < 0)
                return set_error(ret_error, -EINVAL, "\"%s\" is not a boolean (expected yes/no, true/false, on/off, 1/0)",
                                 value);
        return b;
}

static int parse_allow_command(const LandlockDirective *d, const char *value, const LandlockSource *source,
                               LandlockPolicy *p, char **ret_error) {
        int b = parse_bool_value(d, value, ret_error);

        if (b < 0)
                return b;
        p->allow_command = b;
        return 0;
}

static int parse_programs(const LandlockDirective *d, const char *value, const LandlockSource *source,
                          LandlockPolicy *p, char **ret_error) {
        uint64_t access, named;
        int r;

        for (const char *q = value;;) {
                _cleanup_free_ char *item = NULL, *path = NULL;
                bool optional;

                r = next_item(&q, &item, value, ret_error);
                if (r <= 0)
                        return r;
                if (has_unescaped_colon(item))
                        return set_error(ret_error, -EINVAL, "\"%s\" has an access suffix, but %s= grants what the "
                                         "program needs to run (expected [-]PATH; escape a colon in PATH as \"\\:\")",
                                         item, d->name);
                r = landlock_parse_path_spec(item, 0, &path, &access, &named, &optional, ret_error);
                if (r < 0)
                        return r;
                r = check_path_specifiers(path, ret_error);
                if (r < 0)
                        return r;
                r = landlock_policy_add_program(p, path, optional);
                if (r < 0)
                        return r;
        }
}

static int parse_log(const LandlockDirective *d, const char *value, const LandlockSource *source,
                     LandlockPolicy *p, char **ret_error) {
        int b = parse_bool_value(d, value, ret_error);

        if (b < 0)
                return b;
        p->log = b;
        return 0;
}

static int parse_compat(const LandlockDirective *d, const char *value, const LandlockSource *source,
                        LandlockPolicy *p, char **ret_error) {
        LandlockCompat c = landlock_compat_from_string(value);

        if (c < 0)
                return set_error(ret_error, -EINVAL, "unknown compatibility mode \"%s\" (expected best-effort or strict)",
                                 value);
        p->compat = c;
        return 0;
}

static int parse_process_wide(const LandlockDirective *d, const char *value, const LandlockSource *source,
                              LandlockPolicy *p, char **ret_error) {
        LandlockProcessWide w = landlock_process_wide_from_string(value);

        if (w < 0) {
                /* Booleans are accepted too: "yes"/"no" are already in the table, "true"/"off"… map here. */
                int b = parse_boolean(value);

                if (b < 0)
                        return set_error(ret_error, -EINVAL, "invalid value \"%s\" (expected auto, yes or no)", value);
                w = b ? LANDLOCK_PROCESS_WIDE_YES : LANDLOCK_PROCESS_WIDE_NO;
        }
        p->process_wide = w;
        return 0;
}

/* The preset's grants join the policy here, each with its preset file and line (landlock-preset.h). */
static int parse_preset(const LandlockDirective *d, const char *value, const LandlockSource *source,
                        LandlockPolicy *p, char **ret_error) {
        return landlock_preset_apply_list(value, p, ret_error);
}

const LandlockDirective landlock_directives[] = {
        { "LandlockPaths", "[-]PATH[:ACCESS] …",
          "grant ACCESS (bundles and rights, comma-separated; default ro) beneath PATH; \"-\": skip a missing PATH",
          parse_paths, "ro", true, true },
        { "LandlockReadOnlyPaths", "[-]PATH …",
          "same as LandlockPaths=PATH:ro",
          parse_paths, "ro", false, true },
        { "LandlockReadWritePaths", "[-]PATH …",
          "same as LandlockPaths=PATH:rw",
          parse_paths, "rw", false, true },
        { "LandlockExecPaths", "[-]PATH …",
          "same as LandlockPaths=PATH:rx",
          parse_paths, "rx", false, true },
        { "LandlockAllowCommand", "BOOLEAN",
          "also grant read+execute on each command's executable, interpreters and shared libraries (default yes)",
          parse_allow_command, NULL, false, false },
        { "LandlockAllowPrograms", "[-]PATH …",
          "grant what each program a command execs, or module it loads, needs: as LandlockAllowCommand= for the commands",
          parse_programs, NULL, false, true },
        { "LandlockBindPorts", "[tcp:|udp:]PORT[-PORT] … | none",
          "handle binding for the protocols named and allow only these ports; \"none\" denies every bind",
          parse_ports, NULL, false, true },
        { "LandlockConnectPorts", "[tcp:|udp:]PORT[-PORT] … | none",
          "handle TCP connect / UDP connect and send for the protocols named and allow only these ports",
          parse_ports, NULL, false, true },
        { "LandlockScope", "abstract-unix-socket signal",
          "IPC scoping: no connecting to abstract UNIX sockets / signalling processes outside the service",
          parse_scope, NULL, false, true },
        { "LandlockCompatibility", "best-effort | strict",
          "on a kernel that cannot enforce everything: drop what it cannot and log it, or refuse to start",
          parse_compat, NULL, false, false },
        { "LandlockLog", "BOOLEAN",
          "audit-log denials by the service's programs (ABI 7; default yes)",
          parse_log, NULL, false, false },
        { "LandlockProcessWide", "auto | yes | no",
          "restrict every thread of the enforcer (auto: when it has more than one) or only the calling thread",
          parse_process_wide, NULL, false, false },
        { "LandlockPreset", "NAME[@VERSION] …",
          "add the path grants of each named preset (files NAME.preset; see PRESETS); an empty value drops the presets named before",
          parse_preset, NULL, false, true },
};
const size_t landlock_n_directives = ELEMENTSOF(landlock_directives);

bool landlock_directive_key_is_ours(const char *key) {
        assert(key);
        return startswith(startswith(key, "X-") ?: key, "Landlock");
}

const LandlockDirective *landlock_directive_from_key(const char *key) {
        const char *k;

        assert(key);

        k = startswith(key, "X-") ?: key;
        for (size_t i = 0; i < landlock_n_directives; i++)
                if (streq(k, landlock_directives[i].name))
                        return &landlock_directives[i];
        return NULL;
}

int landlock_directive_apply(const LandlockDirective *d, const char *value, const LandlockSource *source,
                             LandlockPolicy *p, char **ret_error) {
        assert(d);
        assert(value);
        assert(p);

        return d->parse(d, value, source, p, ret_error);
}

const char *landlock_section_for_unit(const char *unit_name) {
        static const struct {
                const char *suffix, *section;
        } table[] = {
                { ".service", "Service" },
                { ".socket",  "Socket"  },
                { ".mount",   "Mount"   },
                { ".swap",    "Swap"    },
        };

        assert(unit_name);

        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (endswith(unit_name, table[i].suffix))
                        return table[i].section;
        return NULL;
}

bool landlock_section_allows_directives(const char *section) {
        return section && (streq(section, "Service") || streq(section, "Socket"));
}

void landlock_unit_policy_done(LandlockUnitPolicy *p) {
        assert(p);

        landlock_policy_done(&p->policy);
        strv_free(p->errors);
        p->errors = NULL;
        p->has_directives = false;
}

static char *known_directives(void) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < landlock_n_directives; i++)
                if (strv_extendf(&l, "%s=", landlock_directives[i].name) < 0)
                        return NULL;
        return strv_join(l, ", ");
}

static int apply_entry(const LandlockDirective *d, const UnitFileEntry *e, LandlockPolicy *p, char ***errors) {
        LandlockSource source = { .file = (char *) e->file, .line = e->line };
        _cleanup_free_ char *error = NULL;
        int r;

        r = landlock_directive_apply(d, e->value, &source, p, &error);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                r = strv_extendf(errors, "%s:%u: Failed to parse %s= value \"%s\": %s",
                                 e->file, e->line, e->key, e->value, strna(error));
                return r < 0 ? r : 0;
        }
        return 1;
}

/* 1 if valid, 0 if an error was recorded. */
static int validate_assignment(const LandlockDirective *d, const UnitFileEntry *e, char ***errors) {
        LandlockPolicy scratch = LANDLOCK_POLICY_INIT;
        int r;

        r = apply_entry(d, e, &scratch, errors);
        landlock_policy_done(&scratch);
        return r;
}

int landlock_unit_policy_from_unit_file(const UnitFile *u, const char *section, LandlockUnitPolicy *ret) {
        _cleanup_free_ const UnitFileEntry **active = NULL;
        _cleanup_strv_free_ char **errors = NULL;
        size_t n_active = 0;
        int r;

        assert(u);
        assert(ret);

        *ret = (LandlockUnitPolicy) { .policy = LANDLOCK_POLICY_INIT };
        if (!section)
                return 0;

        active = calloc(u->n_entries + 1, sizeof(UnitFileEntry *));
        if (!active)
                return -ENOMEM;

        /* First the assignments in effect after resets, in order; then apply them. */
        for (size_t i = 0; i < u->n_entries; i++) {
                const UnitFileEntry *e = &u->entries[i];
                const LandlockDirective *d;

                if (!landlock_directive_key_is_ours(e->key))
                        continue;
                if (!streq(e->section, section)) {
                        /* In [Unit] or [Install], a directive would silently not apply: a sandbox lost to a
                         * misplaced line. */
                        r = strv_extendf(&errors, "%s:%u: %s= is in section [%s], where it does not apply "
                                         "(expected in [%s])", e->file, e->line, e->key, e->section, section);
                        if (r < 0)
                                return r;
                        continue;
                }

                if (!landlock_section_allows_directives(section)) {
                        r = strv_extendf(&errors, "%s:%u: %s= is not allowed in section [%s]: a Landlock-restricted "
                                         "process cannot mount (expected in [Service] or [Socket])",
                                         e->file, e->line, e->key, section);
                        if (r < 0)
                                return r;
                        continue;
                }

                d = landlock_directive_from_key(e->key);
                if (!d) {
                        _cleanup_free_ char *known = known_directives();

                        r = strv_extendf(&errors, "%s:%u: Unknown Landlock directive %s= in section [%s] (expected one of: %s)",
                                         e->file, e->line, e->key, section, strna(known));
                        if (r < 0)
                                return r;
                        continue;
                }

                if (isempty(e->value)) {
                        size_t k = 0;

                        for (size_t j = 0; j < n_active; j++)
                                if (landlock_directive_from_key(active[j]->key) != d)
                                        active[k++] = active[j];
                        n_active = k;
                        continue;
                }

                /* Check every assignment where it is, like systemd does line by line, so that the errors
                 * come in file order; one that is reset later is still reported. */
                r = validate_assignment(d, e, &errors);
                if (r < 0)
                        return r;
                if (r > 0)
                        active[n_active++] = e;
        }

        for (size_t i = 0; i < n_active; i++) {
                r = apply_entry(landlock_directive_from_key(active[i]->key), active[i], &ret->policy, &errors);
                if (r < 0)
                        return r;
        }

        ret->has_directives = n_active > 0 || errors;
        ret->errors = TAKE_PTR(errors);
        return 0;
}
