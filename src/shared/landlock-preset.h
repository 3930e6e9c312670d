/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Presets (LandlockPreset=): named, versioned sets of path grants, kept as data files so that a
 * distribution ships and tests them once and every unit reuses them.
 *
 * A preset NAME is the file NAME.preset in the first directory of the preset path that has one:
 * $SYSTEMD_LANDLOCK_PRESET_PATH (colon separated) if set, else /etc/systemd-landlock/presets (the
 * administrator's), /run/systemd-landlock/presets, then the shipped ones under the data directory. A file
 * in an earlier directory hides one of the same name in a later one; a symlink to /dev/null masks it (the
 * preset is then empty). The file is read with the unit-file reader and has one section:
 *
 *   [Preset]
 *   Description=what it is for
 *   Version=3                     a positive integer, raised whenever the grants change
 *   LandlockReadOnlyPaths=-/etc/ld.so.cache …   any path directive (LandlockPaths=, …ReadOnly…,
 *                                 …ReadWrite…, …Exec…Paths=), with the same syntax as in units
 *   LandlockPreset=other          includes another preset
 *   Computed=nss-modules          grants computed from the system when the preset is expanded
 *
 * A unit names a preset as NAME (whatever version is installed) or NAME@VERSION (refused unless the
 * installed preset has exactly that version: the grants the administrator reviewed have changed).
 * Expansion adds the preset's grants to the policy, each with its preset file and line as its source, so
 * that "systemd-landlock show" and the enforcer's command line show what the preset stands for. It
 * happens when the unit is read: in the generator, at every daemon-reload. */

#include "landlock-policy.h"

#define LANDLOCK_PRESET_SUFFIX ".preset"
/* How deeply presets may include each other; deeper is taken for a loop. */
#define LANDLOCK_PRESET_MAX_DEPTH 8

/* Files of presets and computed grants are looked up beneath "root" (the generator's --root); NULL
 * or "/" is the real root. The string must outlive its use. */
void landlock_preset_set_root(const char *root);

/* Between begin and end, each "NAME[@VERSION]" word landlock_preset_apply_list() is given is read and
 * applied once (its preset files, and the system files of its computed grants), and its grants are
 * copied for every later use. For one run of the generator over every unit: the files must not change
 * in between (a daemon-reload reads them at one point in time too). end() forgets everything: nothing
 * is kept from one run to the next. */
void landlock_preset_cache_begin(void);
void landlock_preset_cache_end(void);

/* The preset path, in lookup order. */
int landlock_preset_dirs(char ***ret);

/* The names of every preset found on the preset path, sorted, each once. */
int landlock_preset_list(char ***ret);

/* The file of preset "name": 0 and *ret_path (beneath the root) or -ENOENT. -EINVAL for a bad name. */
int landlock_preset_find(const char *name, char **ret_path);

/* Applies a list of "NAME[@VERSION]" words (systemd quoting) to "p". On failure returns -EINVAL/-ENOENT/
 * -ENOMEM and may set *ret_error to what is wrong, naming the preset file and line where it applies. */
int landlock_preset_apply_list(const char *value, LandlockPolicy *p, char **ret_error);

/* Description= and Version= of preset "name" (either may be NULL); 0, or -errno/-EINVAL with *ret_error. */
int landlock_preset_describe(const char *name, char **ret_description, unsigned *ret_version, char **ret_error);

/* The computed grants a preset may name with Computed= (one table; the man page lists it). */
typedef struct LandlockPresetComputed {
        const char *name;
        const char *description;
        int (*apply)(LandlockPolicy *p, char **ret_error);
} LandlockPresetComputed;

extern const LandlockPresetComputed landlock_preset_computed[];
extern const size_t landlock_n_preset_computed;
