/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory image of one update module before it is written: the
 * sections copied out of the kernel objects (bytes, the relocations left
 * for the module loader, local symbols) and the ksplice records that will
 * describe them (core/update-format.h).
 *
 * Every image section gets a unique global symbol ("__ksplice_sec_N") so
 * the generated C (module-stub.h) can point records into it.
 */
#ifndef KSPLICE_MODULE_IMAGE_H
#define KSPLICE_MODULE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/update-format.h"
#include "create/create-util.h"

/* A relocation left in the object for the module loader. */
struct image_reloc {
	uint64_t offset;
	uint32_t type;
	int target;		/* image section index, or -1: undefined symbol */
	char *symbol;		/* the undefined symbol when target == -1 */
	int64_t addend;		/* from the target section's start / symbol */
};

/* A named local symbol kept for kallsyms and stack traces. */
struct image_symbol {
	char *name;
	uint64_t value, size;
	unsigned char type;	/* STT_FUNC or STT_OBJECT */
};

struct image_section {
	char *name;
	char *global;		/* "__ksplice_sec_N" */
	uint32_t type;		/* SHT_PROGBITS or SHT_NOBITS */
	uint64_t flags, align, entsize;
	unsigned char *data;	/* NULL for SHT_NOBITS */
	uint64_t size;
	struct image_reloc *relocs;
	size_t nr_relocs, cap_relocs;
	struct image_symbol *syms;
	size_t nr_syms, cap_syms;
};

/* A place in the image: section index + offset. */
struct image_place {
	int sec;
	uint64_t offset;
};

struct image_record_reloc {
	struct image_place site;
	char *name;		/* symbol name, string bytes (NUL-terminated) or constant */
	int64_t addend;
	uint32_t type;
	uint8_t size, target_kind;
	uint16_t flags;
	uint32_t section;	/* KSPLICE_TARGET_SECTION */
	uint32_t len;		/* KSPLICE_TARGET_CONST: bytes at name */
	uint32_t scope;		/* local symbols: the object (struct ksplice_reloc) */
};

struct image_record_section {
	struct image_place start;
	uint64_t size;
	char *symbol;
	uint32_t flags;
	uint32_t scope;		/* of symbol (struct ksplice_section) */
};

struct image_record_site {
	struct image_place site;
	uint16_t len, kind;
	unsigned char *replacement;	/* owned copy, or NULL */
	uint16_t replacement_len;
};

struct image_record_patch {
	char *old_name;
	uint64_t helper_section;
	struct image_place new_code;	/* .sec == -1: no replacement code */
	uint32_t kind;
};

struct image_record_hook {
	struct image_place fn;
	uint32_t kind;		/* enum ksplice_hook_kind */
};

struct module_image {
	enum ksplice_module_kind kind;
	uint16_t machine;
	int elf_class;

	struct image_section *secs;
	size_t nr_secs, cap_secs;

	struct image_record_reloc *relocs;
	size_t nr_relocs, cap_relocs;
	struct image_record_section *sections;
	size_t nr_sections, cap_sections;
	struct image_record_site *sites;
	size_t nr_sites, cap_sites;
	struct image_record_patch *patches;
	size_t nr_patches, cap_patches;
	struct image_record_hook *hooks;
	size_t nr_hooks, cap_hooks;

	/* Symbol namespaces of the exports used (MODULE_IMPORT_NS). */
	char **namespaces;
	size_t nr_namespaces, cap_namespaces;
	/* Things the user should know (e.g. dropped optional table entries). */
	char **notes;
	size_t nr_notes, cap_notes;
};

/* Grow *array (of *cap elements of @size bytes) so that it holds @need. */
void module_grow(void **array, size_t *cap, size_t need, size_t size);

void module_image_init(struct module_image *img, enum ksplice_module_kind kind,
		       uint16_t machine, int elf_class);
void module_image_free(struct module_image *img);

/* Add a section (bytes copied from @data unless NULL); returns its index. */
int image_add_section(struct module_image *img, const char *name,
		      uint32_t type, uint64_t flags, uint64_t align,
		      const unsigned char *data, uint64_t size);
/* Append @size bytes (from @data) to section @sec; returns their offset. */
uint64_t image_append(struct module_image *img, int sec,
		      const unsigned char *data, uint64_t size);
void image_add_symbol(struct module_image *img, int sec, const char *name,
		      uint64_t value, uint64_t size, unsigned char type);
void image_add_reloc(struct module_image *img, int sec,
		     const struct image_reloc *r);
void image_add_record_reloc(struct module_image *img,
			    const struct image_record_reloc *r);
/* Returns the index of the new ksplice_section record. */
size_t image_add_record_section(struct module_image *img,
				const struct image_record_section *s);
void image_add_record_site(struct module_image *img,
			   const struct image_record_site *s);
void image_add_record_patch(struct module_image *img,
			    const struct image_record_patch *p);
void image_add_record_hook(struct module_image *img,
			   const struct image_record_hook *h);
void image_add_namespace(struct module_image *img, const char *ns);
void image_add_note(struct module_image *img, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Zero the @size bytes of field @offset in section @sec. */
void image_zero_field(struct module_image *img, int sec, uint64_t offset,
		      int size);

#endif
