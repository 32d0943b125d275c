/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading an update's debug log: the whole log is
 * /sys/kernel/debug/ksplice/<id> (ksplice.ko's debugfs file); without
 * debugfs mounted only its first page is there, in the sysfs `debug`
 * attribute, and the reader is told so.
 */
#ifndef KSPLICE_TOOLS_DEBUG_LOG_H
#define KSPLICE_TOOLS_DEBUG_LOG_H

#include <stddef.h>

/*
 * The log of update @id, malloc'ed and NUL-terminated; NULL with errno set
 * if there is none. @note is NULL for the whole log, else a sentence
 * saying why only part of it is there.
 */
char *debug_log_read(const char *id, const char **note);

/*
 * The first line of @log that reports abort cause @cause ("CAUSE: ..." or
 * "TARGET: CAUSE: ..."), copied into @line; 0, or -1 if there is none.
 */
int debug_log_reason(const char *log, const char *cause, char *line, size_t size);

#endif
