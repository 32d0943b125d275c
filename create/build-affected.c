// SPDX-License-Identifier: GPL-2.0
/* Changed files -> affected objects, grouped by target. */
#include "create/build-affected.h"
#include "create/tree-includes.h"
#include "create/tree-kbuild.h"
#include "create/tree-prepare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many objects one changed file reaches (for the report). */
static size_t count_objects(struct tree_includes *ti, const struct tree_kbuild *kb,
			    const char *file, bool *all)
{
	struct build_strlist one = { 0 }, out = { 0 };
	size_t i, n = 0;

	build_strlist_add(&one, file);
	tree_includes_affected(ti, &one, &out, all);
	for (i = 0; i < out.n; i++)
		if (tree_kbuild_find(kb, out.v[i]))
			n++;
	build_strlist_free(&one);
	build_strlist_free(&out);
	return n;
}

static void report_headers(struct tree_includes *ti, const struct tree_kbuild *kb,
			   const struct patch_set *set)
{
	size_t i;

	for (i = 0; i < set->nr_files; i++) {
		const struct patch_file *f = &set->files[i];
		bool all;
		size_t n;

		if (f->kind != PATCH_KIND_HEADER)
			continue;
		n = count_objects(ti, kb, f->path, &all);
		if (all)
			build_stage("  %s reaches every object (it is included "
				    "in every compilation)", f->path);
		else
			build_stage("  %s is included by %zu object%s built with "
				    "this config", f->path, n, n == 1 ? "" : "s");
	}
}

static void report_problems(const struct build_result *r,
			    const struct patch_set *set)
{
	size_t i;

	for (i = 0; i < r->assembly.n; i++)
		build_warn("assembly file %s includes a changed header; changes "
			   "to assembly are not supported and NOT checked",
			   r->assembly.v[i]);
	for (i = 0; i < r->unbuilt.n; i++) {
		size_t j;
		bool changed = false;

		for (j = 0; j < set->nr_files; j++)
			changed |= !strcmp(set->files[j].path, r->unbuilt.v[i]);
		if (changed)
			build_warn("%s is not compiled into vmlinux or a module with "
				   "this config (or only by special rules, e.g. the "
				   "vDSO): its change is not included",
				   r->unbuilt.v[i]);
		else
			build_info("%s includes a changed file but is not built "
				   "with this config", r->unbuilt.v[i]);
	}
	if (r->unbuilt.n)
		build_info("%zu affected source files are not built with this "
			   "config", r->unbuilt.n);
}

/*
 * The include index depends only on the source tree (generated headers are
 * rescanned when they change), so all configs of one tree share it.
 */
static char *include_index_path(const struct tree_prepared *t)
{
	char *root = tree_cache_root();
	uint64_t h = build_hash(t->src, strlen(t->src), BUILD_HASH_INIT);
	char *path = build_xasprintf("%s/create/includes-%012llx.idx", root,
				     (unsigned long long)(h & 0xffffffffffffULL));

	free(root);
	return path;
}

struct affected_graph {
	struct tree_kbuild kb;
	struct tree_includes *ti;
	char *src;
};

struct affected_graph *affected_graph_load(const struct tree_prepared *t, const char *work_dir)
{
	struct affected_graph *g = build_xcalloc(1, sizeof(*g));
	char *index;

	if (tree_kbuild_walk(&g->kb, t, work_dir)) {
		free(g);
		return NULL;
	}
	index = include_index_path(t);
	g->ti = tree_includes_load(t->src, t->obj, index);
	g->src = build_xstrdup(t->src);
	free(index);
	build_info("include graph: %zu files", tree_includes_nr_files(g->ti));
	return g;
}

void affected_graph_free(struct affected_graph *g)
{
	if (!g)
		return;
	tree_includes_free(g->ti);
	tree_kbuild_free(&g->kb);
	free(g->src);
	free(g);
}

static void add_targets(const struct tree_object *o, struct build_strlist *targets)
{
	size_t j;

	if (o->builtin)
		build_strlist_add(targets, "vmlinux");
	for (j = 0; j < o->modules.n; j++)
		build_strlist_add_owned(targets, tree_module_name(o->modules.v[j]));
}

void affected_graph_reach(struct affected_graph *g, const char *file, struct affected_reach *out)
{
	struct build_strlist one = { 0 }, reached = { 0 };
	const struct tree_object *o;
	size_t i;

	memset(out, 0, sizeof(*out));
	build_strlist_add(&one, file);
	tree_includes_affected(g->ti, &one, &reached, &out->all);
	for (i = 0; i < reached.n; i++) {
		const char *f = reached.v[i];

		if (build_has_suffix(f, ".S") && affected_graph_builds(g, f))
			build_strlist_add(&out->assembly, f);
		if (!(o = tree_kbuild_find(&g->kb, f)))
			continue;
		build_strlist_add(&out->built, f);
		add_targets(o, &out->targets);
	}
	build_strlist_sort_unique(&out->built);
	build_strlist_sort_unique(&out->targets);
	build_strlist_free(&one);
	build_strlist_free(&reached);
}

void affected_reach_free(struct affected_reach *r)
{
	build_strlist_free(&r->built);
	build_strlist_free(&r->targets);
	build_strlist_free(&r->assembly);
}

bool affected_graph_builds(const struct affected_graph *g, const char *file)
{
	char *dir = build_xstrdup(file), *slash = strrchr(dir, '/'), *c;
	bool built = false;
	size_t i;

	if (build_has_suffix(file, ".S")) {
		c = build_xstrdup(file);
		c[strlen(c) - 1] = 'c';
		/* tree_kbuild_find looks objects up by their .c name */
		built = tree_kbuild_find(&g->kb, c) != NULL;
		free(c);
	} else {
		if (slash)
			*slash = '\0';
		for (i = 0; i < g->kb.dirs.n && !built; i++)
			built = !strcmp(g->kb.dirs.v[i], slash ? dir : ".") ||
				(!slash && !strcmp(g->kb.dirs.v[i], ""));
	}
	free(dir);
	return built;
}

void build_note_causes(struct build_result *r, struct affected_graph *g,
		       const struct build_strlist *files)
{
	size_t i, j;

	for (i = 0; i < files->n; i++) {
		struct affected_reach reach;

		affected_graph_reach(g, files->v[i], &reach);
		for (j = 0; j < r->nr_objects; j++)
			if (reach.all || build_strlist_has(&reach.built, r->objects[j].source))
				build_strlist_add(&r->objects[j].causes, files->v[i]);
		affected_reach_free(&reach);
	}
}

int build_find_affected_in(struct build_result *r, const struct patch_set *set,
			   struct affected_graph *g, const char *src, const char *work_dir)
{
	struct build_strlist changed = { 0 }, affected = { 0 };
	bool all = false;
	size_t i;

	for (i = 0; i < set->nr_files; i++)
		if (set->files[i].kind == PATCH_KIND_C ||
		    set->files[i].kind == PATCH_KIND_HEADER)
			build_strlist_add(&changed, set->files[i].path);
	tree_includes_affected(g->ti, &changed, &affected, &all);
	report_headers(g->ti, &g->kb, set);
	build_map_objects(r, &g->kb, &affected, all, src, work_dir);
	report_problems(r, set);
	build_note_causes(r, g, &changed);
	build_strlist_free(&changed);
	build_strlist_free(&affected);
	return build_interrupted ? -1 : 0;
}

int build_find_affected(struct build_result *r, const struct patch_set *set,
			const struct tree_prepared *t, const char *work_dir)
{
	struct affected_graph *g = affected_graph_load(t, work_dir);
	int ret;

	if (!g)
		return -1;
	ret = build_find_affected_in(r, set, g, t->src, work_dir);
	affected_graph_free(g);
	return ret;
}
