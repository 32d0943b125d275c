/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the guest tools (ksplice-apply, -undo, -view). */
#ifndef KSPLICE_TOOLS_COMMON_H
#define KSPLICE_TOOLS_COMMON_H

#include <stddef.h>
#include <stdio.h>

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

/* Write @text to an existing file (a sysfs attribute); 0, or -1 with errno. */
int write_text_file(const char *path, const char *text);

/* Exit statuses shared by ksplice-apply and ksplice-undo (docs/tools.md). */
enum tool_exit {
	EXIT_OK = 0,
	EXIT_ABORTED = 1,	/* the kernel refused: an abort cause was printed */
	EXIT_USAGE = 2,
	EXIT_BAD_INPUT = 3,	/* bad package, wrong kernel, unknown update */
	EXIT_SYSTEM = 4,	/* not root, cannot load a module, I/O error */
};

/* mkdir -p; 0 or -1 with errno. */
int make_dirs(const char *path);
/* Copy a regular file; 0 or -1 with errno. */
int copy_file(const char *src, const char *dst);

/*
 * After getopt: the one operand left must be an update id; returns it, or
 * exits (EXIT_USAGE) after printing usage or why it is no id.
 */
const char *single_id_argument(int argc, char **argv, void (*usage)(FILE *));

/* Refuse (EXIT_SYSTEM) unless running as root. */
void require_root(void);

/* Environment overrides for the two directories, for tests. */
const char *sysfs_dir(void);
const char *records_dir(void);
/* /lib/modules, where the running kernel's modules (and ksplice.ko) live. */
const char *modules_dir(void);

#endif
