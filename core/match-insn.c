// SPDX-License-Identifier: GPL-2.0
/*
 * Instruction-by-instruction matching of a function whose running bytes
 * differ from the helper's: jump relaxation.
 *
 * The helper's pre code is built with -ffunction-sections, so a jump to
 * another function is a `jmp rel32` (e9) or `jcc rel32` (0f 8x) with a
 * relocation. A kernel built without it (Debian's) has both functions in
 * one .text section, and the assembler encodes a jump to a nearby one in
 * short form (`eb rel8`, `7x rel8`). The two are the same instruction
 * when they go to the same place: a short jump of the same kind (same
 * condition) is accepted where the long one has a relocation iff its
 * target is the address the relocation demands, under the very check the
 * long form's field gets (ksplice_target_consistent). Then the function
 * goes on 3 (jmp) or 4 (jcc) bytes earlier in the running copy:
 *
 *  - every other instruction must be equal, byte for byte outside
 *    relocation fields and run-time patched sites, at its shifted place;
 *  - a relative branch within the function (no relocation) may differ in
 *    displacement and form (short or long, same kind): its target, mapped
 *    through the shifts, must be the running branch's target;
 *  - relocation fields and sites are checked at their shifted places;
 *  - alignment padding (NOP instructions only) may differ in length where
 *    the bytes differ: the assembler pads a label to its alignment from
 *    where the shortened code leaves it. NOPs do nothing, and branch
 *    targets are checked through the shifts as everywhere else.
 *
 * The shifts are recorded as edits (struct ksplice_insn_edit), through
 * which run-layout.c maps helper offsets to running ones.
 */
#include "core/match-internal.h"
#include "core/reloc-math.h"
#include "core/site-forms.h"
#include "core/x86-insn.h"

/* A branch within the function, checked once every shift is known. */
struct local_branch {
	u64 pre_off;	/* of the instruction, for the report */
	u64 pre_target, run_target;	/* offsets in the section and its running copy */
};

struct walk {
	struct ksplice_matcher *m;
	const struct ksplice_section *s;
	u64 cand;
	struct attempt *a;
	const u8 *run;
	u64 run_len;
	int mode;
	u64 p, r;	/* current helper and running offsets */
	struct local_branch *branches;
	size_t nr_branches;
};

static bool fail(struct walk *w, const char *reason, unsigned int len)
{
	u64 left = w->run_len - w->r;

	if (len > left)
		len = (unsigned int)left;
	if (len > w->s->size - w->p)
		len = (unsigned int)(w->s->size - w->p);
	ksplice_note_mismatch(w->a, w->s, w->cand, w->p, w->s->address + w->p, w->run + w->r, len,
			      reason);
	return false;
}

static bool add_edit(struct walk *w, unsigned int pre_len, unsigned int run_len)
{
	struct attempt *a = w->a;
	struct ksplice_insn_edit *e;

	if (a->nr_edits == a->cap_edits) {
		size_t cap = a->cap_edits * 2 + 16;
		struct ksplice_insn_edit *n = ks_zalloc(cap * sizeof(*n));

		if (!n)
			return fail(w, "out of memory", 0);
		if (a->edits)
			memcpy(n, a->edits, a->nr_edits * sizeof(*n));
		ks_free(a->edits);
		a->edits = n;
		a->cap_edits = cap;
	}
	e = &a->edits[a->nr_edits++];
	e->pre_off = (u32)w->p;
	e->pre_len = pre_len;
	e->run_off = (u32)w->r;
	e->run_len = run_len;
	return true;
}

/* The run-time patched site that starts at helper offset @p, if any. */
static const struct ksplice_site *site_at(const struct walk *w)
{
	const struct ksplice_module_desc *h = w->m->helper;
	u64 i;

	for (i = 0; i < h->nr_sites; i++)
		if (h->sites[i].address == w->s->address + w->p &&
		    w->p + h->sites[i].len <= w->s->size)
			return &h->sites[i];
	return NULL;
}

/* The relocation whose field starts within [p, p + len), from index *@k on. */
static const struct ksplice_reloc *reloc_in(const struct walk *w, u64 len, u64 *k)
{
	const struct ksplice_module_desc *h = w->m->helper;
	const u8 *lo = w->s->address + w->p;

	for (; *k < h->nr_relocs; (*k)++) {
		const struct ksplice_reloc *r = &h->relocs[*k];

		if (r->site + r->size > lo && r->site < lo + len)
			return &h->relocs[(*k)++];
	}
	return NULL;
}

static bool same_branch(const struct ksplice_insn *x, const struct ksplice_insn *y)
{
	if (x->branch != y->branch)
		return false;
	return x->branch != KSPLICE_BRANCH_JCC || x->cond == y->cond;
}

/*
 * A long jump with a relocation in the helper, a short one of the same
 * kind in the running code: the short one's target must be what the
 * relocation demands. For the long form at the same running address the
 * field would hold target - end of instruction; the relocation's symbol
 * is checked from that value, as if the long form were there.
 */
static bool relaxed_jump(struct walk *w, const struct ksplice_insn *pre,
			 const struct ksplice_insn *run, const struct ksplice_reloc *r)
{
	u64 run_addr = w->cand + w->r;
	u64 target = run_addr + run->len + ksplice_insn_rel(run, w->run + w->r);
	s64 value = (s64)(target - (run_addr + pre->len));
	u64 sym = ksplice_field_symbol(value, r->addend, run_addr + pre->imm_off, r->flags);

	if (!(r->flags & KSPLICE_RELOC_PCREL) || r->size != 4 ||
	    r->site != w->s->address + w->p + pre->imm_off)
		return fail(w, "a shorter jump where the helper's has an unexpected relocation",
			    run->len);
	if (!ksplice_target_consistent(w->m, w->a, r, sym))
		return fail(w, "a shorter jump whose target is not the relocation's", run->len);
	if (!add_edit(w, pre->len, run->len))
		return false;
	w->p += pre->len;
	w->r += run->len;
	return true;
}

/*
 * A branch with no relocation stays within the function: its target, in
 * either copy, is checked after the walk (local_targets_agree).
 */
static bool local_branch(struct walk *w, const struct ksplice_insn *pre,
			 const struct ksplice_insn *run)
{
	s64 pre_t = (s64)(w->p + pre->len) + ksplice_insn_rel(pre, w->s->address + w->p);
	s64 run_t = (s64)(w->r + run->len) + ksplice_insn_rel(run, w->run + w->r);
	struct local_branch *b;

	if (pre_t < 0 || (u64)pre_t > w->s->size || run_t < 0)
		return false;	/* leaves the function: compared byte for byte */
	b = &w->branches[w->nr_branches++];
	b->pre_off = w->p;
	b->pre_target = (u64)pre_t;
	b->run_target = (u64)run_t;
	if ((pre->len != run->len || memcmp(w->s->address + w->p, w->run + w->r, pre->len)) &&
	    !add_edit(w, pre->len, run->len))
		return false;
	w->p += pre->len;
	w->r += run->len;
	return true;
}

/* Equal bytes outside relocation fields; fields checked at their running place. */
static bool same_insn(struct walk *w, unsigned int len)
{
	const u8 *pre = w->s->address + w->p, *run = w->run + w->r;
	const struct ksplice_reloc *r;
	u64 k = 0;
	unsigned int i, off;
	u8 field[16] = { 0 };

	while ((r = reloc_in(w, len, &k))) {
		off = (unsigned int)(r->site - pre);
		if (r->site < pre || off + r->size > len)
			return fail(w, "a relocation field across instructions", len);
		if (!ksplice_reloc_consistent(w->m, w->a, r, run + off, w->cand + w->r + off))
			return fail(w, "relocation target inconsistent", len);
		memset(field + off, 1, r->size);
	}
	for (i = 0; i < len; i++)
		if (!field[i] && pre[i] != run[i])
			return fail(w, "bytes differ", len);
	w->p += len;
	w->r += len;
	return true;
}

static bool is_nop(const u8 *p, const struct ksplice_insn *insn)
{
	if (insn->map == KSPLICE_MAP_0F && insn->opcode == 0x1f && !insn->vex)
		return true;	/* nopl/nopw, whatever the prefixes */
	return ksplice_nop_len(p, insn->len) == insn->len;
}

/* Bytes of NOP instructions from @p on, at most @avail. */
static unsigned int padding_len(const u8 *p, u64 avail, int mode)
{
	struct ksplice_insn insn;
	unsigned int len = 0;

	while (len < avail && ksplice_insn_decode(p + len, (unsigned int)(avail - len), mode, &insn) &&
	       is_nop(p + len, &insn))
		len += insn.len;
	return len;
}

/* Padding in either copy where the two differ: skip all of it in both. */
static bool skip_padding(struct walk *w)
{
	unsigned int pre = padding_len(w->s->address + w->p, w->s->size - w->p, w->mode);
	unsigned int run = padding_len(w->run + w->r, w->run_len - w->r, w->mode);

	if (!add_edit(w, pre, run))
		return false;
	w->p += pre;
	w->r += run;
	return true;
}

static bool step(struct walk *w)
{
	const struct ksplice_site *site = site_at(w);
	struct ksplice_insn pre, run;
	const struct ksplice_reloc *r;
	u64 k = 0;

	if (site && w->r + site->len <= w->run_len &&
	    ksplice_site_accepts(site, site->address, site->replacement, w->run + w->r)) {
		w->p += site->len;
		w->r += site->len;
		return true;
	}
	if (!ksplice_insn_decode(w->s->address + w->p, (unsigned int)(w->s->size - w->p), w->mode,
				 &pre))
		return fail(w, "helper code that does not decode", 1);
	if (!ksplice_insn_decode(w->run + w->r, (unsigned int)(w->run_len - w->r), w->mode, &run))
		return fail(w, "running code that does not decode", pre.len);
	if (pre.branch && same_branch(&pre, &run)) {
		r = reloc_in(w, pre.len, &k);
		if (r && pre.imm_len == 4 && run.imm_len == 1 && pre.branch != KSPLICE_BRANCH_CALL)
			return relaxed_jump(w, &pre, &run, r);
		if (!r && local_branch(w, &pre, &run))
			return true;
		if (w->a->mismatch.reason)
			return false;
	}
	if ((pre.len != run.len || memcmp(w->s->address + w->p, w->run + w->r, pre.len)) &&
	    (is_nop(w->s->address + w->p, &pre) || is_nop(w->run + w->r, &run)))
		return skip_padding(w);
	if (pre.len != run.len)
		return fail(w, "bytes differ", pre.len);
	return same_insn(w, pre.len);
}

/* Every branch within the function lands on the same instruction in both copies. */
static bool local_targets_agree(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nr_branches; i++) {
		const struct local_branch *b = &w->branches[i];

		if (ksplice_layout_run_offset(w->a->edits, w->a->nr_edits, b->pre_target) ==
		    b->run_target)
			continue;
		w->p = b->pre_off;
		w->r = ksplice_layout_run_offset(w->a->edits, w->a->nr_edits, b->pre_off);
		return fail(w, "a branch within the function whose target differs", 2);
	}
	return true;
}

bool ksplice_match_by_insn(struct ksplice_matcher *m, const struct ksplice_section *s,
			   u64 cand, struct attempt *a, const u8 *run, u64 run_len)
{
	struct walk w = {
		.m = m, .s = s, .cand = cand, .a = a, .run = run, .run_len = run_len,
		.mode = m->helper->machine == KSPLICE_EM_386 ? KSPLICE_INSN_32 : KSPLICE_INSN_64,
	};
	bool ok = true;

	/* Every branch is at least 2 bytes long. */
	w.branches = ks_zalloc((s->size / 2 + 1) * sizeof(*w.branches));
	if (!w.branches)
		return fail(&w, "out of memory", 0);
	while (ok && w.p < s->size) {
		if (w.r >= run_len)
			ok = fail(&w, "running code shorter than the helper's", 0);
		else
			ok = step(&w);
	}
	ok = ok && local_targets_agree(&w);
	ks_free(w.branches);
	a->run_size = w.r;
	return ok;
}
