/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Functions the patched code no longer has: when their old copy may stay.
 */
#ifndef KSPLICE_DELETED_FUNCTION_H
#define KSPLICE_DELETED_FUNCTION_H

#include "create/object-units.h"
#include "create/section-diff.h"

/*
 * Why the old copy of @fn, a function of @pre that the post object no longer
 * has (deleted, or now inlined into every caller), could still run after
 * the update; NULL when only calls from code the update replaces (@res)
 * reach it. The reason is malloc'd.
 */
char *deleted_function_unsafe(const struct object_index *pre, const struct unit *fn,
			      const struct diff_result *res);

#endif
