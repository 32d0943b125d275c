/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A saved copy of /proc/kallsyms ("ADDRESS TYPE NAME[\t[MODULE]]" lines),
 * read as root so the addresses are real. vmlinux's symbols and the loaded
 * modules' (tagged [module]) are looked up apart.
 */
#ifndef KSPLICE_KALLSYMS_DUMP_H
#define KSPLICE_KALLSYMS_DUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compat.h"
#include "create/create-util.h"

struct kallsyms_symbol {
	const char *name;
	const char *module;	/* NULL for vmlinux */
	u64 addr;
};

struct kallsyms_dump {
	char *text;			/* the file; names point into it */
	struct kallsyms_symbol *syms;	/* vmlinux symbols, sorted by name */
	size_t nr_syms;
	struct kallsyms_symbol *module_syms;	/* by name, then module */
	size_t nr_module_syms;
	u64 text_addr, etext_addr;	/* running _text, _etext (0: absent) */
};

/* Read @path; 0, or -1 with one clear message in @err (then call free anyway). */
int kallsyms_load(const char *path, struct kallsyms_dump *d, struct ks_error *err);
/* The same, from @text (taken over: freed by kallsyms_free). */
int kallsyms_parse(char *text, struct kallsyms_dump *d, struct ks_error *err);
void kallsyms_free(struct kallsyms_dump *d);

/* Store up to @max addresses of vmlinux symbol @name; returns how many exist. */
size_t kallsyms_lookup(const struct kallsyms_dump *d, const char *name, u64 *addrs, size_t max);

/* The same for module @module's symbols, or any module's if @module is NULL. */
size_t kallsyms_lookup_module(const struct kallsyms_dump *d, const char *module,
			      const char *name, u64 *addrs, size_t max);

/* True if the dump shows module @module loaded (any symbol of it). */
bool kallsyms_has_module(const struct kallsyms_dump *d, const char *module);

#endif
