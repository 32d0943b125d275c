// SPDX-License-Identifier: GPL-2.0
/* Whole-file changes: split a patch, join what is left. */
#include "create/change-set.h"

#include <stdlib.h>
#include <string.h>

void change_set_add(struct change_set *cs, const char *path, char *diff)
{
	struct change_file *f;

	cs->files = build_xrealloc(cs->files, (cs->nr_files + 1) * sizeof(*cs->files));
	f = &cs->files[cs->nr_files++];
	f->path = build_xstrdup(path);
	f->diff = diff;
	f->in = true;
}

static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

/*
 * Where a file's part starts: a "diff ..." line, or a "--- " line followed
 * by "+++ " that does not belong to the "diff" line just before it.
 */
static bool starts_file(const char *line, bool in_header)
{
	if (build_has_prefix(line, "diff "))
		return true;
	return !in_header && build_has_prefix(line, "--- ") &&
	       build_has_prefix(next_line(line), "+++ ");
}

int change_set_split_patch(struct change_set *cs, const char *text, const struct patch_set *set)
{
	const char *p, *start[4096 + 1];
	size_t n = 0, i;
	bool in_header = false;

	for (p = text; *p; p = next_line(p)) {
		if (starts_file(p, in_header)) {
			if (n == 4096)
				break;
			start[n++] = p;
			in_header = build_has_prefix(p, "diff ");
		} else if (build_has_prefix(p, "@@")) {
			in_header = false;
		}
	}
	if (n != set->nr_files) {
		build_error("cannot cut the patch into one part per file (%zu parts for %zu files)",
			    n, set->nr_files);
		return -1;
	}
	start[n] = text + strlen(text);
	for (i = 0; i < n; i++)
		change_set_add(cs, set->files[i].path,
			       build_xstrndup(start[i], start[i + 1] - start[i]));
	return 0;
}

char *change_set_text(const struct change_set *cs)
{
	size_t i, len = 0;
	char *out, *p;

	for (i = 0; i < cs->nr_files; i++)
		if (cs->files[i].in)
			len += strlen(cs->files[i].diff);
	out = p = build_xmalloc(len + 1);
	for (i = 0; i < cs->nr_files; i++) {
		if (!cs->files[i].in)
			continue;
		strcpy(p, cs->files[i].diff);
		p += strlen(p);
	}
	*p = '\0';
	return out;
}

void change_set_paths(const struct change_set *cs, struct build_strlist *out)
{
	size_t i;

	for (i = 0; i < cs->nr_files; i++)
		if (cs->files[i].in)
			build_strlist_add(out, cs->files[i].path);
}

struct change_file *change_set_find(struct change_set *cs, const char *path)
{
	size_t i;

	for (i = 0; i < cs->nr_files; i++)
		if (!strcmp(cs->files[i].path, path))
			return &cs->files[i];
	return NULL;
}

size_t change_set_count(const struct change_set *cs)
{
	size_t i, n = 0;

	for (i = 0; i < cs->nr_files; i++)
		n += cs->files[i].in;
	return n;
}

void change_set_free(struct change_set *cs)
{
	size_t i;

	for (i = 0; i < cs->nr_files; i++) {
		free(cs->files[i].path);
		free(cs->files[i].diff);
	}
	free(cs->files);
	memset(cs, 0, sizeof(*cs));
}
