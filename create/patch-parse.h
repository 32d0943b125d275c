/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parse a unified diff (plain `diff -u`, `git diff`, `git format-patch`)
 * into the list of files it touches, as `patch -p1` would see them.
 */
#ifndef KSPLICE_PATCH_PARSE_H
#define KSPLICE_PATCH_PARSE_H

#include <stddef.h>

enum patch_change {
	PATCH_MODIFY,
	PATCH_CREATE,
	PATCH_DELETE,
	PATCH_RENAME,
	PATCH_BINARY,
};

/* How the build stage treats a touched file. */
enum patch_kind {
	PATCH_KIND_C,		/* .c: its object, and whatever includes it */
	PATCH_KIND_HEADER,	/* .h: every object including it */
	PATCH_KIND_ASM,		/* .S/.s: refused */
	PATCH_KIND_BUILD,	/* Makefile, Kbuild, Kconfig: refused */
	PATCH_KIND_IGNORED,	/* does not reach the kernel build (docs, tools/) */
	PATCH_KIND_OTHER,	/* anything else: refused */
};

struct patch_file {
	char *path;		/* path after -p1, e.g. "kernel/sys.c" */
	char *old_path;		/* differs from path only for renames */
	enum patch_change change;
	enum patch_kind kind;
	int hunks;
};

struct patch_set {
	struct patch_file *files;
	size_t nr_files;
};

/*
 * Parse TEXT. On a malformed diff, returns -1 with a message in *err
 * (malloc'd, naming the line). A diff without any file is an error too.
 */
int patch_parse(const char *text, struct patch_set *set, char **err);
void patch_set_free(struct patch_set *set);

enum patch_kind patch_classify(const char *path);
const char *patch_change_name(enum patch_change change);

/*
 * Check the files against what the build stage supports: creations,
 * deletions, renames, binary changes, assembly and build-system files are
 * refused. Returns 0, or -1 with one message per offending file on stderr.
 */
int patch_check_supported(const struct patch_set *set);

#endif
