// SPDX-License-Identifier: GPL-2.0
/*
 * A function the patched object no longer has (the patch deleted it, or GCC
 * now inlines it into every caller) gets no trampoline: its old copy stays
 * in the running kernel, reached by nothing the update leaves in place. That
 * holds when the old copy is reached only by calls (`call rel32`) from
 * functions the update replaces, or from __init code, which never runs
 * again: a thread inside the old copy then has a replaced caller's return
 * address on its stack, and ksplice.ko's stack check waits until no thread
 * has. Anything else could enter the old copy after the update without a
 * trace on the stack: a global function (other objects may call it), a tail
 * jump (the caller's frame is gone), or its address taken (stored in data,
 * or by code, perhaps as a callback registered long ago). Those are refused.
 */
#include <elf.h>
#include <string.h>

#include "create/create-util.h"
#include "create/deleted-function.h"
#include "create/reloc-types.h"

#define X86_CALL_REL32 0xe8

/* The diff item of pre function @name, or NULL if it is unchanged. */
static const struct diff_item *item_of(const struct diff_result *res, const char *name)
{
	size_t i;

	for (i = 0; i < res->nr_functions; i++)
		if (res->functions[i].pre_name && !strcmp(res->functions[i].pre_name, name))
			return &res->functions[i];
	return NULL;
}

/* @a and @b are one function's hot and cold parts (f and f.cold). */
static bool same_function(const struct unit *a, const struct unit *b)
{
	size_t n = strlen(a->name);

	if (strncmp(a->name, b->name, n) || strncmp(b->name + n, ".cold", 5)) {
		n = strlen(b->name);
		return !strncmp(a->name, b->name, n) && !strncmp(a->name + n, ".cold", 5);
	}
	return true;
}

/* Relocation @r of @sec is the operand of a `call rel32`. */
static bool is_direct_call(const struct object_index *idx, const struct elf_section *sec,
			   const struct elf_reloc *r)
{
	return r->size == 4 && r->offset >= 1 && sec->data &&
	       reloc_is_pc_relative(idx->obj->machine, r->type) &&
	       sec->data[r->offset - 1] == X86_CALL_REL32;
}

/* Why the reference @r from @sec to @fn could enter the old copy unseen, or NULL. */
static char *reference_unsafe(const struct object_index *idx, const struct unit *fn,
			      const struct elf_section *sec, const struct elf_reloc *r,
			      const struct diff_result *res)
{
	enum section_kind kind = idx->sections[sec->index].class.kind;
	const struct unit *from = object_unit_containing(idx, sec, r->offset);
	const char *where = from ? from->name : sec->name;
	const struct diff_item *it;

	switch (kind) {
	case SEC_META:		/* debug info, annotations */
	case SEC_TABLE:		/* entries about the function's own code */
		return NULL;
	case SEC_TEXT:
	case SEC_INIT:
	case SEC_CODE_BLOB:
		if (from == fn)
			return NULL;	/* its own branches */
		/* Between its hot and cold parts, both left behind. */
		if (from && same_function(from, fn) && (it = item_of(res, from->name)) &&
		    it->change == DIFF_DELETED)
			return NULL;
		if (!is_direct_call(idx, sec, r))
			return xasprintf("is reached by a jump from, or has its address taken in, %s",
					 where);
		/* A replaced caller, or one left behind (checked on its own). */
		if (kind == SEC_TEXT && from && !item_of(res, from->name))
			return xasprintf("is called by %s, which the update does not replace", where);
		return NULL;
	default:
		return xasprintf("has its address stored in %s", where);
	}
}

char *deleted_function_unsafe(const struct object_index *pre, const struct unit *fn,
			      const struct diff_result *res)
{
	const struct elf_object *obj = pre->obj;
	size_t s, i;

	if (fn->sym && fn->sym->bind != STB_LOCAL)
		return xasprintf("is global: other objects may call it");
	for (s = 0; s < obj->nr_sections; s++) {
		const struct elf_section *sec = &obj->sections[s];

		for (i = 0; i < sec->nr_relocs; i++) {
			struct target t;
			char *why;

			resolve_target(pre, sec, &sec->relocs[i], &t);
			if (t.unit != fn)
				continue;
			why = reference_unsafe(pre, fn, sec, &sec->relocs[i], res);
			if (why)
				return why;
		}
	}
	return NULL;
}
