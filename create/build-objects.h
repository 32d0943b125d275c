/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects a patch affects, grouped by target (vmlinux or a module), and
 * compiling them before and after the patch.
 *
 * This is what the later stages (diff, module generation) consume:
 *
 *   struct build_result r;
 *   for (t = 0; t < r.nr_targets; t++)        // "vmlinux", "autofs4", ...
 *       for (i = 0; i < r.targets[t].nr_objs; i++) {
 *           struct build_object *o = r.targets[t].objs[i];
 *           // o->pre and o->post: the object compiled before/after the
 *           // patch (WORK/pre/<path>, WORK/post/<path>), same flags
 *       }
 *
 * An object linked into several modules appears in each of their targets.
 */
#ifndef KSPLICE_BUILD_OBJECTS_H
#define KSPLICE_BUILD_OBJECTS_H

#include <stdbool.h>
#include <stddef.h>

#include "create/build-util.h"
#include "create/refusal.h"

struct tree_kbuild;
struct tree_prepared;

struct build_object {
	char *source;		/* "kernel/sys.c" */
	char *path;		/* "kernel/sys.o" */
	char *goal;		/* the kbuild target name (may contain "../") */
	char *pre;		/* WORK/pre/kernel/sys.o */
	char *post;		/* WORK/post/kernel/sys.o */
	/* The changed files that reach it (filled by build_note_causes). */
	struct build_strlist causes;
	/* Why its change cannot be in the update (--skip-refused), else REFUSAL_NONE. */
	enum refusal_class refusal;
	char *refusal_reason;
	/* Filled by the comparison: its code changed, and the functions that did. */
	bool changed;
	struct build_strlist functions;
	/* Real names of the functions and variables it adds or changes. */
	struct build_strlist changed_symbols;
};

struct build_target {
	char *name;		/* "vmlinux", or the module name ("autofs4") */
	char *ko;		/* "fs/autofs/autofs4.ko"; NULL for vmlinux */
	struct build_object **objs;
	size_t nr_objs;
};

struct build_result {
	char *work_dir;
	struct build_object *objects;	/* sorted by path */
	size_t nr_objects;
	struct build_target *targets;	/* vmlinux first, then modules by name */
	size_t nr_targets;
	/* Found while mapping files to objects; reported, never dropped silently. */
	struct build_strlist unbuilt;	/* .c files this config does not compile */
	struct build_strlist assembly;	/* .S files reached by a changed header */
};

/*
 * Map the affected source files (the changed files plus everything including
 * them, see tree-includes.h) to the objects KB says this config builds, and
 * group them into targets. ALL: take every object (a forced include changed).
 */
void build_map_objects(struct build_result *r, const struct tree_kbuild *kb,
		       const struct build_strlist *affected, bool all,
		       const char *src, const char *work_dir);
/*
 * Compile every object of R in the prepared tree (kbuild single targets,
 * KCFLAGS=-ffunction-sections -fdata-sections) and copy them to WORK/<which>.
 * WHICH is "pre" or "post". A pre object already in WORK/pre is kept (the
 * pre tree never changes during a run). KEEP_GOING: an object that does not
 * compile is marked REFUSAL_BUILD_FAILURE instead of failing the call.
 */
int build_compile(struct build_result *r, const struct tree_prepared *t,
		  const char *which, bool keep_going);
/* Mark O refused (the first reason wins). */
void build_object_refuse(struct build_object *o, enum refusal_class c, const char *reason);
/* Write WORK/targets: "TARGET KO|- OBJECT PRE POST" per line. */
int build_write_targets(const struct build_result *r);
void build_result_free(struct build_result *r);

#endif
