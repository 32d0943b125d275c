/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hooks a patch registers with ksplice-patch.h: each macro puts a
 * pointer to the hook function into section ".ksplice_hook.KIND" of the
 * post object. ksplice-create finds them here, refuses a hook that can
 * reach code the update replaces, and turns them into ksplice_hook
 * records of the primary (module-build.c).
 *
 * Example:
 *	struct patch_hook *hooks;
 *	size_t n = patch_hooks_find(post_idx, &hooks, &err);
 *	for (i = 0; i < n; i++)
 *		use(hooks[i].fn, hooks[i].offset, hooks[i].kind);
 *	free(hooks);
 */
#ifndef KSPLICE_PATCH_HOOKS_H
#define KSPLICE_PATCH_HOOKS_H

#include <stdint.h>

#include "create/build-util.h"
#include "create/object-units.h"
#include "create/section-diff.h"

struct patch_hook {
	struct unit *fn;	/* the hook function's unit in the post object */
	uint64_t offset;	/* of the entry point within the unit */
	uint32_t kind;		/* enum ksplice_hook_kind */
	const char *section;
};

/* Number of hook entries in @obj (no index needed). */
size_t patch_hooks_count(const struct elf_object *obj);

/*
 * The hooks of @post; returns how many (*out to free), or -1 with a
 * message in @err (an unknown hook kind, a pointer to no function).
 */
long patch_hooks_find(const struct object_index *post, struct patch_hook **out,
		      struct ks_error *err);

/*
 * Refuse a hook of @post that can reach, through the calls and
 * references of the functions the update adds, a function it replaces:
 * one changed in @diff (this object), or named in @replaced (changed in
 * any object of the update, sorted). 0, or -1 with the message in @err.
 */
int patch_hooks_check_reach(const struct object_index *post, const struct diff_result *diff,
			    const struct build_strlist *replaced, struct ks_error *err);

#endif
