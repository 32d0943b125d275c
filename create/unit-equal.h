/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Equality of a pre unit and a post unit: their bytes are equal outside
 * relocation fields, their relocations are equal (offset, type, and a target
 * that is the same thing: correlated symbol + delta, equal string or
 * constant content, equal blob content), and the table entries they own are
 * equal entry by entry. Line-number-only differences are tolerated as
 * line-numbers.h describes, nothing else.
 */
#ifndef KSPLICE_UNIT_EQUAL_H
#define KSPLICE_UNIT_EQUAL_H

#include "create/object-units.h"

struct equal_ctx {
	const struct object_index *pre;
	const struct object_index *post;
};

/* Code or data of @a (pre) and @b (post) equal; owned entries not included. */
bool unit_content_equal(const struct equal_ctx *ctx, const struct unit *a,
			const struct unit *b);

/* Owned table entries of @a and @b equal, table by table, in order. */
bool unit_entries_equal(const struct equal_ctx *ctx, const struct unit *a,
			const struct unit *b);

/* Two table entries (pre, post) equal. */
bool table_entries_equal(const struct equal_ctx *ctx,
			 const struct table_entry *a,
			 const struct table_entry *b);

#endif
