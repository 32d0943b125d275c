// SPDX-License-Identifier: GPL-2.0
/*
 * Jump trampolines: a 5-byte `jmp rel32` (e9) from each replaced function
 * to its replacement in the primary module.
 *
 * Where: a function that begins with an ftrace site (`call __fentry__`,
 * which the kernel turned into a 5-byte NOP or a call into ftrace; the
 * helper lists it as a KSPLICE_SITE_FENTRY site at offset 0, or 4 after an
 * endbr64) gets the jump right after that site, so ftrace keeps finding
 * the bytes it expects there and tracing the old function still works.
 * Without one (notrace code), the jump goes at offset 0 (after an endbr64
 * if there is one). A function too short to hold the jump there is
 * refused, and so is one where the five bytes overlap a site the kernel
 * rewrites while running (jump label, static call, lock prefix): that
 * rewrite would tear our jump apart.
 *
 * Offsets and sizes are the running copy's: where the matcher accepted a
 * shortened jump (core/match-insn.c), the running function is shorter
 * than the helper's and everything after the jump sits earlier. A
 * function that is only a short tail call (`eb rel8`, 2 bytes) has no room
 * for the jump, whatever the helper's `e9 rel32` says.
 *
 * Tools in the way: a kprobe on the old function would never fire again
 * (int3 or an optimised probe's jump in its bytes, or a registered probe
 * anywhere in it): refused, naming kprobes.
 */
#include <linux/kprobes.h>
#include <linux/uaccess.h>
#include <asm/unaligned.h>

#include "apply.h"
#include "internal.h"

static const u8 endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };

static bool in_section(const struct ksplice_section *s, const u8 *p, unsigned int len)
{
	return p >= s->address && p + len <= s->address + s->size;
}

/* Where in helper section @s the jump goes (see the top of the file). */
static unsigned int entry_offset(const struct ksplice_module_desc *h, const struct ksplice_section *s)
{
	unsigned int base = 0;
	u64 i;

	if (s->size >= sizeof(endbr64) && !memcmp(s->address, endbr64, sizeof(endbr64)))
		base = sizeof(endbr64);
	for (i = 0; i < h->nr_sites; i++) {
		const struct ksplice_site *site = &h->sites[i];

		if (site->kind == KSPLICE_SITE_FENTRY && in_section(s, site->address, site->len) &&
		    site->address - s->address == base)
			return base + site->len;
	}
	return base;
}

/* A site the kernel may rewrite at run time overlapping running [off, off + len)? */
static const char *live_site_overlap(const struct ksplice_matcher *m, u64 si, unsigned int off,
				     unsigned int len, bool *jump_label)
{
	const struct ksplice_module_desc *h = m->helper;
	const struct ksplice_section *s = &h->sections[si];
	u64 i, start, end;

	for (i = 0; i < h->nr_sites; i++) {
		const struct ksplice_site *site = &h->sites[i];

		if (!in_section(s, site->address, site->len))
			continue;
		start = ksplice_match_run_offset(m, si, site->address - s->address);
		end = start + site->len;
		if (end <= off || start >= off + len)
			continue;
		switch (site->kind) {
		case KSPLICE_SITE_FENTRY:
			return "the ftrace site";
		case KSPLICE_SITE_JUMP_LABEL:
			*jump_label = true;	/* taken care of: jump-entries.c */
			break;
		case KSPLICE_SITE_STATIC_CALL:
			return "a static call";
		case KSPLICE_SITE_SMP_LOCK:
			return "a lock prefix";
		}
	}
	return NULL;
}

/* Is byte @off of helper section @s inside a relocation field or a rewritten site? */
static bool variable_byte(const struct ksplice_module_desc *h, const struct ksplice_section *s,
			  u64 off)
{
	const u8 *p = s->address + off;
	u64 i;

	for (i = 0; i < h->nr_relocs; i++)
		if (p >= h->relocs[i].site && p < h->relocs[i].site + h->relocs[i].size)
			return true;
	for (i = 0; i < h->nr_sites; i++)
		if (p >= h->sites[i].address && p < h->sites[i].address + h->sites[i].len)
			return true;
	return false;
}

static bool overlaps(unsigned long a, unsigned long b)
{
	return a < b + KSPLICE_JUMP_LEN && b < a + KSPLICE_JUMP_LEN;
}

/* Another trampoline, of this plan or of an applied update, at @site? */
static bool site_taken(const struct ksplice_applied *a, unsigned long site)
{
	size_t i;

	for (i = 0; i < a->nr_tramps; i++)
		if (overlaps(a->tramps[i].site, site))
			return true;
	return ksplice_tramp_in_use(site);
}

static struct ksplice_tramp *new_tramp(struct ksplice_applied *a)
{
	return ksplice_array_slot((void **)&a->tramps, a->nr_tramps, &a->cap_tramps,
				  sizeof(*a->tramps));
}

static const char *plan_one(struct ksplice_update *u, const struct ksplice_target *t,
			    struct module *target_mod, const struct ksplice_matcher *m,
			    struct ksplice_applied *a, const struct ksplice_patch *p)
{
	const struct ksplice_module_desc *h = t->helper;
	const struct ksplice_section *s;
	struct ksplice_tramp *tr;
	const char *what;
	unsigned int off, i;
	u64 size, pre_off;
	bool jump_label = false;
	int err;
	s64 rel;

	if (p->kind != KSPLICE_PATCH_JUMP) {
		ksplice_log(u, "%s: unexpected: %s was deleted by the patch; error stubs are not "
			    "supported yet\n", t->name, p->old_name);
		return "unexpected";
	}
	if (p->helper_section >= h->nr_sections || !m->section_addr[p->helper_section] ||
	    !(h->sections[p->helper_section].flags & KSPLICE_SECTION_TEXT)) {
		ksplice_log(u, "%s: unexpected: no matched code for %s\n", t->name, p->old_name);
		return "unexpected";
	}
	s = &h->sections[p->helper_section];
	off = (unsigned int)ksplice_match_run_offset(m, p->helper_section, entry_offset(h, s));
	size = ksplice_match_run_size(m, p->helper_section);
	if (size < off + KSPLICE_JUMP_LEN) {
		ksplice_log(u, "%s: unexpected: function %s is too short for a trampoline "
			    "(%llu bytes in the running kernel, %llu in the helper; the jump goes at "
			    "offset %u)\n", t->name, p->old_name, size, s->size, off);
		pr_err("ksplice: update %s: %s is too short to be replaced (%llu bytes)\n", u->id,
		       p->old_name, size);
		return "unexpected";
	}
	what = live_site_overlap(m, p->helper_section, off, KSPLICE_JUMP_LEN, &jump_label);
	if (what) {
		ksplice_log(u, "%s: unexpected: the trampoline in %s at offset %u would overlap "
			    "%s, which the kernel rewrites while running\n", t->name, p->old_name,
			    off, what);
		pr_err("ksplice: update %s: cannot place a jump in %s: %s is in the way\n", u->id,
		       p->old_name, what);
		return "unexpected";
	}
	tr = new_tramp(a);
	if (!tr) {
		ksplice_log(u, "%s: out_of_memory\n", t->name);
		return "out_of_memory";
	}
	strscpy(tr->name, p->old_name, sizeof(tr->name));
	strscpy(tr->target, t->name, sizeof(tr->target));
	tr->func = (unsigned long)m->section_addr[p->helper_section];
	tr->size = size;
	tr->site = tr->func + off;
	tr->dest = (unsigned long)p->new_address;
	if (copy_from_kernel_nofault(tr->saved, (void *)tr->site, KSPLICE_JUMP_LEN)) {
		ksplice_log(u, "%s: unexpected: cannot read %s\n", t->name, p->old_name);
		return "unexpected";
	}
	for (i = 0; i < KSPLICE_JUMP_LEN; i++) {
		/* A shortened jump's bytes were checked by target when matching. */
		if (!ksplice_match_pre_offset(m, p->helper_section, off + i, &pre_off))
			continue;
		if (tr->saved[i] == s->address[pre_off] || variable_byte(h, s, pre_off))
			continue;
		if (tr->saved[i] == 0xcc)
			what = "an int3 breakpoint (kprobes or a debugger)";
		else
			what = "bytes that are not the matched code";
		ksplice_log(u, "%s: unexpected: %s+%u holds %s\n", t->name, p->old_name,
			    off + i, what);
		pr_err("ksplice: update %s: %s+%u holds %s; remove it first\n", u->id,
		       p->old_name, off + i, what);
		return "unexpected";
	}
	if (jump_label && (err = ksplice_jump_entries_find(tr, target_mod))) {
		ksplice_log(u, "%s: unexpected: the trampoline in %s at offset %u would overlap "
			    "a jump label (static key) whose jump table entry %s\n", t->name,
			    p->old_name, off, err == -ENOENT ? "was not found" :
			    "reaches past the jump (or is one of several)");
		pr_err("ksplice: update %s: cannot place a jump in %s: a jump label is in the way\n",
		       u->id, p->old_name);
		return "unexpected";
	}
	if (site_taken(a, tr->site)) {
		ksplice_log(u, "%s: unexpected: two trampolines at %s+%u\n", t->name,
			    p->old_name, off);
		return "unexpected";
	}
	/*
	 * In unsigned long arithmetic: on i386 a rel32 jump wraps around the
	 * 4 GiB address space, so every destination is in range (with a 1G/3G
	 * split the kernel and the module area can be over 2 GiB apart).
	 */
	rel = (long)(tr->dest - (tr->site + KSPLICE_JUMP_LEN));
	if (rel != (s32)rel) {
		ksplice_log(u, "%s: unexpected: the replacement of %s is out of jump range\n",
			    t->name, p->old_name);
		return "unexpected";
	}
	tr->jump[0] = 0xe9;
	put_unaligned_le32((u32)(s32)rel, &tr->jump[1]);
	if (ksplice_note_dependency(a, tr->site)) {
		ksplice_log(u, "%s: out_of_memory\n", t->name);
		return "out_of_memory";
	}
	a->nr_tramps++;
	ksplice_log(u, "%s: %s at 0x%lx (%lu bytes): jump at +%u to 0x%lx%s\n", t->name, tr->name,
		    tr->func, tr->size, off, tr->dest,
		    tr->nr_jump_entries ? " (over a jump label, left alone while applied)" : "");
	return "ok";
}

const char *ksplice_plan_trampolines(struct ksplice_update *u, const struct ksplice_target *t,
				     struct module *target_mod,
				     const struct ksplice_matcher *m, struct ksplice_applied *a)
{
	const struct ksplice_module_desc *d = t->primary;
	const char *cause;
	u64 i;

	for (i = 0; i < d->nr_patches; i++) {
		if (d->patches[i].kind == KSPLICE_PATCH_DATA)
			continue;	/* data-write.c */
		cause = plan_one(u, t, target_mod, m, a, &d->patches[i]);
		if (strcmp(cause, "ok"))
			return cause;
	}
	return "ok";
}

bool ksplice_tramps_probed(const struct ksplice_applied *a, char *why, size_t len)
{
	unsigned long addr;
	size_t i;

	for (i = 0; i < a->nr_tramps; i++) {
		const struct ksplice_tramp *tr = &a->tramps[i];

		for (addr = tr->func; addr < tr->func + tr->size; addr++) {
			if (ksplice_get_kprobe((void *)addr)) {
				snprintf(why, len, "a kprobe is registered at %s+0x%lx: remove it "
					 "(kprobes, perf probe, kprobe events) before replacing %s",
					 tr->name, addr - tr->func, tr->name);
				return true;
			}
		}
	}
	return false;
}

bool ksplice_tramps_unchanged(const struct ksplice_applied *a, bool want_jump, char *why,
			      size_t len)
{
	size_t i;

	for (i = 0; i < a->nr_tramps; i++) {
		const struct ksplice_tramp *tr = &a->tramps[i];

		if (memcmp((void *)tr->site, want_jump ? tr->jump : tr->saved, KSPLICE_JUMP_LEN)) {
			snprintf(why, len, "the bytes at %s+0x%lx changed since %s (%5ph)",
				 tr->name, tr->site - tr->func,
				 want_jump ? "the jump was written" : "they were read",
				 (void *)tr->site);
			return false;
		}
	}
	return true;
}

/* What undo writes: the saved bytes, jump labels in their keys' current form. */
static void undo_bytes(const struct ksplice_tramp *tr, u8 *bytes)
{
	memcpy(bytes, tr->saved, KSPLICE_JUMP_LEN);
	ksplice_jump_entries_current(tr, bytes);
}

static void write_one(struct ksplice_tramp *tr, bool apply)
{
	u8 want[KSPLICE_JUMP_LEN];

	if (apply)
		memcpy(want, tr->jump, KSPLICE_JUMP_LEN);
	else
		undo_bytes(tr, want);
	ksplice_poke_stopped((void *)tr->site, want, KSPLICE_JUMP_LEN);
	ksplice_jump_entries_mark(tr, apply);
	tr->written = apply;
}

static bool written_as(const struct ksplice_tramp *tr, bool apply)
{
	u8 want[KSPLICE_JUMP_LEN];

	if (apply)
		memcpy(want, tr->jump, KSPLICE_JUMP_LEN);
	else
		undo_bytes(tr, want);
	return !memcmp((void *)tr->site, want, KSPLICE_JUMP_LEN);
}

int ksplice_tramps_write(struct ksplice_applied *a, bool apply)
{
	size_t i, done;

	for (done = 0; done < a->nr_tramps; done++) {
		struct ksplice_tramp *tr = &a->tramps[done];

		write_one(tr, apply);
		if (!written_as(tr, apply))
			break;
	}
	if (done == a->nr_tramps)
		return 0;
	/* Put back every byte this call changed, the failed site included. */
	for (i = 0; i <= done; i++)
		write_one(&a->tramps[i], !apply);
	return -EIO;
}
