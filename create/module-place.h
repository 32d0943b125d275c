/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A loaded kernel module rebuilt offline: its .ko's sections placed at the
 * addresses the running kernel gave them (a root-taken dump of
 * /sys/module/NAME/sections/, e.g. `grep -r . /sys/module/NAME/sections`)
 * and its relocations applied the way the module loader did, against the
 * kallsyms dump of that kernel (vmlinux first, then other modules). The
 * result holds the module's running bytes, except where the kernel
 * rewrote its own text (alternatives, ftrace, ...), which the matcher
 * tolerates anyway.
 */
#ifndef KSPLICE_MODULE_PLACE_H
#define KSPLICE_MODULE_PLACE_H

#include <stdbool.h>

#include "core/compat.h"
#include "create/create-util.h"
#include "create/kallsyms-dump.h"

struct elf_object;

struct placed_module {
	char name[64];
	struct elf_object *obj;
	u64 *addr;		/* per ELF section: running address; 0 = not loaded */
	unsigned char **mem;	/* per ELF section: relocated copy */
	size_t nr_placed, nr_unresolved;
};

/* True if the sections dump @sections lists module @name. */
bool sections_dump_has(const char *sections, const char *name);

/*
 * Place module @name's object @ko (of ELF @machine: EM_X86_64 or EM_386)
 * by @sections (the dump's text) and relocate it with @ks. Fields are
 * written at their own width, little-endian, so i386 values wrap modulo
 * 2^32 as the kernel's loader makes them. Returns 0, or -1 with one
 * message in @err; call module_place_free() either way.
 */
int module_place(struct placed_module *pm, const char *name, const char *ko, u16 machine,
		 const char *sections, const struct kallsyms_dump *ks, struct ks_error *err);
void module_place_free(struct placed_module *pm);

/* Copy @len running bytes at @addr; 0, or -1 if they are not all in the module. */
int module_place_read(const struct placed_module *pm, u64 addr, void *buf, size_t len);

/* True if @addr is inside one of the module's placed sections. */
bool module_place_contains(const struct placed_module *pm, u64 addr);

/* The module name a .ko file gives: its base name without .ko, '-' as '_'. */
void module_name_of(const char *ko, char *name, size_t size);

#endif
