// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/module-helper.h"
#include "create/module-witness.h"
#include "create/symbol-names.h"
#include "create/system-map.h"

/* Does a helper record or section already bind @in's local @name? */
static bool bound_by_helper(const struct copy_set *cs, const struct module_input *in,
			    const char *name)
{
	uint32_t scope = in->scope;
	const struct module_image *img = cs->img;
	size_t i;

	for (i = 0; i < img->nr_relocs; i++)
		if (img->relocs[i].target_kind == KSPLICE_TARGET_SYMBOL &&
		    img->relocs[i].scope == scope && !strcmp(img->relocs[i].name, name))
			return true;
	for (i = 0; i < cs->n; i++) {
		const struct copy_piece *p = &cs->v[i];

		if (p->idx == in->pre_idx && p->unit && p->unit->sym &&
		    p->unit->sym->bind == STB_LOCAL && !strcmp(p->unit->name, name))
			return true;
	}
	return false;
}

/* Does function unit @u of @idx refer to symbol @name? */
static bool refers_to(const struct object_index *idx, const struct unit *u, const char *name)
{
	size_t first, n = relocs_in_range(u->sec, u->start, u->end, &first), k;

	for (k = first; k < first + n; k++) {
		struct target t;
		const struct elf_symbol *s;

		resolve_target(idx, u->sec, &u->sec->relocs[k], &t);
		s = target_is_empty_object(&t) ? empty_object_symbol(&t)
					       : t.kind == TARGET_SYMBOL ? t.sym : NULL;
		if (s && !strcmp(s->name, name))
			return true;
	}
	return false;
}

/*
 * An unchanged function of @in's pre object that refers to @name: a
 * global one first (its own name is unique in the kernel), then a static
 * one, never __init code (freed) or a cold part alone.
 */
static const struct unit *find_witness(const struct module_input *in, const char *name)
{
	const struct object_index *idx = in->pre_idx;
	const struct unit *local = NULL;
	size_t i;

	for (i = 0; i < idx->nr_units; i++) {
		const struct unit *u = idx->units[i];

		if (u->kind != UNIT_FUNCTION || u->init || !u->sym ||
		    !(u->sec->flags & SHF_EXECINSTR) || strstr(u->name, ".cold") ||
		    !refers_to(idx, u, name))
			continue;
		if (u->sym->bind != STB_LOCAL)
			return u;
		if (!local)
			local = u;
	}
	return local;
}

static bool compiler_numbered(const char *name)
{
	char *base = symbol_numbered_base(name);
	bool numbered = base != NULL;

	free(base);
	return numbered;
}

static int witness_for(struct copy_set *cs, struct module_input *in, const char *name,
		       const char *system_map, struct ks_error *err)
{
	const struct unit *w = find_witness(in, name);
	long n;
	size_t piece;

	if (w) {
		piece = copy_add_unit(cs, in->pre_idx, w);
		cs->v[piece].witness = !cs->v[piece].done;
		return 0;
	}
	if (!compiler_numbered(name)) {
		/* a unique name still works; without a map, apply says if not */
		n = system_map ? system_map_count(system_map, name) : -1;
		if (n <= 1)
			return 0;
		return ks_fail(err, "%s: the new code refers to %s, a local symbol that no "
			       "unchanged code of this object refers to, and the target kernel "
			       "has %ld symbols of that name (%s): matching cannot tell which it is",
			       in->pre->path, name, n, system_map);
	}
	return ks_fail(err, "%s: the new code refers to %s, a function-local static of the "
		       "running kernel that no unchanged code of this object refers to, so "
		       "matching cannot tell which of the running kernel's symbols named %s "
		       "it is", in->pre->path, name, name);
}

int helper_add_witnesses(struct copy_set *cs, struct module_input *ins, size_t nr_ins,
			 const struct module_image *primary, const char *system_map,
			 struct ks_error *err)
{
	size_t i;

	for (i = 0; i < primary->nr_relocs; i++) {
		const struct image_record_reloc *r = &primary->relocs[i];

		if (r->target_kind != KSPLICE_TARGET_SYMBOL || !r->scope ||
		    r->scope > nr_ins || (r->flags & KSPLICE_RELOC_AT_LOAD) ||
		    bound_by_helper(cs, &ins[r->scope - 1], r->name))
			continue;
		if (witness_for(cs, &ins[r->scope - 1], r->name, system_map, err))
			return -1;
		if (helper_close(cs, ins, nr_ins, err))
			return -1;
	}
	return 0;
}
