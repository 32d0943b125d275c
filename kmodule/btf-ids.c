// SPDX-License-Identifier: GPL-2.0
/*
 * The BTF ID lists a primary carries: lists the patch adds or changes
 * (create/btf-ids.h). resolve_btfids fills such lists in when a kernel is
 * linked; the update's copy is filled in here, from the running kernel's
 * BTF, before any of its code can run: each ID is looked up by type name
 * and kind, then each set gets its count and is sorted by ID (the kernel
 * searches sets with bsearch). The lookups are the verifier's own
 * (bpf_get_btf_vmlinux, btf_find_by_name_kind), found through kallsyms.
 *
 * A type the running kernel's BTF lacks gets ID 0 in a vmlinux update,
 * which is what resolve_btfids leaves for it (a function configured out,
 * say). For a module target resolve_btfids would also have searched the
 * module's own BTF, which is not searched here: such an update is refused.
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "apply.h"
#include "internal.h"

struct btf;
typedef struct btf *(*get_btf_vmlinux_fn)(void);
typedef s32 (*find_by_name_kind_fn)(const struct btf *btf, const char *name, u8 kind);

bool ksplice_has_btf_ids(const struct ksplice_module_desc *d)
{
	u64 i;

	for (i = 0; i < d->nr_relocs; i++)
		if (ksplice_reloc_is_btf(&d->relocs[i]))
			return true;
	return false;
}

static void write_u32(void *site, u32 value)
{
	if (!memcmp(site, &value, sizeof(value)))
		return;
	ksplice_text_lock();
	ksplice_poke(site, &value, sizeof(value));
	ksplice_text_unlock();
}

static const char *fill_ids(struct ksplice_update *u, const struct ksplice_target *t,
			    const struct btf *btf, find_by_name_kind_fn find)
{
	const struct ksplice_module_desc *d = t->primary;
	u64 i;

	for (i = 0; i < d->nr_relocs; i++) {
		const struct ksplice_reloc *r = &d->relocs[i];
		s32 id;

		if (r->target_kind != KSPLICE_TARGET_BTF_ID)
			continue;
		id = find(btf, r->name, (u8)r->len);
		if (id < 0 && strcmp(t->name, "vmlinux")) {
			ksplice_log(u, "%s: failed_to_find: BTF type %s (kind %u): not in vmlinux's "
				    "BTF, and module BTF is not searched\n", t->name, r->name, r->len);
			return "failed_to_find";
		}
		if (id < 0)
			id = 0;		/* as resolve_btfids leaves it */
		ksplice_log(u, "  BTF ID of %s (kind %u) at %pS: %d\n", r->name, r->len, r->site, id);
		write_u32(r->site, (u32)id);
	}
	return NULL;
}

static int cmp_id(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

/* Count and sort one set, written back in one piece. */
static const char *sort_set(struct ksplice_update *u, const struct ksplice_target *t,
			    const struct ksplice_reloc *r)
{
	size_t width = r->len, count = (size_t)r->addend, bytes = (count + 1) * width;
	u8 *copy = kmalloc(bytes, GFP_KERNEL);
	u32 n = (u32)count;

	if (!copy) {
		ksplice_log(u, "%s: out_of_memory\n", t->name);
		return "out_of_memory";
	}
	memcpy(copy, r->site, bytes);
	memcpy(copy, &n, sizeof(n));	/* the header's count; a set8's flags follow */
	sort(copy + width, count, width, cmp_id, NULL);
	ksplice_log(u, "  BTF ID set %s at %pS: %zu IDs, sorted\n", r->name, r->site, count);
	if (memcmp(copy, r->site, bytes)) {
		ksplice_text_lock();
		ksplice_poke(r->site, copy, bytes);
		ksplice_text_unlock();
	}
	kfree(copy);
	return NULL;
}

const char *ksplice_fill_btf_ids(struct ksplice_update *u, const struct ksplice_target *t)
{
	get_btf_vmlinux_fn get = (get_btf_vmlinux_fn)ksplice_vmlinux_function("bpf_get_btf_vmlinux");
	find_by_name_kind_fn find =
		(find_by_name_kind_fn)ksplice_vmlinux_function("btf_find_by_name_kind");
	const struct ksplice_module_desc *d = t->primary;
	const char *why;
	struct btf *btf;
	u64 i;

	if (!get || !find) {
		ksplice_log(u, "%s: failed_to_find: the running kernel's BTF lookups "
			    "(bpf_get_btf_vmlinux, btf_find_by_name_kind)\n", t->name);
		return "failed_to_find";
	}
	btf = get();
	if (IS_ERR_OR_NULL(btf)) {
		ksplice_log(u, "%s: failed_to_find: the running kernel has no BTF\n", t->name);
		return "failed_to_find";
	}
	why = fill_ids(u, t, btf, find);
	for (i = 0; !why && i < d->nr_relocs; i++)
		if (d->relocs[i].target_kind == KSPLICE_TARGET_BTF_SET)
			why = sort_set(u, t, &d->relocs[i]);
	return why;
}
