// SPDX-License-Identifier: GPL-2.0
/* Unified diff parsing: which files a patch touches and how. */
#include "create/patch-parse.h"
#include "create/build-util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
	const char *p;		/* next line */
	char *line;		/* current line, without its newline */
	int lineno;
	struct patch_set *set;
	struct patch_file *cur;	/* file the hunks belong to */
	bool git_entry;		/* cur came from a "diff --git" line */
	char *err;
};

static bool next_line(struct parser *ps)
{
	const char *end;

	free(ps->line);
	ps->line = NULL;
	if (!*ps->p)
		return false;
	end = strchrnul(ps->p, '\n');
	ps->line = build_xstrndup(ps->p, end - ps->p);
	/* Tolerate CRLF diffs. */
	if (end > ps->p && end[-1] == '\r')
		ps->line[end - ps->p - 1] = '\0';
	ps->p = *end ? end + 1 : end;
	ps->lineno++;
	return true;
}

static const char *peek_line(const struct parser *ps)
{
	return ps->p;
}

static int fail(struct parser *ps, const char *fmt, const char *arg)
{
	char *msg = build_xasprintf(fmt, arg);

	if (!ps->err)
		ps->err = build_xasprintf("line %d: %s", ps->lineno, msg);
	free(msg);
	return -1;
}

/*
 * "a/kernel/sys.c\t2024-01-01 ..." -> "kernel/sys.c"; "/dev/null" -> "".
 * Returns NULL when the name cannot be used with -p1.
 */
static char *strip_name(const char *name)
{
	size_t n = strcspn(name, "\t");
	char *raw = build_xstrndup(name, n), *slash, *norm;

	/* diff -u pads with trailing spaces before the timestamp sometimes. */
	while (n && raw[n - 1] == ' ')
		raw[--n] = '\0';
	if (!strcmp(raw, "/dev/null")) {
		free(raw);
		return build_xstrdup("");
	}
	slash = strchr(raw, '/');
	norm = slash ? build_path_normalize(slash + 1) : NULL;
	free(raw);
	return norm;
}

static struct patch_file *find_file(struct patch_set *set, const char *path)
{
	size_t i;

	for (i = 0; i < set->nr_files; i++)
		if (!strcmp(set->files[i].path, path))
			return &set->files[i];
	return NULL;
}

static struct patch_file *add_file(struct patch_set *set, const char *path)
{
	struct patch_file *f = find_file(set, path);

	if (f)
		return f;
	set->files = build_xrealloc(set->files,
				    (set->nr_files + 1) * sizeof(*set->files));
	f = &set->files[set->nr_files++];
	memset(f, 0, sizeof(*f));
	f->path = build_xstrdup(path);
	f->old_path = build_xstrdup(path);
	f->kind = patch_classify(path);
	return f;
}

/* "diff --git a/X b/Y": git names both sides; extended headers may follow. */
static int parse_git_line(struct parser *ps)
{
	const char *names = ps->line + strlen("diff --git ");
	const char *b = strstr(names, " b/");
	char *old_raw, *old, *new;

	if (!b)
		return fail(ps, "cannot parse %s", ps->line);
	old_raw = build_xstrndup(names, b - names);
	old = strip_name(old_raw);
	new = strip_name(b + 1);
	free(old_raw);
	if (!old || !new || !*old || !*new) {
		free(old);
		free(new);
		return fail(ps, "bad file names in \"%s\"", ps->line);
	}
	ps->cur = add_file(ps->set, new);
	free(ps->cur->old_path);
	ps->cur->old_path = old;
	ps->git_entry = true;
	free(new);
	return 0;
}

static void parse_git_extended(struct parser *ps)
{
	const char *l = ps->line;

	if (!ps->cur || !ps->git_entry)
		return;
	if (build_has_prefix(l, "new file mode"))
		ps->cur->change = PATCH_CREATE;
	else if (build_has_prefix(l, "deleted file mode"))
		ps->cur->change = PATCH_DELETE;
	else if (build_has_prefix(l, "rename from") ||
		 build_has_prefix(l, "rename to") ||
		 build_has_prefix(l, "copy from") ||
		 build_has_prefix(l, "copy to"))
		ps->cur->change = PATCH_RENAME;
	else if (build_has_prefix(l, "Binary files") ||
		 build_has_prefix(l, "GIT binary patch"))
		ps->cur->change = PATCH_BINARY;
}

/* "--- OLD" followed by "+++ NEW". */
static int parse_file_header(struct parser *ps)
{
	char *old = strip_name(ps->line + 4), *new;
	struct patch_file *f;

	if (!next_line(ps) || !build_has_prefix(ps->line, "+++ ")) {
		free(old);
		return fail(ps, "\"---\" line not followed by \"+++\"%s", "");
	}
	new = strip_name(ps->line + 4);
	if (!old || !new || (!*old && !*new)) {
		free(old);
		free(new);
		return fail(ps, "cannot strip one directory from \"%s\" "
			    "(the patch must apply with -p1)", ps->line);
	}
	f = add_file(ps->set, *new ? new : old);
	if (!*old)
		f->change = PATCH_CREATE;
	else if (!*new)
		f->change = PATCH_DELETE;
	else if (strcmp(old, new) && ps->git_entry)
		f->change = PATCH_RENAME;
	ps->cur = f;
	free(old);
	free(new);
	return 0;
}

static bool parse_count(const char **s, long *start, long *count)
{
	char *end;

	*start = strtol(*s, &end, 10);
	if (end == *s)
		return false;
	*count = 1;
	if (*end == ',') {
		const char *c = end + 1;

		*count = strtol(c, &end, 10);
		if (end == c)
			return false;
	}
	*s = end;
	return *start >= 0 && *count >= 0;
}

/* "@@ -a,b +c,d @@": then exactly b old and d new lines. */
static int parse_hunk(struct parser *ps)
{
	const char *s = ps->line + 3;
	long start, old_left, new_left;

	if (!ps->cur)
		return fail(ps, "hunk without a file header%s", "");
	if (*s != '-' || (s++, !parse_count(&s, &start, &old_left)) ||
	    strncmp(s, " +", 2) || (s += 2, !parse_count(&s, &start, &new_left)) ||
	    strncmp(s, " @@", 3))
		return fail(ps, "malformed hunk header \"%s\"", ps->line);
	ps->cur->hunks++;
	while (old_left > 0 || new_left > 0) {
		if (!next_line(ps))
			return fail(ps, "unexpected end of patch inside a hunk of %s",
				    ps->cur->path);
		switch (ps->line[0]) {
		case ' ':
		case '\0':	/* context whose blank got lost in transit */
			old_left--;
			new_left--;
			break;
		case '-':
			old_left--;
			break;
		case '+':
			new_left--;
			break;
		case '\\':	/* "\ No newline at end of file" */
			break;
		default:
			return fail(ps, "hunk of %s is shorter than its header says",
				    ps->cur->path);
		}
		if (old_left < 0 || new_left < 0)
			return fail(ps, "hunk of %s is longer than its header says",
				    ps->cur->path);
	}
	/* A trailing no-newline marker belongs to the hunk. */
	if (peek_line(ps)[0] == '\\')
		next_line(ps);
	return 0;
}

static int parse_line(struct parser *ps)
{
	const char *l = ps->line;

	if (build_has_prefix(l, "diff --git "))
		return parse_git_line(ps);
	if (build_has_prefix(l, "--- ") && build_has_prefix(peek_line(ps), "+++ "))
		return parse_file_header(ps);
	if (build_has_prefix(l, "@@ "))
		return parse_hunk(ps);
	if (build_has_prefix(l, "diff ") || build_has_prefix(l, "Only in "))
		ps->git_entry = false;
	parse_git_extended(ps);
	return 0;
}

int patch_parse(const char *text, struct patch_set *set, char **err)
{
	struct parser ps = { .p = text, .set = set };
	size_t i;
	int ret = 0;

	memset(set, 0, sizeof(*set));
	while (!ret && next_line(&ps))
		ret = parse_line(&ps);
	free(ps.line);
	if (!ret && !set->nr_files) {
		ps.err = build_xstrdup("no file changes found (not a unified diff?)");
		ret = -1;
	}
	for (i = 0; !ret && i < set->nr_files; i++) {
		struct patch_file *f = &set->files[i];

		if (!f->hunks && f->change == PATCH_MODIFY) {
			ps.err = build_xasprintf("%s: no hunks (mode-only change?)",
						 f->path);
			ret = -1;
		}
	}
	if (ret) {
		patch_set_free(set);
		*err = ps.err;
	}
	return ret;
}

void patch_set_free(struct patch_set *set)
{
	size_t i;

	for (i = 0; i < set->nr_files; i++) {
		free(set->files[i].path);
		free(set->files[i].old_path);
	}
	free(set->files);
	memset(set, 0, sizeof(*set));
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

enum patch_kind patch_classify(const char *path)
{
	const char *base = base_name(path);

	if (build_has_prefix(path, "Documentation/") ||
	    build_has_prefix(path, "tools/") || build_has_prefix(path, "LICENSES/") ||
	    !strcmp(path, "MAINTAINERS") || !strcmp(path, "CREDITS") ||
	    build_has_suffix(base, ".rst") || build_has_suffix(base, ".txt") ||
	    build_has_suffix(base, ".md"))
		return PATCH_KIND_IGNORED;
	if (!strcmp(base, "Makefile") || !strcmp(base, "Kbuild") ||
	    build_has_prefix(base, "Kconfig") || build_has_prefix(base, "Makefile."))
		return PATCH_KIND_BUILD;
	if (build_has_suffix(base, ".c"))
		return PATCH_KIND_C;
	if (build_has_suffix(base, ".h"))
		return PATCH_KIND_HEADER;
	if (build_has_suffix(base, ".S") || build_has_suffix(base, ".s"))
		return PATCH_KIND_ASM;
	return PATCH_KIND_OTHER;
}

const char *patch_change_name(enum patch_change change)
{
	switch (change) {
	case PATCH_MODIFY:
		return "modifies";
	case PATCH_CREATE:
		return "creates";
	case PATCH_DELETE:
		return "deletes";
	case PATCH_RENAME:
		return "renames or copies";
	case PATCH_BINARY:
		return "makes a binary change to";
	}
	return "?";
}

int patch_check_supported(const struct patch_set *set)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < set->nr_files; i++) {
		const struct patch_file *f = &set->files[i];

		if (f->kind == PATCH_KIND_IGNORED)
			continue;
		if (f->change != PATCH_MODIFY) {
			build_error("the patch %s %s: only changes to existing "
				    "files are supported", patch_change_name(f->change),
				    f->path);
			bad = 1;
		} else if (f->kind == PATCH_KIND_ASM) {
			build_error("the patch changes assembly file %s: assembly "
				    "changes are not supported", f->path);
			bad = 1;
		} else if (f->kind == PATCH_KIND_BUILD) {
			build_error("the patch changes build file %s: Makefile and "
				    "Kconfig changes are not supported", f->path);
			bad = 1;
		} else if (f->kind == PATCH_KIND_OTHER) {
			build_error("the patch changes %s: only .c and .h files "
				    "are supported", f->path);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}
