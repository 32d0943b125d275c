/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The types whose layout change a patch takes responsibility for: each
 * ksplice_layout_handled(TYPE) of ksplice-patch.h puts the string "TYPE"
 * ("struct foo") into section ".ksplice_layout" of the post object.
 *
 * Example:
 *	struct build_strlist handled = { 0 };
 *	patch_layouts_find(post, &handled);	// for every post object
 *	build_strlist_sort_unique(&handled);
 *	if (build_strlist_has(&handled, "struct foo")) ...
 */
#ifndef KSPLICE_PATCH_LAYOUTS_H
#define KSPLICE_PATCH_LAYOUTS_H

#include "create/build-util.h"
#include "create/elf-object.h"

/* Add the type names @post's markers name to @names (unsorted). */
void patch_layouts_find(const struct elf_object *post, struct build_strlist *names);

#endif
