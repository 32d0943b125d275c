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
 * Fill @cs (a helper copy set) from @ins. Section record i describes
 * piece i of @cs. Returns 0, or -1 with a message in @err.
 */
int helper_select(struct copy_set *cs, struct module_input *ins,
		  size_t nr_ins, struct ks_error *err);

/* The helper section record index of @in's pre function @name, or -1. */
long helper_section_of(const struct copy_set *cs,
		       const struct module_input *in, const char *name);

#endif
