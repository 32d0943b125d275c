// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/module-helper.h"
#include "create/patch-options.h"
#include "create/module-special.h"
#include "create/reloc-types.h"

static void init_record(struct image_record_reloc *rec, const struct copy_piece *p,
			const struct elf_reloc *r, uint16_t machine)
{
	memset(rec, 0, sizeof(*rec));
	rec->site.sec = p->sec;
	rec->site.offset = r->offset - p->start;
	rec->type = r->type;
	rec->size = r->size;
	if (reloc_is_pc_relative(machine, r->type))
		rec->flags |= KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED;
	else if (machine == EM_X86_64 && r->type == R_X86_64_32S)
		rec->flags |= KSPLICE_RELOC_SIGNED;
}

/* The cold part of a pre function is matched along with it. */
static void add_cold_part(struct copy_set *cs, const struct module_input *in,
			  const struct target *t)
{
	if (t->unit && t->unit->kind == UNIT_FUNCTION &&
	    strstr(t->sym->name, ".cold"))
		copy_add_unit(cs, in->pre_idx, t->unit);
}

/* A place known only by section: copy it and match it as a section. */
static size_t anonymous_piece(struct copy_set *cs,
			      const struct module_input *in,
			      const struct target *t)
{
	struct copy_piece *p = copy_find(cs, t->sec, t->start);

	if (t->kind == TARGET_BLOB)
		return copy_add(cs, in->pre_idx, t->sec, t->start, t->end, NULL);
	if (p && p->start == 0 && p->end == t->sec->size)
		return p - cs->v;
	return copy_add(cs, in->pre_idx, t->sec, 0, t->sec->size, NULL);
}

/*
 * .altinstr_aux holds static_cpu_has()'s fallback test, reached only by
 * the original bytes of an alternative the kernel replaces while it boots
 * (the X86_FEATURE_ALWAYS half of ALTERNATIVE_TERNARY); vmlinux frees it
 * with the init memory. Nothing running refers to it, so there is nothing
 * to match: the jump into it is left out of the records, and the site's
 * bytes are matched as an alternative (its replacement runs).
 */
static bool boot_only_target(const struct target *t)
{
	return t->sec && !strcmp(t->sec->name, ".altinstr_aux");
}

/* The scope of symbol @sym of @in in the records (update-format.h). */
uint32_t helper_symbol_scope(const struct module_input *in,
			     const struct elf_symbol *sym)
{
	return sym->sec && sym->bind == STB_LOCAL ? in->scope : 0;
}

/*
 * An empty object (a section of size 0) has no bytes to match: the code
 * that refers to it is matched, and the reference binds its symbol like
 * any other (checked against kallsyms' addresses of that name).
 */
static int empty_object_target(const struct module_input *in, struct target *t,
			       struct ks_error *err)
{
	const struct elf_symbol *sym = empty_object_symbol(t);

	if (!target_is_empty_object(t))
		return 0;
	if (!sym)
		return ks_fail(err, "%s: code refers to the empty section %s, which has no symbol "
			       "to find it by in the running kernel", in->pre->path, t->sec->name);
	if (t->kind == TARGET_SECTION)
		t->delta -= (int64_t)sym->value;
	t->kind = TARGET_SYMBOL;
	t->sym = sym;
	t->unit = NULL;
	return 0;
}

/*
 * .BTF_ids holds zeros in the object (resolve_btfids fills the IDs in when
 * vmlinux is linked): code refers to a list there by its symbol, never by
 * the bytes of the object file.
 */
static int check_btf_ids_target(const struct module_input *in, const struct target *t,
				struct ks_error *err)
{
	if (t->kind != TARGET_SECTION || !t->sec ||
	    in->pre_idx->sections[t->sec->index].class.kind != SEC_BTF_IDS)
		return 0;
	return ks_fail(err, "%s: code refers to %s+0x%llx, where no BTF ID list starts",
		       in->pre->path, t->sec->name, (unsigned long long)t->delta);
}

static int record_reloc(struct copy_set *cs, const struct module_input *in,
			size_t piece, const struct elf_reloc *r, struct ks_error *err)
{
	const struct copy_piece *p = &cs->v[piece];
	int sec = p->sec;
	struct image_record_reloc rec;
	struct target t;
	char *string = NULL;
	size_t target;

	resolve_target(in->pre_idx, p->src, r, &t);
	if (boot_only_target(&t))
		return 0;
	if (empty_object_target(in, &t, err) || check_btf_ids_target(in, &t, err))
		return -1;
	init_record(&rec, p, r, in->pre->machine);
	p = NULL;	/* copying more pieces may move the array */
	switch (t.kind) {
	case TARGET_UNDEFINED:
	case TARGET_ABSOLUTE:
	case TARGET_SYMBOL:
		if (t.kind == TARGET_SYMBOL)
			add_cold_part(cs, in, &t);
		rec.target_kind = KSPLICE_TARGET_SYMBOL;
		rec.name = (char *)t.sym->name;
		rec.addend = t.delta;
		rec.scope = helper_symbol_scope(in, t.sym);
		break;
	case TARGET_CONST:
		rec.target_kind = KSPLICE_TARGET_CONST;
		rec.name = (char *)t.sec->data + t.start;
		rec.len = (uint32_t)(t.end - t.start);
		rec.addend = t.delta;
		if (!rec.len || rec.len > KSPLICE_MAX_CONST_LEN)
			return ks_fail(err, "%s: constant of %u bytes in %s: not a mergeable entry",
				       in->pre->path, rec.len, t.sec->name);
		break;
	case TARGET_STRING:
		string = strndup((const char *)t.sec->data + t.start,
				 t.end - t.start);
		rec.target_kind = KSPLICE_TARGET_STRING;
		rec.name = string;
		rec.addend = t.delta;
		break;
	default:
		target = anonymous_piece(cs, in, &t);
		rec.target_kind = KSPLICE_TARGET_SECTION;
		rec.section = (uint32_t)target;
		rec.addend = (t.kind == TARGET_SECTION ? t.delta
				: (int64_t)t.start + t.delta) -
			     (int64_t)cs->v[target].start;
		break;
	}
	image_add_record_reloc(cs->img, &rec);
	image_zero_field(cs->img, sec, rec.site.offset, r->size);
	free(string);
	return 0;
}

static struct module_input *input_of(struct module_input *ins, size_t nr_ins,
				     const struct copy_piece *p)
{
	size_t i;

	for (i = 0; i < nr_ins; i++)
		if (ins[i].pre_idx == p->idx)
			return &ins[i];
	return NULL;
}

static int process_piece(struct copy_set *cs, struct module_input *ins,
			 size_t nr_ins, size_t piece, struct ks_error *err)
{
	const struct module_input *in = input_of(ins, nr_ins, &cs->v[piece]);
	const struct elf_section *src = cs->v[piece].src;
	size_t k, first, n;

	cs->v[piece].done = true;
	n = relocs_in_range(src, cs->v[piece].start, cs->v[piece].end, &first);
	for (k = first; k < first + n; k++)
		if (record_reloc(cs, in, piece, &src->relocs[k], err))
			return -1;
	return 0;
}

/*
 * The data objects matched by content first: those the update rewrites in
 * place and those the patch asked to match early (patch-options.h).
 */
static int seed_data(struct copy_set *cs, const struct module_input *in,
		     struct ks_error *err)
{
	const struct diff_result *d = in->diff;
	struct patch_option *opts;
	long n = patch_options_find(in->post_idx, &opts, err), i;
	const struct unit *u;
	size_t k, piece;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (opts[i].kind != OPTION_MATCH_DATA_EARLY)
			continue;
		u = opts[i].unit->match;
		if (!u) {
			free(opts);
			return ks_fail(err, "%s: ksplice_match_data_early(%s): the unpatched "
				       "file has no such variable", in->post->path,
				       opts[i].unit->name);
		}
		piece = copy_add_unit(cs, in->pre_idx, u);	/* may move cs->v */
		cs->v[piece].early = true;
	}
	free(opts);
	for (k = 0; k < d->nr_data; k++) {
		if (!d->data[k].in_place)
			continue;
		u = module_input_unit(in->pre_idx, d->data[k].pre_name);
		if (!u)
			return ks_fail(err, "%s: no data found for %s", in->pre->path,
				       d->data[k].pre_name);
		piece = copy_add_unit(cs, in->pre_idx, u);
		cs->v[piece].early = true;
	}
	return 0;
}

static int seed(struct copy_set *cs, const struct module_input *in,
		struct ks_error *err)
{
	const struct diff_result *d = in->diff;
	size_t i;

	if (seed_data(cs, in, err))
		return -1;
	for (i = 0; i < d->nr_functions; i++) {
		const struct diff_item *it = &d->functions[i];
		struct unit *u;

		if (it->change == DIFF_NEW)
			continue;
		u = module_input_unit(in->pre_idx, it->pre_name);
		if (!u)
			return ks_fail(err, "%s: no code found for %s",
				       in->pre->path, it->pre_name);
		copy_add_unit(cs, in->pre_idx, u);
	}
	return 0;
}

/* A piece's symbol is scoped like a relocation's (update-format.h). */
static uint32_t piece_scope(struct module_input *ins, size_t nr_ins,
			    const struct copy_piece *p)
{
	const struct module_input *in = input_of(ins, nr_ins, p);

	if (!in)
		return 0;
	return p->unit && p->unit->sym ? helper_symbol_scope(in, p->unit->sym) : in->scope;
}

static void add_section_records(struct copy_set *cs, struct module_input *ins,
				size_t nr_ins)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		const struct copy_piece *p = &cs->v[i];
		struct image_record_section s = { 0 };

		s.start.sec = p->sec;
		s.size = p->end - p->start;
		s.symbol = (char *)(p->unit ? p->unit->name : p->src->name);
		s.flags = copy_record_flags(p);
		s.scope = piece_scope(ins, nr_ins, p);
		image_add_record_section(cs->img, &s);
	}
}

int helper_close(struct copy_set *cs, struct module_input *ins, size_t nr_ins,
		 struct ks_error *err)
{
	size_t i;

	for (i = 0; i < cs->n; i++)	/* cs->n grows as pieces are pulled in */
		if (!cs->v[i].done && process_piece(cs, ins, nr_ins, i, err))
			return -1;
	return 0;
}

int helper_select(struct copy_set *cs, struct module_input *ins,
		  size_t nr_ins, struct ks_error *err)
{
	size_t i;

	for (i = 0; i < nr_ins; i++)
		if (seed(cs, &ins[i], err))
			return -1;
	return helper_close(cs, ins, nr_ins, err);
}

void helper_finish(struct copy_set *cs, struct module_input *ins, size_t nr_ins)
{
	size_t i;

	add_section_records(cs, ins, nr_ins);
	for (i = 0; i < nr_ins; i++)
		special_helper_sites(cs, &ins[i]);
}

long helper_section_of(const struct copy_set *cs,
		       const struct module_input *in, const char *name)
{
	const struct unit *u = module_input_unit(in->pre_idx, name);
	size_t i;

	for (i = 0; u && i < cs->n; i++)
		if (cs->v[i].unit == u)
			return (long)i;
	return -1;
}
