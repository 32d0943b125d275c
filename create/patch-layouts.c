// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "create/patch-layouts.h"
#include "create/section-kinds.h"

void patch_layouts_find(const struct elf_object *post, struct build_strlist *names)
{
	size_t i, at;

	for (i = 0; i < post->nr_sections; i++) {
		const struct elf_section *sec = &post->sections[i];

		if (strcmp(sec->name, LAYOUT_SECTION) || !sec->data)
			continue;
		/* Strings back to back; a string is never cut (the macro's array holds it whole). */
		for (at = 0; at < sec->size; at += strnlen((const char *)sec->data + at,
							 sec->size - at) + 1)
			if (sec->data[at])
				build_strlist_add_owned(names, build_xstrndup(
					(const char *)sec->data + at, sec->size - at));
	}
}
