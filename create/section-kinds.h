/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each section of a kernel object is, judged by its name (and flags for
 * mergeable rodata). The diff refuses objects with a section it does not
 * know: silently skipping one could drop a change.
 */
#ifndef KSPLICE_SECTION_KINDS_H
#define KSPLICE_SECTION_KINDS_H

#include "create/elf-object.h"

enum section_kind {
	SEC_UNKNOWN,
	SEC_META,	/* ELF bookkeeping, debug info, annotations: not compared */
	SEC_TEXT,	/* code, split into function units */
	SEC_DATA,	/* variables, split into data units */
	SEC_STRINGS,	/* mergeable strings: compared by content where used */
	SEC_CONSTS,	/* mergeable constants (.rodata.cst*): likewise */
	SEC_CODE_BLOB,	/* .altinstr_replacement/.altinstr_aux: likewise */
	SEC_TABLE,	/* entries belong to the unit they reference */
	SEC_INIT,	/* __init/__exit code and data: changes unsupported */
	SEC_EXPORT,	/* EXPORT_SYMBOL tables: new/removed entries unsupported */
	SEC_PARAM,	/* module_param: new/changed entries unsupported */
	SEC_HOOK,	/* .ksplice_hook.KIND: hook pointers of a patch (ksplice-patch.h) */
	SEC_BTF_IDS,	/* .BTF_ids: lists resolve_btfids fills in at link time (btf-ids.h) */
};

#define HOOK_SECTION_PREFIX ".ksplice_hook."
/* Data-object options (patch-options.h): classified SEC_HOOK too. */
#define OPTION_SECTION_PREFIX ".ksplice_option."
/* Type names whose layout change a patch handles (patch-layouts.h): metadata. */
#define LAYOUT_SECTION ".ksplice_layout"

struct section_class {
	enum section_kind kind;
	/* SEC_TABLE: bytes per entry, 0 to split the table at its symbols. */
	unsigned int entsize;
	/*
	 * SEC_TABLE: a line-number field in each entry (line-numbers.h): the
	 * low line_bits bits of the little-endian word at line_offset, or -1.
	 */
	int line_offset;
	int line_bits;
	/* SEC_TABLE: entry i belongs to the owner of entry i of this table. */
	const char *parallel_to;
};

struct section_class classify_section(const struct elf_section *sec,
				      int elf_class);
const char *section_kind_name(enum section_kind kind);

#endif
