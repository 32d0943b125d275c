// SPDX-License-Identifier: GPL-2.0
/* Two source trees -> changed files and their diffs (`diff -rq`, `diff -u`). */
#include "create/tree-delta.h"
#include "create/build-util.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "DIR/rel" -> "rel" if PATH is under DIR; NULL otherwise. */
static const char *under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n))
		return NULL;
	if (path[n] == '/')
		return path + n + 1;
	return path[n] ? NULL : path + n;
}

int tree_delta_parse_line(const char *line, const char *from, const char *to,
			  char **path, enum patch_change *change)
{
	const char *rel, *sep;

	if (build_has_prefix(line, "Files ") && build_has_suffix(line, " differ")) {
		/* "Files FROM/x and TO/x differ" */
		rel = under(line + 6, from);
		if (!rel || !(sep = strstr(rel, " and ")))
			return -1;
		*path = build_xstrndup(rel, sep - rel);
		*change = PATCH_MODIFY;
		return 0;
	}
	if (build_has_prefix(line, "Only in ")) {
		/* "Only in DIR: name" */
		const char *dir = line + 8, *colon = strstr(dir, ": ");
		char *d;
		const char *r;

		if (!colon)
			return -1;
		d = build_xstrndup(dir, colon - dir);
		if ((r = under(d, from)))
			*change = PATCH_DELETE;
		else if ((r = under(d, to)))
			*change = PATCH_CREATE;
		if (!r) {
			free(d);
			return -1;
		}
		*path = *r ? build_xasprintf("%s/%s", r, colon + 2) : build_xstrdup(colon + 2);
		free(d);
		return 0;
	}
	return -1;
}

static void add(struct tree_delta *d, char *path, enum patch_change change)
{
	d->files = build_xrealloc(d->files, (d->nr_files + 1) * sizeof(*d->files));
	d->files[d->nr_files].path = path;
	d->files[d->nr_files++].change = change;
}

/* nftw has no user pointer. */
static struct {
	struct tree_delta *d;
	size_t root_len;
	const char *prefix;
	enum patch_change change;
} walk;

static int visit(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_F || flag == FTW_SL)
		add(walk.d, build_xasprintf("%s%s", walk.prefix, path + walk.root_len), walk.change);
	return 0;
}

/* A whole directory appeared or went: list its files. */
static int add_tree(struct tree_delta *d, const char *root, char *rel, enum patch_change change)
{
	char *full = build_xasprintf("%s/%s", root, rel);
	struct stat st;
	int ret = 0;

	if (!lstat(full, &st) && S_ISDIR(st.st_mode)) {
		char *prefix = build_xasprintf("%s/", rel);

		walk.d = d;
		walk.root_len = strlen(full) + 1;
		walk.prefix = prefix;
		walk.change = change;
		ret = nftw(full, visit, 32, FTW_PHYS);
		free(prefix);
		free(rel);
	} else {
		add(d, rel, change);
	}
	free(full);
	return ret;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct delta_file *)a)->path, ((const struct delta_file *)b)->path);
}

int tree_delta_list(const char *from, const char *to, struct tree_delta *d)
{
	char *argv[] = { "diff", "-rq", "--no-dereference", "-x", ".ksplice-*",
			 (char *)from, (char *)to, NULL };
	char *out = NULL, *line, *save = NULL;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = build_run(argv, &(struct build_run_opts){ .capture = &out });
	if (ret > 1) {
		build_error("diff -rq %s %s failed", from, to);
		free(out);
		return -1;
	}
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		enum patch_change change;
		char *path;

		if (tree_delta_parse_line(line, from, to, &path, &change)) {
			/* e.g. "File X is a symbolic link while file Y is a regular file" */
			build_warn("cannot read diff's line \"%s\"", line);
			continue;
		}
		if (add_tree(d, change == PATCH_DELETE ? from : to, path, change))
			ret = -1;
	}
	free(out);
	qsort(d->files, d->nr_files, sizeof(*d->files), cmp_file);
	return ret < 0 ? -1 : 0;
}

int tree_delta_diff(const char *from, const char *to, const char *path, char **text)
{
	char *a = build_xasprintf("%s/%s", from, path), *b = build_xasprintf("%s/%s", to, path);
	char *la = build_xasprintf("a/%s", path), *lb = build_xasprintf("b/%s", path);
	char *argv[] = { "diff", "-up", "--label", la, "--label", lb, a, b, NULL };
	char *out = NULL;
	int ret = build_run(argv, &(struct build_run_opts){ .capture = &out });

	*text = NULL;
	if (ret <= 1 && out) {
		*text = out;
		ret = 0;
	} else {
		build_error("diff -u %s %s failed", a, b);
		free(out);
		ret = -1;
	}
	free(a);
	free(b);
	free(la);
	free(lb);
	return ret;
}

void tree_delta_free(struct tree_delta *d)
{
	size_t i;

	for (i = 0; i < d->nr_files; i++)
		free(d->files[i].path);
	free(d->files);
	memset(d, 0, sizeof(*d));
}
