// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/elf-object.h"
#include "create/module-place.h"
#include "create/reloc-types.h"

void module_name_of(const char *ko, char *name, size_t size)
{
	const char *base = strrchr(ko, '/');
	size_t n, i;

	base = base ? base + 1 : ko;
	n = strcspn(base, ".");
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[n] = '\0';
}

/*
 * The next "…/NAME/sections/SECTION:0xADDRESS" line of @p for module
 * @name: sets @section (bounded copy) and @addr, returns the line after it,
 * or NULL at the end.
 */
static const char *next_section(const char *p, const char *name, char *section, size_t size,
				u64 *addr)
{
	char key[96];
	size_t klen = (size_t)snprintf(key, sizeof(key), "/%s/sections/", name);

	while (p && *p) {
		const char *end = strchr(p, '\n'), *hit, *colon;
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *next = end ? end + 1 : NULL;

		hit = memmem(p, len, key, klen);
		colon = hit ? memrchr(p, ':', len) : NULL;
		if (colon && colon > hit + klen && (size_t)(colon - hit - klen) < size) {
			memcpy(section, hit + klen, colon - hit - klen);
			section[colon - hit - klen] = '\0';
			*addr = strtoull(colon + 1, NULL, 16);
			return next ? next : p + len;
		}
		p = next;
	}
	return NULL;
}

bool sections_dump_has(const char *sections, const char *name)
{
	char section[128];
	u64 addr;

	return next_section(sections, name, section, sizeof(section), &addr) != NULL;
}

static void place_sections(struct placed_module *pm, const char *sections)
{
	const struct elf_object *obj = pm->obj;
	const char *p = sections;
	char name[128];
	u64 addr;
	size_t i;

	while ((p = next_section(p, pm->name, name, sizeof(name), &addr))) {
		for (i = 0; i < obj->nr_sections; i++) {
			const struct elf_section *s = &obj->sections[i];

			if ((s->flags & SHF_ALLOC) && !pm->addr[i] && addr && !strcmp(s->name, name)) {
				pm->addr[i] = addr;
				pm->mem[i] = xcalloc(1, s->size + 8);
				if (s->data)
					memcpy(pm->mem[i], s->data, s->size);
				pm->nr_placed++;
				break;
			}
		}
	}
}

/* Where symbol @sym is in the running kernel; false if unknown. */
static bool symbol_address(const struct placed_module *pm, const struct kallsyms_dump *ks,
			   const struct elf_symbol *sym, u64 *value)
{
	if (sym->sec) {
		*value = pm->addr[sym->sec->index] + sym->value;
		return pm->addr[sym->sec->index] != 0;
	}
	if (sym->shndx == SHN_ABS) {
		*value = sym->value;
		return true;
	}
	return kallsyms_lookup(ks, sym->name, value, 1) == 1 ||
	       kallsyms_lookup_module(ks, NULL, sym->name, value, 1) == 1;
}

static void relocate(struct placed_module *pm, const struct kallsyms_dump *ks)
{
	const struct elf_object *obj = pm->obj;
	size_t i, k;

	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *s = &obj->sections[i];

		if (!pm->mem[i])
			continue;
		for (k = 0; k < s->nr_relocs; k++) {
			const struct elf_reloc *r = &s->relocs[k];
			u64 sym, value;

			if (r->size <= 0 || r->offset + r->size > s->size)
				continue;
			if (!symbol_address(pm, ks, r->sym, &sym)) {
				pm->nr_unresolved++;
				continue;
			}
			value = sym + r->addend;
			if (reloc_is_pc_relative(obj->machine, r->type))
				value -= pm->addr[i] + r->offset;
			memcpy(pm->mem[i] + r->offset, &value, r->size);	/* little-endian */
		}
	}
}

int module_place(struct placed_module *pm, const char *name, const char *ko, u16 machine,
		 const char *sections, const struct kallsyms_dump *ks, struct ks_error *err)
{
	memset(pm, 0, sizeof(*pm));
	snprintf(pm->name, sizeof(pm->name), "%s", name);
	pm->obj = elf_object_load(ko, err);
	if (!pm->obj)
		return -1;
	if (pm->obj->machine != machine)
		return ks_fail(err, "%s: not an %s module", ko,
			       machine == EM_386 ? "i386" : "x86-64");
	pm->addr = xcalloc(pm->obj->nr_sections, sizeof(*pm->addr));
	pm->mem = xcalloc(pm->obj->nr_sections, sizeof(*pm->mem));
	place_sections(pm, sections);
	if (!pm->nr_placed)
		return ks_fail(err, "%s: none of its sections is in the sections dump of module %s (another module's .ko?)",
			       ko, name);
	relocate(pm, ks);
	return 0;
}

void module_place_free(struct placed_module *pm)
{
	size_t i;

	if (pm->mem)
		for (i = 0; i < pm->obj->nr_sections; i++)
			free(pm->mem[i]);
	free(pm->mem);
	free(pm->addr);
	if (pm->obj)
		elf_object_free(pm->obj);
	memset(pm, 0, sizeof(*pm));
}

static long section_at(const struct placed_module *pm, u64 addr)
{
	size_t i;

	for (i = 0; pm->obj && i < pm->obj->nr_sections; i++)
		if (pm->mem[i] && addr >= pm->addr[i] && addr - pm->addr[i] < pm->obj->sections[i].size)
			return (long)i;
	return -1;
}

bool module_place_contains(const struct placed_module *pm, u64 addr)
{
	return section_at(pm, addr) >= 0;
}

int module_place_read(const struct placed_module *pm, u64 addr, void *buf, size_t len)
{
	unsigned char *out = buf;

	while (len) {
		long i = section_at(pm, addr);
		u64 n;

		if (i < 0)
			return -1;
		n = pm->addr[i] + pm->obj->sections[i].size - addr;
		if (n > len)
			n = len;
		memcpy(out, pm->mem[i] + (addr - pm->addr[i]), n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}
