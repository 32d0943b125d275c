// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/update-validate.h"
#include "create/elf-object.h"
#include "create/module-dump.h"

#define LAYOUT_BASE 0x100000ULL
/* No update module section comes near this; a bigger one is corrupt. */
#define LAYOUT_MAX_SECTION (1ULL << 30)

/* The module as the loader would lay it out, at made-up addresses. */
struct layout {
	const struct elf_object *obj;
	u64 *base;		/* per section; 0: not loaded */
	unsigned char **mem;	/* relocated copy of each loaded section */
	const struct module_dump_visitor *v;
	struct ks_error *err;
};

static int lay_out(struct layout *l)
{
	const struct elf_object *obj = l->obj;
	u64 at = LAYOUT_BASE;
	size_t i;

	l->base = xcalloc(obj->nr_sections, sizeof(u64));
	l->mem = xcalloc(obj->nr_sections, sizeof(unsigned char *));
	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *s = &obj->sections[i];
		u64 align = s->align ? s->align : 1;

		if (!(s->flags & SHF_ALLOC))
			continue;
		if (s->size > LAYOUT_MAX_SECTION || align > LAYOUT_MAX_SECTION)
			return ks_fail(l->err, "section %s: size or alignment out of range",
				       s->name);
		at = (at + align - 1) / align * align;
		l->base[i] = at;
		l->mem[i] = xcalloc(1, s->size + 8);
		if (s->data)
			memcpy(l->mem[i], s->data, s->size);
		at += s->size + 64;	/* a gap: end pointers stay unambiguous */
	}
	return 0;
}

static bool is_absolute(const struct elf_object *obj, u32 type)
{
	return obj->machine == EM_X86_64 ? type == R_X86_64_64 : type == R_386_32;
}

static void apply_relocations(struct layout *l)
{
	const struct elf_object *obj = l->obj;
	size_t i, k;

	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *s = &obj->sections[i];

		if (!l->mem[i])
			continue;
		for (k = 0; k < s->nr_relocs; k++) {
			const struct elf_reloc *r = &s->relocs[k];
			u64 v;

			if (!is_absolute(obj, r->type) || r->offset + r->size > s->size)
				continue;
			v = r->sym->sec ? l->base[r->sym->sec->index] : 0;
			v += r->sym->value + r->addend;
			memcpy(l->mem[i] + r->offset, &v, r->size);
		}
	}
}

/* The section holding made-up address @addr (+@len bytes), or -1. */
static long section_at(const struct layout *l, u64 addr, u64 len)
{
	size_t i;

	for (i = 0; i < l->obj->nr_sections; i++) {
		u64 size = l->obj->sections[i].size;

		if (l->base[i] && addr >= l->base[i] &&
		    addr - l->base[i] <= size && len <= size - (addr - l->base[i]))
			return (long)i;
	}
	return -1;
}

static const void *at(const struct layout *l, u64 addr, u64 len)
{
	long i = section_at(l, addr, len);

	return i < 0 ? NULL : l->mem[i] + (addr - l->base[i]);
}

static const char *string_at(const struct layout *l, u64 addr)
{
	long i = section_at(l, addr, 1);
	const char *s;

	if (i < 0)
		return NULL;
	s = (const char *)l->mem[i] + (addr - l->base[i]);
	return memchr(s, 0, l->base[i] + l->obj->sections[i].size - addr) ? s
									    : NULL;
}

static struct module_dump_place place(const struct layout *l, u64 addr)
{
	long i = section_at(l, addr, 0);

	if (i < 0)
		return (struct module_dump_place){ NULL, addr };
	return (struct module_dump_place){ l->obj->sections[i].name,
					   addr - l->base[i] };
}

const char *module_dump_place_string(struct module_dump_place p, char *buf,
				     size_t size)
{
	if (!p.section)
		snprintf(buf, size, "0x%" PRIx64 "(outside)", p.offset);
	else
		snprintf(buf, size, "%s+0x%" PRIx64, p.section, p.offset);
	return buf;
}

static const char *where(const struct layout *l, u64 addr, char *buf, size_t n)
{
	return module_dump_place_string(place(l, addr), buf, n);
}

/* A loader relocation in section @sec covering [off, off + size). */
static bool loader_reloc_at(const struct elf_section *sec, u64 off, int size)
{
	size_t k;

	for (k = 0; k < sec->nr_relocs; k++)
		if (sec->relocs[k].offset < off + size &&
		    sec->relocs[k].offset + sec->relocs[k].size > off)
			return true;
	return false;
}

static int check_reloc(const struct layout *l, const struct ksplice_module_desc *d,
		       const struct ksplice_reloc *r)
{
	long sec = section_at(l, r->site_raw, r->size);
	const char *why = ksplice_validate_reloc(r, d->nr_sections);
	const char *name = r->target_kind == KSPLICE_TARGET_CONST ?
		(const char *)at(l, r->name_raw, r->len) :
		r->name_raw ? string_at(l, r->name_raw) : "";
	const struct elf_section *s;
	char buf[128];

	if (why)
		return ks_fail(l->err, "relocation record: %s", why);
	if (sec < 0 || !name)
		return ks_fail(l->err, "relocation record points outside the module");
	s = &l->obj->sections[sec];
	if (loader_reloc_at(s, r->site_raw - l->base[sec], r->size) ||
	    memcmp(l->mem[sec] + (r->site_raw - l->base[sec]), "\0\0\0\0\0\0\0\0", r->size))
		return ks_fail(l->err, "relocation field %s is not zeroed or also relocated by the loader",
			       where(l, r->site_raw, buf, sizeof(buf)));
	if (l->v && l->v->reloc)
		l->v->reloc(l->v->ctx, r, place(l, r->site_raw), name);
	return 0;
}

static int check_section(const struct layout *l, const struct ksplice_section *s,
			 bool helper)
{
	long sec = section_at(l, s->address_raw, s->size);
	const char *sym = s->symbol_raw ? string_at(l, s->symbol_raw) : "";

	if (sec < 0 || !sym)
		return ks_fail(l->err, "section record points outside the module");
	if (helper && (strncmp(l->obj->sections[sec].name, ".ksplice_pre", 12) ||
		       l->obj->sections[sec].nr_relocs))
		return ks_fail(l->err, "helper section %s is not a relocation-free copy",
			       l->obj->sections[sec].name);
	if (l->v && l->v->section)
		l->v->section(l->v->ctx, s, place(l, s->address_raw), sym);
	return 0;
}

static int check_site(const struct layout *l, const struct ksplice_site *s)
{
	const char *why = ksplice_validate_site(s);

	if (why)
		return ks_fail(l->err, "site record: %s", why);
	if (section_at(l, s->address_raw, s->len) < 0 ||
	    (s->replacement_len && !at(l, s->replacement_raw, s->replacement_len)))
		return ks_fail(l->err, "site record points outside the module");
	if (l->v && l->v->site)
		l->v->site(l->v->ctx, s, place(l, s->address_raw),
			   place(l, s->replacement_raw));
	return 0;
}

static int check_patch(const struct layout *l, const struct ksplice_patch *p)
{
	const char *why = ksplice_validate_patch(p);
	const char *name = p->old_name_raw ? string_at(l, p->old_name_raw) : NULL;

	if (why)
		return ks_fail(l->err, "patch record: %s", why);
	if (!name || (p->kind != KSPLICE_PATCH_ERROR_STUB &&
		      section_at(l, p->new_address_raw, 1) < 0))
		return ks_fail(l->err, "patch record points outside the module");
	if (l->v && l->v->patch)
		l->v->patch(l->v->ctx, p, name, place(l, p->new_address_raw));
	return 0;
}

static int check_hook(const struct layout *l, const struct ksplice_hook *h)
{
	const char *why = ksplice_validate_hook(h);

	if (why)
		return ks_fail(l->err, "hook record: %s", why);
	if (section_at(l, h->fn_raw, 1) < 0)
		return ks_fail(l->err, "hook record points outside the module");
	if (l->v && l->v->hook)
		l->v->hook(l->v->ctx, h, place(l, h->fn_raw));
	return 0;
}

#define CHECK_ARRAY(type, field, count, check)                                \
	do {                                                                  \
		const struct type *v_ = (count) ?                             \
			at(l, d->field##_raw, (count) * sizeof(*v_)) : NULL;  \
		u64 i_;                                                       \
		if ((count) && !v_)                                           \
			return ks_fail(l->err, #field " array outside the module"); \
		for (i_ = 0; i_ < (count); i_++)                              \
			if (check)                                            \
				return -1;                                    \
	} while (0)

static int check_desc(struct layout *l)
{
	const struct elf_section *ds = elf_object_find_section(l->obj,
							       KSPLICE_DESC_SECTION);
	const struct ksplice_module_desc *d;
	const char *why, *id, *target;
	bool helper;

	if (!ds || ds->size != sizeof(*d) || !l->mem[ds->index])
		return ks_fail(l->err, "no single descriptor in section %s",
			       KSPLICE_DESC_SECTION);
	d = (const void *)l->mem[ds->index];
	why = ksplice_validate_desc(d);
	if (why)
		return ks_fail(l->err, "descriptor: %s", why);
	id = string_at(l, d->id_raw);
	target = string_at(l, d->target_raw);
	if (!id || !target)
		return ks_fail(l->err, "descriptor names outside the module");
	helper = d->kind == KSPLICE_HELPER;
	if (l->v && l->v->desc)
		l->v->desc(l->v->ctx, d, id, target);
	CHECK_ARRAY(ksplice_reloc, relocs, d->nr_relocs, check_reloc(l, d, &v_[i_]));
	CHECK_ARRAY(ksplice_section, sections, d->nr_sections,
		    check_section(l, &v_[i_], helper));
	CHECK_ARRAY(ksplice_site, sites, d->nr_sites, check_site(l, &v_[i_]));
	CHECK_ARRAY(ksplice_patch, patches, d->nr_patches, check_patch(l, &v_[i_]));
	CHECK_ARRAY(ksplice_hook, hooks, d->nr_hooks, check_hook(l, &v_[i_]));
	return 0;
}

static void fill_counts(const struct layout *l, struct module_dump_counts *c)
{
	const struct elf_section *ds = elf_object_find_section(l->obj,
							       KSPLICE_DESC_SECTION);
	const struct ksplice_module_desc *d = (const void *)l->mem[ds->index];

	c->kind = d->kind;
	c->nr_relocs = d->nr_relocs;
	c->nr_sections = d->nr_sections;
	c->nr_sites = d->nr_sites;
	c->nr_patches = d->nr_patches;
	c->nr_hooks = d->nr_hooks;
}

int module_dump_visit(const char *path, const struct module_dump_visitor *v,
		      struct module_dump_counts *counts, struct ks_error *err)
{
	struct elf_object *obj = elf_object_load(path, err);
	struct layout l = { .obj = obj, .v = v, .err = err };
	size_t i;
	int ret;

	if (!obj)
		return -1;
	ret = lay_out(&l);
	if (!ret) {
		apply_relocations(&l);
		ret = check_desc(&l);
	}
	if (!ret && counts)
		fill_counts(&l, counts);
	for (i = 0; i < obj->nr_sections; i++)
		free(l.mem[i]);
	free(l.mem);
	free(l.base);
	elf_object_free(obj);
	return ret;
}

/* The plain dump: one line per record, numbers as stored. */
static void print_desc(void *out, const struct ksplice_module_desc *d,
		       const char *id, const char *target)
{
	fprintf(out, "%s id=%s target=%s machine=%u relocs=%" PRIu64
		" sections=%" PRIu64 " sites=%" PRIu64 " patches=%" PRIu64 "\n",
		d->kind == KSPLICE_HELPER ? "helper" : "primary", id, target,
		d->machine, d->nr_relocs, d->nr_sections, d->nr_sites,
		d->nr_patches);
}

static void print_reloc(void *out, const struct ksplice_reloc *r,
			struct module_dump_place site, const char *name)
{
	char buf[128];

	fprintf(out, "reloc %s kind=%u name=\"%s\" addend=%" PRId64
		" type=%u size=%u flags=%u section=%u len=%u scope=%u\n",
		module_dump_place_string(site, buf, sizeof(buf)), r->target_kind,
		r->target_kind == KSPLICE_TARGET_CONST ? "" : name, r->addend, r->type,
		r->size, r->flags, r->section, r->len, r->scope);
}

static void print_section(void *out, const struct ksplice_section *s,
			  struct module_dump_place address, const char *symbol)
{
	char buf[128];

	fprintf(out, "section %s size=0x%" PRIx64 " symbol=%s flags=%u scope=%u\n",
		module_dump_place_string(address, buf, sizeof(buf)), s->size,
		symbol, s->flags, s->scope);
}

static void print_site(void *out, const struct ksplice_site *s,
		       struct module_dump_place address,
		       struct module_dump_place replacement)
{
	char buf[128];

	(void)replacement;	/* not part of the plain format */
	fprintf(out, "site %s kind=%u len=%u replacement_len=%u\n",
		module_dump_place_string(address, buf, sizeof(buf)), s->kind,
		s->len, s->replacement_len);
}

static void print_patch(void *out, const struct ksplice_patch *p,
			const char *old_name, struct module_dump_place new_address)
{
	char buf[128];

	fprintf(out, "patch %s -> %s kind=%u helper_section=%" PRIu64 "\n",
		old_name, p->new_address_raw ?
		module_dump_place_string(new_address, buf, sizeof(buf)) : "stub",
		p->kind, p->helper_section);
}

static void print_hook(void *out, const struct ksplice_hook *h, struct module_dump_place fn)
{
	char buf[128];

	fprintf(out, "hook %s kind=%u\n", module_dump_place_string(fn, buf, sizeof(buf)), h->kind);
}

int module_dump(const char *path, FILE *out, struct module_dump_counts *counts,
		struct ks_error *err)
{
	const struct module_dump_visitor printer = {
		.desc = print_desc, .reloc = print_reloc,
		.section = print_section, .site = print_site,
		.patch = print_patch, .hook = print_hook, .ctx = out,
	};

	return module_dump_visit(path, out ? &printer : NULL, counts, err);
}
