/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-file report of an update: every file the change touches, whether
 * this config builds it and into what (vmlinux, modules), the functions its
 * change replaces, and whether it is in the update or was left out and why
 * (a refusal class, refusal.h). Printed for people and written as JSON
 * (--report FILE); docs/create.md describes both.
 */
#ifndef KSPLICE_UPDATE_REPORT_H
#define KSPLICE_UPDATE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "create/build-util.h"
#include "create/patch-parse.h"
#include "create/refusal.h"

enum report_outcome {
	REPORT_PENDING,		/* not decided yet: would be built ("candidate") */
	REPORT_IN_UPDATE,	/* its change is in the update */
	REPORT_NO_CODE,		/* built, but no compiled code changes */
	REPORT_NOT_BUILT,	/* this config compiles nothing it reaches */
	REPORT_IGNORED,		/* not kernel code (Documentation/, tools/, ...) */
	REPORT_LEFT_OUT,	/* refused: see klass and reason */
};

struct report_file {
	char *path;
	enum patch_change change;
	enum patch_kind kind;
	bool built;			/* the config compiles it or something it reaches */
	size_t nr_objects;		/* objects it reaches (a header: through includes) */
	struct build_strlist targets;	/* "vmlinux", module names */
	struct build_strlist functions;	/* changed, new and deleted functions */
	struct build_strlist reaches;	/* the built .c files it reaches (itself for a .c) */
	enum report_outcome outcome;
	enum refusal_class klass;
	char *reason;			/* the refusal's message */
};

struct update_report {
	char *release;			/* may be NULL */
	char *from, *to;		/* source versions, may be NULL */
	struct report_file *files;
	size_t nr_files;
	struct build_strlist modules;	/* modules the update patches (targets but vmlinux) */
	bool written;			/* a package was written */
	char *package;			/* its path */
};

struct report_file *report_add(struct update_report *r, const char *path,
			       enum patch_change change);
struct report_file *report_find(struct update_report *r, const char *path);
/* Mark F left out (first reason wins). */
void report_leave_out(struct report_file *f, enum refusal_class klass, const char *reason);
const char *report_outcome_name(enum report_outcome o);
/* Files in the update / left out / by class, for the summary. */
size_t report_count(const struct update_report *r, enum report_outcome o);

void report_print(const struct update_report *r, FILE *out);
int report_write_json(const struct update_report *r, const char *path);
void report_free(struct update_report *r);

#endif
