/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stages of ksplice-create after the pre/post builds: compare every
 * object, refuse what an update cannot carry, build each target's primary
 * and helper modules and write the package.
 */
#ifndef KSPLICE_CREATE_UPDATE_H
#define KSPLICE_CREATE_UPDATE_H

#include <stdbool.h>

#include "create/build-objects.h"
#include "create/module-sign.h"

struct update_spec {
	const char *id;
	const char *description;
	const char *patch_text;		/* to tell direct changes from inlining */
	const char *patch_path;
	const char *kdir;		/* with the running kernel's Module.symvers */
	const char *arch;		/* x86_64 or i386 */
	const char *work;
	const char *out_dir;		/* where ksplice-<id>.tar.gz goes */
	struct build_result *built;
	bool keep_temp;
	/*
	 * --skip-refused: a refused object is marked (build_object_refuse)
	 * and CREATE_RETRY returned, so the caller can leave its files out.
	 */
	bool skip_refused;
	/* Functions and variables the changes left out add or change (sorted). */
	const struct build_strlist *left_out_symbols;
	const struct module_signer *signer;	/* sign the modules (optional) */
	char *package;			/* set to the package's path on success */
};

#define CREATE_NO_CHANGES 66
#define CREATE_RETRY 75

/* 0 on success, CREATE_NO_CHANGES, CREATE_RETRY, or -1 after printing why. */
int create_update(struct update_spec *s);

#endif
