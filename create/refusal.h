/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a changed file is not in an update: the refusal classes the per-file
 * report (update-report.h) and the section diff (section-diff.h) share.
 */
#ifndef KSPLICE_REFUSAL_H
#define KSPLICE_REFUSAL_H

enum refusal_class {
	REFUSAL_NONE,
	REFUSAL_DATA,		/* changed initialised data, a variable's size, table entries */
	REFUSAL_STRUCT,		/* a layout changed (structure, union) or a global's type (layout-check.h) */
	REFUSAL_INIT,		/* __init/__exit code */
	REFUSAL_EXPORT,		/* an export added, changed or removed */
	REFUSAL_PARAM,		/* a module parameter added, changed or removed */
	REFUSAL_ASSEMBLY,	/* a .S file */
	REFUSAL_SECTION,	/* a section or table entry the update cannot carry */
	REFUSAL_BUILD_SYSTEM,	/* Makefile, Kbuild, Kconfig */
	REFUSAL_FILE_ADDED,	/* a new file */
	REFUSAL_FILE_REMOVED,	/* a removed file */
	REFUSAL_OTHER_FILE,	/* another kind of file the build uses */
	REFUSAL_EVERY_OBJECT,	/* a header forced into every compilation */
	REFUSAL_BUILD_FAILURE,	/* the changed object does not compile */
	REFUSAL_MODULE_BUILD,	/* the update's modules cannot be made from it */
	REFUSAL_HOOKS,		/* its hooks could reach replaced code */
	REFUSAL_DEPENDS,	/* it needs a change that was left out */
	REFUSAL_DELETED,	/* a function it deletes could still be entered */
	REFUSAL_NR,
};

/* Short stable name for tables and JSON, e.g. "data", "init", "build-failure". */
const char *refusal_name(enum refusal_class c);
/* One line for people, e.g. "changes initialised data or a variable's size". */
const char *refusal_description(enum refusal_class c);

#endif
