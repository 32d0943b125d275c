/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data-object options a patch sets with ksplice-patch.h: each macro
 * puts a pointer to the object into section ".ksplice_option.KIND" of the
 * post object.
 *
 *   assume_rodata     a same-size change of the object's initialiser is
 *                     written over the running object (section-diff.c
 *                     accepts it; a KSPLICE_PATCH_DATA record carries it)
 *   match_data_early  the helper carries the object's pre bytes, matched
 *                     by content before any code (KSPLICE_SECTION_EARLY)
 *
 * Example:
 *	struct patch_option *opts;
 *	long n = patch_options_find(post_idx, &opts, &err);
 *	for (i = 0; i < n; i++)
 *		use(opts[i].unit, opts[i].kind);
 *	free(opts);
 */
#ifndef KSPLICE_PATCH_OPTIONS_H
#define KSPLICE_PATCH_OPTIONS_H

#include <stdbool.h>

#include "create/object-units.h"

enum patch_option_kind {
	OPTION_ASSUME_RODATA = 1,
	OPTION_MATCH_DATA_EARLY = 2,
};

struct patch_option {
	struct unit *unit;	/* the data object, in the post object */
	enum patch_option_kind kind;
};

/* "ksplice_assume_rodata" or "ksplice_match_data_early". */
const char *patch_option_macro(enum patch_option_kind kind);

/*
 * The options of @post; returns how many (*out to free, also when 0), or
 * -1 with a message in @err (an unknown kind, a pointer to no variable).
 */
long patch_options_find(const struct object_index *post, struct patch_option **out,
			struct ks_error *err);

/* Does an option of @kind in @opts name post unit @u? */
bool patch_options_mark(const struct patch_option *opts, long n, const struct unit *u,
			enum patch_option_kind kind);

#endif
