/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading an update module (.ko) into this process the way the kernel's
 * module loader would: every allocated section copied into memory and its
 * absolute relocations applied with the copies' real addresses, so the
 * descriptor's pointers can be followed like in ksplice.ko. Used to run
 * core/match.c on a helper module in userspace (ksplice-inspect --match).
 *
 * The records hold pointers of the module's word size in 8-byte slots
 * (KSPLICE_PTR): x86-64 modules load on an x86-64 host, i386 ones on
 * either, placed below 4 GiB on a 64-bit host so their 32-bit pointers
 * are the host's.
 */
#ifndef KSPLICE_MODULE_LOAD_H
#define KSPLICE_MODULE_LOAD_H

#include "core/update-format.h"
#include "create/create-util.h"

struct elf_object;

struct loaded_module {
	struct elf_object *obj;
	void *arena;		/* every section's copy, in one mapping */
	size_t arena_size;
	unsigned char **mem;	/* per ELF section: its copy in the arena, or NULL */
	const struct ksplice_module_desc *desc;
	const char *id, *target;
};

/*
 * Check @path (create/module-dump.h) and load it. Returns 0, or -1 with
 * the problem in @err; call module_unload() either way.
 */
int module_load(const char *path, struct loaded_module *m, struct ks_error *err);
void module_unload(struct loaded_module *m);

#endif
