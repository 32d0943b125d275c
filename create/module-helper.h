/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The helper module's content: the pre code of every changed and deleted
 * function (plus the cold parts and anonymous constants it uses), as
 * ksplice_section records to match against the running kernel. All their
 * relocations become ksplice_reloc records (symbols by name, string
 * literals by content, other helper sections by index) and the fields are
 * zeroed; the object keeps no relocation at all. Sites the kernel
 * rewrites at runtime become ksplice_site records.
 */
#ifndef KSPLICE_MODULE_HELPER_H
#define KSPLICE_MODULE_HELPER_H

#include "create/module-copy.h"
#include "create/module-input.h"

/*
 * Fill @cs (a helper copy set) from @ins: the pre code of the changed
 * functions and what it pulls in. Returns 0, or -1 with a message in @err.
 * More pieces may be added after (witnesses, module-witness.h) and closed
 * with helper_close(); helper_finish() then writes the records: section
 * record i describes piece i of @cs.
 */
int helper_select(struct copy_set *cs, struct module_input *ins,
		  size_t nr_ins, struct ks_error *err);
int helper_close(struct copy_set *cs, struct module_input *ins, size_t nr_ins,
		 struct ks_error *err);
void helper_finish(struct copy_set *cs, struct module_input *ins, size_t nr_ins);

/* The scope of @in's symbol @sym in the records (update-format.h). */
uint32_t helper_symbol_scope(const struct module_input *in,
			     const struct elf_symbol *sym);

/* The helper section record index of @in's pre function @name, or -1. */
long helper_section_of(const struct copy_set *cs,
		       const struct module_input *in, const char *name);

#endif
