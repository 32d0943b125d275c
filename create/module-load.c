// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "create/elf-object.h"
#include "create/module-dump.h"
#include "create/module-load.h"

static u16 host_machine(void)
{
	return sizeof(void *) == 8 ? EM_X86_64 : EM_386;
}

static u64 host_address(const void *p)
{
	return (u64)(uintptr_t)p;
}

/* Copy every allocated section (NOBITS ones zeroed), aligned as it asks. */
static void copy_sections(struct loaded_module *m)
{
	const struct elf_object *obj = m->obj;
	size_t i;

	m->mem = xcalloc(obj->nr_sections, sizeof(*m->mem));
	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *s = &obj->sections[i];
		size_t align = s->align > 16 ? s->align : 16;

		if (!(s->flags & SHF_ALLOC))
			continue;
		if (posix_memalign((void **)&m->mem[i], align, s->size + 8))
			abort();
		memset(m->mem[i], 0, s->size + 8);
		if (s->data)
			memcpy(m->mem[i], s->data, s->size);
	}
}

/* Absolute relocations only: helper copies carry none (module-dump checks it). */
static void relocate(struct loaded_module *m)
{
	const struct elf_object *obj = m->obj;
	u32 absolute = obj->machine == EM_X86_64 ? R_X86_64_64 : R_386_32;
	size_t i, k;

	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *s = &obj->sections[i];

		if (!m->mem[i])
			continue;
		for (k = 0; k < s->nr_relocs; k++) {
			const struct elf_reloc *r = &s->relocs[k];
			const struct elf_section *target = r->sym->sec;
			u64 v;

			if (r->type != absolute || r->offset + r->size > s->size)
				continue;
			v = target && m->mem[target->index] ?
				host_address(m->mem[target->index]) : 0;
			v += r->sym->value + r->addend;
			memcpy(m->mem[i] + r->offset, &v, r->size);
		}
	}
}

int module_load(const char *path, struct loaded_module *m, struct ks_error *err)
{
	const struct elf_section *ds;

	memset(m, 0, sizeof(*m));
	if (module_dump(path, NULL, NULL, err))
		return -1;
	m->obj = elf_object_load(path, err);
	if (!m->obj)
		return -1;
	if (m->obj->machine != host_machine())
		return ks_fail(err, "a module for another architecture (ELF machine %u) cannot be loaded here",
			       m->obj->machine);
	copy_sections(m);
	relocate(m);
	ds = elf_object_find_section(m->obj, KSPLICE_DESC_SECTION);
	m->desc = (const void *)m->mem[ds->index];
	m->id = m->desc->id;
	m->target = m->desc->target;
	return 0;
}

void module_unload(struct loaded_module *m)
{
	size_t i;

	if (m->mem)
		for (i = 0; i < m->obj->nr_sections; i++)
			free(m->mem[i]);
	free(m->mem);
	if (m->obj)
		elf_object_free(m->obj);
	memset(m, 0, sizeof(*m));
}
