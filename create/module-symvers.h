/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exports of a kernel build (KDIR/Module.symvers): the only symbols an
 * update module may leave undefined for the module loader to resolve.
 */
#ifndef KSPLICE_MODULE_SYMVERS_H
#define KSPLICE_MODULE_SYMVERS_H

#include "create/create-util.h"

struct symvers_entry {
	char *name;
	char *module;		/* "vmlinux" or the module's path */
	char *ns;		/* symbol namespace, "" if none */
};

struct symvers {
	struct symvers_entry *v;	/* sorted by name */
	size_t n;
};

/* Load @path; returns 0, or -1 with a message in @err. */
int symvers_load(struct symvers *sv, const char *path, struct ks_error *err);
void symvers_free(struct symvers *sv);
const struct symvers_entry *symvers_find(const struct symvers *sv,
					 const char *name);

#endif
