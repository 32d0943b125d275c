// SPDX-License-Identifier: GPL-2.0
/*
 * Data objects rewritten in place (ksplice_assume_rodata in
 * ksplice-patch.h, KSPLICE_PATCH_DATA records). Matching already proved
 * that the running object holds the pre initialiser (its helper section is
 * KSPLICE_SECTION_EARLY: compared by content, relocation fields resolved);
 * planning saves its bytes. Inside stop_machine, after the trampolines,
 * the running bytes must still be the saved ones (the new ones on undo);
 * then the new bytes (the primary's relocated copy) are written over it.
 *
 * Every write goes through text_poke, page by page: the object may sit in
 * .rodata, read-only under STRICT_KERNEL_RWX (or in ro_after_init data),
 * and text_poke maps the page writable at a temporary address, which is
 * just as correct for a writable object.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "apply.h"
#include "internal.h"

static struct ksplice_data_write *new_data(struct ksplice_applied *a)
{
	return ksplice_array_slot((void **)&a->datas, a->nr_datas, &a->cap_datas,
				  sizeof(*a->datas));
}

static const char *plan_one(struct ksplice_update *u, const struct ksplice_target *t,
			    const struct ksplice_matcher *m, struct ksplice_applied *a,
			    const struct ksplice_patch *p)
{
	const struct ksplice_module_desc *h = t->helper;
	const struct ksplice_section *s;
	struct ksplice_data_write *w;

	if (p->helper_section >= h->nr_sections || !m->section_addr[p->helper_section] ||
	    !(h->sections[p->helper_section].flags & KSPLICE_SECTION_EARLY) ||
	    !h->sections[p->helper_section].size) {
		ksplice_log(u, "%s: unexpected: no matched data object for %s\n", t->name,
			    p->old_name);
		return "unexpected";
	}
	s = &h->sections[p->helper_section];
	if (!within_module((unsigned long)p->new_address, t->primary_mod) ||
	    !within_module((unsigned long)p->new_address + s->size - 1, t->primary_mod)) {
		ksplice_log(u, "%s: unexpected: the new bytes of %s are outside the primary\n",
			    t->name, p->old_name);
		return "unexpected";
	}
	w = new_data(a);
	if (!w)
		return "out_of_memory";
	w->saved = kvmalloc(s->size, GFP_KERNEL);
	if (!w->saved)
		return "out_of_memory";
	a->nr_datas++;
	strscpy(w->name, p->old_name, sizeof(w->name));
	w->addr = (unsigned long)m->section_addr[p->helper_section];
	w->size = s->size;
	w->bytes = p->new_address;
	if (copy_from_kernel_nofault(w->saved, (void *)w->addr, w->size)) {
		ksplice_log(u, "%s: unexpected: cannot read %s\n", t->name, p->old_name);
		return "unexpected";
	}
	ksplice_log(u, "%s: %s at 0x%lx (%lu bytes): rewritten in place\n", t->name, w->name,
		    w->addr, w->size);
	return "ok";
}

const char *ksplice_plan_data(struct ksplice_update *u, const struct ksplice_target *t,
			      const struct ksplice_matcher *m, struct ksplice_applied *a)
{
	const struct ksplice_module_desc *d = t->primary;
	const char *cause;
	u64 i;

	for (i = 0; i < d->nr_patches; i++) {
		if (d->patches[i].kind != KSPLICE_PATCH_DATA)
			continue;
		cause = plan_one(u, t, m, a, &d->patches[i]);
		if (strcmp(cause, "ok"))
			return cause;
	}
	return "ok";
}

bool ksplice_data_unchanged(const struct ksplice_applied *a, bool want_new, char *why,
			    size_t len)
{
	size_t i;

	for (i = 0; i < a->nr_datas; i++) {
		const struct ksplice_data_write *w = &a->datas[i];

		if (memcmp((void *)w->addr, want_new ? w->bytes : w->saved, w->size)) {
			snprintf(why, len, "%s changed since %s", w->name,
				 want_new ? "the update wrote it" : "it was matched");
			return false;
		}
	}
	return true;
}

/* text_poke writes within at most two pages: go page by page. */
static void poke_object(unsigned long addr, const u8 *bytes, size_t size)
{
	size_t off = 0, n;

	while (off < size) {
		n = PAGE_SIZE - ((addr + off) & ~PAGE_MASK);
		if (n > size - off)
			n = size - off;
		ksplice_poke_stopped((void *)(addr + off), bytes + off, n);
		off += n;
	}
}

int ksplice_data_write(struct ksplice_applied *a, bool apply)
{
	size_t i, done;

	for (done = 0; done < a->nr_datas; done++) {
		struct ksplice_data_write *w = &a->datas[done];
		const u8 *want = apply ? w->bytes : w->saved;

		poke_object(w->addr, want, w->size);
		if (memcmp((void *)w->addr, want, w->size))
			break;
	}
	if (done == a->nr_datas)
		return 0;
	for (i = 0; i <= done; i++) {
		struct ksplice_data_write *w = &a->datas[i];

		poke_object(w->addr, apply ? w->saved : w->bytes, w->size);
	}
	return -EIO;
}

void ksplice_data_free(struct ksplice_applied *a)
{
	size_t i;

	for (i = 0; i < a->nr_datas; i++)
		kvfree(a->datas[i].saved);
	kvfree(a->datas);
	a->datas = NULL;
	a->nr_datas = 0;
}
