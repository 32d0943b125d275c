// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "create/elf-object.h"
#include "create/module-dump.h"
#include "create/module-load.h"

static u64 host_address(const void *p)
{
	return (u64)(uintptr_t)p;
}

/*
 * A record's pointers are as wide as the module's own: an i386 module's
 * R_386_32 fields hold 32 bits of an 8-byte KSPLICE_PTR slot whose high
 * half stays zero. Its copies must then sit below 4 GiB to be followed on
 * a 64-bit host (MAP_32BIT: the first 2 GiB).
 */
static bool loadable(u16 machine)
{
	if (sizeof(void *) == 4)
		return machine == EM_386;
#ifdef MAP_32BIT
	if (machine == EM_386)
		return true;
#endif
	return machine == EM_X86_64;
}

static int map_flags(u16 machine)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

#ifdef MAP_32BIT
	if (sizeof(void *) == 8 && machine == EM_386)
		flags |= MAP_32BIT;
#endif
	return flags;
}

static size_t section_align(const struct elf_section *s)
{
	return s->align > 16 ? s->align : 16;
}

/* Copy every allocated section (NOBITS ones zeroed) into one arena, aligned as it asks. */
static int copy_sections(struct loaded_module *m, struct ks_error *err)
{
	const struct elf_object *obj = m->obj;
	uintptr_t at;
	size_t i;

	m->mem = xcalloc(obj->nr_sections, sizeof(*m->mem));
	for (i = 0; i < obj->nr_sections; i++)
		if (obj->sections[i].flags & SHF_ALLOC)
			m->arena_size += obj->sections[i].size + 8 + section_align(&obj->sections[i]);
	m->arena_size += 1;
	m->arena = mmap(NULL, m->arena_size, PROT_READ | PROT_WRITE, map_flags(obj->machine),
			-1, 0);
	if (m->arena == MAP_FAILED) {
		m->arena = NULL;
		return ks_fail(err, "cannot map memory for the module: %s", strerror(errno));
	}
	at = (uintptr_t)m->arena;
	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *s = &obj->sections[i];
		size_t align = section_align(s);

		if (!(s->flags & SHF_ALLOC))
			continue;
		at = (at + align - 1) / align * align;
		m->mem[i] = (unsigned char *)at;
		if (s->data)
			memcpy(m->mem[i], s->data, s->size);
		at += s->size + 8;
	}
	return 0;
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
	if (!loadable(m->obj->machine))
		return ks_fail(err, "a module for another architecture (ELF machine %u) cannot be loaded here",
			       m->obj->machine);
	if (copy_sections(m, err))
		return -1;
	relocate(m);
	ds = elf_object_find_section(m->obj, KSPLICE_DESC_SECTION);
	m->desc = (const void *)m->mem[ds->index];
	m->id = m->desc->id;
	m->target = m->desc->target;
	return 0;
}

void module_unload(struct loaded_module *m)
{
	if (m->arena)
		munmap(m->arena, m->arena_size);
	free(m->mem);
	if (m->obj)
		elf_object_free(m->obj);
	memset(m, 0, sizeof(*m));
}
