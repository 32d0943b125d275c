/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-inspect --match: would this package apply to a kernel? Runs the
 * run-pre matcher ksplice.ko runs (core/match.c) over the package's
 * vmlinux helper, against a vmlinux image and a root-taken /proc/kallsyms
 * dump of that kernel running (create/offline-match.h). Prints every
 * helper section as matched or not (with the first difference), then one
 * verdict line in ksplice-apply's terms (ok, no_match, failed_to_find).
 *
 * A module target is checked when its .ko (exactly the loaded one) and a
 * dump of /sys/module/NAME/sections are given: the module is rebuilt where
 * it was loaded (create/module-place.h). Else it is listed as not checked;
 * absent from the dumps, it is target_not_loaded, as ksplice-apply says.
 */
#ifndef KSPLICE_INSPECT_MATCH_H
#define KSPLICE_INSPECT_MATCH_H

#include <stdio.h>

#include "create/create-util.h"

enum inspect_match_result {
	INSPECT_MATCH_ERROR = -1,	/* bad input: the message is in err */
	INSPECT_MATCH_APPLIES = 0,	/* every checked target matched */
	INSPECT_MATCH_REFUSED = 1,	/* a target did not match */
};

#define INSPECT_MATCH_MAX_MODULES 16

struct inspect_match_opts {
	const char *vmlinux, *kallsyms;
	const char *sections;		/* the sections dump, or NULL */
	const char *modules[INSPECT_MATCH_MAX_MODULES];	/* .ko files */
	int nr_modules;
};

int inspect_match(const char *package, const struct inspect_match_opts *o, FILE *out,
		  struct ks_error *err);

#endif
