// SPDX-License-Identifier: GPL-2.0
/*
 * Calling an update's hooks (core/ksplice-patch.h): every primary of the
 * update, in target order, each primary's hooks of one kind in record
 * order. No logging here: some kinds run inside stop_machine.
 */
#include "hooks.h"
#include "internal.h"

static bool returns_int(u32 kind)
{
	return kind == KSPLICE_HOOK_PRE_APPLY || kind == KSPLICE_HOOK_CHECK_APPLY ||
	       kind == KSPLICE_HOOK_PRE_REVERSE || kind == KSPLICE_HOOK_CHECK_REVERSE;
}

int ksplice_call_hooks(const struct ksplice_update *u, u32 kind, void **refused)
{
	const struct ksplice_target *t;
	u64 i;
	int ret;

	list_for_each_entry(t, &u->targets, list) {
		for (i = 0; t->primary && i < t->primary->nr_hooks; i++) {
			const struct ksplice_hook *h = &t->primary->hooks[i];

			if (h->kind != kind)
				continue;
			if (!returns_int(kind)) {
				((void (*)(void))h->fn)();
				continue;
			}
			ret = ((int (*)(void))h->fn)();
			if (ret) {
				*refused = h->fn;
				return ret;
			}
		}
	}
	return 0;
}

bool ksplice_has_hooks(const struct ksplice_update *u)
{
	const struct ksplice_target *t;

	list_for_each_entry(t, &u->targets, list)
		if (t->primary && t->primary->nr_hooks)
			return true;
	return false;
}

void ksplice_free_update_shadows(const struct ksplice_update *u)
{
	const struct ksplice_target *t;

	list_for_each_entry(t, &u->targets, list)
		if (t->primary_mod)
			ksplice_shadow_free_owned(t->primary_mod);
}
