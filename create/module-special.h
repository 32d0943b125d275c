/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The special sections of x86 Linux 6.1 objects (tables whose entries
 * point at code: __ex_table, __bug_table, .altinstructions, __jump_table,
 * .static_call_sites, .retpoline_sites, .return_sites, __mcount_loc,
 * .orc_unwind(_ip), .parainstructions, .smp_locks, ...).
 *
 * Primary: carry the entries that belong to copied code, so the module
 * loader patches, registers and unwinds the new code like the kernel's.
 * Helper: turn the entries of the pre code into ksplice_site records (the
 * places the running kernel rewrote), without carrying the tables: the
 * loader must leave the helper's copy of the pre code as compiled.
 */
#ifndef KSPLICE_MODULE_SPECIAL_H
#define KSPLICE_MODULE_SPECIAL_H

#include "create/module-select.h"

/*
 * Add to the primary the table entries of @in owned by copied units and not
 * taken yet. Returns how many were added, or -1 with ctx->err set.
 */
int special_select_entries(struct primary_ctx *ctx, struct module_input *in);

/*
 * The loader copies alternative replacements into the code before
 * ksplice.ko runs: they must not need ksplice relocations.
 */
int special_check_replacements(struct primary_ctx *ctx);

/* Add a ksplice_site record for every rewritten site in helper code. */
void special_helper_sites(struct copy_set *cs, const struct module_input *in);

/* Length of the instruction(s) at a rewritten site of @kind, from its bytes. */
unsigned int special_site_length(enum ksplice_site_kind kind,
				 const unsigned char *insn, size_t avail);

#endif
