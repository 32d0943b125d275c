/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ELF relocatable object (x86-64 RELA or i386 REL) loaded into memory:
 * sections, symbols and, per section, its relocations with explicit
 * addends (for REL the addend is read from the section bytes).
 *
 * Every pointer in the model stays valid until elf_object_free().
 */
#ifndef KSPLICE_ELF_OBJECT_H
#define KSPLICE_ELF_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "create/create-util.h"

struct elf_symbol;

struct elf_reloc {
	uint64_t offset;		/* of the field within the section */
	uint32_t type;
	int size;			/* bytes covered by the field */
	struct elf_symbol *sym;		/* never NULL (index 0 is the null symbol) */
	int64_t addend;
};

struct elf_section {
	size_t index;
	const char *name;
	uint32_t type;			/* SHT_* */
	uint64_t flags;			/* SHF_* */
	uint64_t size;
	uint64_t align;
	uint64_t entsize;
	uint32_t link, info;
	const unsigned char *data;	/* NULL for SHT_NOBITS and empty sections */

	/* Relocations applying to this section, sorted by offset. */
	struct elf_reloc *relocs;
	size_t nr_relocs;
	struct elf_section *reloc_section;	/* the .rel(a) section, or NULL */

	/* Named symbols defined here (not section/file symbols), by value. */
	struct elf_symbol **syms;
	size_t nr_syms;
	struct elf_symbol *section_sym;	/* the STT_SECTION symbol, if any */
};

struct elf_symbol {
	size_t index;
	const char *name;		/* "" for unnamed symbols */
	unsigned char bind;		/* STB_* */
	unsigned char type;		/* STT_* */
	uint32_t shndx;			/* resolved through SHT_SYMTAB_SHNDX */
	struct elf_section *sec;	/* NULL: undefined, absolute or common */
	uint64_t value;
	uint64_t size;
};

struct elf_object {
	char *path;
	int elf_class;			/* ELFCLASS32 or ELFCLASS64 */
	uint16_t machine;		/* EM_X86_64 or EM_386 */
	struct elf_section *sections;
	size_t nr_sections;
	struct elf_symbol *symbols;
	size_t nr_symbols;

	/* private */
	int fd;
	void *elf;
};

/* Load @path; on failure return NULL with a message in @err. */
struct elf_object *elf_object_load(const char *path, struct ks_error *err);
void elf_object_free(struct elf_object *obj);

struct elf_section *elf_object_find_section(const struct elf_object *obj,
					    const char *name);
struct elf_symbol *elf_object_find_symbol(const struct elf_object *obj,
					  const char *name);

/* True for symbols that name something (not section/file, not ".L..."). */
bool elf_symbol_is_named(const struct elf_symbol *sym);

#endif
