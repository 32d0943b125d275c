/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing the update package ksplice-<id>.tar.gz:
 *
 *   ksplice-<id>/manifest        (core/manifest.h)
 *   ksplice-<id>/description
 *   ksplice-<id>/patch
 *   ksplice-<id>/modules/        a primary and a helper .ko per target
 *   ksplice-<id>/debug/          pre/post objects and the diff, for humans
 */
#ifndef KSPLICE_PACKAGE_H
#define KSPLICE_PACKAGE_H

#include "core/manifest.h"
#include "create/create-util.h"

struct package_input {
	struct ksplice_manifest manifest;	/* targets name the .ko files */
	const char *description;
	const char *patch_path;
	/* Where each target's primary and helper .ko are now. */
	const char *primary_paths[KSPLICE_MAX_TARGETS];
	const char *helper_paths[KSPLICE_MAX_TARGETS];
	const char *debug_dir;			/* optional, copied as debug/ */
};

/*
 * Stage the package under @work and write @out_dir/ksplice-<id>.tar.gz.
 * Returns the package's path (malloc'd), or NULL with a message in @err.
 */
char *package_write(const struct package_input *in, const char *work, const char *out_dir,
		    struct ks_error *err);

#endif
