/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-inspect's view of an update package (ksplice-ID.tar.gz): the
 * manifest, the description, the files the patch touches, then every
 * target's primary and helper module (create/inspect-module.h), each
 * checked against the manifest. The package is unpacked into a temporary
 * directory that is removed before returning.
 */
#ifndef KSPLICE_INSPECT_PACKAGE_H
#define KSPLICE_INSPECT_PACKAGE_H

#include "create/create-util.h"
#include "create/inspect-module.h"

struct ksplice_manifest;

/*
 * Read the manifest of the package unpacked at @root. Returns 0, or -1
 * with "not a package" / "bad manifest: ..." in @err.
 */
int inspect_read_manifest(const char *root, struct ksplice_manifest *m,
			  struct ks_error *err);

/*
 * Print package @path to @o->out (module lines get an extra indent).
 * Returns 0, or -1 with the first problem in @err.
 */
int inspect_package(const char *path, const struct inspect_opts *o,
		    struct ks_error *err);

#endif
