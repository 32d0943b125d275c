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
	u64 nr_relocs, nr_sections, nr_sites, nr_patches, nr_hooks;
};

/*
 * Where a pointer of a record lands: a loaded section of the module and
 * the offset in it, so a dump does not depend on made-up addresses.
 */
struct module_dump_place {
	const char *section;	/* NULL: outside every loaded section */
	u64 offset;		/* in @section, else the made-up address */
};

/*
 * Called for the descriptor, then for each record once it has passed its
 * checks (relocations, sections, sites, patches, in array order); any
 * callback may be NULL. The records' pointer fields hold made-up layout
 * addresses: use the places. Strings are the module's bytes, unescaped.
 */
struct module_dump_visitor {
	void (*desc)(void *ctx, const struct ksplice_module_desc *d,
		     const char *id, const char *target);
	void (*reloc)(void *ctx, const struct ksplice_reloc *r,
		      struct module_dump_place site, const char *name);
	void (*section)(void *ctx, const struct ksplice_section *s,
			struct module_dump_place address, const char *symbol);
	void (*site)(void *ctx, const struct ksplice_site *s,
		     struct module_dump_place address,
		     struct module_dump_place replacement);
	void (*patch)(void *ctx, const struct ksplice_patch *p,
		      const char *old_name, struct module_dump_place new_address);
	void (*hook)(void *ctx, const struct ksplice_hook *h, struct module_dump_place fn);
	void *ctx;
};

/*
 * Check @path; print the records to @out if non-NULL. Returns 0 when the
 * module is well-formed, else -1 with the first problem in @err.
 */
int module_dump(const char *path, FILE *out, struct module_dump_counts *counts,
		struct ks_error *err);

/*
 * The same checks, handing each record to @v (may be NULL). On a problem
 * the records before it have been visited.
 */
int module_dump_visit(const char *path, const struct module_dump_visitor *v,
		      struct module_dump_counts *counts, struct ks_error *err);

/* "section+0xoff", or "0xaddr(outside)"; returns @buf. */
const char *module_dump_place_string(struct module_dump_place p, char *buf,
				     size_t size);

#endif
