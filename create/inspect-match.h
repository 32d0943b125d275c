/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-inspect --match: would this package apply to a kernel? Runs the
 * run-pre matcher ksplice.ko runs (core/match.c) over the package's
 * vmlinux helper, against a vmlinux image and a root-taken /proc/kallsyms
 * dump of that kernel running (create/offline-match.h). Prints every
 * helper section as matched or not (with the first difference), then one
 * verdict line in ksplice-apply's terms (ok, no_match, failed_to_find).
 *
 * Module targets are not checked: that would need the module's own .ko
 * placed and relocated where the running kernel loaded it.
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

int inspect_match(const char *package, const char *vmlinux, const char *kallsyms,
		  FILE *out, struct ks_error *err);

#endif
