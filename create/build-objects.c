// SPDX-License-Identifier: GPL-2.0
/* Affected objects, their targets, and compiling them pre and post. */
#include "create/build-objects.h"
#include "create/build-replay.h"
#include "create/patch-header.h"
#include "create/tree-kbuild.h"
#include "create/tree-prepare.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Added to the kernel's own flags: one section per function and variable,
 * and the directory of ksplice-patch.h (patch-header.h).
 */
#define BUILD_KCFLAGS "KCFLAGS=-ffunction-sections -fdata-sections"

/*
 * The type layouts are compared in DWARF (layout-check.h): every object
 * gets full debug information in itself. -g changes no code or data
 * section (only .debug_* ones, which the diff ignores), so the objects
 * still match the running kernel built without it.
 */
static const char *debug_info_flags(const char *config)
{
	if (!tree_config_enabled(config, "CONFIG_DEBUG_INFO"))
		return " -g";
	if (tree_config_enabled(config, "CONFIG_DEBUG_INFO_SPLIT"))
		return " -gno-split-dwarf";
	if (tree_config_enabled(config, "CONFIG_DEBUG_INFO_REDUCED"))
		return " -femit-struct-debug-detailed=any";
	return "";
}

static void add_object(struct build_result *r, const struct tree_object *o,
		       const char *source)
{
	struct build_object *b;

	r->objects = build_xrealloc(r->objects,
				    (r->nr_objects + 1) * sizeof(*r->objects));
	b = &r->objects[r->nr_objects++];
	memset(b, 0, sizeof(*b));
	b->source = build_xstrdup(source);
	b->path = build_xstrdup(o->path);
	b->goal = build_xstrdup(o->goal);
	b->pre = build_xasprintf("%s/pre/%s", r->work_dir, o->path);
	b->post = build_xasprintf("%s/post/%s", r->work_dir, o->path);
}

static struct build_target *get_target(struct build_result *r, const char *ko)
{
	char *name = ko ? tree_module_name(ko) : build_xstrdup("vmlinux");
	struct build_target *t;
	size_t i;

	for (i = 0; i < r->nr_targets; i++) {
		t = &r->targets[i];
		if (!strcmp(t->name, name) &&
		    (!ko ? !t->ko : t->ko && !strcmp(t->ko, ko))) {
			free(name);
			return t;
		}
	}
	r->targets = build_xrealloc(r->targets,
				    (r->nr_targets + 1) * sizeof(*r->targets));
	t = &r->targets[r->nr_targets++];
	memset(t, 0, sizeof(*t));
	t->name = name;
	t->ko = ko ? build_xstrdup(ko) : NULL;
	return t;
}

static void target_add(struct build_target *t, struct build_object *o)
{
	t->objs = build_xrealloc(t->objs, (t->nr_objs + 1) * sizeof(*t->objs));
	t->objs[t->nr_objs++] = o;
}

static int cmp_target(const void *a, const void *b)
{
	const struct build_target *x = a, *y = b;

	if (!x->ko != !y->ko)
		return x->ko ? 1 : -1;	/* vmlinux first */
	return strcmp(x->name, y->name);
}

static int cmp_object(const void *a, const void *b)
{
	return strcmp(((const struct build_object *)a)->path,
		      ((const struct build_object *)b)->path);
}

/* Targets point into objects: build them once objects are final. */
static void group_targets(struct build_result *r, const struct tree_kbuild *kb)
{
	size_t i, j;

	qsort(r->objects, r->nr_objects, sizeof(*r->objects), cmp_object);
	for (i = 0; i < r->nr_objects; i++) {
		const struct tree_object *o = tree_kbuild_find(kb, r->objects[i].source);

		if (!o)
			continue;
		if (o->builtin)
			target_add(get_target(r, NULL), &r->objects[i]);
		for (j = 0; j < o->modules.n; j++)
			target_add(get_target(r, o->modules.v[j]), &r->objects[i]);
	}
	qsort(r->targets, r->nr_targets, sizeof(*r->targets), cmp_target);
}

static bool source_exists(const char *src, const char *path)
{
	char *full = build_xasprintf("%s/%s", src, path);
	bool ret = build_file_exists(full);

	free(full);
	return ret;
}

void build_map_objects(struct build_result *r, const struct tree_kbuild *kb,
		       const struct build_strlist *affected, bool all,
		       const char *src, const char *work_dir)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->work_dir = build_xstrdup(work_dir);
	if (all) {
		for (i = 0; i < kb->nr_objs; i++) {
			const struct tree_object *o = &kb->objs[i];
			char *c = build_xstrdup(o->path);

			c[strlen(c) - 1] = 'c';
			if ((o->builtin || o->modules.n) && source_exists(src, c))
				add_object(r, o, c);
			free(c);
		}
	}
	for (i = 0; !all && i < affected->n; i++) {
		const char *f = affected->v[i];
		const struct tree_object *o;

		if (build_has_suffix(f, ".S")) {
			build_strlist_add(&r->assembly, f);
			continue;
		}
		if (!build_has_suffix(f, ".c"))
			continue;
		o = tree_kbuild_find(kb, f);
		if (o)
			add_object(r, o, f);
		else
			build_strlist_add(&r->unbuilt, f);
	}
	group_targets(r, kb);
}

/* Remove stale outputs so kbuild compiles every goal again. */
static void remove_outputs(const struct build_result *r, const struct tree_prepared *t,
			   const bool *todo)
{
	size_t i;

	for (i = 0; i < r->nr_objects; i++) {
		char *o = build_xasprintf("%s/%s", t->obj, r->objects[i].path);

		if (todo[i])
			unlink(o);
		free(o);
	}
}

void build_object_refuse(struct build_object *o, enum refusal_class c, const char *reason)
{
	if (o->refusal)
		return;
	o->refusal = c;
	o->refusal_reason = build_xstrdup(reason);
}

static int copy_outputs(struct build_result *r, const struct tree_prepared *t,
			const char *which, const bool *todo, bool keep_going)
{
	size_t i;

	for (i = 0; i < r->nr_objects; i++) {
		struct build_object *b = &r->objects[i];
		const char *dst = strcmp(which, "pre") ? b->post : b->pre;
		char *o = build_xasprintf("%s/%s", t->obj, b->path);
		char *dir = build_xstrdup(dst);
		int ret = 0;

		*strrchr(dir, '/') = '\0';
		if (!todo[i]) {
			/* kept from an earlier round */
		} else if (!build_file_exists(o) && keep_going) {
			char *why = build_xasprintf("%s does not compile %s the change (see %s/build-%s.log)",
						    b->source, strcmp(which, "pre") ? "with" : "without",
						    r->work_dir, which);

			build_warn("%s", why);
			build_object_refuse(b, REFUSAL_BUILD_FAILURE, why);
			free(why);
		} else if (!build_file_exists(o)) {
			build_error("kbuild did not produce %s (%s)", b->path,
				    b->goal);
			ret = -1;
		} else {
			ret = build_mkdir_p(dir) || build_copy_file(o, dst) ? -1 : 0;
			if (ret)
				build_error("cannot copy %s to %s: %s", o, dst,
					    strerror(errno));
		}
		free(dir);
		free(o);
		if (ret)
			return -1;
	}
	return 0;
}

/* Which objects to compile: all, but pre objects an earlier round made. */
static size_t choose_todo(const struct build_result *r, const char *which, bool *todo)
{
	size_t i, n = 0;

	for (i = 0; i < r->nr_objects; i++) {
		todo[i] = strcmp(which, "pre") || !build_file_exists(r->objects[i].pre);
		n += todo[i];
	}
	return n;
}

int build_compile(struct build_result *r, const struct tree_prepared *t,
		  const char *which, bool keep_going)
{
	const char **extra = build_xcalloc(r->nr_objects + 3, sizeof(*extra));
	bool *todo = build_xcalloc(r->nr_objects + 1, sizeof(*todo));
	char *log = build_xasprintf("%s/build-%s.log", r->work_dir, which);
	/* In the prepared tree's entry: the same flags every run (build-replay.h). */
	char *include = patch_header_install(t->dir ? t->dir : r->work_dir), *kcflags;
	char *stamp = tree_kbuild_walk_stamp(t);
	char **argv;
	size_t i, n = 0;
	int ret = 0;

	if (!include) {
		free(extra);
		free(todo);
		free(log);
		return -1;
	}
	kcflags = build_xasprintf("%s%s -I%s", BUILD_KCFLAGS, debug_info_flags(t->config_text),
				  include);
	extra[n++] = kcflags;
	if (keep_going)
		extra[n++] = "-k";
	for (i = 0; i < r->nr_objects; i++)
		if (choose_todo(r, which, todo) && todo[i])
			extra[n++] = r->objects[i].goal;
	argv = tree_make_argv(t, extra);
	remove_outputs(r, t, todo);
	unlink(log);
	if (choose_todo(r, which, todo)) {
		ret = !stamp ? BUILD_REPLAY_UNAVAILABLE :
			build_replay(r, t, todo, kcflags + strlen("KCFLAGS="), stamp,
				     keep_going, log);
		if (ret == BUILD_REPLAY_UNAVAILABLE)
			ret = build_run(argv, &(struct build_run_opts){ .log = log });
	}
	if (ret && !build_interrupted && !keep_going) {
		char *tail[] = { "tail", "-n", "30", log, NULL };

		build_run(tail, NULL);
		build_error("compiling the %s objects failed (log: %s)%s", which,
			    log, strcmp(which, "post") ? "" :
			    ": the patched source does not compile");
	}
	if (build_interrupted)
		ret = -1;
	else if (!ret || keep_going)
		ret = copy_outputs(r, t, which, todo, keep_going);
	tree_free_argv(argv);
	free(extra);
	free(todo);
	free(log);
	free(kcflags);
	free(include);
	free(stamp);
	return ret ? -1 : 0;
}

int build_write_targets(const struct build_result *r)
{
	char *path = build_xasprintf("%s/targets", r->work_dir);
	FILE *f = fopen(path, "w");
	size_t i, j;
	int ret;

	if (!f) {
		build_error("cannot write %s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (i = 0; i < r->nr_targets; i++) {
		const struct build_target *t = &r->targets[i];

		for (j = 0; j < t->nr_objs; j++)
			fprintf(f, "%s %s %s %s %s\n", t->name, t->ko ? t->ko : "-",
				t->objs[j]->path, t->objs[j]->pre, t->objs[j]->post);
	}
	ret = fclose(f) ? -1 : 0;
	free(path);
	return ret;
}

void build_result_free(struct build_result *r)
{
	size_t i;

	for (i = 0; i < r->nr_objects; i++) {
		free(r->objects[i].source);
		free(r->objects[i].path);
		free(r->objects[i].goal);
		free(r->objects[i].pre);
		free(r->objects[i].post);
		free(r->objects[i].refusal_reason);
		build_strlist_free(&r->objects[i].causes);
		build_strlist_free(&r->objects[i].functions);
		build_strlist_free(&r->objects[i].changed_symbols);
	}
	for (i = 0; i < r->nr_targets; i++) {
		free(r->targets[i].name);
		free(r->targets[i].ko);
		free(r->targets[i].objs);
	}
	free(r->objects);
	free(r->targets);
	free(r->work_dir);
	build_strlist_free(&r->unbuilt);
	build_strlist_free(&r->assembly);
	memset(r, 0, sizeof(*r));
}
