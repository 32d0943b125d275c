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

struct update_spec {
	const char *id;
	const char *description;
	const char *patch_text;		/* to tell direct changes from inlining */
	const char *patch_path;
	const char *kdir;		/* with the running kernel's Module.symvers */
	const char *arch;		/* x86_64 or i386 */
	const char *work;
	const char *out_dir;		/* where ksplice-<id>.tar.gz goes */
	const struct build_result *built;
	bool keep_temp;
};

#define CREATE_NO_CHANGES 66

/* 0 on success, CREATE_NO_CHANGES, or -1 after printing why. */
int create_update(const struct update_spec *s);

#endif
