/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-inspect's view of one update module (.ko): its descriptor and
 * every record, one line each, with names instead of numbers and places as
 * section+offset. The module is checked as it is read (create/module-dump.h),
 * so a malformed one ends the listing with the first problem.
 */
#ifndef KSPLICE_INSPECT_MODULE_H
#define KSPLICE_INSPECT_MODULE_H

#include <stdio.h>

#include "create/create-util.h"

/* Which record lists to print; the descriptor line is always printed. */
enum inspect_records {
	INSPECT_RELOCS = 1 << 0,
	INSPECT_SECTIONS = 1 << 1,
	INSPECT_SITES = 1 << 2,
	INSPECT_PATCHES = 1 << 3,
	INSPECT_HOOKS = 1 << 4,
	INSPECT_ALL_RECORDS = (1 << 5) - 1,
};

struct inspect_opts {
	FILE *out;
	const char *indent;	/* before every line, e.g. "  " in a package */
	unsigned int records;	/* enum inspect_records */
};

/* What the descriptor says, for checks against a package's manifest. */
struct inspect_module_info {
	unsigned int kind;	/* enum ksplice_module_kind */
	unsigned int machine;	/* EM_* */
	char id[128];
	char target[128];
};

/*
 * Print @path's descriptor and selected records to @o->out; fill @info
 * (optional). Returns 0, or -1 with the problem in @err (the records
 * before it have been printed).
 */
int inspect_module(const char *path, const struct inspect_opts *o,
		   struct inspect_module_info *info, struct ks_error *err);

/* Parse a comma-separated list of record names into @records; -1 if bad. */
int inspect_parse_records(const char *list, unsigned int *records);

#endif
