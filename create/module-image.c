// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/module-image.h"

void module_grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*array = xrealloc(*array, n * size);
	*cap = n;
}

void module_image_init(struct module_image *img, enum ksplice_module_kind kind,
		       uint16_t machine, int elf_class)
{
	memset(img, 0, sizeof(*img));
	img->kind = kind;
	img->machine = machine;
	img->elf_class = elf_class;
}

static void free_section(struct image_section *s)
{
	size_t i;

	for (i = 0; i < s->nr_relocs; i++)
		free(s->relocs[i].symbol);
	for (i = 0; i < s->nr_syms; i++)
		free(s->syms[i].name);
	free(s->relocs);
	free(s->syms);
	free(s->data);
	free(s->name);
	free(s->global);
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void module_image_free(struct module_image *img)
{
	size_t i;

	for (i = 0; i < img->nr_secs; i++)
		free_section(&img->secs[i]);
	for (i = 0; i < img->nr_relocs; i++)
		free(img->relocs[i].name);
	for (i = 0; i < img->nr_sections; i++)
		free(img->sections[i].symbol);
	for (i = 0; i < img->nr_sites; i++)
		free(img->sites[i].replacement);
	for (i = 0; i < img->nr_patches; i++)
		free(img->patches[i].old_name);
	free(img->secs);
	free(img->relocs);
	free(img->sections);
	free(img->sites);
	free(img->patches);
	free(img->hooks);
	free_strings(img->namespaces, img->nr_namespaces);
	free_strings(img->notes, img->nr_notes);
	memset(img, 0, sizeof(*img));
}

int image_add_section(struct module_image *img, const char *name,
		      uint32_t type, uint64_t flags, uint64_t align,
		      const unsigned char *data, uint64_t size)
{
	struct image_section *s;

	module_grow((void **)&img->secs, &img->cap_secs, img->nr_secs + 1,
		   sizeof(*s));
	s = &img->secs[img->nr_secs];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(name);
	s->global = xasprintf("__ksplice_sec_%zu", img->nr_secs);
	s->type = type;
	s->flags = flags;
	s->align = align ? align : 1;
	s->size = size;
	if (type != SHT_NOBITS) {
		s->data = xcalloc(1, size);
		if (data && size)
			memcpy(s->data, data, size);
	}
	return (int)img->nr_secs++;
}

uint64_t image_append(struct module_image *img, int sec,
		      const unsigned char *data, uint64_t size)
{
	struct image_section *s = &img->secs[sec];
	uint64_t at = s->size;

	s->size += size;
	if (s->type != SHT_NOBITS) {
		s->data = xrealloc(s->data, s->size);
		if (data)
			memcpy(s->data + at, data, size);
		else
			memset(s->data + at, 0, size);
	}
	return at;
}

void image_add_symbol(struct module_image *img, int sec, const char *name,
		      uint64_t value, uint64_t size, unsigned char type)
{
	struct image_section *s = &img->secs[sec];
	struct image_symbol *sym;

	module_grow((void **)&s->syms, &s->cap_syms, s->nr_syms + 1,
		   sizeof(*sym));
	sym = &s->syms[s->nr_syms++];
	sym->name = xstrdup(name);
	sym->value = value;
	sym->size = size;
	sym->type = type;
}

void image_add_reloc(struct module_image *img, int sec,
		     const struct image_reloc *r)
{
	struct image_section *s = &img->secs[sec];
	struct image_reloc *n;

	module_grow((void **)&s->relocs, &s->cap_relocs, s->nr_relocs + 1,
		   sizeof(*n));
	n = &s->relocs[s->nr_relocs++];
	*n = *r;
	n->symbol = r->symbol ? xstrdup(r->symbol) : NULL;
}

void image_add_record_reloc(struct module_image *img,
			    const struct image_record_reloc *r)
{
	struct image_record_reloc *n;

	module_grow((void **)&img->relocs, &img->cap_relocs, img->nr_relocs + 1,
		   sizeof(*n));
	n = &img->relocs[img->nr_relocs++];
	*n = *r;
	if (r->target_kind == KSPLICE_TARGET_CONST) {
		n->name = xmalloc(r->len);	/* bytes, NULs included */
		memcpy(n->name, r->name, r->len);
	} else {
		n->name = r->name ? xstrdup(r->name) : NULL;
	}
}

size_t image_add_record_section(struct module_image *img,
				const struct image_record_section *s)
{
	struct image_record_section *n;

	module_grow((void **)&img->sections, &img->cap_sections,
		   img->nr_sections + 1, sizeof(*n));
	n = &img->sections[img->nr_sections];
	*n = *s;
	n->symbol = s->symbol ? xstrdup(s->symbol) : NULL;
	return img->nr_sections++;
}

void image_add_record_site(struct module_image *img,
			   const struct image_record_site *s)
{
	struct image_record_site *n;

	module_grow((void **)&img->sites, &img->cap_sites, img->nr_sites + 1,
		   sizeof(*n));
	n = &img->sites[img->nr_sites++];
	*n = *s;
	n->replacement = NULL;
	if (s->replacement && s->replacement_len) {
		n->replacement = xmalloc(s->replacement_len);
		memcpy(n->replacement, s->replacement, s->replacement_len);
	}
}

void image_add_record_patch(struct module_image *img,
			    const struct image_record_patch *p)
{
	struct image_record_patch *n;

	module_grow((void **)&img->patches, &img->cap_patches,
		   img->nr_patches + 1, sizeof(*n));
	n = &img->patches[img->nr_patches++];
	*n = *p;
	n->old_name = xstrdup(p->old_name);
}

void image_add_record_hook(struct module_image *img,
			   const struct image_record_hook *h)
{
	module_grow((void **)&img->hooks, &img->cap_hooks, img->nr_hooks + 1,
		    sizeof(*h));
	img->hooks[img->nr_hooks++] = *h;
}

void image_add_namespace(struct module_image *img, const char *ns)
{
	size_t i;

	for (i = 0; i < img->nr_namespaces; i++)
		if (!strcmp(img->namespaces[i], ns))
			return;
	module_grow((void **)&img->namespaces, &img->cap_namespaces,
		   img->nr_namespaces + 1, sizeof(char *));
	img->namespaces[img->nr_namespaces++] = xstrdup(ns);
}

void image_add_note(struct module_image *img, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup(fmt);
	va_end(ap);
	module_grow((void **)&img->notes, &img->cap_notes, img->nr_notes + 1,
		   sizeof(char *));
	img->notes[img->nr_notes++] = s;
}

void image_zero_field(struct module_image *img, int sec, uint64_t offset,
		      int size)
{
	struct image_section *s = &img->secs[sec];

	if (s->data && size > 0 && offset + size <= s->size)
		memset(s->data + offset, 0, size);
}
