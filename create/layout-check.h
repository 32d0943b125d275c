/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refusing changed data layouts: the code of a changed object was compiled
 * against its post types, but the running kernel's objects (in slabs, on
 * lists, in static storage) keep the pre layout. Every structure, union and
 * global variable type the object's DWARF describes (type-layout.h) is
 * compared pre to post; a difference becomes an unsupported change of
 * class REFUSAL_STRUCT in the object's diff, unless the patch marks the
 * type with ksplice_layout_handled (patch-layouts.h): then a warning.
 *
 * Example:
 *	if (layout_check_object(o->path, o->pre, o->post, &handled, &used, diff, &err))
 *		die("%s", err.msg);	// no DWARF to compare with
 */
#ifndef KSPLICE_LAYOUT_CHECK_H
#define KSPLICE_LAYOUT_CHECK_H

#include "create/build-util.h"
#include "create/section-diff.h"

/*
 * Compare the layouts of @pre_path and @post_path (object @label) and add
 * what changed to @diff. @handled: sorted type names the patch handles;
 * the ones that matched are added to @used. -1 with @err when an object
 * has no debug information (the caller refuses the object).
 */
int layout_check_object(const char *label, const char *pre_path, const char *post_path,
			const struct build_strlist *handled, struct build_strlist *used,
			struct diff_result *diff, struct ks_error *err);

#endif
