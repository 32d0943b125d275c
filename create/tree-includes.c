// SPDX-License-Identifier: GPL-2.0
/* The include graph of the source tree, with a cached scan. */
#include "create/tree-includes.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files of the prepared (output) tree are named with this prefix. */
#define OBJ_PREFIX "O:"
#define INDEX_FORMAT "ksplice-includes v1"

struct inc_file {
	char *path;		/* "kernel/sys.c" or "O:include/generated/x.h" */
	long long mtime;	/* ns */
	long long size;
	unsigned long long ino;
	struct build_strlist specs;
	bool fresh;		/* specs read this run (index needs writing) */
};

/* One include, keyed by the basename of what it names. */
struct inc_edge {
	const char *base;
	size_t from;		/* index in files */
	const char *spec;
};

struct tree_includes {
	struct inc_file *files;	/* sorted by path */
	size_t nr_files, cap;
	struct inc_edge *edges;	/* sorted by base */
	size_t nr_edges;
};

/* kbuild's LINUXINCLUDE for x86, in order. */
static const char *const search_path[] = {
	"arch/x86/include",
	OBJ_PREFIX "arch/x86/include/generated",
	"include",
	OBJ_PREFIX "include",
	"arch/x86/include/uapi",
	OBJ_PREFIX "arch/x86/include/generated/uapi",
	"include/uapi",
	OBJ_PREFIX "include/generated/uapi",
	NULL,
};

/* Passed to every compilation with -include. */
static const char *const forced_includes[] = {
	"include/linux/compiler-version.h",
	"include/linux/kconfig.h",
	"include/linux/compiler_types.h",
	NULL,
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse `include[_next] <x>` or "x" starting at P ("include..."). */
static void scan_directive(const char *p, struct build_strlist *specs)
{
	bool next = false;
	const char *end;
	char close;

	p += strlen("include");
	if (!strncmp(p, "_next", 5)) {
		next = true;
		p += 5;
	}
	if (!is_space(*p) && *p != '<' && *p != '"')
		return;
	while (is_space(*p))
		p++;
	if (*p == '<')
		close = '>';
	else if (*p == '"')
		close = '"';
	else
		return;		/* #include MACRO */
	end = p + 1;
	while (*end && *end != close && *end != '\n')
		end++;
	if (*end != close || end == p + 1)
		return;
	build_strlist_add_owned(specs, build_xasprintf("%s%.*s", next ? "next:" : "",
						      (int)(end - p + 1), p));
}

void tree_scan_includes(const char *text, struct build_strlist *specs)
{
	const char *p = text;

	while ((p = strstr(p, "include"))) {
		const char *q = p;

		/* Only whitespace, '#', whitespace may precede it on its line. */
		while (q > text && is_space(q[-1]))
			q--;
		if (q > text && q[-1] == '#') {
			q--;
			while (q > text && is_space(q[-1]))
				q--;
			if (q == text || q[-1] == '\n')
				scan_directive(p, specs);
		}
		p += strlen("include");
	}
}

/* Index file: "F mtime size ino path" then "I spec" lines. */
static void load_index(const char *path, struct tree_includes *old)
{
	char *text, *p, *line;
	struct inc_file *f = NULL;

	memset(old, 0, sizeof(*old));
	if (!path || build_read_file(path, &text, NULL))
		return;
	p = text;
	line = strsep(&p, "\n");
	if (!line || strcmp(line, INDEX_FORMAT))
		goto out;
	while ((line = strsep(&p, "\n"))) {
		if (line[0] == 'F' && line[1] == ' ') {
			long long mtime, size;
			unsigned long long ino;
			int n = 0;

			if (sscanf(line + 2, "%lld %lld %llu %n", &mtime, &size, &ino,
				   &n) != 3 || !n)
				break;
			if (old->nr_files == old->cap) {
				old->cap = old->cap ? 2 * old->cap : 4096;
				old->files = build_xrealloc(old->files,
						old->cap * sizeof(*old->files));
			}
			f = &old->files[old->nr_files++];
			memset(f, 0, sizeof(*f));
			f->path = build_xstrdup(line + 2 + n);
			f->mtime = mtime;
			f->size = size;
			f->ino = ino;
		} else if (line[0] == 'I' && line[1] == ' ' && f) {
			build_strlist_add(&f->specs, line + 2);
		}
	}
out:
	free(text);
}

static void save_index(const char *path, const struct tree_includes *ti)
{
	char *tmp = build_xasprintf("%s.tmp%d", path, (int)getpid());
	FILE *out = fopen(tmp, "w");
	size_t i, j;

	if (!out) {
		free(tmp);
		return;
	}
	fprintf(out, "%s\n", INDEX_FORMAT);
	for (i = 0; i < ti->nr_files; i++) {
		const struct inc_file *f = &ti->files[i];

		fprintf(out, "F %lld %lld %llu %s\n", f->mtime, f->size, f->ino,
			f->path);
		for (j = 0; j < f->specs.n; j++)
			fprintf(out, "I %s\n", f->specs.v[j]);
	}
	if (fclose(out) || rename(tmp, path))
		unlink(tmp);
	free(tmp);
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct inc_file *)a)->path,
		      ((const struct inc_file *)b)->path);
}

static struct inc_file *find_file(const struct tree_includes *ti,
				  const char *path)
{
	struct inc_file key = { .path = (char *)path };

	if (!ti->nr_files)
		return NULL;
	return bsearch(&key, ti->files, ti->nr_files, sizeof(key), cmp_file);
}

/* nftw has no user pointer: the scan state lives here. */
static struct {
	struct tree_includes *ti;
	const struct tree_includes *old;
	const char *prefix;	/* "" or OBJ_PREFIX */
	size_t root_len;
	bool top;		/* walking the source root (prune there) */
} scan;

static bool pruned_dir(const char *rel)
{
	static const char *const skip[] = {
		"Documentation", "tools", "scripts", "LICENSES", "usr/include",
		NULL,
	};
	size_t i;

	if (!scan.top)
		return false;
	for (i = 0; skip[i]; i++)
		if (!strcmp(rel, skip[i]))
			return true;
	/* Other architectures. */
	return build_has_prefix(rel, "arch/") && !strchr(rel + 5, '/') &&
	       strcmp(rel, "arch/x86");
}

static bool scanned_name(const char *base)
{
	return build_has_suffix(base, ".c") || build_has_suffix(base, ".h") ||
	       build_has_suffix(base, ".S") || build_has_suffix(base, ".inc");
}

static void add_scanned(const char *path, const char *rel, const struct stat *st)
{
	struct tree_includes *ti = scan.ti;
	char *name = build_xasprintf("%s%s", scan.prefix, rel);
	struct inc_file *old = find_file(scan.old, name), *f;

	if (ti->nr_files == ti->cap) {
		ti->cap = ti->cap ? 2 * ti->cap : 4096;
		ti->files = build_xrealloc(ti->files, ti->cap * sizeof(*ti->files));
	}
	f = &ti->files[ti->nr_files++];
	memset(f, 0, sizeof(*f));
	f->path = name;
	f->mtime = st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	f->size = st->st_size;
	f->ino = st->st_ino;
	if (old && old->mtime == f->mtime && old->size == f->size &&
	    old->ino == f->ino) {
		f->specs = old->specs;	/* take over */
		memset(&old->specs, 0, sizeof(old->specs));
		return;
	}
	char *text;

	f->fresh = true;
	if (!build_read_file(path, &text, NULL)) {
		tree_scan_includes(text, &f->specs);
		free(text);
	} else {
		build_warn("cannot read %s: %s", path, strerror(errno));
	}
}

static int scan_visit(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	const char *rel = path + scan.root_len;
	const char *base = path + ftw->base;

	if (build_interrupted)
		return FTW_STOP;
	if (flag == FTW_D) {
		if (ftw->level > 0 && (base[0] == '.' || pruned_dir(rel)))
			return FTW_SKIP_SUBTREE;
		return FTW_CONTINUE;
	}
	if (flag == FTW_F && scanned_name(base))
		add_scanned(path, rel, st);
	return FTW_CONTINUE;
}

static void scan_root(struct tree_includes *ti, const struct tree_includes *old,
		      const char *root, const char *sub, const char *prefix)
{
	char *dir = sub ? build_xasprintf("%s/%s", root, sub) : build_xstrdup(root);

	scan.ti = ti;
	scan.old = old;
	scan.prefix = prefix;
	scan.root_len = strlen(root) + 1;
	scan.top = !sub;
	if (build_dir_exists(dir))
		nftw(dir, scan_visit, 64, FTW_PHYS | FTW_ACTIONRETVAL);
	free(dir);
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* The name a spec includes: past "next:" and the opening '<' or '"'. */
static const char *spec_name(const char *spec)
{
	if (build_has_prefix(spec, "next:"))
		spec += strlen("next:");
	return spec + 1;
}

static int cmp_edge(const void *a, const void *b)
{
	return strcmp(((const struct inc_edge *)a)->base,
		      ((const struct inc_edge *)b)->base);
}

/* Edges keyed by included basename; the spec's closing char is dropped. */
static void build_edges(struct tree_includes *ti)
{
	size_t i, j, n = 0;

	for (i = 0; i < ti->nr_files; i++)
		n += ti->files[i].specs.n;
	ti->edges = build_xcalloc(n, sizeof(*ti->edges));
	for (i = 0; i < ti->nr_files; i++) {
		struct inc_file *f = &ti->files[i];

		for (j = 0; j < f->specs.n; j++) {
			char *s = f->specs.v[j];

			s[strlen(s) - 1] = '\0';	/* '>' or '"' */
			ti->edges[ti->nr_edges].from = i;
			ti->edges[ti->nr_edges].spec = s;
			ti->edges[ti->nr_edges].base = base_of(spec_name(s));
			ti->nr_edges++;
		}
	}
	qsort(ti->edges, ti->nr_edges, sizeof(*ti->edges), cmp_edge);
}

static void free_files(struct inc_file *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(files[i].path);
		build_strlist_free(&files[i].specs);
	}
	free(files);
}

struct tree_includes *tree_includes_load(const char *src, const char *obj,
					 const char *cache)
{
	struct tree_includes *ti = build_xcalloc(1, sizeof(*ti));
	struct tree_includes old;
	bool fresh = false;
	size_t i;

	load_index(cache, &old);
	if (old.nr_files)
		qsort(old.files, old.nr_files, sizeof(*old.files), cmp_file);
	scan_root(ti, &old, src, NULL, "");
	if (obj) {
		scan_root(ti, &old, obj, "include/generated", OBJ_PREFIX);
		scan_root(ti, &old, obj, "arch/x86/include/generated", OBJ_PREFIX);
	}
	free_files(old.files, old.nr_files);
	if (ti->nr_files)
		qsort(ti->files, ti->nr_files, sizeof(*ti->files), cmp_file);
	for (i = 0; i < ti->nr_files; i++)
		fresh |= ti->files[i].fresh;
	if (cache && fresh && !build_interrupted)
		save_index(cache, ti);
	build_edges(ti);
	return ti;
}

size_t tree_includes_nr_files(const struct tree_includes *ti)
{
	return ti->nr_files;
}

void tree_includes_free(struct tree_includes *ti)
{
	if (!ti)
		return;
	free_files(ti->files, ti->nr_files);
	free(ti->edges);
	free(ti);
}

/* PREFIX + normalised DIR/NAME if that file is known, else NULL. */
static char *lookup(const struct tree_includes *ti, const char *dir,
		    const char *name)
{
	const char *prefix = build_has_prefix(dir, OBJ_PREFIX) ? OBJ_PREFIX : "";
	char *joined = build_xasprintf("%s/%s", dir + strlen(prefix), name);
	char *norm = build_path_normalize(joined), *path = NULL;

	free(joined);
	if (norm) {
		path = build_xasprintf("%s%s", prefix, norm);
		free(norm);
		if (!find_file(ti, path)) {
			free(path);
			path = NULL;
		}
	}
	return path;
}

/* What FROM's include SPEC (closing char dropped) names, NULL if unknown. */
static char *resolve(const struct tree_includes *ti, const char *from,
		     const char *spec)
{
	char *path;
	size_t i;

	if (build_has_prefix(spec, "next:"))
		return NULL;
	if (spec[0] == '"') {
		char *dir = build_xstrdup(from), *slash = strrchr(dir, '/');

		if (slash)
			*slash = '\0';
		else
			strcpy(dir, ".");
		path = lookup(ti, dir, spec + 1);
		free(dir);
		if (path)
			return path;
	}
	for (i = 0; search_path[i]; i++) {
		path = lookup(ti, search_path[i], spec + 1);
		if (path)
			return path;
	}
	return NULL;
}

/* An unresolved include (per-directory -I, include_next) of NAME. */
static bool suffix_match(const char *target, const char *name)
{
	char *norm = build_path_normalize(name);
	const char *t = target;
	size_t n, m;
	bool ret;

	if (build_has_prefix(t, OBJ_PREFIX))
		t += strlen(OBJ_PREFIX);
	if (!norm)	/* "../x.h" from an unknown directory: match the base */
		return true;
	n = strlen(t);
	m = strlen(norm);
	ret = !strcmp(t, norm) || (n > m && t[n - m - 1] == '/' &&
				    !strcmp(t + n - m, norm));
	free(norm);
	return ret;
}

/* Does EDGE name file TARGET? */
static bool edge_reaches(const struct tree_includes *ti,
			 const struct inc_edge *e, const char *target)
{
	const char *spec = e->spec;
	char *path = resolve(ti, ti->files[e->from].path, spec);
	bool ret;

	if (path) {
		ret = !strcmp(path, target);
		free(path);
		return ret;
	}
	return suffix_match(target, spec_name(spec));
}

void tree_includes_affected(struct tree_includes *ti,
			    const struct build_strlist *changed,
			    struct build_strlist *out, bool *reaches_all)
{
	bool *seen = build_xcalloc(ti->nr_files, sizeof(*seen));
	size_t *queue = build_xcalloc(ti->nr_files, sizeof(*queue));
	size_t head = 0, tail = 0, i;

	*reaches_all = false;
	for (i = 0; i < changed->n; i++) {
		struct inc_file *f = find_file(ti, changed->v[i]);

		build_strlist_add(out, changed->v[i]);
		if (f && !seen[f - ti->files]) {
			seen[f - ti->files] = true;
			queue[tail++] = f - ti->files;
		}
	}
	while (head < tail) {
		const char *target = ti->files[queue[head++]].path;
		struct inc_edge key = { .base = base_of(target) };
		struct inc_edge *e = bsearch(&key, ti->edges, ti->nr_edges,
					     sizeof(key), cmp_edge);

		if (!e)
			continue;
		while (e > ti->edges && !cmp_edge(e - 1, &key))
			e--;
		for (; e < ti->edges + ti->nr_edges && !cmp_edge(e, &key); e++) {
			if (seen[e->from] || !edge_reaches(ti, e, target))
				continue;
			seen[e->from] = true;
			queue[tail++] = e->from;
		}
	}
	for (i = 0; i < ti->nr_files; i++) {
		const char *path = ti->files[i].path;
		size_t j;

		if (!seen[i] || build_has_prefix(path, OBJ_PREFIX))
			continue;
		build_strlist_add(out, path);
		for (j = 0; forced_includes[j]; j++)
			if (!strcmp(path, forced_includes[j]))
				*reaches_all = true;
	}
	build_strlist_sort_unique(out);
	free(seen);
	free(queue);
}
