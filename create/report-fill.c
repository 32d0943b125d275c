// SPDX-License-Identifier: GPL-2.0
/* From the build to the per-file report, and the --skip-refused rule. */
#include "create/report-fill.h"

#include <stdlib.h>
#include <string.h>

static void take_out(struct change_set *cs, const char *path)
{
	struct change_file *c = change_set_find(cs, path);

	if (c)
		c->in = false;
}

/* A file that is not a .c or header change: is it part of this config's build? */
static void classify_other(struct report_file *f, struct affected_graph *g)
{
	enum refusal_class c = REFUSAL_OTHER_FILE;
	char *why;

	if (f->change == PATCH_CREATE)
		c = REFUSAL_FILE_ADDED;
	else if (f->change == PATCH_DELETE)
		c = REFUSAL_FILE_REMOVED;
	else if (f->kind == PATCH_KIND_ASM)
		c = REFUSAL_ASSEMBLY;
	else if (f->kind == PATCH_KIND_BUILD)
		c = REFUSAL_BUILD_SYSTEM;
	f->built = affected_graph_builds(g, f->path);
	if (!f->built) {
		f->outcome = REPORT_NOT_BUILT;
		return;
	}
	why = build_xasprintf("%s %s", f->path, refusal_description(c));
	report_leave_out(f, c, why);
	free(why);
}

static void classify_source(struct report_file *f, struct affected_graph *g)
{
	struct affected_reach reach;
	size_t i;

	affected_graph_reach(g, f->path, &reach);
	f->nr_objects = reach.built.n;
	f->built = reach.built.n || reach.all;
	for (i = 0; i < reach.targets.n; i++)
		build_strlist_add(&f->targets, reach.targets.v[i]);
	for (i = 0; i < reach.built.n; i++)
		build_strlist_add(&f->reaches, reach.built.v[i]);
	if (reach.all) {
		char *why = build_xasprintf("%s is included in every compilation: the update would "
					    "replace every object", f->path);

		report_leave_out(f, REFUSAL_EVERY_OBJECT, why);
		free(why);
	} else if (!f->built) {
		f->outcome = REPORT_NOT_BUILT;
	}
	affected_reach_free(&reach);
}

size_t report_classify(struct update_report *rep, struct change_set *cs, struct affected_graph *g)
{
	size_t i, refused = 0;

	for (i = 0; i < rep->nr_files; i++) {
		struct report_file *f = &rep->files[i];

		if (f->kind == PATCH_KIND_IGNORED)
			f->outcome = REPORT_IGNORED;
		else if (f->change != PATCH_MODIFY ||
			 (f->kind != PATCH_KIND_C && f->kind != PATCH_KIND_HEADER))
			classify_other(f, g);
		else
			classify_source(f, g);
		if (f->outcome != REPORT_PENDING)
			take_out(cs, f->path);
		refused += f->outcome == REPORT_LEFT_OUT;
	}
	return refused;
}

static void add_sorted(struct build_strlist *l, const struct build_strlist *more)
{
	size_t i;

	for (i = 0; i < more->n; i++)
		build_strlist_add(l, more->v[i]);
	build_strlist_sort_unique(l);
}

static size_t drop(struct update_report *rep, struct change_set *cs, const char *path,
		   const struct build_object *o, bool announce)
{
	struct change_file *c = change_set_find(cs, path);
	struct report_file *f = report_find(rep, path);

	if (!c || !c->in)
		return 0;
	c->in = false;
	if (f)
		report_leave_out(f, o->refusal, o->refusal_reason);
	if (announce)
		build_stage("Leaving out %s: %s", path, o->refusal_reason);
	return 1;
}

size_t report_drop_refused(struct update_report *rep, struct change_set *cs,
			   const struct build_result *res, struct build_strlist *left_out,
			   bool announce)
{
	size_t i, j, n = 0;

	for (i = 0; i < res->nr_objects; i++) {
		const struct build_object *o = &res->objects[i];
		struct change_file *own = change_set_find(cs, o->source);

		if (!o->refusal)
			continue;
		add_sorted(left_out, &o->changed_symbols);
		if (own && own->in) {
			n += drop(rep, cs, o->source, o, announce);
			continue;
		}
		for (j = 0; j < o->causes.n; j++)
			n += drop(rep, cs, o->causes.v[j], o, announce);
	}
	return n;
}

/* Functions a file's change brings: its own object's, or (a header) those of objects it alone changes. */
static void collect(struct report_file *f, const struct change_set *cs,
		    const struct build_result *res)
{
	bool changed = false;
	size_t i, j;

	build_strlist_free(&f->targets);
	for (i = 0; i < res->nr_targets; i++) {
		const struct build_target *t = &res->targets[i];

		for (j = 0; j < t->nr_objs; j++) {
			const struct build_object *o = t->objs[j];
			struct change_file *own = change_set_find((struct change_set *)cs, o->source);
			bool mine = !strcmp(o->source, f->path) || !own || !own->in;
			size_t k;

			if (!o->changed || !build_strlist_has(&o->causes, f->path))
				continue;
			changed = true;
			build_strlist_add(&f->targets, t->name);
			for (k = 0; mine && k < o->functions.n; k++)
				build_strlist_add(&f->functions, o->functions.v[k]);
		}
	}
	build_strlist_sort_unique(&f->targets);
	build_strlist_sort_unique(&f->functions);
	f->outcome = changed ? REPORT_IN_UPDATE : REPORT_NO_CODE;
}

void report_finish(struct update_report *rep, const struct change_set *cs,
		   const struct build_result *res)
{
	size_t i, j;

	for (i = 0; i < rep->nr_files; i++) {
		struct report_file *f = &rep->files[i];
		struct change_file *c = change_set_find((struct change_set *)cs, f->path);

		if (res && c && c->in && f->outcome == REPORT_PENDING)
			collect(f, cs, res);
		else if (f->outcome == REPORT_PENDING)
			f->outcome = REPORT_NO_CODE;
	}
	for (i = 0; res && i < res->nr_targets; i++) {
		bool changed = false;

		for (j = 0; j < res->targets[i].nr_objs; j++)
			changed |= res->targets[i].objs[j]->changed;
		if (changed && res->targets[i].ko)
			build_strlist_add(&rep->modules, res->targets[i].name);
	}
}
