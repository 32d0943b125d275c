/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From the files a patch changes to the objects to compile: the include
 * graph gives every source reaching a changed file, kbuild's Makefiles say
 * which of those this config compiles and into what.
 */
#ifndef KSPLICE_BUILD_AFFECTED_H
#define KSPLICE_BUILD_AFFECTED_H

#include "create/build-objects.h"
#include "create/patch-parse.h"

struct tree_prepared;

/*
 * Fill R (see build-objects.h) for SET. Reports on stderr how many objects
 * each changed header reaches, and warns about reached files that cannot be
 * handled (assembly) or are not built. Returns -1 on error.
 */
int build_find_affected(struct build_result *r, const struct patch_set *set,
			const struct tree_prepared *t, const char *work_dir);

#endif
