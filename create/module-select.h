/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Choosing what goes into the primary module: the changed and new
 * functions of the post objects, and, following their relocations, every
 * new variable, string and constant they need. Each relocation of copied
 * bytes is resolved one of three ways (struct link):
 *
 *  - into the image (another copied piece): stays a relocation;
 *  - to a symbol the kernel exports (KDIR/Module.symvers): stays a
 *    relocation to an undefined symbol, for the module loader;
 *  - to anything else living in the running kernel (non-exported or
 *    static functions and variables): the field is zeroed and a
 *    struct ksplice_reloc record is emitted for ksplice.ko.
 */
#ifndef KSPLICE_MODULE_SELECT_H
#define KSPLICE_MODULE_SELECT_H

#include "create/module-copy.h"
#include "create/module-input.h"
#include "create/module-symvers.h"

enum link_kind {
	LINK_IMAGE,	/* piece + addend */
	LINK_LOADER,	/* exported symbol name + addend */
	LINK_RECORD,	/* ksplice_reloc: symbol name + addend */
};

struct link {
	enum link_kind kind;
	size_t piece;		/* LINK_IMAGE */
	const char *name;	/* LINK_LOADER, LINK_RECORD */
	int64_t addend;
	const char *ns;		/* LINK_LOADER: the export's namespace */
	uint32_t scope;		/* LINK_RECORD: 0 global, else the object's */
	bool at_load;		/* LINK_RECORD: KSPLICE_RELOC_AT_LOAD */
};

struct primary_ctx {
	struct copy_set cs;
	const struct symvers *sv;
	const char *target;
	struct ks_error *err;
};

/* Resolve relocation @r of @from (in @in's post object); may copy pieces. */
int primary_resolve(struct primary_ctx *ctx, const struct module_input *in,
		    const struct elf_section *from, const struct elf_reloc *r,
		    struct link *l);
/* Emit @r, now at offset @off of image section @sec, as @l says. */
void primary_emit(struct primary_ctx *ctx, const struct elf_reloc *r, int sec,
		  uint64_t off, const struct link *l);
/* An exported symbol the loader can link to, or NULL. */
const struct symvers_entry *primary_export(const struct primary_ctx *ctx,
					   const char *name);

/*
 * Seed the primary with @in's changed and new functions and new
 * variables, then copy everything they need (to a fixed point, together
 * with the special-section entries of module-special.h).
 */
int primary_select(struct primary_ctx *ctx, struct module_input *ins,
		   size_t nr_ins);

#endif
