// SPDX-License-Identifier: GPL-2.0
#include "create/module-input.h"

struct unit *module_input_unit(const struct object_index *idx,
			       const char *name)
{
	const struct elf_symbol *sym;

	if (!name)
		return NULL;
	sym = elf_object_find_symbol(idx->obj, name);
	if (!sym || !sym->sec)
		return NULL;
	return idx->symbols[sym->index].unit;
}
