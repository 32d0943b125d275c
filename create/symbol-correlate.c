// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "create/symbol-correlate.h"
#include "create/symbol-names.h"

struct keyed_symbol {
	const char *key;
	struct elf_symbol *sym;
	bool taken;
};

/*
 * A read-only numbered local whose bytes hold no relocation (__func__.N,
 * CSWTCH.N switch tables, const arrays) is nothing but its bytes: keyed by
 * base name and content, so it pairs with its twin however GCC numbered it
 * and whichever function uses it. Two such objects with equal bytes are
 * interchangeable; one whose bytes changed pairs with nothing (a new
 * object, and its users change). NULL if @sym is not such an object.
 */
static char *content_key(const struct elf_symbol *sym, const char *base)
{
	const struct elf_section *sec = sym->sec;
	static const char hex[] = "0123456789abcdef";
	size_t first, i, len = strlen(base);
	char *key;

	if (!(sec->flags & SHF_ALLOC) || (sec->flags & SHF_WRITE) ||
	    sec->type == SHT_NOBITS || !sec->data || !sym->size ||
	    sym->value + sym->size > sec->size ||
	    relocs_in_range(sec, sym->value, sym->value + sym->size, &first))
		return NULL;
	key = xmalloc(len + 2 + 2 * sym->size + 1);
	memcpy(key, base, len);
	key[len++] = '\x02';
	for (i = 0; i < sym->size; i++) {
		key[len++] = hex[sec->data[sym->value + i] >> 4];
		key[len++] = hex[sec->data[sym->value + i] & 15];
	}
	key[len] = '\0';
	return key;
}

/*
 * Any other static local is keyed by the C function it belongs to: its
 * referrer's name up to the first '.', because the referrer may be a part
 * of that function in one build and another part in the other (pre uses it
 * in foo and foo.cold, post only in foo.cold), and its order of first use
 * there. Writable ones keep state in the running kernel, so they are never
 * paired by content: two different counters may hold equal initial bytes.
 */
static char *symbol_key(struct object_index *idx, struct elf_symbol *sym)
{
	struct symbol_info *si = &idx->symbols[sym->index];
	const char *ref;
	char *key;

	if (si->numbered_base) {
		key = content_key(sym, si->numbered_base);
		if (key)
			return key;
		ref = si->referrer ? si->referrer->canonical : "";
		return xasprintf("%s\x01%.*s\x01%d", si->numbered_base,
				 (int)strcspn(ref, "."), ref, si->ordinal);
	}
	return symbol_canonical_name(sym->name);
}

static int compare_keyed(const void *a, const void *b)
{
	const struct keyed_symbol *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->sym->index < y->sym->index ? -1 : x->sym->index > y->sym->index;
}

static struct keyed_symbol *keyed_symbols(struct object_index *idx, size_t *n)
{
	const struct elf_object *obj = idx->obj;
	struct keyed_symbol *ks = xcalloc(obj->nr_symbols, sizeof(*ks));
	size_t i;

	*n = 0;
	for (i = 0; i < obj->nr_symbols; i++) {
		struct elf_symbol *sym = &obj->symbols[i];

		if (!sym->sec || !elf_symbol_is_named(sym))
			continue;
		idx->symbols[i].key = symbol_key(idx, sym);
		ks[*n].key = idx->symbols[i].key;
		ks[*n].sym = sym;
		(*n)++;
	}
	qsort(ks, *n, sizeof(*ks), compare_keyed);
	return ks;
}

static void pair(struct object_index *pre, struct keyed_symbol *a,
		 struct object_index *post, struct keyed_symbol *b)
{
	a->taken = b->taken = true;
	pre->symbols[a->sym->index].match = b->sym;
	post->symbols[b->sym->index].match = a->sym;
}

/* Pair the groups a[0..na) and b[0..nb) that share one key. */
static void pair_group(struct object_index *pre, struct keyed_symbol *a,
		       size_t na, struct object_index *post,
		       struct keyed_symbol *b, size_t nb)
{
	size_t i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (!b[j].taken &&
			    !strcmp(a[i].sym->name, b[j].sym->name)) {
				pair(pre, &a[i], post, &b[j]);
				break;
			}
	for (i = 0, j = 0; i < na; i++) {
		if (a[i].taken)
			continue;
		while (j < nb && b[j].taken)
			j++;
		if (j == nb)
			break;
		pair(pre, &a[i], post, &b[j]);
	}
}

static size_t group_end(const struct keyed_symbol *ks, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && !strcmp(ks[j].key, ks[i].key))
		j++;
	return j;
}

static void correlate_units(struct object_index *pre,
			    struct object_index *post)
{
	size_t i, j;

	for (i = 0; i < pre->nr_units; i++) {
		struct unit *u = pre->units[i];
		struct elf_symbol *m;

		if (u->sym) {
			m = pre->symbols[u->sym->index].match;
			u->match = m ? post->symbols[m->index].unit : NULL;
			if (u->match && u->match->sym != m)
				u->match = NULL;	/* matched an alias only */
		} else {
			for (j = 0; j < post->nr_units; j++)
				if (!post->units[j]->sym &&
				    !strcmp(post->units[j]->canonical,
					    u->canonical))
					u->match = post->units[j];
		}
		if (u->match)
			u->match->match = u;
	}
}

void correlate_objects(struct object_index *pre, struct object_index *post)
{
	struct keyed_symbol *a, *b;
	size_t na, nb, i = 0, j = 0;

	a = keyed_symbols(pre, &na);
	b = keyed_symbols(post, &nb);
	while (i < na && j < nb) {
		int c = strcmp(a[i].key, b[j].key);
		size_t ie = group_end(a, na, i), je = group_end(b, nb, j);

		if (c < 0) {
			i = ie;
		} else if (c > 0) {
			j = je;
		} else {
			pair_group(pre, a + i, ie - i, post, b + j, je - j);
			i = ie;
			j = je;
		}
	}
	free(a);
	free(b);
	correlate_units(pre, post);
}
