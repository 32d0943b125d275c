// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "core/ksplice-api.h"
#include "create/module-select.h"
#include "create/btf-ids.h"
#include "create/identity-free.h"
#include "create/module-special.h"
#include "create/reloc-types.h"

const struct symvers_entry *primary_export(const struct primary_ctx *ctx,
					   const char *name)
{
	return symvers_find(ctx->sv, name);
}

/* The running kernel's name for post symbol @sym (its pre twin's). */
static const char *running_name(const struct module_input *in,
				const struct elf_symbol *sym)
{
	const struct elf_symbol *pre = in->post_idx->symbols[sym->index].match;

	return pre ? pre->name : NULL;
}

/*
 * A symbol the running kernel does not have (new), the cold part of a
 * function (it jumps back into its hot part, so it goes with it), a
 * dynamic-debug descriptor (its static key must be ours for the loader),
 * or an object whose identity nothing can observe (identity-free.h).
 */
static bool must_copy(const struct module_input *in,
		      const struct elf_symbol *sym)
{
	if (!running_name(in, sym))
		return true;
	if (sym->type == STT_FUNC && strstr(sym->name, ".cold"))
		return true;
	if (identity_free(sym))
		return true;
	return !strcmp(sym->sec->name, "__dyndbg");
}

/* ksplice.ko's exports for patches (shadow data): the stand-in has them. */
static bool ksplice_export(const char *name)
{
	static const char *const names[] = { KSPLICE_PATCH_EXPORTS };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* @scope: 0 for a global name, else the object's (update-format.h). */
static void link_by_name(struct primary_ctx *ctx, const char *name,
			 uint32_t scope, int64_t addend, struct link *l)
{
	bool global = !scope;
	const struct symvers_entry *e = global ? primary_export(ctx, name)
					       : NULL;

	l->kind = e || (global && ksplice_export(name)) ? LINK_LOADER : LINK_RECORD;
	l->name = name;
	l->addend = addend;
	l->scope = scope;
	l->ns = e && e->ns[0] ? e->ns : NULL;
}

/*
 * An empty object (a section of size 0: struct lock_class_key without
 * LOCKDEP, say) holds nothing, so no code can tell one from another: the
 * new code gets an empty piece of its own instead of the running kernel's,
 * whose name may be one of hundreds (__key.N).
 */
static void link_empty_object(struct primary_ctx *ctx, const struct module_input *in,
			      const struct target *t, struct link *l)
{
	int64_t place = t->kind == TARGET_SECTION ? t->delta
						  : (int64_t)t->sym->value + t->delta;

	l->kind = LINK_IMAGE;
	l->piece = copy_add(&ctx->cs, in->post_idx, t->sec, 0, 0, NULL);
	l->addend = place;
}

/* The records that have ksplice.ko fill in list @l, copied as piece @i. */
static void record_btf_list(struct primary_ctx *ctx, const struct elf_section *sec,
			    const struct btf_ids_list *l, size_t i)
{
	struct image_record_reloc rec;
	unsigned int kind;
	size_t k;

	for (k = 0; k < sec->nr_syms; k++) {
		const struct elf_symbol *s = sec->syms[k];
		char *type;

		if (s->value < l->start || s->value >= l->end)
			continue;
		type = btf_ids_entry_type(s->name, &kind);
		if (!type)
			continue;	/* the list's own symbols (the diff refused other kinds) */
		memset(&rec, 0, sizeof(rec));
		rec.site.sec = ctx->cs.v[i].sec;
		rec.site.offset = s->value - l->start;
		rec.name = type;
		rec.size = 4;
		rec.target_kind = KSPLICE_TARGET_BTF_ID;
		rec.len = kind;
		image_add_record_reloc(ctx->cs.img, &rec);
		free(type);
	}
	if (!l->set_width)
		return;
	memset(&rec, 0, sizeof(rec));
	rec.site.sec = ctx->cs.v[i].sec;
	rec.name = (char *)l->name;
	rec.addend = (int64_t)l->set_count;
	rec.size = 4;
	rec.target_kind = KSPLICE_TARGET_BTF_SET;
	rec.len = l->set_width;
	image_add_record_reloc(ctx->cs.img, &rec);
}

/*
 * .BTF_ids holds zeros until resolve_btfids fills it in (btf-ids.h). An
 * unchanged list is the running kernel's; a new or changed one is copied,
 * once, with the records that fill it in.
 */
static int link_btf_ids(struct primary_ctx *ctx, const struct module_input *in,
			const struct target *t, struct link *l)
{
	const struct elf_section *pre = elf_object_find_section(in->pre, BTF_IDS_SECTION);
	struct btf_ids_list list;
	const char *name;
	size_t i, n = ctx->cs.n;

	if (t->kind == TARGET_SYMBOL && btf_ids_list_at(t->sec, t->sym->value, &list) &&
	    btf_ids_list_changed(pre, t->sec, &list)) {
		i = copy_add(&ctx->cs, in->post_idx, t->sec, list.start, list.end, NULL);
		if (ctx->cs.n > n)
			record_btf_list(ctx, t->sec, &list, i);
		l->kind = LINK_IMAGE;
		l->piece = i;
		l->addend = (int64_t)(t->sym->value - list.start) + t->delta;
		return 0;
	}
	name = t->kind == TARGET_SYMBOL ? running_name(in, t->sym) : NULL;
	if (!name)
		return ks_fail(ctx->err, "%s: new code refers to %s+0x%llx, which is no BTF ID "
			       "list of the running kernel", in->post->path, t->sec->name,
			       (unsigned long long)t->delta);
	link_by_name(ctx, name, t->sym->bind == STB_LOCAL ? in->scope : 0, t->delta, l);
	return 0;
}

static bool in_btf_ids(const struct module_input *in, const struct target *t)
{
	return t->sec && in->post_idx->sections[t->sec->index].class.kind == SEC_BTF_IDS;
}

static int link_symbol(struct primary_ctx *ctx, const struct module_input *in,
		       const struct target *t, struct link *l)
{
	const struct elf_symbol *sym = t->sym;
	struct copy_piece *p;
	size_t i;

	p = t->unit ? copy_find_unit(&ctx->cs, t->unit)
		    : copy_find(&ctx->cs, sym->sec, sym->value);
	if (p && p->in_place)
		p = NULL;	/* the new bytes of the running object: use that one */
	if (p) {
		i = p - ctx->cs.v;
	} else if (must_copy(in, sym)) {
		if (t->unit)
			i = copy_add_unit(&ctx->cs, in->post_idx, t->unit);
		else if (sym->size)
			i = copy_add(&ctx->cs, in->post_idx, sym->sec,
				     sym->value, sym->value + sym->size, NULL);
		else
			return ks_fail(ctx->err, "%s: cannot tell the extent of %s in %s",
				       in->post->path, sym->name, sym->sec->name);
	} else {
		link_by_name(ctx, running_name(in, sym),
			     sym->bind == STB_LOCAL ? in->scope : 0, t->delta, l);
		return 0;
	}
	l->kind = LINK_IMAGE;
	l->piece = i;
	l->addend = (int64_t)(sym->value - ctx->cs.v[i].start) + t->delta;
	return 0;
}

/* Strings, constants, replacement code, anonymous data: copied. */
static int link_anonymous(struct primary_ctx *ctx,
			  const struct module_input *in,
			  const struct target *t, struct link *l)
{
	int64_t place = t->kind == TARGET_SECTION ? t->delta
						  : (int64_t)t->start + t->delta;
	struct copy_piece *p = copy_find(&ctx->cs, t->sec, t->start);
	size_t i;

	if (t->kind == TARGET_BLOB)
		i = copy_add(&ctx->cs, in->post_idx, t->sec, t->start, t->end,
			     NULL);
	else if (p && p->start == 0 && p->end == t->sec->size)
		i = p - ctx->cs.v;
	else
		i = copy_add(&ctx->cs, in->post_idx, t->sec, 0, t->sec->size,
			     NULL);
	l->kind = LINK_IMAGE;
	l->piece = i;
	l->addend = place - (int64_t)ctx->cs.v[i].start;
	return 0;
}

int primary_resolve(struct primary_ctx *ctx, const struct module_input *in,
		    const struct elf_section *from, const struct elf_reloc *r,
		    struct link *l)
{
	struct target t;

	memset(l, 0, sizeof(*l));
	resolve_target(in->post_idx, from, r, &t);
	if (target_is_empty_object(&t)) {
		link_empty_object(ctx, in, &t, l);
		return 0;
	}
	if (in_btf_ids(in, &t))
		return link_btf_ids(ctx, in, &t, l);
	switch (t.kind) {
	case TARGET_UNDEFINED:
		link_by_name(ctx, r->sym->name, 0, r->addend, l);
		return 0;
	case TARGET_ABSOLUTE:
		return ks_fail(ctx->err, "%s: %s+0x%llx refers to absolute symbol %s",
			       in->post->path, from->name,
			       (unsigned long long)r->offset, r->sym->name);
	case TARGET_SYMBOL:
		return link_symbol(ctx, in, &t, l);
	default:
		return link_anonymous(ctx, in, &t, l);
	}
}

static bool reloc_is_signed(uint16_t machine, uint32_t type)
{
	return reloc_is_pc_relative(machine, type) ||
	       (machine == EM_X86_64 && type == R_X86_64_32S);
}

void primary_emit(struct primary_ctx *ctx, const struct elf_reloc *r, int sec,
		  uint64_t off, const struct link *l)
{
	struct module_image *img = ctx->cs.img;
	struct image_record_reloc rec;
	struct image_reloc ir;

	image_zero_field(img, sec, off, r->size);
	if (l->kind == LINK_RECORD) {
		memset(&rec, 0, sizeof(rec));
		rec.site.sec = sec;
		rec.site.offset = off;
		rec.name = (char *)l->name;
		rec.addend = l->addend;
		rec.type = r->type;
		rec.size = r->size;
		rec.target_kind = KSPLICE_TARGET_SYMBOL;
		rec.scope = l->scope;
		if (reloc_is_pc_relative(img->machine, r->type))
			rec.flags |= KSPLICE_RELOC_PCREL;
		if (reloc_is_signed(img->machine, r->type))
			rec.flags |= KSPLICE_RELOC_SIGNED;
		if (l->at_load)
			rec.flags |= KSPLICE_RELOC_AT_LOAD;
		image_add_record_reloc(img, &rec);
		return;
	}
	memset(&ir, 0, sizeof(ir));
	ir.offset = off;
	ir.type = r->type;
	ir.addend = l->addend;
	if (l->kind == LINK_IMAGE) {
		ir.target = ctx->cs.v[l->piece].sec;
	} else {
		ir.target = -1;
		ir.symbol = (char *)l->name;
		if (l->ns)
			image_add_namespace(img, l->ns);
	}
	image_add_reloc(img, sec, &ir);
}

static int process_piece(struct primary_ctx *ctx, struct module_input *ins,
			 size_t nr_ins, size_t i)
{
	const struct module_input *in = NULL;
	struct copy_piece p = ctx->cs.v[i];
	size_t k, first, n;
	struct link l;

	for (k = 0; k < nr_ins; k++)
		if (ins[k].post_idx == p.idx)
			in = &ins[k];
	ctx->cs.v[i].done = true;
	n = relocs_in_range(p.src, p.start, p.end, &first);
	for (k = first; k < first + n; k++) {
		const struct elf_reloc *r = &p.src->relocs[k];

		if (primary_resolve(ctx, in, p.src, r, &l))
			return -1;
		primary_emit(ctx, r, p.sec, r->offset - p.start, &l);
	}
	return 0;
}

static int seed(struct primary_ctx *ctx, struct module_input *in)
{
	const struct diff_result *d = in->diff;
	size_t i, piece;

	for (i = 0; i < d->nr_functions + d->nr_data; i++) {
		const struct diff_item *it = i < d->nr_functions
			? &d->functions[i] : &d->data[i - d->nr_functions];
		struct unit *u;

		if (it->change == DIFF_DELETED ||
		    (it->kind == DIFF_DATA && it->change != DIFF_NEW && !it->in_place))
			continue;
		u = module_input_unit(in->post_idx, it->post_name);
		if (!u)
			return ks_fail(ctx->err, "%s: no code or data found for %s",
				       in->post->path, it->post_name);
		piece = copy_add_unit(&ctx->cs, in->post_idx, u);	/* may move cs.v */
		ctx->cs.v[piece].in_place = it->in_place;
	}
	return 0;
}

/* Process copied pieces until nothing new is pulled in. */
static int close_pieces(struct primary_ctx *ctx, struct module_input *ins,
			size_t nr_ins, bool *progress)
{
	size_t i;

	for (i = 0; i < ctx->cs.n; i++) {
		if (ctx->cs.v[i].done)
			continue;
		*progress = true;
		if (process_piece(ctx, ins, nr_ins, i))
			return -1;
	}
	return 0;
}

int primary_select(struct primary_ctx *ctx, struct module_input *ins,
		   size_t nr_ins)
{
	bool progress = true;
	size_t i;

	for (i = 0; i < nr_ins; i++)
		if (seed(ctx, &ins[i]))
			return -1;
	while (progress) {
		progress = false;
		if (close_pieces(ctx, ins, nr_ins, &progress))
			return -1;
		for (i = 0; i < nr_ins; i++) {
			int n = special_select_entries(ctx, &ins[i]);

			if (n < 0)
				return -1;
			progress |= n > 0;
		}
	}
	return special_check_replacements(ctx);
}
