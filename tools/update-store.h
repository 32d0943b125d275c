/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Installed updates: packages kept so that ksplice.service applies them again
 * at every boot of the kernel they were built for.
 *
 *   /var/lib/ksplice/updates/<kernel release>/<NNNN>-<id>/
 *       update.tar.gz   the package as installed
 *       manifest        its manifest, description: read without unpacking
 *
 * NNNN (decimal, 4 digits) is the install order: updates are applied in
 * that order, since a later update may have been built on an earlier one.
 * An entry appears by rename(2) of a complete directory, so a crash never
 * leaves half an installed update.
 */
#ifndef KSPLICE_TOOLS_UPDATE_STORE_H
#define KSPLICE_TOOLS_UPDATE_STORE_H

#include <limits.h>
#include <stdbool.h>

#include "core/manifest.h"

#define KSPLICE_STATE_DIR "/var/lib/ksplice"
#define KSPLICE_MAX_INSTALLED 512

struct installed_update {
	int order;
	char id[KSPLICE_NAME_MAX];
	char release[KSPLICE_NAME_MAX];
	char dir[PATH_MAX / 2];		/* the entry's directory */
};

struct installed_list {
	struct installed_update u[KSPLICE_MAX_INSTALLED];
	int n;
};

/* $KSPLICE_STATE_DIR/updates, or /var/lib/ksplice/updates. */
const char *store_dir(void);

/*
 * The updates installed for @release (NULL: for every release), in install
 * order (by release, then order, when @release is NULL). 0, or -1 with errno.
 */
int store_list(const char *release, struct installed_list *out);

/* The installed update @id for @release; NULL when it is not installed. */
const struct installed_update *store_find(const struct installed_list *l, const char *id);

/*
 * Keep @package (whose manifest is @m, whose description is in
 * @description_file) as the last installed update for its release.
 * 0, or -1 after printing why.
 */
int store_add(const char *package, const struct ksplice_manifest *m, const char *description_file);

/* Forget an installed update; 0, or -1 after printing why. */
int store_remove(const struct installed_update *u);

/* @dst = u->dir/@file. */
void store_path(const struct installed_update *u, const char *file, char *dst, unsigned long size);

/* Read the stored manifest; 0, or -1 after printing why. */
int store_manifest(const struct installed_update *u, struct ksplice_manifest *m);

#endif
