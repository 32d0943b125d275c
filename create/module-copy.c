// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/module-copy.h"

void copy_set_init(struct copy_set *cs, struct module_image *img, bool helper)
{
	memset(cs, 0, sizeof(*cs));
	cs->img = img;
	cs->helper = helper;
}

void copy_set_free(struct copy_set *cs)
{
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
}

static bool piece_holds(const struct copy_piece *p, uint64_t place)
{
	if (place >= p->start && place < p->end)
		return true;
	/* "end of section" markers (ORC terminators, array ends) */
	return place == p->end && p->end == p->src->size;
}

struct copy_piece *copy_find(const struct copy_set *cs,
			     const struct elf_section *src, uint64_t place)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].src == src && piece_holds(&cs->v[i], place))
			return &cs->v[i];
	return NULL;
}

struct copy_piece *copy_find_unit(const struct copy_set *cs,
				  const struct unit *u)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].unit == u)
			return &cs->v[i];
	return u ? copy_find(cs, u->sec, u->start) : NULL;
}

/* Merging or executing a copy would break offsets or matching. */
static uint64_t image_flags(const struct copy_set *cs,
			    const struct elf_section *src)
{
	uint64_t flags = src->flags & ~(uint64_t)(SHF_MERGE | SHF_STRINGS |
						  SHF_GROUP);

	if (cs->helper)
		flags &= ~(uint64_t)(SHF_EXECINSTR | SHF_WRITE);
	return flags;
}

static void add_local_symbols(struct copy_set *cs, int sec,
			      const struct elf_section *src, uint64_t start,
			      uint64_t end)
{
	size_t i;

	for (i = 0; i < src->nr_syms; i++) {
		const struct elf_symbol *s = src->syms[i];

		if (s->value < start || s->value >= end ||
		    (s->type != STT_FUNC && s->type != STT_OBJECT))
			continue;
		image_add_symbol(cs->img, sec, s->name, s->value - start,
				 s->size, s->type);
	}
}

size_t copy_add(struct copy_set *cs, const struct object_index *idx,
		const struct elf_section *src, uint64_t start, uint64_t end,
		const struct unit *unit)
{
	struct copy_piece *p;
	char *name;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->v[i].src == src && cs->v[i].start == start &&
		    cs->v[i].end == end)
			return i;
	module_grow((void **)&cs->v, &cs->cap, cs->n + 1, sizeof(*p));
	p = &cs->v[cs->n];
	memset(p, 0, sizeof(*p));
	p->idx = idx;
	p->src = src;
	p->start = start;
	p->end = end;
	p->unit = unit;
	name = cs->helper ? xasprintf(".ksplice_pre%s", src->name)
			  : xstrdup(src->name);
	p->sec = image_add_section(cs->img, name,
				   src->type == SHT_NOBITS ? SHT_NOBITS
							   : SHT_PROGBITS,
				   image_flags(cs, src), src->align,
				   src->data ? src->data + start : NULL,
				   end - start);
	free(name);
	if (!cs->helper)
		add_local_symbols(cs, p->sec, src, start, end);
	return cs->n++;
}

size_t copy_add_unit(struct copy_set *cs, const struct object_index *idx,
		     const struct unit *u)
{
	struct copy_piece *p = copy_find_unit(cs, u);

	if (p)
		return p - cs->v;
	return copy_add(cs, idx, u->sec, u->start, u->end, u);
}

static uint32_t kind_flags(const struct copy_piece *p)
{
	uint64_t f = p->src->flags;

	if (f & SHF_EXECINSTR)
		return KSPLICE_SECTION_TEXT;
	if (f & SHF_STRINGS)
		return KSPLICE_SECTION_STRING;
	if (f & SHF_WRITE)
		return KSPLICE_SECTION_DATA;
	return KSPLICE_SECTION_RODATA;
}

uint32_t copy_record_flags(const struct copy_piece *p)
{
	return kind_flags(p) | (p->early ? KSPLICE_SECTION_EARLY : 0) |
	       (p->witness ? KSPLICE_SECTION_WITNESS : 0);
}
