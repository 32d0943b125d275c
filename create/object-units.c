// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/btf-ids.h"
#include "create/insn-tail.h"
#include "create/object-units.h"
#include "create/reloc-types.h"
#include "create/symbol-names.h"

size_t relocs_in_range(const struct elf_section *sec, uint64_t start,
		       uint64_t end, size_t *first)
{
	size_t lo = 0, hi = sec->nr_relocs, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sec->relocs[mid].offset < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < sec->nr_relocs && sec->relocs[lo + n].offset < end)
		n++;
	return n;
}

static bool is_unit_section(enum section_kind kind)
{
	return kind == SEC_TEXT || kind == SEC_DATA || kind == SEC_INIT ||
	       kind == SEC_EXPORT || kind == SEC_PARAM;
}

static enum unit_kind unit_kind_of(const struct elf_section *sec,
				   enum section_kind kind)
{
	switch (kind) {
	case SEC_EXPORT:
		return UNIT_EXPORT;
	case SEC_PARAM:
		return UNIT_PARAM;
	case SEC_TEXT:
		return UNIT_FUNCTION;
	default:
		return (sec->flags & SHF_EXECINSTR) ? UNIT_FUNCTION : UNIT_DATA;
	}
}

/* Of several symbols at one address, the one that names the unit. */
static bool better_primary(const struct elf_symbol *a,
			   const struct elf_symbol *b)
{
	bool a_global = a->bind != STB_LOCAL, b_global = b->bind != STB_LOCAL;
	bool a_typed = a->type == STT_FUNC || a->type == STT_OBJECT;
	bool b_typed = b->type == STT_FUNC || b->type == STT_OBJECT;

	if (a_global != b_global)
		return a_global;
	if (a_typed != b_typed)
		return a_typed;
	return a->index < b->index;
}

static void add_unit(struct object_index *idx, struct elf_section *sec,
		     struct elf_symbol *sym, uint64_t start, uint64_t end)
{
	struct section_info *si = &idx->sections[sec->index];
	struct unit *u = xcalloc(1, sizeof(*u));

	u->kind = unit_kind_of(sec, si->class.kind);
	u->init = si->class.kind == SEC_INIT;
	u->sec = sec;
	u->sym = sym;
	u->start = start;
	u->end = end;
	u->name = sym ? sym->name : sec->name;
	u->canonical = sym ? symbol_canonical_name(sym->name)
			   : xasprintf("section %s", sec->name);
	idx->units = xrealloc(idx->units, (idx->nr_units + 1) * sizeof(u));
	idx->units[idx->nr_units++] = u;
	si->units = xrealloc(si->units, (si->nr_units + 1) * sizeof(u));
	si->units[si->nr_units++] = u;
}

/*
 * Cut @sec at its symbols. Returns false if it has no symbols (the caller
 * decides what a symbol-less section is).
 */
static bool split_section_into_units(struct object_index *idx,
				     struct elf_section *sec)
{
	size_t i = 0;

	if (!sec->nr_syms || sec->syms[0]->value >= sec->size)
		return false;
	if (sec->syms[0]->value > 0)
		add_unit(idx, sec, NULL, 0, sec->syms[0]->value);
	while (i < sec->nr_syms && sec->syms[i]->value < sec->size) {
		struct elf_symbol *primary = sec->syms[i];
		uint64_t start = primary->value, end = sec->size;
		size_t j = i + 1;

		for (; j < sec->nr_syms && sec->syms[j]->value == start; j++)
			if (better_primary(sec->syms[j], primary))
				primary = sec->syms[j];
		if (j < sec->nr_syms && sec->syms[j]->value < sec->size)
			end = sec->syms[j]->value;
		add_unit(idx, sec, primary, start, end);
		for (; i < j; i++)
			idx->symbols[sec->syms[i]->index].unit =
				idx->units[idx->nr_units - 1];
	}
	return true;
}

static void build_units(struct object_index *idx)
{
	const struct elf_object *obj = idx->obj;
	size_t i;

	for (i = 0; i < obj->nr_sections; i++) {
		struct elf_section *sec = &obj->sections[i];
		struct section_info *si = &idx->sections[i];
		enum section_kind kind = si->class.kind;

		if (kind == SEC_STRINGS || kind == SEC_CONSTS ||
		    kind == SEC_CODE_BLOB)
			si->content_compared = true;
		if (!is_unit_section(kind) || !sec->size)
			continue;
		if (split_section_into_units(idx, sec))
			continue;
		/* Anonymous data (jump tables, compound literals): by content. */
		if (unit_kind_of(sec, kind) == UNIT_DATA)
			si->content_compared = true;
		else
			add_unit(idx, sec, NULL, 0, sec->size);
	}
}

static int64_t reloc_bias(const struct elf_object *obj,
			  const struct elf_section *from,
			  const struct elf_reloc *r)
{
	/*
	 * A pc-relative field in code counts from the end of its instruction
	 * (lea/mov/call/jmp to another section), so the place meant is
	 * S + A + size, plus an immediate operand that follows a RIP-relative
	 * displacement (insn-tail.h). In data (".long target - .") it is S + A.
	 */
	if (!(from->flags & SHF_EXECINSTR) ||
	    !reloc_is_pc_relative(obj->machine, r->type))
		return 0;
	if (obj->machine == EM_X86_64 && r->size == 4)
		return r->size + x86_64_immediate_after_disp32(from->data,
							       from->size,
							       r->offset);
	return r->size;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Blobs are cut at every place something references. */
static void collect_blob_starts(struct object_index *idx)
{
	const struct elf_object *obj = idx->obj;
	size_t i, k;

	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *from = &obj->sections[i];

		if (idx->sections[i].class.kind == SEC_META ||
		    idx->sections[i].class.kind == SEC_HOOK)
			continue;
		for (k = 0; k < from->nr_relocs; k++) {
			const struct elf_reloc *r = &from->relocs[k];
			const struct elf_section *to = r->sym->sec;
			struct section_info *si;
			int64_t p;

			if (!to)
				continue;
			si = &idx->sections[to->index];
			if (!si->content_compared || si->class.kind == SEC_STRINGS ||
			    si->class.kind == SEC_CONSTS)
				continue;
			p = r->sym->value + r->addend + reloc_bias(obj, from, r);
			if (p < 0 || (uint64_t)p >= to->size)
				continue;
			si->blob_starts = xrealloc(si->blob_starts,
						   (si->nr_blob_starts + 1) * 8);
			si->blob_starts[si->nr_blob_starts++] = p;
		}
	}
	for (i = 0; i < obj->nr_sections; i++) {
		struct section_info *si = &idx->sections[i];
		size_t n = 0;

		if (si->nr_blob_starts > 1)
			qsort(si->blob_starts, si->nr_blob_starts, 8, compare_u64);
		for (k = 0; k < si->nr_blob_starts; k++)
			if (!n || si->blob_starts[n - 1] != si->blob_starts[k])
				si->blob_starts[n++] = si->blob_starts[k];
		si->nr_blob_starts = n;
	}
}

static struct unit *unit_at(const struct section_info *si, uint64_t p)
{
	size_t lo = 0, hi = si->nr_units;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (si->units[mid]->start <= p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? si->units[lo - 1] : NULL;
}

const struct unit *object_unit_containing(const struct object_index *idx,
					  const struct elf_section *sec, uint64_t offset)
{
	const struct unit *u = unit_at(&idx->sections[sec->index], offset);

	return u && offset < u->end ? u : NULL;
}

/* The named symbol at or before @p in @sec (for places inside tables). */
static struct elf_symbol *symbol_at(const struct elf_section *sec, uint64_t p)
{
	struct elf_symbol *best = NULL;
	size_t i;

	for (i = 0; i < sec->nr_syms && sec->syms[i]->value <= p; i++)
		best = sec->syms[i];
	return best;
}

/*
 * The BTF ID list @p lies in: the last list symbol (BTF_ID_LIST,
 * BTF_SET_START, ...: every name but the per-ID __BTF_ID__KIND__NAME__N)
 * at or before @p. The IDs' names carry __COUNTER__ and __LINE__, the
 * lists' names do not.
 */
static const struct elf_symbol *btf_list_at(const struct elf_section *sec, uint64_t p)
{
	const struct elf_symbol *best = NULL;
	size_t i;

	for (i = 0; i < sec->nr_syms && sec->syms[i]->value <= p; i++) {
		const struct elf_symbol *s = sec->syms[i];

		if (btf_ids_is_entry_name(s->name))
			continue;
		/* at one place, the list's own name over a set's __BTF_ID__set__ header */
		if (!best || s->value > best->value ||
		    (s->value == best->value && !strncmp(best->name, "__BTF_ID__", 10)))
			best = s;
	}
	return best;
}

static void resolve_string(const struct elf_section *sec, uint64_t p,
			   struct target *t)
{
	uint64_t start = p, end = p;

	while (start > 0 && sec->data[start - 1] != '\0')
		start--;
	while (end < sec->size && sec->data[end] != '\0')
		end++;
	t->kind = TARGET_STRING;
	t->start = start;
	t->end = end;	/* the NUL is implied */
}

static void resolve_const(const struct elf_section *sec, uint64_t p,
			  struct target *t)
{
	uint64_t size = sec->entsize ? sec->entsize : sec->size;

	t->kind = TARGET_CONST;
	t->start = p - p % size;
	t->end = t->start + size <= sec->size ? t->start + size : sec->size;
}

static void resolve_blob(const struct section_info *si,
			 const struct elf_section *sec, uint64_t p,
			 struct target *t)
{
	size_t i;

	t->kind = TARGET_BLOB;
	t->start = p;
	t->end = sec->size;
	for (i = 0; i < si->nr_blob_starts; i++) {
		if (si->blob_starts[i] > p) {
			t->end = si->blob_starts[i];
			break;
		}
	}
}

/*
 * struct alt_instr { s32 instr, repl; u16 cpuid; u8 instrlen, replen; }
 * (12 bytes on x86-64 and i386): an entry whose replacement is empty (the
 * "" of ALTERNATIVE_2 / ALTERNATIVE_TERNARY) points at the end of the
 * previous replacement, which may be the end of .altinstr_replacement or
 * another alternative's bytes. It refers to no bytes at all.
 */
#define ALT_ENTRY_SIZE 12
#define ALT_REPL_OFFSET 4
#define ALT_REPLLEN_OFFSET 11

static bool is_empty_replacement(const struct elf_section *from,
				 const struct elf_reloc *r)
{
	uint64_t entry = r->offset - r->offset % ALT_ENTRY_SIZE;

	return !strcmp(from->name, ".altinstructions") && from->data &&
	       r->offset % ALT_ENTRY_SIZE == ALT_REPL_OFFSET &&
	       entry + ALT_ENTRY_SIZE <= from->size &&
	       from->data[entry + ALT_REPLLEN_OFFSET] == 0;
}

void resolve_target(const struct object_index *idx,
		    const struct elf_section *from, const struct elf_reloc *r,
		    struct target *t)
{
	const struct elf_symbol *sym = r->sym;
	const struct elf_section *sec = sym->sec;
	const struct section_info *si;
	int64_t place;

	memset(t, 0, sizeof(*t));
	t->sym = sym;
	t->delta = r->addend;
	if (!sec) {
		t->kind = sym->shndx == SHN_UNDEF ? TARGET_UNDEFINED
						  : TARGET_ABSOLUTE;
		return;
	}
	si = &idx->sections[sec->index];
	t->sec = sec;
	place = sym->value + r->addend;
	t->delta = place;
	if (si->content_compared) {
		int64_t p = place + reloc_bias(idx->obj, from, r);

		if (p >= 0 && (uint64_t)p <= sec->size && sec->data &&
		    is_empty_replacement(from, r)) {
			t->kind = TARGET_BLOB;
			t->start = t->end = p;
			t->delta = place - p;
			return;
		}
		if (p < 0 || (uint64_t)p >= sec->size || !sec->data) {
			t->kind = TARGET_SECTION;
			return;
		}
		if (si->class.kind == SEC_STRINGS)
			resolve_string(sec, p, t);
		else if (si->class.kind == SEC_CONSTS)
			resolve_const(sec, p, t);
		else
			resolve_blob(si, sec, p, t);
		t->delta = place - (int64_t)t->start;
		return;
	}
	if (elf_symbol_is_named(sym)) {
		t->kind = TARGET_SYMBOL;
		t->delta = r->addend;
		t->unit = idx->symbols[sym->index].unit;
		return;
	}
	place += reloc_bias(idx->obj, from, r);
	if (si->class.kind == SEC_BTF_IDS && place >= 0) {
		const struct elf_symbol *s = btf_list_at(sec, place);

		if (s) {
			t->kind = TARGET_SYMBOL;
			t->sym = s;
			t->delta = sym->value + r->addend - s->value;
			return;
		}
	}
	if (si->nr_units) {
		t->unit = place >= 0 ? unit_at(si, place) : si->units[0];
		if (t->unit && t->unit->sym) {
			t->kind = TARGET_SYMBOL;
			t->sym = t->unit->sym;
			t->delta = sym->value + r->addend - t->sym->value;
			return;
		}
	} else if (si->class.kind == SEC_TABLE && place >= 0) {
		const struct elf_symbol *s = symbol_at(sec, place);

		if (s) {
			t->kind = TARGET_SYMBOL;
			t->sym = s;
			t->delta = sym->value + r->addend - s->value;
			return;
		}
	}
	t->kind = TARGET_SECTION;
}

const struct elf_symbol *reloc_object(const struct object_index *idx,
				      const struct elf_section *from,
				      const struct elf_reloc *r,
				      const struct target *t)
{
	int64_t place;
	size_t i;

	if (t->kind == TARGET_SYMBOL)
		return t->sym;
	if (t->kind != TARGET_SECTION || !t->sec ||
	    idx->sections[t->sec->index].nr_units)
		return NULL;
	place = t->delta + reloc_bias(idx->obj, from, r);
	for (i = 0; i < t->sec->nr_syms; i++)
		if ((int64_t)t->sec->syms[i]->value == place)
			return t->sec->syms[i];
	return NULL;
}

bool target_is_empty_object(const struct target *t)
{
	return t->sec && t->sec->size == 0 &&
	       (t->kind == TARGET_SECTION || t->kind == TARGET_SYMBOL);
}

const struct elf_symbol *empty_object_symbol(const struct target *t)
{
	if (!target_is_empty_object(t))
		return NULL;
	if (t->kind == TARGET_SYMBOL)
		return t->sym;
	return t->sec->nr_syms ? t->sec->syms[0] : NULL;
}

static void add_entry(struct object_index *idx, struct elf_section *sec,
		      struct elf_symbol *sym, uint64_t start, uint64_t end)
{
	struct table_entry *e = xcalloc(1, sizeof(*e));

	e->sec = sec;
	e->sym = sym;
	e->start = start;
	e->end = end;
	e->line_offset = idx->sections[sec->index].class.line_offset;
	e->line_bits = idx->sections[sec->index].class.line_bits;
	idx->entries = xrealloc(idx->entries,
				(idx->nr_entries + 1) * sizeof(e));
	idx->entries[idx->nr_entries++] = e;
}

static int split_table(struct object_index *idx, struct elf_section *sec,
		       struct ks_error *err)
{
	unsigned int entsize = idx->sections[sec->index].class.entsize;
	uint64_t off;
	size_t i;

	if (entsize) {
		if (sec->size % entsize)
			return ks_fail(err,
				       "%s: table %s has size %llu, not a multiple of its entry size %u",
				       idx->obj->path, sec->name,
				       (unsigned long long)sec->size, entsize);
		for (off = 0; off < sec->size; off += entsize)
			add_entry(idx, sec, NULL, off, off + entsize);
		return 0;
	}
	if (!sec->nr_syms || sec->syms[0]->value > 0)
		add_entry(idx, sec, NULL, 0,
			  sec->nr_syms ? sec->syms[0]->value : sec->size);
	for (i = 0; i < sec->nr_syms; i++) {
		uint64_t start = sec->syms[i]->value, end = sec->size;
		size_t j = i + 1;

		while (j < sec->nr_syms && sec->syms[j]->value == start)
			j++;
		if (j < sec->nr_syms)
			end = sec->syms[j]->value;
		if (start < end)
			add_entry(idx, sec, sec->syms[i], start, end);
		i = j - 1;
	}
	return 0;
}

static int build_table_entries(struct object_index *idx, struct ks_error *err)
{
	const struct elf_object *obj = idx->obj;
	size_t i;

	for (i = 0; i < obj->nr_sections; i++) {
		struct elf_section *sec = &obj->sections[i];

		if (idx->sections[i].class.kind == SEC_TABLE && sec->size &&
		    split_table(idx, sec, err))
			return -1;
	}
	return 0;
}

static void note_referrer(struct object_index *idx, struct unit *fn,
			  const struct elf_symbol *object)
{
	struct symbol_info *si;

	if (!object)
		return;
	si = &idx->symbols[object->index];
	if (!si->referrer || strcmp(fn->canonical, si->referrer->canonical) < 0)
		si->referrer = fn;
}

static void number_locals_of(struct object_index *idx, struct unit *fn)
{
	size_t first, n, k;

	n = relocs_in_range(fn->sec, fn->start, fn->end, &first);
	for (k = first; k < first + n; k++) {
		const struct elf_reloc *r = &fn->sec->relocs[k];
		const struct elf_symbol *object;
		struct symbol_info *si;
		struct target t;
		size_t s;
		int count = 0;

		resolve_target(idx, fn->sec, r, &t);
		object = reloc_object(idx, fn->sec, r, &t);
		if (!object)
			continue;
		si = &idx->symbols[object->index];
		if (!si->numbered_base || si->referrer != fn || si->ordinal >= 0)
			continue;
		for (s = 0; s < idx->obj->nr_symbols; s++) {
			struct symbol_info *o = &idx->symbols[s];

			if (o->referrer == fn && o->ordinal >= 0 &&
			    !strcmp(o->numbered_base, si->numbered_base))
				count++;
		}
		si->ordinal = count;
	}
}

/*
 * Static locals get their numbers from GCC's processing order, so they are
 * identified instead by the function that uses them (the first by name if
 * several do) and their order of first use in it.
 */
static void find_referrers(struct object_index *idx)
{
	const struct elf_object *obj = idx->obj;
	size_t i, k, s;

	for (s = 0; s < obj->nr_symbols; s++) {
		const struct elf_symbol *sym = &obj->symbols[s];

		idx->symbols[s].ordinal = -1;
		if (sym->sec && sym->bind == STB_LOCAL && sym->type != STT_FUNC &&
		    elf_symbol_is_named(sym))
			idx->symbols[s].numbered_base =
				symbol_numbered_base(sym->name);
	}
	for (i = 0; i < idx->nr_units; i++) {
		struct unit *u = idx->units[i];
		size_t first, n;

		if (u->kind != UNIT_FUNCTION)
			continue;
		n = relocs_in_range(u->sec, u->start, u->end, &first);
		for (k = first; k < first + n; k++) {
			const struct elf_reloc *r = &u->sec->relocs[k];
			struct target t;

			resolve_target(idx, u->sec, r, &t);
			note_referrer(idx, u, reloc_object(idx, u->sec, r, &t));
		}
	}
	for (i = 0; i < idx->nr_units; i++)
		if (idx->units[i]->kind == UNIT_FUNCTION)
			number_locals_of(idx, idx->units[i]);
	/* Locals no function uses: by order in the symbol table. */
	for (s = 0; s < obj->nr_symbols; s++) {
		struct symbol_info *si = &idx->symbols[s];
		size_t o;

		if (!si->numbered_base || si->referrer)
			continue;
		si->ordinal = 0;
		for (o = 0; o < s; o++)
			if (idx->symbols[o].numbered_base &&
			    !idx->symbols[o].referrer &&
			    !strcmp(idx->symbols[o].numbered_base,
				    si->numbered_base))
				si->ordinal++;
	}
}

static struct unit *owner_by_relocations(struct object_index *idx,
					 const struct table_entry *e)
{
	struct unit *fallback = NULL;
	size_t first, n, k;

	n = relocs_in_range(e->sec, e->start, e->end, &first);
	for (k = first; k < first + n; k++) {
		struct target t;

		resolve_target(idx, e->sec, &e->sec->relocs[k], &t);
		if (!t.unit)
			continue;
		if (t.unit->kind == UNIT_FUNCTION)
			return t.unit;
		if (!fallback)
			fallback = t.unit;
	}
	return fallback;
}

static int own_parallel_entries(struct object_index *idx,
				struct ks_error *err)
{
	size_t i, j;

	for (i = 0; i < idx->nr_entries; i++) {
		struct table_entry *e = idx->entries[i];
		const char *other = idx->sections[e->sec->index].class.parallel_to;
		size_t nth = 0, seen = 0;

		if (!other)
			continue;
		for (j = 0; j < i; j++)
			nth += idx->entries[j]->sec == e->sec;
		for (j = 0; j < idx->nr_entries; j++) {
			if (strcmp(idx->entries[j]->sec->name, other))
				continue;
			if (seen++ == nth) {
				e->owner = idx->entries[j]->owner;
				break;
			}
		}
		if (j == idx->nr_entries)
			return ks_fail(err, "%s: %s has more entries than %s",
				       idx->obj->path, e->sec->name, other);
	}
	return 0;
}

static int compare_owned_entries(const void *a, const void *b)
{
	const struct table_entry *x = *(struct table_entry *const *)a;
	const struct table_entry *y = *(struct table_entry *const *)b;
	int c = strcmp(x->sec->name, y->sec->name);

	if (c)
		return c;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int assign_owners(struct object_index *idx, struct ks_error *err)
{
	size_t i;

	for (i = 0; i < idx->nr_entries; i++) {
		struct table_entry *e = idx->entries[i];

		if (e->sym && idx->symbols[e->sym->index].referrer)
			e->owner = idx->symbols[e->sym->index].referrer;
		else
			e->owner = owner_by_relocations(idx, e);
	}
	if (own_parallel_entries(idx, err))
		return -1;
	for (i = 0; i < idx->nr_entries; i++) {
		struct table_entry *e = idx->entries[i];
		struct unit *u = e->owner;

		if (!u)
			continue;
		u->entries = xrealloc(u->entries,
				      (u->nr_entries + 1) * sizeof(e));
		u->entries[u->nr_entries++] = e;
	}
	for (i = 0; i < idx->nr_units; i++)
		if (idx->units[i]->nr_entries > 1)
			qsort(idx->units[i]->entries, idx->units[i]->nr_entries,
			      sizeof(struct table_entry *), compare_owned_entries);
	return 0;
}

static int classify_sections(struct object_index *idx, struct ks_error *err)
{
	const struct elf_object *obj = idx->obj;
	size_t i;

	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *sec = &obj->sections[i];

		idx->sections[i].class = classify_section(sec, obj->elf_class);
		if (idx->sections[i].class.kind == SEC_UNKNOWN)
			return ks_fail(err,
				       "%s: unknown section %s: the diff does not know how to compare it",
				       obj->path, sec->name);
		if (idx->sections[i].class.kind == SEC_META)
			continue;
		if (sec->size && !sec->data && sec->type != SHT_NOBITS)
			return ks_fail(err, "%s: cannot read section %s",
				       obj->path, sec->name);
	}
	return 0;
}

struct object_index *object_index_build(const struct elf_object *obj,
					struct ks_error *err)
{
	struct object_index *idx = xcalloc(1, sizeof(*idx));

	idx->obj = obj;
	idx->sections = xcalloc(obj->nr_sections, sizeof(*idx->sections));
	idx->symbols = xcalloc(obj->nr_symbols, sizeof(*idx->symbols));
	if (classify_sections(idx, err))
		goto fail;
	build_units(idx);
	collect_blob_starts(idx);
	if (build_table_entries(idx, err))
		goto fail;
	find_referrers(idx);
	if (assign_owners(idx, err))
		goto fail;
	return idx;
fail:
	object_index_free(idx);
	return NULL;
}

void object_index_free(struct object_index *idx)
{
	size_t i;

	if (!idx)
		return;
	for (i = 0; i < idx->nr_units; i++) {
		free(idx->units[i]->canonical);
		free(idx->units[i]->entries);
		free(idx->units[i]);
	}
	for (i = 0; i < idx->nr_entries; i++)
		free(idx->entries[i]);
	for (i = 0; i < idx->obj->nr_sections; i++) {
		free(idx->sections[i].units);
		free(idx->sections[i].blob_starts);
	}
	for (i = 0; i < idx->obj->nr_symbols; i++) {
		free(idx->symbols[i].key);
		free(idx->symbols[i].numbered_base);
	}
	free(idx->units);
	free(idx->entries);
	free(idx->sections);
	free(idx->symbols);
	free(idx);
}
