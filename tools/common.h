/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the guest tools (ksplice-apply, -undo, -view). */
#ifndef KSPLICE_TOOLS_COMMON_H
#define KSPLICE_TOOLS_COMMON_H

#include <stddef.h>

/* Where the kernel module publishes updates, and where tools keep records. */
#define KSPLICE_SYSFS_DIR "/sys/kernel/ksplice"
#define KSPLICE_RECORDS_DIR "/var/run/ksplice/updates"

extern const char *tool_name;

void tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Read a small text file into buf (NUL-terminated, trailing newlines
 * stripped). Returns 0, or -1 with errno set.
 */
int read_text_file(const char *path, char *buf, size_t size);

/* Environment overrides for the two directories, for tests. */
const char *sysfs_dir(void);
const char *records_dir(void);

#endif
