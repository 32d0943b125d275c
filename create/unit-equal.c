// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/line-numbers.h"
#include "create/symbol-names.h"
#include "create/unit-equal.h"

/* Blobs may reference blobs; stop (and call it a change) past this depth. */
#define MAX_BLOB_DEPTH 8

struct range {
	const struct elf_section *sec;
	uint64_t start, end;
	int line_offset, line_bits;	/* line field to ignore (line-numbers.h) */
};

static bool ranges_equal(const struct equal_ctx *ctx, const struct range *a,
			 const struct range *b, int depth);

static bool same_symbol(const struct equal_ctx *ctx,
			const struct elf_symbol *a, const struct elf_symbol *b)
{
	return ctx->pre->symbols[a->index].match == b;
}

static bool canonical_section_names_equal(const struct elf_section *a,
					  const struct elf_section *b)
{
	char *x = symbol_canonical_name(a->name);
	char *y = symbol_canonical_name(b->name);
	bool equal = !strcmp(x, y);

	free(x);
	free(y);
	return equal;
}

static bool targets_equal(const struct equal_ctx *ctx, const struct target *a,
			  const struct target *b, int depth)
{
	struct range ra, rb;

	if (a->kind != b->kind || a->delta != b->delta)
		return false;
	switch (a->kind) {
	case TARGET_UNDEFINED:
		return !strcmp(a->sym->name, b->sym->name);
	case TARGET_ABSOLUTE:
		return !strcmp(a->sym->name, b->sym->name) &&
		       a->sym->value == b->sym->value;
	case TARGET_SYMBOL:
		return same_symbol(ctx, a->sym, b->sym);
	case TARGET_SECTION:
		return canonical_section_names_equal(a->sec, b->sec);
	case TARGET_STRING:
		return strings_equal_but_line_numbers(
			(const char *)a->sec->data + a->start, a->end - a->start,
			(const char *)b->sec->data + b->start, b->end - b->start);
	case TARGET_CONST:
		return a->end - a->start == b->end - b->start &&
		       !memcmp(a->sec->data + a->start, b->sec->data + b->start,
			       a->end - a->start);
	case TARGET_BLOB:
		if (depth >= MAX_BLOB_DEPTH)
			return false;
		ra = (struct range){ a->sec, a->start, a->end, -1, 0 };
		rb = (struct range){ b->sec, b->start, b->end, -1, 0 };
		return ranges_equal(ctx, &ra, &rb, depth + 1);
	}
	return false;
}

/*
 * Places known by section only. In a section of zero-size objects the
 * place names one (__key.N): equal when the objects are correlated, so a
 * renumbered __key.5 -> __key.8 is the same key. Otherwise by section name.
 */
static bool section_targets_equal(const struct equal_ctx *ctx,
				  const struct elf_section *from_a,
				  const struct elf_reloc *ra,
				  const struct target *ta,
				  const struct elf_section *from_b,
				  const struct elf_reloc *rb,
				  const struct target *tb)
{
	const struct elf_symbol *oa = reloc_object(ctx->pre, from_a, ra, ta);
	const struct elf_symbol *ob = reloc_object(ctx->post, from_b, rb, tb);

	if (ta->delta != tb->delta)
		return false;
	if (oa || ob)
		return oa && ob && same_symbol(ctx, oa, ob);
	return canonical_section_names_equal(ta->sec, tb->sec);
}

static bool relocs_equal(const struct equal_ctx *ctx, const struct range *a,
			 const struct elf_reloc *ra, const struct range *b,
			 const struct elf_reloc *rb, int depth)
{
	struct target ta, tb;

	if (ra->offset - a->start != rb->offset - b->start ||
	    ra->type != rb->type)
		return false;
	resolve_target(ctx->pre, a->sec, ra, &ta);
	resolve_target(ctx->post, b->sec, rb, &tb);
	if (ta.kind == TARGET_SECTION && tb.kind == TARGET_SECTION)
		return section_targets_equal(ctx, a->sec, ra, &ta, b->sec, rb, &tb);
	return targets_equal(ctx, &ta, &tb, depth);
}


/* Bytes equal outside relocation fields (relocations already compared). */
static bool bytes_equal(const struct range *a, const struct range *b,
			const struct elf_reloc *relocs, size_t nr_relocs)
{
	uint64_t len = a->end - a->start, off;
	size_t k = 0;

	for (off = 0; off < len; off++) {
		while (k < nr_relocs &&
		       relocs[k].offset - a->start + relocs[k].size <= off)
			k++;
		if (k < nr_relocs && relocs[k].offset - a->start <= off)
			continue;	/* inside a relocation field */
		if ((a->sec->data[a->start + off] ^ b->sec->data[b->start + off]) &
		    ~line_field_mask(a->line_offset, a->line_bits, off))
			return false;
	}
	return true;
}

static bool ranges_equal(const struct equal_ctx *ctx, const struct range *a,
			 const struct range *b, int depth)
{
	size_t fa, fb, na, nb, k;
	bool nobits_a = a->sec->type == SHT_NOBITS;
	bool nobits_b = b->sec->type == SHT_NOBITS;

	if (a->end - a->start != b->end - b->start || nobits_a != nobits_b)
		return false;
	if (nobits_a)
		return true;
	na = relocs_in_range(a->sec, a->start, a->end, &fa);
	nb = relocs_in_range(b->sec, b->start, b->end, &fb);
	if (na != nb)
		return false;
	for (k = 0; k < na; k++)
		if (!relocs_equal(ctx, a, &a->sec->relocs[fa + k], b,
				  &b->sec->relocs[fb + k], depth))
			return false;
	return bytes_equal(a, b, a->sec->relocs + fa, na);
}

bool unit_content_equal(const struct equal_ctx *ctx, const struct unit *a,
			const struct unit *b)
{
	struct range ra = { a->sec, a->start, a->end, -1, 0 };
	struct range rb = { b->sec, b->start, b->end, -1, 0 };

	return ranges_equal(ctx, &ra, &rb, 0);
}

bool table_entries_equal(const struct equal_ctx *ctx,
			 const struct table_entry *a,
			 const struct table_entry *b)
{
	struct range ra = { a->sec, a->start, a->end, a->line_offset,
			     a->line_bits };
	struct range rb = { b->sec, b->start, b->end, b->line_offset,
			     b->line_bits };

	if (strcmp(a->sec->name, b->sec->name))
		return false;
	if (a->sym && b->sym && !same_symbol(ctx, a->sym, b->sym))
		return false;
	return ranges_equal(ctx, &ra, &rb, 0);
}

bool unit_entries_equal(const struct equal_ctx *ctx, const struct unit *a,
			const struct unit *b)
{
	size_t i;

	if (a->nr_entries != b->nr_entries)
		return false;
	for (i = 0; i < a->nr_entries; i++)
		if (!table_entries_equal(ctx, a->entries[i], b->entries[i]))
			return false;
	return true;
}
