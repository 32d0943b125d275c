// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "create/btf-ids.h"

#define ENTRY_PREFIX "__BTF_ID__"

bool btf_ids_is_entry_name(const char *name)
{
	return !strncmp(name, ENTRY_PREFIX, strlen(ENTRY_PREFIX)) &&
	       strncmp(name, ENTRY_PREFIX "set__", strlen(ENTRY_PREFIX "set__")) &&
	       strncmp(name, ENTRY_PREFIX "set8__", strlen(ENTRY_PREFIX "set8__"));
}

/* Length of @name without the "__N" an ID's symbol ends in. */
static size_t stable_length(const char *name)
{
	size_t n = strlen(name), k = n;

	if (!btf_ids_is_entry_name(name))
		return n;
	while (k > 0 && isdigit((unsigned char)name[k - 1]))
		k--;
	if (k < n && k >= 2 && name[k - 1] == '_' && name[k - 2] == '_')
		return k - 2;
	return n;
}

static bool same_name(const char *a, const char *b)
{
	size_t n = stable_length(a);

	return n == stable_length(b) && !strncmp(a, b, n);
}

/* A set's header __BTF_ID__set__NAME (or set8) is list NAME's. */
static const char *list_name(const char *name)
{
	static const char *const headers[] = { ENTRY_PREFIX "set__", ENTRY_PREFIX "set8__" };
	size_t i;

	for (i = 0; i < 2; i++)
		if (!strncmp(name, headers[i], strlen(headers[i])))
			return name + strlen(headers[i]);
	return name;
}

/* A list starts at its symbol (and a set's header, at the same place). */
static bool starts_list(const struct elf_symbol *sym)
{
	return !btf_ids_is_entry_name(sym->name);
}

static unsigned int set_width_of(const char *name)
{
	if (!strncmp(name, ENTRY_PREFIX "set8__", strlen(ENTRY_PREFIX "set8__")))
		return 8;
	if (!strncmp(name, ENTRY_PREFIX "set__", strlen(ENTRY_PREFIX "set__")))
		return 4;
	return 0;
}

/* The list whose symbols start at sec->syms[*i]; *i moves past them. */
static void read_list(const struct elf_section *sec, size_t *i, struct btf_ids_list *l)
{
	const struct elf_symbol *first = sec->syms[*i];
	size_t k;

	memset(l, 0, sizeof(*l));
	l->start = first->value;
	l->name = list_name(first->name);
	for (k = *i; k < sec->nr_syms && sec->syms[k]->value == first->value &&
		     starts_list(sec->syms[k]); k++) {
		const struct elf_symbol *s = sec->syms[k];
		unsigned int width = set_width_of(s->name);

		if (width) {
			l->set_width = width;
			l->set_count = s->size >= width ? s->size / width - 1 : 0;
		} else {
			l->name = s->name;
		}
	}
	while (k < sec->nr_syms && !starts_list(sec->syms[k]))
		k++;
	l->end = k < sec->nr_syms ? sec->syms[k]->value : sec->size;
	*i = k;
}

size_t btf_ids_lists(const struct elf_section *sec, struct btf_ids_list **out)
{
	size_t i = 0, n = 0;

	*out = NULL;
	while (i < sec->nr_syms && !starts_list(sec->syms[i]))
		i++;		/* IDs before any list: none in practice */
	while (i < sec->nr_syms) {
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		read_list(sec, &i, &(*out)[n++]);
	}
	return n;
}

bool btf_ids_list_at(const struct elf_section *sec, uint64_t offset, struct btf_ids_list *out)
{
	struct btf_ids_list *lists;
	size_t i, n = btf_ids_lists(sec, &lists);
	bool found = false;

	for (i = 0; i < n && !found; i++) {
		if (offset >= lists[i].start && offset < lists[i].end) {
			*out = lists[i];
			found = true;
		}
	}
	free(lists);
	return found;
}

/* Index of the first symbol of @sec at or after @offset. */
static size_t first_symbol_at(const struct elf_section *sec, uint64_t offset)
{
	size_t i = 0;

	while (i < sec->nr_syms && sec->syms[i]->value < offset)
		i++;
	return i;
}

static bool lists_equal(const struct elf_section *a, const struct btf_ids_list *la,
			const struct elf_section *b, const struct btf_ids_list *lb)
{
	size_t i = first_symbol_at(a, la->start), j = first_symbol_at(b, lb->start);
	uint64_t len = la->end - la->start;

	if (len != lb->end - lb->start || la->set_width != lb->set_width)
		return false;
	for (; i < a->nr_syms && a->syms[i]->value < la->end; i++, j++) {
		const struct elf_symbol *x = a->syms[i], *y;

		if (j >= b->nr_syms || b->syms[j]->value >= lb->end)
			return false;
		y = b->syms[j];
		if (x->value - la->start != y->value - lb->start || x->size != y->size ||
		    !same_name(x->name, y->name))
			return false;
	}
	if (j < b->nr_syms && b->syms[j]->value < lb->end)
		return false;
	if (!a->data || !b->data)
		return !a->data && !b->data;
	return !memcmp(a->data + la->start, b->data + lb->start, len);
}

bool btf_ids_list_named(const struct elf_section *sec, const char *name, struct btf_ids_list *out)
{
	struct btf_ids_list *lists;
	size_t i, n = sec ? btf_ids_lists(sec, &lists) : 0;
	bool found = false;

	for (i = 0; i < n && !found; i++) {
		if (!strcmp(lists[i].name, name)) {
			*out = lists[i];
			found = true;
		}
	}
	if (sec)
		free(lists);
	return found;
}

bool btf_ids_list_changed(const struct elf_section *pre, const struct elf_section *post,
			  const struct btf_ids_list *post_list)
{
	struct btf_ids_list old;

	return !btf_ids_list_named(pre, post_list->name, &old) ||
	       !lists_equal(pre, &old, post, post_list);
}

char *btf_ids_entry_type(const char *symbol, unsigned int *kind)
{
	/* BTF kind numbers (uapi linux/btf.h): what resolve_btfids looks up. */
	static const struct { const char *name; unsigned int kind; } kinds[] = {
		{ "struct", 4 }, { "union", 5 }, { "typedef", 8 }, { "func", 12 },
	};
	const char *rest = symbol + strlen(ENTRY_PREFIX), *sep;
	size_t i, end;

	*kind = 0;
	if (!btf_ids_is_entry_name(symbol) || !(sep = strstr(rest, "__")))
		return NULL;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if ((size_t)(sep - rest) == strlen(kinds[i].name) &&
		    !strncmp(rest, kinds[i].name, strlen(kinds[i].name)))
			*kind = kinds[i].kind;
	end = stable_length(symbol);
	if (!*kind || end <= (size_t)(sep + 2 - symbol))
		return NULL;
	return xstrndup(sep + 2, end - (size_t)(sep + 2 - symbol));
}
