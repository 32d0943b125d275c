// SPDX-License-Identifier: GPL-2.0
/*
 * Reading an object's layouts (type-layout.h) from its DWARF with libdw.
 * The object is relocatable: libdwfl's offline mode applies its
 * .rela.debug_* relocations (string offsets of x86-64 objects are only in
 * the addends), so names read correctly on both architectures.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/type-layout.h"

static char *type_description(Dwarf_Die *type);

static const char *tag_keyword(int tag)
{
	switch (tag) {
	case DW_TAG_structure_type: return "struct";
	case DW_TAG_union_type: return "union";
	case DW_TAG_class_type: return "class";
	case DW_TAG_enumeration_type: return "enum";
	default: return NULL;
	}
}

static bool is_aggregate(int tag)
{
	return tag == DW_TAG_structure_type || tag == DW_TAG_union_type ||
	       tag == DW_TAG_class_type;
}

/* The DIE's DW_AT_type, through abstract origins and specifications. */
static bool type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, out);
}

static uint64_t udata(Dwarf_Die *die, unsigned int name, uint64_t fallback)
{
	Dwarf_Attribute attr;
	Dwarf_Word v;

	if (!dwarf_attr_integrate(die, name, &attr) || dwarf_formudata(&attr, &v))
		return fallback;
	return v;
}

static uint64_t type_size(Dwarf_Die *type)
{
	Dwarf_Word size;

	return dwarf_aggregate_size(type, &size) ? 0 : size;
}

/* "[4]", "[2][3]" or "[]" for an array's dimensions. */
static char *array_dims(Dwarf_Die *array)
{
	Dwarf_Die child;
	char *dims = xstrdup(""), *next;

	if (dwarf_child(array, &child))
		return dims;
	do {
		if (dwarf_tag(&child) != DW_TAG_subrange_type)
			continue;
		if (dwarf_hasattr(&child, DW_AT_count))
			next = xasprintf("%s[%llu]", dims,
					 (unsigned long long)udata(&child, DW_AT_count, 0));
		else if (dwarf_hasattr(&child, DW_AT_upper_bound))
			next = xasprintf("%s[%llu]", dims,
					 (unsigned long long)udata(&child, DW_AT_upper_bound, 0) + 1);
		else
			next = xasprintf("%s[]", dims);
		free(dims);
		dims = next;
	} while (dwarf_siblingof(&child, &child) == 0);
	return dims;
}

/* Qualifiers do not change a layout: "const int" is described as "int". */
static char *description_of_target(Dwarf_Die *die, const char *suffix)
{
	Dwarf_Die target;
	char *inner, *out;

	inner = type_of(die, &target) ? type_description(&target) : xstrdup("void");
	out = xasprintf("%s%s", inner, suffix);
	free(inner);
	return out;
}

/*
 * A type as C names it, never looking inside a structure (those are
 * layouts of their own): "int", "struct foo *", "u8[16]", "function *".
 */
static char *type_description(Dwarf_Die *type)
{
	int tag = dwarf_tag(type);
	const char *name = dwarf_diename(type);
	char *dims, *out;

	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_typedef:
	case DW_TAG_unspecified_type:
		return xstrdup(name ? name : "?");
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
	case DW_TAG_enumeration_type:
		return xasprintf("%s %s", tag_keyword(tag), name ? name : "<anonymous>");
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
		return description_of_target(type, " *");
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		return description_of_target(type, "");
	case DW_TAG_array_type:
		dims = array_dims(type);
		out = description_of_target(type, dims);
		free(dims);
		return out;
	case DW_TAG_subroutine_type:
		return xstrdup("function");
	default:
		return xasprintf("<DWARF tag %#x>", tag);
	}
}

static void add_member(struct layout_type *t, const char *name, uint64_t bit_position,
		       uint64_t bit_size, Dwarf_Die *type)
{
	struct layout_member *m;

	t->members = xrealloc(t->members, (t->nr_members + 1) * sizeof(*t->members));
	m = &t->members[t->nr_members++];
	m->name = xstrdup(name);
	m->bit_position = bit_position;
	m->bit_size = bit_size;
	m->size = type_size(type);
	m->type = type_description(type);
}

/* A member's bit position within its structure (DWARF 4/5 or 2/3 style). */
static uint64_t member_bit_position(Dwarf_Die *member, Dwarf_Die *type)
{
	uint64_t byte = udata(member, DW_AT_data_member_location, 0);
	uint64_t bit_size = udata(member, DW_AT_bit_size, 0);

	if (dwarf_hasattr(member, DW_AT_data_bit_offset))
		return udata(member, DW_AT_data_bit_offset, 0);
	if (bit_size && dwarf_hasattr(member, DW_AT_bit_offset)) {
		/* Counted from the storage unit's most significant bit. */
		uint64_t unit = udata(member, DW_AT_byte_size, type_size(type)) * 8;

		return byte * 8 + unit - udata(member, DW_AT_bit_offset, 0) - bit_size;
	}
	return byte * 8;
}

static bool is_qualifier(int tag)
{
	return tag == DW_TAG_const_type || tag == DW_TAG_volatile_type ||
	       tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type;
}

/* @type without const/volatile (typedefs stay: they name a layout). */
static void peel_qualifiers(Dwarf_Die *type, Dwarf_Die *out)
{
	*out = *type;
	while (is_qualifier(dwarf_tag(out)) && type_of(out, out))
		;
}

/* Add @aggregate's members to @t at @base bits, names prefixed by @prefix. */
static void add_members(struct layout_type *t, Dwarf_Die *aggregate, uint64_t base,
			const char *prefix)
{
	Dwarf_Die child, type, peeled;

	if (dwarf_child(aggregate, &child))
		return;
	do {
		const char *name = dwarf_diename(&child);
		uint64_t pos;
		char *full;

		if (dwarf_tag(&child) != DW_TAG_member || !type_of(&child, &type))
			continue;
		pos = base + member_bit_position(&child, &type);
		peel_qualifiers(&type, &peeled);
		if (!name && is_aggregate(dwarf_tag(&peeled))) {
			/* An anonymous struct/union: its members are ours. */
			add_members(t, &peeled, pos, prefix);
			continue;
		}
		full = xasprintf("%s%s", prefix, name ? name : "<unnamed>");
		add_member(t, full, pos, udata(&child, DW_AT_bit_size, 0), &type);
		if (is_aggregate(dwarf_tag(&peeled)) && !dwarf_diename(&peeled)) {
			char *inner = xasprintf("%s.", full);

			add_members(t, &peeled, pos, inner);
			free(inner);
		}
		free(full);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static struct layout_type *new_type(struct type_layouts *l, char *name)
{
	struct layout_type *t;

	l->types = xrealloc(l->types, (l->nr_types + 1) * sizeof(*l->types));
	t = &l->types[l->nr_types++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	return t;
}

static void add_aggregate(struct type_layouts *l, Dwarf_Die *die, const char *name)
{
	struct layout_type *t = new_type(l, xstrdup(name));

	t->size = type_size(die);
	add_members(t, die, 0, "");
}

/* An enum's enumerators and their values, in the order declared. */
static void add_enumeration(struct type_layouts *l, Dwarf_Die *die, const char *name)
{
	struct layout_type *t = new_type(l, xstrdup(name));
	Dwarf_Attribute attr;
	Dwarf_Sword value;
	Dwarf_Die child;

	t->enumeration = true;
	t->size = type_size(die);
	if (dwarf_child(die, &child))
		return;
	do {
		struct layout_member *m;

		if (dwarf_tag(&child) != DW_TAG_enumerator || !dwarf_diename(&child) ||
		    !dwarf_attr(&child, DW_AT_const_value, &attr) || dwarf_formsdata(&attr, &value))
			continue;
		t->members = xrealloc(t->members, (t->nr_members + 1) * sizeof(*t->members));
		m = &t->members[t->nr_members++];
		memset(m, 0, sizeof(*m));
		m->name = xstrdup(dwarf_diename(&child));
		m->value = value;
	} while (dwarf_siblingof(&child, &child) == 0);
}

static void add_variable(struct type_layouts *l, Dwarf_Die *die)
{
	Dwarf_Die type;
	struct layout_type *t;

	if (!type_of(die, &type))
		return;
	t = new_type(l, xasprintf("variable %s", dwarf_diename(die)));
	t->variable = true;
	t->size = type_size(&type);
	t->type = type_description(&type);
}

/* A typedef of an anonymous struct/union/enum names that layout. */
static void add_typedef(struct type_layouts *l, Dwarf_Die *die)
{
	Dwarf_Die type;

	if (!type_of(die, &type) || dwarf_diename(&type) || dwarf_hasattr(&type, DW_AT_declaration))
		return;
	if (is_aggregate(dwarf_tag(&type)))
		add_aggregate(l, &type, dwarf_diename(die));
	else if (dwarf_tag(&type) == DW_TAG_enumeration_type)
		add_enumeration(l, &type, dwarf_diename(die));
}

/* Every named definition under @parent; variables only at file scope. */
static void collect(struct type_layouts *l, Dwarf_Die *parent, bool file_scope)
{
	Dwarf_Die child;

	if (dwarf_child(parent, &child))
		return;
	do {
		int tag = dwarf_tag(&child);
		const char *name = dwarf_diename(&child);

		if (is_aggregate(tag) && name && !dwarf_hasattr(&child, DW_AT_declaration)) {
			char *full = xasprintf("%s %s", tag_keyword(tag), name);

			add_aggregate(l, &child, full);
			free(full);
		} else if (tag == DW_TAG_enumeration_type && name &&
			   !dwarf_hasattr(&child, DW_AT_declaration)) {
			char *full = xasprintf("enum %s", name);

			add_enumeration(l, &child, full);
			free(full);
		} else if (tag == DW_TAG_typedef && name) {
			add_typedef(l, &child);
		} else if (tag == DW_TAG_variable && name && file_scope) {
			add_variable(l, &child);
		}
		if (dwarf_haschildren(&child) > 0 && tag != DW_TAG_member)
			collect(l, &child, false);
	} while (dwarf_siblingof(&child, &child) == 0);
}

static int by_name(const void *a, const void *b)
{
	const struct layout_type *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

struct type_layouts *type_layouts_read(const char *path, struct ks_error *err)
{
	Dwfl *dwfl = dwfl_begin(&offline_callbacks);
	struct type_layouts *l = NULL;
	Dwfl_Module *mod;
	Dwarf *dw = NULL;
	Dwarf_CU *cu = NULL;
	Dwarf_Die cudie;
	Dwarf_Addr bias;
	size_t units = 0;

	mod = dwfl ? dwfl_report_offline(dwfl, path, path, -1) : NULL;
	if (mod && dwfl_report_end(dwfl, NULL, NULL) == 0)
		dw = dwfl_module_getdwarf(mod, &bias);
	if (!dw) {
		ks_fail(err, "%s: no debug information to compare type layouts with (%s)", path,
			dwfl_errmsg(-1));
		goto out;
	}
	l = xcalloc(1, sizeof(*l));
	while (dwarf_get_units(dw, cu, &cu, NULL, NULL, &cudie, NULL) == 0) {
		collect(l, &cudie, true);
		units++;
	}
	if (!units) {
		ks_fail(err, "%s: no DWARF compilation unit to compare type layouts with", path);
		type_layouts_free(l);
		l = NULL;
		goto out;
	}
	if (l->nr_types)
		qsort(l->types, l->nr_types, sizeof(*l->types), by_name);
out:
	if (dwfl)
		dwfl_end(dwfl);
	return l;
}

void type_layouts_free(struct type_layouts *l)
{
	size_t i, k;

	if (!l)
		return;
	for (i = 0; i < l->nr_types; i++) {
		for (k = 0; k < l->types[i].nr_members; k++) {
			free(l->types[i].members[k].name);
			free(l->types[i].members[k].type);
		}
		free(l->types[i].members);
		free(l->types[i].name);
		free(l->types[i].type);
	}
	free(l->types);
	free(l);
}

size_t type_layouts_count(const struct type_layouts *l)
{
	return l->nr_types;
}
