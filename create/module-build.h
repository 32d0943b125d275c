/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generating the two kernel modules of one update target:
 *
 *  - primary ksplice-ID-TARGET.ko: the new code (changed and new functions
 *    of the post objects, the data they need, their special-section
 *    entries) and its ksplice_patch/section/reloc records;
 *  - helper ksplice-ID-TARGET-helper.ko: the pre code of the changed and
 *    deleted functions with reloc and site records, for run-pre matching.
 *
 * Example (from ksplice-create, per build target):
 *
 *	struct module_object objs[] = { { pre, post, diff }, ... };
 *	struct module_build_opts o = {
 *		.id = "a1b2c3d4", .target = "vmlinux", .kdir = kdir,
 *		.arch = "x86_64", .out_dir = work_dir,
 *	};
 *	struct module_build_result res;
 *	if (module_build_target(&o, objs, n, &res, &err))
 *		die("%s", err.msg);
 *	// res.primary_ko, res.helper_ko; print res.notes
 *	module_build_result_free(&res);
 */
#ifndef KSPLICE_MODULE_BUILD_H
#define KSPLICE_MODULE_BUILD_H

#include <stdbool.h>

#include "create/module-image.h"
#include "create/section-diff.h"

struct module_object {
	const struct elf_object *pre, *post;
	const struct diff_result *diff;
};

struct module_build_opts {
	const char *id;		/* update id */
	const char *target;	/* "vmlinux" or the module name */
	const char *kdir;	/* kernel build/headers dir with Module.symvers */
	const char *arch;	/* kbuild ARCH: x86_64 or i386 */
	const char *out_dir;	/* the .ko files (and build dirs) go here */
	bool keep_build_dirs;	/* keep them even on success */
};

struct module_build_result {
	char *primary_ko, *helper_ko;
	char **notes;		/* things to tell the user, one sentence each */
	size_t nr_notes;
};

/* "ksplice-ID-TARGET" (file name of the primary, without .ko). */
char *module_primary_name(const char *id, const char *target);

/*
 * Build the images only (no files): @primary and @helper are initialised
 * here and freed by the caller with module_image_free() (also on failure).
 * @symvers_path may be NULL (then nothing counts as exported).
 */
int module_build_images(const char *symvers_path,
			const struct module_object *objs, size_t nr_objs,
			struct module_image *primary,
			struct module_image *helper, struct ks_error *err);
/*
 * The same, with the target's System.map (vmlinux targets; NULL if there
 * is none) to refuse references a unique name cannot bind (module-witness.h).
 */
int module_build_images_mapped(const char *symvers_path, const char *system_map,
			       const struct module_object *objs, size_t nr_objs,
			       struct module_image *primary,
			       struct module_image *helper, struct ks_error *err);

/* Images, objects, generated C, kbuild: the two .ko files in out_dir. */
int module_build_target(const struct module_build_opts *o,
			const struct module_object *objs, size_t nr_objs,
			struct module_build_result *res, struct ks_error *err);
void module_build_result_free(struct module_build_result *res);

#endif
