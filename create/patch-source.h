/* SPDX-License-Identifier: GPL-2.0 */
/* Where the patch comes from: a file, FILE.EXT pairs in the tree, or git. */
#ifndef KSPLICE_PATCH_SOURCE_H
#define KSPLICE_PATCH_SOURCE_H

/* Read a diff from PATH. */
int patch_from_file(const char *path, char **text);
/*
 * Diff every TREE/FILE against TREE/FILE.EXT (the new version), as a -p1
 * patch. Finding no FILE.EXT at all is an error.
 */
int patch_from_diffext(const char *tree, const char *ext, char **text);
/* `git -C TREE diff COMMIT^ COMMIT`. */
int patch_from_git(const char *tree, const char *commit, char **text);

#endif
