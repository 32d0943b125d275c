/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which objects this config builds, and where each one ends up: vmlinux or
 * which module(s).
 *
 * Method: rather than re-implementing kbuild's Makefile language, let make
 * evaluate the real kbuild Makefiles. A small walker makefile (written at
 * run time) mirrors the top of scripts/Makefile.build: it reads
 * include/config/auto.conf of the prepared tree, scripts/Kbuild.include,
 * the directory's Kbuild/Makefile and scripts/Makefile.lib, then records
 * real-obj-y, real-obj-m, lib-y, the composite objects (multi-obj-m and
 * their parts) and whether the directory is built into vmlinux
 * (need-builtin), and descends into subdir-ym exactly like kbuild does, from
 * the root Kbuild (the root level also reads arch/x86/Makefile for
 * ARCH_LIB/ARCH_DRIVERS). So conditionals, obj-$(CONFIG_X), foo-y/foo-objs
 * composites and "obj-m += dir/" all follow kbuild's own rules. The whole
 * tree takes about 2 s with -j2.
 *
 * Objects listed in obj-y of a directory that is only reached through
 * obj-m are not built by kbuild (no built-in.a is wanted there), so they are
 * not recorded as built. lib-y objects of lib/ and arch/x86/lib/ go into
 * lib.a, linked into vmlinux (members only if referenced: over-approximate).
 * lib-y elsewhere (the EFI stub) is not part of vmlinux.
 */
#ifndef KSPLICE_TREE_KBUILD_H
#define KSPLICE_TREE_KBUILD_H

#include <stdbool.h>

#include "create/build-util.h"

struct tree_prepared;

struct tree_object {
	char *goal;		/* as kbuild names it, may contain "../" */
	char *path;		/* normalised, e.g. "fs/autofs/inode.o" */
	bool builtin;		/* linked into vmlinux */
	bool lib;		/* via lib.a */
	struct build_strlist modules;	/* .ko paths, e.g. "fs/autofs/autofs4.ko" */
};

struct tree_kbuild {
	struct tree_object *objs;	/* sorted by path once finished */
	size_t nr_objs, cap;
	struct build_strlist dirs;	/* directories kbuild visits */
	struct build_strlist lib_dirs;	/* dirs whose lib.a goes into vmlinux */
};

/*
 * Walk the prepared tree's Makefiles. The walk is kept in the tree's cache entry
 * and reused while what it read is unchanged; a tree without an entry is
 * walked in WORK_DIR.
 */
int tree_kbuild_walk(struct tree_kbuild *kb, const struct tree_prepared *t,
		     const char *work_dir);
/*
 * Add one directory record written by the walker. Call tree_kbuild_finish
 * once all records are in (the walk does both).
 */
/*
 * The stamp of T's cached walk (written when the walk ran; the Makefiles
 * are unchanged since), or NULL when T has no cache entry.
 */
char *tree_kbuild_walk_stamp(const struct tree_prepared *t);
int tree_kbuild_add_record(struct tree_kbuild *kb, const char *record);
void tree_kbuild_finish(struct tree_kbuild *kb);
/* The object compiled from SOURCE ("dir/file.c"), or NULL if none. */
const struct tree_object *tree_kbuild_find(const struct tree_kbuild *kb,
					   const char *source);
void tree_kbuild_free(struct tree_kbuild *kb);

/* "fs/autofs/autofs4.ko" -> "autofs4", "a/b-c.ko" -> "b_c" (KBUILD_MODNAME). */
char *tree_module_name(const char *ko);

#endif
