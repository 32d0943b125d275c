/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An update's source change as a set of whole-file changes, each with its
 * own unified diff, so files can be left out (--skip-refused) and the rest
 * applied as one patch. Made from the difference of two source trees
 * (--to) or by splitting a patch (--patch).
 */
#ifndef KSPLICE_CHANGE_SET_H
#define KSPLICE_CHANGE_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "create/build-util.h"
#include "create/patch-parse.h"

struct change_file {
	char *path;
	char *diff;		/* this file's part of the patch */
	bool in;		/* still part of the update */
};

struct change_set {
	struct change_file *files;
	size_t nr_files;
};

/* One entry per file of SET, cut out of TEXT (the patch SET was parsed from). */
int change_set_split_patch(struct change_set *cs, const char *text, const struct patch_set *set);
void change_set_add(struct change_set *cs, const char *path, char *diff);
/* The patch of the files still in, concatenated. */
char *change_set_text(const struct change_set *cs);
/* The paths still in. */
void change_set_paths(const struct change_set *cs, struct build_strlist *out);
struct change_file *change_set_find(struct change_set *cs, const char *path);
size_t change_set_count(const struct change_set *cs);
void change_set_free(struct change_set *cs);

#endif
