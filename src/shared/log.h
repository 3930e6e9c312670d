/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <syslog.h>

#include "macro.h"

typedef enum LogTarget {
        LOG_TARGET_STDERR,      /* plain "message\n" on stderr (services: the journal stream) */
        LOG_TARGET_KMSG,        /* /dev/kmsg, falling back to stderr (generators) */
} LogTarget;

void log_set_target(LogTarget target);
void log_set_max_level(int level);
int log_get_max_level(void);
void log_set_prefix(const char *prefix);        /* e.g. program_invocation_short_name; NULL for none */
void log_parse_environment(void);               /* $SYSTEMD_LOG_LEVEL, $SYSTEMD_LANDLOCK_LOG_LEVEL */
bool log_stderr_is_journal(void);               /* stderr is the stream $JOURNAL_STREAM names */

/* Logs at "level"; if error is non-zero, %m refers to it. Returns -abs(error), or 0. */
int log_internal(int level, int error, const char *file, int line, const char *func,
                 const char *format, ...) _printf_(6, 7);

#define log_full_errno(level, error, ...) \
        log_internal((level), (error), __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_full(level, ...) log_full_errno((level), 0, __VA_ARGS__)

#define log_debug(...)     log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)      log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...)    log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...)   log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...)     log_full(LOG_ERR, __VA_ARGS__)

#define log_debug_errno(e, ...)   log_full_errno(LOG_DEBUG, (e), __VA_ARGS__)
#define log_info_errno(e, ...)    log_full_errno(LOG_INFO, (e), __VA_ARGS__)
#define log_notice_errno(e, ...)  log_full_errno(LOG_NOTICE, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) log_full_errno(LOG_WARNING, (e), __VA_ARGS__)
#define log_error_errno(e, ...)   log_full_errno(LOG_ERR, (e), __VA_ARGS__)

#define log_oom() log_error_errno(ENOMEM, "Out of memory.")
