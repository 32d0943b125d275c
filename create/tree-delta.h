/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The difference between two source trees (a Debian version and a later
 * one): which files changed, appeared or disappeared, and each changed
 * file's unified diff, labelled a/PATH b/PATH as `patch -p1` wants it.
 */
#ifndef KSPLICE_TREE_DELTA_H
#define KSPLICE_TREE_DELTA_H

#include <stddef.h>

#include "create/patch-parse.h"

struct delta_file {
	char *path;		/* relative to the trees */
	enum patch_change change;	/* PATCH_MODIFY, PATCH_CREATE or PATCH_DELETE */
};

struct tree_delta {
	struct delta_file *files;	/* sorted by path */
	size_t nr_files;
};

/* Compare FROM and TO (`diff -rq`); files under a created/deleted directory are listed one by one. */
int tree_delta_list(const char *from, const char *to, struct tree_delta *d);
/* The unified diff of PATH between the trees (empty if equal), malloc'd. */
int tree_delta_diff(const char *from, const char *to, const char *path, char **text);
void tree_delta_free(struct tree_delta *d);

/* Pure helper for the unit tests: one `diff -rq` line -> path and change (0) or -1. */
int tree_delta_parse_line(const char *line, const char *from, const char *to,
			  char **path, enum patch_change *change);

#endif
