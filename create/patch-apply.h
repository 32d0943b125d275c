/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Apply a patch to the source tree for the post build and put the tree back
 * exactly as it was afterwards, whatever happens.
 *
 * Before touching anything, each file the patch names is copied (contents,
 * mode, timestamps) and hashed. Restoring runs `patch -R`, then compares
 * every file with its recorded hash; a file that differs is put back from
 * its copy. Finally mode and timestamps are restored so make and other tools
 * see the tree as untouched. When the work directory is on the tree's file
 * system, the original inode itself is kept through a hard link (GNU patch
 * replaces files, it never writes into them) and renamed back, so even hard
 * links of a `cp -al` tree survive.
 */
#ifndef KSPLICE_PATCH_APPLY_H
#define KSPLICE_PATCH_APPLY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "create/patch-parse.h"

struct patch_saved_file {
	char *path;		/* relative to the tree */
	char *copy;		/* the saved original */
	char *link;		/* a hard link to the original inode, or NULL */
	uint64_t hash;
	struct stat st;
};

struct patch_state {
	char *tree;
	char *patch_path;	/* the diff, as a file */
	struct patch_saved_file *files;
	size_t nr_files;
	bool applied;		/* the tree may differ from the original */
	char *journal;		/* create/patch-journal.h, or NULL: none kept */
};

/*
 * Save the files of SET found in TREE under SAVE_DIR. Every file must exist
 * (the patch only modifies files).
 */
int patch_save(struct patch_state *st, const char *tree, const char *patch_path,
	       const struct patch_set *set, const char *save_dir);
/* `patch --dry-run`, and check it touches exactly the files we parsed. */
int patch_check_applies(struct patch_state *st);
int patch_apply(struct patch_state *st);
/* Reverse the patch and verify; 0 only if the tree is exactly as saved. */
int patch_restore(struct patch_state *st);
/* 0 if every saved file has its original contents. */
int patch_verify_restored(const struct patch_state *st, bool report);
void patch_state_free(struct patch_state *st);

#endif
