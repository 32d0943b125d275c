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

int build_find_affected(struct build_result *r, const struct patch_set *set,
			const struct tree_prepared *t, const char *work_dir)
{
	struct build_strlist changed = { 0 }, affected = { 0 };
	struct tree_includes *ti;
	struct tree_kbuild kb;
	char *index;
	bool all = false;
	size_t i;

	if (tree_kbuild_walk(&kb, t, work_dir))
		return -1;
	for (i = 0; i < set->nr_files; i++)
		if (set->files[i].kind == PATCH_KIND_C ||
		    set->files[i].kind == PATCH_KIND_HEADER)
			build_strlist_add(&changed, set->files[i].path);
	index = include_index_path(t);
	ti = tree_includes_load(t->src, t->obj, index);
	free(index);
	build_info("include graph: %zu files", tree_includes_nr_files(ti));
	tree_includes_affected(ti, &changed, &affected, &all);
	report_headers(ti, &kb, set);
	build_map_objects(r, &kb, &affected, all, t->src, work_dir);
	report_problems(r, set);
	tree_includes_free(ti);
	tree_kbuild_free(&kb);
	build_strlist_free(&changed);
	build_strlist_free(&affected);
	return build_interrupted ? -1 : 0;
}
