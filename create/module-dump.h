/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading an update module back (.ko or its linked object): lay its
 * sections out at made-up addresses, apply the absolute relocations the
 * module loader would apply, then decode and check the descriptor and
 * every record (core/update-validate.h plus cross-checks: pointers land in
 * the module, relocation fields are zeroed, the helper's copies carry no
 * loader relocations). Optionally print them.
 */
#ifndef KSPLICE_MODULE_DUMP_H
#define KSPLICE_MODULE_DUMP_H

#include <stdio.h>

#include "core/update-format.h"
#include "create/create-util.h"

struct module_dump_counts {
	u16 kind;		/* enum ksplice_module_kind */
	u64 nr_relocs, nr_sections, nr_sites, nr_patches;
};

/*
 * Check @path; print the records to @out if non-NULL. Returns 0 when the
 * module is well-formed, else -1 with the first problem in @err.
 */
int module_dump(const char *path, FILE *out, struct module_dump_counts *counts,
		struct ks_error *err);

#endif
