/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One object of a target as the module generators see it: pre and post,
 * the diff between them, and both objects indexed and correlated
 * (object-units.h, symbol-correlate.h).
 */
#ifndef KSPLICE_MODULE_INPUT_H
#define KSPLICE_MODULE_INPUT_H

#include "create/object-units.h"
#include "create/section-diff.h"

struct module_input {
	const struct elf_object *pre, *post;
	const struct diff_result *diff;
	struct object_index *pre_idx, *post_idx;
	bool *taken;		/* post table entries already in the primary */
	/* 1-based index in the target: the scope of its local symbols. */
	uint32_t scope;
};

/* The unit of @obj's index defining symbol @name, or NULL. */
struct unit *module_input_unit(const struct object_index *idx,
			       const char *name);

#endif
