// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "create/layout-check.h"
#include "create/type-layout.h"

/* What ksplice_layout_handled names: the type, or a variable's name. */
static const char *marker_name(const struct layout_change *c)
{
	return strncmp(c->type, "variable ", 9) ? c->type : c->type + 9;
}

int layout_check_object(const char *label, const char *pre_path, const char *post_path,
			const struct build_strlist *handled, struct build_strlist *used,
			struct diff_result *diff, struct ks_error *err)
{
	struct type_layouts *pre = type_layouts_read(pre_path, err), *post = NULL;
	struct layout_change *changes = NULL;
	size_t i, n = 0;

	if (pre)
		post = type_layouts_read(post_path, err);
	if (!post) {
		type_layouts_free(pre);
		return -1;
	}
	n = type_layouts_compare(pre, post, &changes);
	for (i = 0; i < n; i++) {
		const struct layout_change *c = &changes[i];
		char *why;

		if (build_strlist_has(handled, marker_name(c))) {
			build_warn("%s: %s (the patch handles it: ksplice_layout_handled)", label,
				   c->message);
			build_strlist_add(used, marker_name(c));
			continue;
		}
		why = xasprintf("%s; %s in memory keep%s the old %s (if the patch takes "
				"care of them, say ksplice_layout_handled(%s), docs/patch-author.md)",
				c->message, c->enumeration ? "values" : "objects",
				c->enumeration ? " their" : "", c->enumeration ? "meaning" : "layout",
				marker_name(c));
		diff_add_unsupported(diff, REFUSAL_STRUCT, c->type, why);
		free(why);
	}
	layout_changes_free(changes, n);
	type_layouts_free(pre);
	type_layouts_free(post);
	return 0;
}
