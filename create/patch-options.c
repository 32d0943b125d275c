// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "create/patch-options.h"
#include "create/section-kinds.h"

static const char *const kind_names[] = {
	[OPTION_ASSUME_RODATA] = "assume_rodata",
	[OPTION_MATCH_DATA_EARLY] = "match_data_early",
};

const char *patch_option_macro(enum patch_option_kind kind)
{
	return kind == OPTION_ASSUME_RODATA ? "ksplice_assume_rodata"
					    : "ksplice_match_data_early";
}

static enum patch_option_kind kind_of_section(const char *name)
{
	const char *kind = name + strlen(OPTION_SECTION_PREFIX);

	if (!strcmp(kind, kind_names[OPTION_ASSUME_RODATA]))
		return OPTION_ASSUME_RODATA;
	if (!strcmp(kind, kind_names[OPTION_MATCH_DATA_EARLY]))
		return OPTION_MATCH_DATA_EARLY;
	return 0;
}

static int add_option(const struct object_index *post, const struct elf_section *sec,
		      const struct elf_reloc *r, enum patch_option_kind kind,
		      struct patch_option *o, struct ks_error *err)
{
	struct target t;

	resolve_target(post, sec, r, &t);
	if (t.kind != TARGET_SYMBOL || t.delta || !t.unit || t.unit->kind != UNIT_DATA ||
	    t.unit->init || t.sym->value != t.unit->start)
		return ks_fail(err, "%s: %s names %s, which is not a variable of this file "
			       "(the option takes a global or static data object)",
			       post->obj->path, patch_option_macro(kind),
			       r->sym->name[0] ? r->sym->name : "an anonymous place");
	o->unit = t.unit;
	o->kind = kind;
	return 0;
}

long patch_options_find(const struct object_index *post, struct patch_option **out,
			struct ks_error *err)
{
	const struct elf_object *obj = post->obj;
	size_t i, k, n = 0, cap = 0;

	for (i = 0; i < obj->nr_sections; i++)
		if (!strncmp(obj->sections[i].name, OPTION_SECTION_PREFIX,
			     strlen(OPTION_SECTION_PREFIX)))
			cap += obj->sections[i].nr_relocs;
	*out = xcalloc(cap + 1, sizeof(**out));
	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *sec = &obj->sections[i];
		enum patch_option_kind kind;

		if (strncmp(sec->name, OPTION_SECTION_PREFIX, strlen(OPTION_SECTION_PREFIX)))
			continue;
		kind = kind_of_section(sec->name);
		if (!kind) {
			ks_fail(err, "%s: unknown option section %s (ksplice-patch.h names the "
				"options)", obj->path, sec->name);
			goto fail;
		}
		for (k = 0; k < sec->nr_relocs; k++)
			if (add_option(post, sec, &sec->relocs[k], kind, &(*out)[n++], err))
				goto fail;
	}
	return (long)n;
fail:
	free(*out);
	*out = NULL;
	return -1;
}

bool patch_options_mark(const struct patch_option *opts, long n, const struct unit *u,
			enum patch_option_kind kind)
{
	long i;

	for (i = 0; i < n; i++)
		if (opts[i].unit == u && opts[i].kind == kind)
			return true;
	return false;
}
