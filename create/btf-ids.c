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

static const struct elf_section *btf_section(const struct elf_object *obj)
{
	return elf_object_find_section(obj, BTF_IDS_SECTION);
}

static bool entries_equal(const struct elf_section *a, size_t i,
			  const struct elf_section *b, size_t j)
{
	const struct elf_symbol *x = a->syms[i], *y = b->syms[j];

	return x->value == y->value && x->size == y->size && same_name(x->name, y->name);
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

/* The list symbol at or before symbol @i of @sec (else the symbol itself). */
static const char *list_of(const struct elf_section *sec, size_t i)
{
	size_t k;

	for (k = i + 1; k-- > 0;)
		if (!btf_ids_is_entry_name(sec->syms[k]->name))
			return list_name(sec->syms[k]->name);
	return sec->syms[i]->name;
}

/* Index of the first symbol that differs, or -1 if the symbols agree. */
static long first_difference(const struct elf_section *a, const struct elf_section *b)
{
	size_t i, n = a->nr_syms < b->nr_syms ? a->nr_syms : b->nr_syms;

	for (i = 0; i < n; i++)
		if (!entries_equal(a, i, b, i))
			return (long)i;
	return a->nr_syms == b->nr_syms ? -1 : (long)n;
}

static bool bytes_equal(const struct elf_section *a, const struct elf_section *b)
{
	if (a->size != b->size)
		return false;
	if (!a->data || !b->data)
		return a->data == b->data;
	return !memcmp(a->data, b->data, a->size);
}

/* The first byte that differs belongs to the list before it. */
static const char *list_at_byte(const struct elf_section *a, const struct elf_section *b)
{
	uint64_t off = 0;
	size_t i, last = 0;

	while (off < a->size && off < b->size && a->data[off] == b->data[off])
		off++;
	for (i = 0; i < b->nr_syms && b->syms[i]->value <= off; i++)
		last = i;
	return b->nr_syms ? list_of(b, last) : BTF_IDS_SECTION;
}

static char *message(const char *list, const char *how)
{
	return xasprintf("BTF ID list %s %s: resolve_btfids fills its IDs in when the kernel is "
			 "linked, from that kernel's BTF, and an update cannot rebuild it (%s "
			 "in %s)", list, how, list, BTF_IDS_SECTION);
}

char *btf_ids_changed(const struct elf_object *pre, const struct elf_object *post,
		      const char **list)
{
	const struct elf_section *a = btf_section(pre), *b = btf_section(post);
	long i;

	if (!b)
		return NULL;	/* lists removed: the running kernel keeps its own */
	if (!a || !a->nr_syms) {
		*list = b->nr_syms ? list_of(b, 0) : BTF_IDS_SECTION;
		return message(*list, "is new");
	}
	i = first_difference(a, b);
	if (i >= 0) {
		*list = (size_t)i < b->nr_syms ? list_of(b, (size_t)i) : list_of(a, (size_t)i);
		return message(*list, "changed");
	}
	if (!bytes_equal(a, b)) {
		*list = list_at_byte(a, b);
		return message(*list, "changed");
	}
	return NULL;
}
