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

static int parse_path(const LandlockDirective *d, const char *item, const LandlockSource *source,
                      LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        _cleanup_free_ char *path = NULL;
        uint64_t access, named;
        bool optional;
        int r;

        r = d->access_suffix ? 0 : has_unescaped_colon(item);
        if (r < 0)
                return r;
        if (r > 0)
                return set_error(ret_error, -EINVAL,
                                 "\"%s\" has an access suffix, but %s= grants \"%s\" (expected [-]PATH, "
                                 "escape a colon in PATH as \"\\:\", or use LandlockPaths=PATH:ACCESS)",
                                 item, d->name, d->default_bundle);

        r = landlock_parse_path_spec(item, landlock_bundle_from_name(d->default_bundle)->access, &path, &access,
                                     &named, &optional, ret_error);
        if (r < 0)
                return r;
        if (!(flags & LANDLOCK_PARSE_EXPANDED)) {
                r = check_path_specifiers(path, ret_error);
                if (r < 0)
                        return r;
        }
        return landlock_policy_add_path(p, path, access, named, optional, source);
}

static int parse_port(const LandlockDirective *d, const char *item, const LandlockSource *source,
                      LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        uint64_t access;
        uint16_t first, last;
        int r;

        r = landlock_parse_port_spec(item, streq(d->name, "LandlockBindPorts"), &access, &first, &last, ret_error);
        if (r < 0)
                return r;
        return landlock_policy_add_port(p, access, first, last, source);
}

static int parse_scope(const LandlockDirective *d, const char *item, const LandlockSource *source,
                       LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        uint64_t scoped;
        int r;

        r = landlock_parse_scope(item, &scoped, ret_error);
        if (r < 0)
                return r;
        p->scoped |= scoped;
        return 0;
}

static int parse_bool_value(const char *value, char **ret_error) {
        int b = parse_boolean(value);

        if (b < 0)
                return set_error(ret_error, -EINVAL, "\"%s\" is not a boolean (expected yes/no, true/false, on/off, 1/0)",
                                 value);
        return b;
}

static int parse_allow_command(const LandlockDirective *d, const char *value, const LandlockSource *source,
                               LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        int b = parse_bool_value(value, ret_error);

        if (b < 0)
                return b;
        p->allow_command = b;
        return 0;
}

static int parse_program(const LandlockDirective *d, const char *item, const LandlockSource *source,
                         LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        _cleanup_free_ char *path = NULL;
        uint64_t access, named;
        bool optional;
        int r;

        r = has_unescaped_colon(item);
        if (r < 0)
                return r;
        if (r > 0)
                return set_error(ret_error, -EINVAL, "\"%s\" has an access suffix, but %s= grants what the "
                                 "program needs to run (expected [-]PATH; escape a colon in PATH as \"\\:\")",
                                 item, d->name);
        r = landlock_parse_path_spec(item, 0, &path, &access, &named, &optional, ret_error);
        if (r < 0)
                return r;
        if (!(flags & LANDLOCK_PARSE_EXPANDED)) {
                r = check_path_specifiers(path, ret_error);
                if (r < 0)
                        return r;
        }
        return landlock_policy_add_program(p, path, optional);
}

static int parse_log(const LandlockDirective *d, const char *value, const LandlockSource *source,
                     LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        int b = parse_bool_value(value, ret_error);

        if (b < 0)
                return b;
        p->log = b;
        return 0;
}

static int parse_compat(const LandlockDirective *d, const char *value, const LandlockSource *source,
                        LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        LandlockCompat c = landlock_compat_from_string(value);

        if (c < 0)
                return set_error(ret_error, -EINVAL, "unknown compatibility mode \"%s\" (expected best-effort or strict)",
                                 value);
        p->compat = c;
        return 0;
}

static int parse_process_wide(const LandlockDirective *d, const char *value, const LandlockSource *source,
                              LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
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

/* ---- The enforcer's options for a policy ---- */

/* The ACCESS part of --path=. Rights named one by one must stay named one by one (strict mode refuses a
 * kernel lacking one of those, but not one lacking a right that only came with a bundle), so with named
 * rights the spelling is "BUNDLE,NAMED…"; rights beyond the bundle that are not named (a preset's) are
 * written "?RIGHT". Parsing it gives back exactly the same access and named masks. */
static char *access_spelling(uint64_t access, uint64_t named) {
        _cleanup_strv_free_ char **words = NULL;
        const LandlockBundle *b;
        uint64_t rest, best_effort;

        b = landlock_bundle_largest_in(access);
        rest = access & ~(b ? b->access : 0);
        best_effort = rest & ~named;
        if (named == 0 && best_effort == 0)
                return landlock_access_to_string(access);

        if (b && strv_extend(&words, b->name) < 0)
                return NULL;
        if (named != 0) {
                char *names = landlock_mask_to_string(LANDLOCK_KIND_FS, named);

                if (!names || strv_consume(&words, names) < 0)
                        return NULL;
        }
        for (uint64_t bit = 1; bit != 0 && bit <= best_effort; bit <<= 1) {
                _cleanup_free_ char *name = NULL;

                if (!(best_effort & bit))
                        continue;
                name = landlock_mask_to_string(LANDLOCK_KIND_FS, bit);
                if (!name || strv_extendf(&words, "?%s", name) < 0)
                        return NULL;
        }
        return strv_join(words, ",");
}

/* Every path rule, whichever directive made it; and the filesystem handled with no path rule at all
 * (every grant reset, or only the command itself allowed), which no --path= can carry. */
static int format_paths(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        int r;

        for (size_t i = 0; i < p->n_paths; i++) {
                const LandlockPathRule *rule = p->paths + i;
                _cleanup_free_ char *escaped = path_colon_escape(rule->path),
                        *access = access_spelling(rule->access, rule->named);

                if (!escaped || !access)
                        return -ENOMEM;
                r = strv_builder_addf(words, "%s=%s%s:%s", d->option, rule->optional ? "-" : "", escaped, access);
                if (r < 0)
                        return r;
        }
        if (p->handle_fs && p->n_paths == 0)
                return strv_builder_addf(words, "--handle-fs");
        return 0;
}

/* How each network right is spelled: the option of its directive and the protocol prefix. The rights
 * themselves (names, bits, ABI) come from the ABI table. */
static const struct {
        uint64_t access;
        const char *option;
        const char *protocol;
} port_words[] = {
        { LANDLOCK_ACCESS_NET_BIND_TCP,         "--bind",    "tcp" },
        { LANDLOCK_ACCESS_NET_CONNECT_TCP,      "--connect", "tcp" },
        { LANDLOCK_ACCESS_NET_BIND_UDP,         "--bind",    "udp" },
        { LANDLOCK_ACCESS_NET_CONNECT_SEND_UDP, "--connect", "udp" },
};

static int port_word_index(uint64_t access) {
        for (size_t i = 0; i < ELEMENTSOF(port_words); i++)
                if (port_words[i].access == access)
                        return (int) i;
        return -EINVAL;
}

static int format_port_rule(const LandlockPortRule *rule, StrvBuilder *words) {
        int i = port_word_index(rule->access);

        if (i < 0)
                return i;
        if (rule->first > rule->last)
                return strv_builder_addf(words, "%s=%s:none", port_words[i].option, port_words[i].protocol);
        if (rule->first == rule->last)
                return strv_builder_addf(words, "%s=%s:%u", port_words[i].option, port_words[i].protocol,
                                         (unsigned) rule->first);
        return strv_builder_addf(words, "%s=%s:%u-%u", port_words[i].option, port_words[i].protocol,
                                 (unsigned) rule->first, (unsigned) rule->last);
}

static bool has_port_rule(const LandlockPolicy *p, uint64_t access) {
        for (size_t i = 0; i < p->n_ports; i++)
                if (p->ports[i].access == access)
                        return true;
        return false;
}

/* The rules of both port directives, in the order given; then "none" for a handled family without any. */
static int format_ports(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        int r;

        for (size_t i = 0; i < p->n_ports; i++) {
                r = format_port_rule(p->ports + i, words);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(port_words); i++) {
                if (!(p->handled_net & port_words[i].access) || has_port_rule(p, port_words[i].access))
                        continue;
                r = strv_builder_addf(words, "%s=%s:none", port_words[i].option, port_words[i].protocol);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int format_scope(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        _cleanup_free_ char *scopes = NULL;

        if (p->scoped == 0)
                return 0;
        scopes = landlock_mask_to_string(LANDLOCK_KIND_SCOPE, p->scoped);
        if (!scopes)
                return -ENOMEM;
        return strv_builder_addf(words, "%s=%s", d->option, scopes);
}

static int format_allow_command(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        return p->allow_command ? 0 : strv_builder_addf(words, "%s=no", d->option);
}

/* Escaped as --path= is: the same parser reads it back. */
static int format_programs(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        int r;

        STRV_FOREACH(prog, p->programs) {
                bool optional = (*prog)[0] == '-';
                _cleanup_free_ char *escaped = path_colon_escape(*prog + optional);

                if (!escaped)
                        return -ENOMEM;
                r = strv_builder_addf(words, "%s=%s%s", d->option, optional ? "-" : "", escaped);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int format_log(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        return p->log ? 0 : strv_builder_addf(words, "%s=no", d->option);
}

static int format_compat(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        if (p->compat == LANDLOCK_COMPAT_BEST_EFFORT)
                return 0;
        return strv_builder_addf(words, "%s=%s", d->option, landlock_compat_to_string(p->compat));
}

static int format_process_wide(const LandlockDirective *d, const LandlockPolicy *p, StrvBuilder *words) {
        if (p->process_wide == LANDLOCK_PROCESS_WIDE_AUTO)
                return 0;
        return strv_builder_addf(words, "%s=%s", d->option, landlock_process_wide_to_string(p->process_wide));
}

/* The preset's grants join the policy here, each with its preset file and line (landlock-preset.h). */
static int parse_preset(const LandlockDirective *d, const char *item, const LandlockSource *source,
                        LandlockParseFlags flags, LandlockPolicy *p, char **ret_error) {
        return landlock_preset_apply_list(item, p, ret_error);
}

const LandlockDirective landlock_directives[] = {
        { "LandlockPaths", "[-]PATH[:ACCESS] …",
          "grant ACCESS (bundles and rights, comma-separated; default ro) beneath PATH; \"-\": skip a missing PATH",
          parse_path, "--path", format_paths, "ro", true, true },
        { "LandlockReadOnlyPaths", "[-]PATH …",
          "same as LandlockPaths=PATH:ro",
          parse_path, NULL, NULL, "ro", false, true },
        { "LandlockReadWritePaths", "[-]PATH …",
          "same as LandlockPaths=PATH:rw",
          parse_path, NULL, NULL, "rw", false, true },
        { "LandlockExecPaths", "[-]PATH …",
          "same as LandlockPaths=PATH:rx",
          parse_path, NULL, NULL, "rx", false, true },
        { "LandlockAllowCommand", "BOOLEAN",
          "also grant read+execute on each command's executable, interpreters and shared libraries (default yes)",
          parse_allow_command, "--allow-command", format_allow_command, NULL, false, false },
        { "LandlockAllowPrograms", "[-]PATH …",
          "grant what each program a command execs, or module it loads, needs: as LandlockAllowCommand= for the commands",
          parse_program, "--program", format_programs, NULL, false, true },
        { "LandlockBindPorts", "[tcp:|udp:]PORT[-PORT] … | none",
          "handle binding for the protocols named and allow only these ports; \"none\" denies every bind",
          parse_port, "--bind", format_ports, NULL, false, true },
        { "LandlockConnectPorts", "[tcp:|udp:]PORT[-PORT] … | none",
          "handle TCP connect / UDP connect and send for the protocols named and allow only these ports",
          parse_port, "--connect", NULL, NULL, false, true },
        { "LandlockScope", "abstract-unix-socket signal",
          "IPC scoping: no connecting to abstract UNIX sockets / signalling processes outside the service",
          parse_scope, "--scope", format_scope, NULL, false, true },
        { "LandlockCompatibility", "best-effort | strict",
          "on a kernel that cannot enforce everything: drop what it cannot and log it, or refuse to start",
          parse_compat, "--compat", format_compat, NULL, false, false },
        { "LandlockLog", "BOOLEAN",
          "audit-log denials by the service's programs (ABI 7; default yes)",
          parse_log, "--log", format_log, NULL, false, false },
        { "LandlockProcessWide", "auto | yes | no",
          "restrict every thread of the enforcer (auto: when it has more than one) or only the calling thread",
          parse_process_wide, "--process-wide", format_process_wide, NULL, false, false },
        /* The expanded grants are path rules: format_paths() writes them, no option of its own. */
        { "LandlockPreset", "NAME[@VERSION] …",
          "add the path grants of each named preset (files NAME.preset; see PRESETS); an empty value drops the presets named before",
          parse_preset, NULL, NULL, NULL, false, true },
};
const size_t landlock_n_directives = ELEMENTSOF(landlock_directives);

const LandlockDirective *landlock_directive_from_option(const char *arg, const char **ret_value) {
        assert(arg);
        assert(ret_value);

        for (size_t i = 0; i < landlock_n_directives; i++) {
                const char *v = landlock_directives[i].option ? startswith(arg, landlock_directives[i].option) : NULL;

                if (v && *v == '=') {
                        *ret_value = v + 1;
                        return &landlock_directives[i];
                }
        }
        return NULL;
}

int landlock_directives_format(const LandlockPolicy *p, StrvBuilder *words) {
        int r;

        assert(p);
        assert(words);

        for (size_t i = 0; i < landlock_n_directives; i++) {
                const LandlockDirective *d = &landlock_directives[i];

                if (!d->format)
                        continue;
                r = d->format(d, p, words);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Checked in the sources of 252 and 257, the binaries of 252, 257 and 262, and upstream's open pull requests
 * (2026-11): no released systemd handles a Landlock key yet. */
const SystemdLandlockKey systemd_landlock_keys[] = {
        { "LandlockConfig", SYSTEMD_VERSION_UNRELEASED,
          "a directory of landlockconfig files; upstream pull request #39174" },
};
const size_t systemd_n_landlock_keys = ELEMENTSOF(systemd_landlock_keys);

const SystemdLandlockKey *systemd_landlock_key_from_name(const char *key) {
        assert(key);

        for (size_t i = 0; i < systemd_n_landlock_keys; i++)
                if (streq(key, systemd_landlock_keys[i].name))
                        return &systemd_landlock_keys[i];
        return NULL;
}

bool systemd_handles_landlock_key(const char *key, unsigned systemd_version) {
        const SystemdLandlockKey *k = systemd_landlock_key_from_name(key);

        return k && systemd_version > 0 && systemd_version >= k->since;
}

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
        int r;

        assert(d);
        assert(value);
        assert(p);

        if (!d->list)
                return d->parse(d, value, source, 0, p, ret_error);

        for (const char *q = value;;) {
                _cleanup_free_ char *item = NULL;

                r = next_item(&q, &item, value, ret_error);
                if (r <= 0)
                        return r;
                r = d->parse(d, item, source, 0, p, ret_error);
                if (r < 0)
                        return r;
        }
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

/* A setting of systemd's own that this systemd does not handle: it would warn and run the unit without it. */
static int systemd_key_error(const UnitFileEntry *e, unsigned version, char ***errors) {
        const SystemdLandlockKey *k = systemd_landlock_key_from_name(e->key);
        _cleanup_free_ char *since = NULL;

        if (k->since != SYSTEMD_VERSION_UNRELEASED && asprintf(&since, "systemd %u and later", k->since) < 0)
                return -ENOMEM;
        if (version == 0)
                return strv_extendf(errors, "%s:%u: %s= is not a directive of systemd-landlock but a setting of "
                                    "systemd's own (%s), handled by %s; the version of the running systemd is "
                                    "unknown: it may ignore the setting and run the unit without it",
                                    e->file, e->line, e->key, k->what, since ?: "no systemd release yet");
        return strv_extendf(errors, "%s:%u: %s= is not a directive of systemd-landlock but a setting of systemd's "
                            "own (%s), handled by %s; systemd %u ignores it and would run the unit without it",
                            e->file, e->line, e->key, k->what, since ?: "no systemd release yet", version);
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

/* The directive an assignment in "section" is: 1 and *ret, or 0 when it is none of ours (not a Landlock key,
 * or one systemd handles itself) or an error was recorded for it (a wrong section, a setting of systemd's
 * that this systemd does not handle, an unknown name). */
static int entry_directive(const UnitFileEntry *e, const char *section, unsigned systemd_version,
                           const LandlockDirective **ret, char ***errors) {
        _cleanup_free_ char *known = NULL;

        if (!landlock_directive_key_is_ours(e->key) || systemd_handles_landlock_key(e->key, systemd_version))
                return 0;
        if (!streq(e->section, section))
                /* In [Unit] or [Install], a directive would silently not apply: a sandbox lost to a misplaced
                 * line. */
                return strv_extendf(errors, "%s:%u: %s= is in section [%s], where it does not apply (expected "
                                    "in [%s])", e->file, e->line, e->key, e->section, section);
        if (!landlock_section_allows_directives(section))
                return strv_extendf(errors, "%s:%u: %s= is not allowed in section [%s]: a Landlock-restricted "
                                    "process cannot mount (expected in [Service] or [Socket])",
                                    e->file, e->line, e->key, section);

        *ret = landlock_directive_from_key(e->key);
        if (*ret)
                return 1;
        if (systemd_landlock_key_from_name(e->key))
                return systemd_key_error(e, systemd_version, errors);
        known = known_directives();
        return strv_extendf(errors, "%s:%u: Unknown Landlock directive %s= in section [%s] (expected one of: %s)",
                            e->file, e->line, e->key, section, strna(known));
}

/* An empty assignment: the earlier assignments of the directive no longer apply. */
static void active_reset(const UnitFileEntry **active, size_t *n_active, const LandlockDirective *d) {
        size_t k = 0;

        for (size_t j = 0; j < *n_active; j++)
                if (landlock_directive_from_key(active[j]->key) != d)
                        active[k++] = active[j];
        *n_active = k;
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

                r = entry_directive(e, section, u->systemd_version, &d, &errors);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;
                if (isempty(e->value)) {
                        active_reset(active, &n_active, d);
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
