/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One object cut into the pieces the diff compares:
 *
 *  - units: a function (text), a variable (data), an export or a module
 *    parameter. A unit is the range of its section from its symbol up to the
 *    next symbol; a section without symbols is one pseudo unit.
 *  - table entries (__ex_table, __bug_table, ...): each belongs to the unit
 *    it references (its owner), and is compared as part of it.
 *  - content-compared places (strings, .rodata.cst*, alternative
 *    replacements, anonymous data): never units, compared where referenced.
 *
 * It also resolves where a relocation points, in terms that survive
 * recompilation (symbol + delta, string content, ...).
 */
#ifndef KSPLICE_OBJECT_UNITS_H
#define KSPLICE_OBJECT_UNITS_H

#include "create/elf-object.h"
#include "create/section-kinds.h"

enum unit_kind {
	UNIT_FUNCTION,
	UNIT_DATA,
	UNIT_EXPORT,
	UNIT_PARAM,
};

struct table_entry;

struct unit {
	enum unit_kind kind;
	bool init;			/* in an __init/__exit section */
	struct elf_section *sec;
	struct elf_symbol *sym;		/* NULL for a whole-section pseudo unit */
	uint64_t start, end;
	const char *name;		/* symbol name, or section name */
	char *canonical;		/* clone numbers dropped (symbol-names.h) */
	struct unit *match;		/* correlated unit of the other object */
	struct table_entry **entries;	/* owned, sorted by table name, offset */
	size_t nr_entries;
};

struct table_entry {
	struct elf_section *sec;
	uint64_t start, end;
	struct elf_symbol *sym;		/* for tables split at symbols */
	int line_offset, line_bits;	/* see section_class */
	struct unit *owner;		/* NULL if it references no unit */
};

/* Per-symbol facts (indexed like elf_object.symbols). */
struct symbol_info {
	struct unit *unit;		/* unit containing the symbol, if any */
	char *key;			/* correlation key (symbol-correlate.h) */
	char *numbered_base;		/* for numbered static locals */
	struct unit *referrer;		/* first function (by name) using it */
	int ordinal;			/* among referrer's locals of this base */
	struct elf_symbol *match;	/* correlated symbol of the other object */
};

struct section_info {
	struct section_class class;
	struct unit **units;		/* sorted by start */
	size_t nr_units;
	bool content_compared;		/* strings, consts, blobs */
	uint64_t *blob_starts;		/* sorted places referenced in a blob */
	size_t nr_blob_starts;
};

struct object_index {
	const struct elf_object *obj;
	struct section_info *sections;
	struct symbol_info *symbols;
	struct unit **units;
	size_t nr_units;
	struct table_entry **entries;
	size_t nr_entries;
};

/* Build the index; fails on unknown sections and malformed tables. */
struct object_index *object_index_build(const struct elf_object *obj,
					struct ks_error *err);
void object_index_free(struct object_index *idx);

enum target_kind {
	TARGET_UNDEFINED,	/* external symbol: sym, delta */
	TARGET_ABSOLUTE,	/* SHN_ABS symbol: sym, delta */
	TARGET_SYMBOL,		/* defined named symbol: sym, delta */
	TARGET_SECTION,		/* a place known only by section: sec, delta */
	TARGET_STRING,		/* the string [start, end) of sec; delta from start */
	TARGET_CONST,		/* the constant [start, end) of sec */
	TARGET_BLOB,		/* code or anonymous data [start, end) of sec */
};

struct target {
	enum target_kind kind;
	const struct elf_symbol *sym;
	const struct elf_section *sec;
	uint64_t start, end;
	int64_t delta;
	struct unit *unit;	/* unit containing the place, if any */
};

/* The unit of section @sec holding byte @offset, or NULL (none, or a gap). */
const struct unit *object_unit_containing(const struct object_index *idx,
					  const struct elf_section *sec, uint64_t offset);

/* Where relocation @r of section @from points. */
void resolve_target(const struct object_index *idx,
		    const struct elf_section *from, const struct elf_reloc *r,
		    struct target *t);

/*
 * The named object relocation @r (resolved to @t) refers to: the symbol of
 * a TARGET_SYMBOL, or for a TARGET_SECTION in a section without units the
 * named symbol at the place. The latter are zero-size objects, such as the
 * `static struct lock_class_key __key` of mutex_init() without lockdep:
 * GAS writes their relocations against the section symbol, so only the
 * place tells which __key.N is meant. NULL for anything else.
 */
const struct elf_symbol *reloc_object(const struct object_index *idx,
				      const struct elf_section *from,
				      const struct elf_reloc *r,
				      const struct target *t);

/*
 * The symbol of the empty object @t points into (a section of size 0,
 * e.g. .bss.__key.N: struct lock_class_key without LOCKDEP), or NULL if @t
 * is not in an empty section or that section has no named symbol.
 */
const struct elf_symbol *empty_object_symbol(const struct target *t);
/* Whether @t points into an empty section (with or without a symbol). */
bool target_is_empty_object(const struct target *t);

/* Relocations of @sec with offsets in [start, end): *first and count. */
size_t relocs_in_range(const struct elf_section *sec, uint64_t start,
		       uint64_t end, size_t *first);

#endif
