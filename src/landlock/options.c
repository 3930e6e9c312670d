/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The options every verb reads; main() in landlock.c sets them. Kept here so the tests can link the
 * verbs without main(). */

#include "verbs.h"

JsonFormat arg_json = JSON_OFF;
bool arg_pager = true;
bool arg_legend = true;
UnitScope arg_scope = UNIT_SCOPE_SYSTEM;
const char *arg_root = NULL;
bool arg_offline = false;
int arg_threshold = -1;
bool arg_with_systemd = false;
int arg_abi = -1;
uint64_t arg_since = 0;
bool arg_follow = false;
bool arg_write = false;
bool arg_coarse = false;
