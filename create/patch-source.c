// SPDX-License-Identifier: GPL-2.0
/* Produce the patch text from --patch, --diffext or --git. */
#include "create/patch-source.h"
#include "create/build-util.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int patch_from_file(const char *path, char **text)
{
	if (build_read_file(path, text, NULL)) {
		build_error("cannot read patch %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* nftw has no user pointer: the walk state lives here. */
static struct {
	const char *ext;
	size_t root_len;
	struct build_strlist found;	/* FILE paths relative to the root */
} diffext_walk;

static int diffext_visit(const char *path, const struct stat *sb, int flag,
			 struct FTW *ftw)
{
	const char *rel = path + diffext_walk.root_len;
	const char *base = path + ftw->base;
	size_t n = strlen(rel), m = strlen(diffext_walk.ext);

	(void)sb;
	if (flag == FTW_D && (!strcmp(base, ".git") || !strcmp(base, ".pc")))
		return FTW_SKIP_SUBTREE;
	if (flag != FTW_F || n <= m + 1)
		return FTW_CONTINUE;
	if (rel[n - m - 1] == '.' && !strcmp(rel + n - m, diffext_walk.ext))
		build_strlist_add_owned(&diffext_walk.found,
					build_xstrndup(rel, n - m - 1));
	return FTW_CONTINUE;
}

/* diff -u labelled a/FILE b/FILE; exit 1 just means "differ". */
static int diff_one(const char *tree, const char *file, const char *ext,
		    char **out)
{
	char *old = build_xasprintf("%s/%s", tree, file);
	char *new = build_xasprintf("%s/%s.%s", tree, file, ext);
	char *la = build_xasprintf("a/%s", file), *lb = build_xasprintf("b/%s", file);
	char *argv[] = { "diff", "-u", "--label", la, "--label", lb, old, new, NULL };
	struct build_run_opts opts = { .capture = out };
	int ret = build_run(argv, &opts);

	if (ret > 1)
		build_error("diff of %s and %s failed", old, new);
	free(old);
	free(new);
	free(la);
	free(lb);
	return ret > 1 ? -1 : 0;
}

int patch_from_diffext(const char *tree, const char *ext, char **text)
{
	size_t i, len = 0;
	char *all = build_xstrdup("");
	int ret = 0;

	memset(&diffext_walk, 0, sizeof(diffext_walk));
	diffext_walk.ext = ext;
	diffext_walk.root_len = strlen(tree) + 1;
	if (nftw(tree, diffext_visit, 64, FTW_PHYS | FTW_ACTIONRETVAL)) {
		build_error("cannot walk %s: %s", tree, strerror(errno));
		return -1;
	}
	build_strlist_sort_unique(&diffext_walk.found);
	if (!diffext_walk.found.n) {
		build_error("no file ending in .%s in %s", ext, tree);
		ret = -1;
	}
	for (i = 0; !ret && i < diffext_walk.found.n; i++) {
		const char *file = diffext_walk.found.v[i];
		char *one = NULL, *path = build_xasprintf("%s/%s", tree, file);

		if (!build_file_exists(path)) {
			build_error("%s/%s.%s has no original %s", tree, file, ext,
				    path);
			ret = -1;
		} else {
			ret = diff_one(tree, file, ext, &one);
		}
		if (!ret) {
			all = build_xrealloc(all, len + strlen(one) + 1);
			strcpy(all + len, one);
			len += strlen(one);
		}
		free(one);
		free(path);
	}
	build_strlist_free(&diffext_walk.found);
	if (ret) {
		free(all);
		return -1;
	}
	*text = all;
	return 0;
}

int patch_from_git(const char *tree, const char *commit, char **text)
{
	char *range = build_xasprintf("%s^", commit);
	char *argv[] = { "git", "-C", (char *)tree, "diff", "--no-color",
			 "--no-ext-diff", "--no-renames", "--src-prefix=a/",
			 "--dst-prefix=b/", range, (char *)commit,
			 "--", NULL };
	struct build_run_opts opts = { .capture = text };
	int ret = build_run(argv, &opts);

	free(range);
	if (ret) {
		build_error("git diff %s^ %s in %s failed", commit, commit, tree);
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}
