// SPDX-License-Identifier: GPL-2.0
#include "create/create-update.h"
#include "create/module-sign.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "create/build-util.h"
#include "create/elf-object.h"
#include "create/layout-check.h"
#include "create/module-build.h"
#include "create/package.h"
#include "create/patch-hooks.h"
#include "create/patch-layouts.h"
#include "create/section-diff.h"

/* One object's comparison, kept until its target's modules are built. */
struct compared {
	struct elf_object *pre, *post;
	struct diff_result *diff;
};

struct target_state {
	const struct build_target *t;
	struct compared *objs;
	bool changed;
};

/*
 * A changed function whose name the patch never mentions changed only
 * because something changed was inlined into it. A heuristic: the patch's
 * text (hunk headers and lines) names the functions it edits.
 */
static bool word_in_patch(const char *patch, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(patch, name); p; p = strstr(p + 1, name)) {
		bool start = p == patch || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool end = !(isalnum((unsigned char)p[n]) || p[n] == '_');

		if (start && end)
			return true;
	}
	return false;
}

/* Syscalls are written SYSCALL_DEFINEn(name, ...) but compile to these. */
static const char *const syscall_prefixes[] = {
	"__do_sys_", "__se_sys_", "__x64_sys_", "__ia32_sys_", "__do_compat_sys_",
	"__se_compat_sys_", "__x64_compat_sys_", "__ia32_compat_sys_", NULL,
};

static bool mentioned_in_patch(const char *patch, const char *name)
{
	const char *const *p;

	if (word_in_patch(patch, name))
		return true;
	for (p = syscall_prefixes; *p; p++)
		if (!strncmp(name, *p, strlen(*p)) && word_in_patch(patch, name + strlen(*p)))
			return true;
	return false;
}

/* "changed"/"new"/"deleted"/"inlined" lines, the corpus's .expect format. */
static void summarize(const struct update_spec *s, struct build_object *o, struct diff_result *d,
		      FILE *summary)
{
	const char *obj = o->path;
	static const char *const labels[] = { "changed", "new", "deleted", "inlined" };
	struct build_strlist lines[4] = { 0 };
	size_t i, k;

	for (i = 0; i < d->nr_functions; i++) {
		struct diff_item *it = &d->functions[i];

		k = it->change == DIFF_NEW ? 1 : it->change == DIFF_DELETED ? 2 : 0;
		if (!k && !mentioned_in_patch(s->patch_text, it->display_name)) {
			it->inlined_into = true;
			k = 3;
		}
		build_strlist_add(&lines[k], it->display_name);
		build_strlist_add(&o->functions, it->display_name);
		if (it->post_name)
			build_strlist_add(&o->changed_symbols, it->post_name);
		fprintf(summary, "%s %s %s\n", labels[k], obj, it->display_name);
	}
	for (i = 0; i < d->nr_data; i++)
		if (d->data[i].post_name)
			build_strlist_add(&o->changed_symbols, d->data[i].post_name);
	/* Variables written over the running object (ksplice_assume_rodata). */
	for (i = 0; i < d->nr_data; i++) {
		if (!d->data[i].in_place)
			continue;
		build_stage("  %s: rewritten in place: %s", obj, d->data[i].display_name);
		fprintf(summary, "rewritten %s %s\n", obj, d->data[i].display_name);
	}
	for (k = 0; k < 4; k++) {
		struct build_strlist *l = &lines[k];
		char *joined = NULL;

		if (!l->n)
			continue;
		for (i = 0; i < l->n; i++) {
			char *next = build_xasprintf("%s%s%s", joined ? joined : "",
						     joined ? ", " : "", l->v[i]);
			free(joined);
			joined = next;
		}
		build_stage("  %s: %s %s", obj, k == 3 ? "changed through inlining:" : labels[k],
			    joined);
		free(joined);
		build_strlist_free(l);
	}
}

static int compare_object(const struct update_spec *s, struct build_object *o,
			  struct compared *c, bool builtin, FILE *summary)
{
	struct ks_error err = { { 0 } };
	size_t dropped;

	if (o->refusal)
		return 0;	/* did not compile (--skip-refused) */
	c->pre = elf_object_load(o->pre, &err);
	if (c->pre)
		c->post = elf_object_load(o->post, &err);
	if (c->post)
		c->diff = section_diff(c->pre, c->post, &err);
	if (!c->diff) {
		char *why = build_xasprintf("%s: %s", o->path, err.msg);

		if (s->skip_refused)
			build_warn("%s", why);
		else
			build_error("%s", why);
		build_object_refuse(o, REFUSAL_SECTION, why);
		free(why);
		return s->skip_refused ? 0 : -1;
	}
	dropped = builtin ? diff_drop_builtin_exit(c->diff) : 0;
	if (dropped)
		build_stage("  %s: __exit code changed (%zu): a built-in object never runs it, "
			    "left out", o->path, dropped);
	summarize(s, o, c->diff, summary);
	return 0;
}

/*
 * With hooks (ksplice-patch.h) in the patch, a new initial value of an
 * existing variable is the hooks' job: the update keeps using the running
 * kernel's object. Then count what still cannot be carried.
 */
struct refusal_lines {
	struct { const char *message; char *paths; } *v;
	size_t n;
};

/* Add PATH to the objects of MESSAGE, a new line if it is a new message. */
static void note_refusal(struct refusal_lines *l, const char *message, const char *path)
{
	size_t i;
	char *paths;

	for (i = 0; i < l->n && strcmp(l->v[i].message, message); i++)
		;
	if (i == l->n) {
		l->v = build_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
		l->v[l->n].message = message;
		l->v[l->n++].paths = build_xstrdup(path);
		return;
	}
	paths = build_xasprintf("%s, %s", l->v[i].paths, path);
	free(l->v[i].paths);
	l->v[i].paths = paths;
}

static int report_unsupported(const struct update_spec *s, struct target_state *ts, size_t nt,
			      bool hooks)
{
	struct refusal_lines seen = { 0 };
	size_t t, i, k;

	for (t = 0; t < nt; t++) {
		for (i = 0; i < ts[t].t->nr_objs; i++) {
			struct diff_result *d = ts[t].objs[i].diff;
			struct build_object *o = ts[t].t->objs[i];
			const char *path = o->path;

			if (!d)
				continue;
			for (k = 0; hooks && k < d->nr_unsupported; k++)
				if (d->unsupported[k].value_only)
					build_warn("%s: %s: initial value changed; the update keeps the "
						   "running kernel's variable and the patch's hooks set it",
						   path, d->unsupported[k].display_name);
			if (hooks)
				diff_accept_value_changes(d);
			for (k = 0; k < d->nr_unsupported; k++) {
				char *why = build_xasprintf("%s: %s", path, d->unsupported[k].message);

				build_object_refuse(o, d->unsupported[k].klass, why);
				free(why);
				note_refusal(&seen, d->unsupported[k].message, path);
			}
		}
	}
	/* One line per reason, naming every object it is about (a header's type: many). */
	for (i = 0; i < seen.n; i++) {
		if (s->skip_refused)
			build_warn("%s: %s", seen.v[i].paths, seen.v[i].message);
		else
			build_error("%s: %s", seen.v[i].paths, seen.v[i].message);
		free(seen.v[i].paths);
	}
	free(seen.v);
	return (int)seen.n;
}

static size_t count_hooks(const struct target_state *ts, size_t nt)
{
	size_t t, i, n = 0;

	for (t = 0; t < nt; t++)
		for (i = 0; i < ts[t].t->nr_objs; i++)
			if (ts[t].objs[i].post)
				n += patch_hooks_count(ts[t].objs[i].post);
	return n;
}

/* Every function the update replaces, by its running name. */
static void collect_replaced(const struct target_state *ts, size_t nt,
			     struct build_strlist *replaced)
{
	size_t t, i, k;

	for (t = 0; t < nt; t++) {
		for (i = 0; i < ts[t].t->nr_objs; i++) {
			const struct diff_result *d = ts[t].objs[i].diff;

			for (k = 0; d && k < d->nr_functions; k++)
				if (d->functions[k].change == DIFF_CHANGED)
					build_strlist_add(replaced, d->functions[k].pre_name);
		}
	}
	build_strlist_sort_unique(replaced);
}

/* Refuse hooks that can call code the update replaces. */
static int check_hooks(const struct update_spec *s, const struct target_state *ts, size_t nt)
{
	struct build_strlist replaced = { 0 };
	struct ks_error err = { { 0 } };
	size_t t, i;
	int ret = 0;

	collect_replaced(ts, nt, &replaced);
	for (t = 0; t < nt && ret >= 0; t++) {
		for (i = 0; i < ts[t].t->nr_objs && ret >= 0; i++) {
			const struct compared *c = &ts[t].objs[i];
			struct object_index *idx;

			if (!c->post || !patch_hooks_count(c->post))
				continue;
			idx = object_index_build(c->post, &err);
			if (!idx || patch_hooks_check_reach(idx, c->diff, &replaced, &err)) {
				if (s->skip_refused)
					build_warn("%s", err.msg);
				else
					build_error("%s", err.msg);
				build_object_refuse(ts[t].t->objs[i], REFUSAL_HOOKS, err.msg);
				ret = s->skip_refused ? CREATE_RETRY : -1;
			}
			object_index_free(idx);
		}
	}
	build_strlist_free(&replaced);
	return ret;
}

static bool object_changed(const struct compared *c)
{
	return c->diff && (c->diff->nr_functions || c->diff->nr_data);
}

/*
 * An object that calls or uses something a left-out change adds or
 * changes would run against the running kernel's version of it: refuse
 * it too (--skip-refused).
 */
static int check_left_out_uses(const struct update_spec *s, struct target_state *ts, size_t nt)
{
	size_t t, i, k;
	int ret = 0;

	for (t = 0; s->left_out_symbols && t < nt; t++) {
		for (i = 0; i < ts[t].t->nr_objs; i++) {
			const struct elf_object *post = ts[t].objs[i].post;

			if (!object_changed(&ts[t].objs[i]) || ts[t].t->objs[i]->refusal)
				continue;
			for (k = 0; k < post->nr_symbols; k++) {
				const struct elf_symbol *sym = &post->symbols[k];
				char *why;

				if (sym->sec || sym->shndx || !*sym->name ||
				    !build_strlist_has(s->left_out_symbols, sym->name))
					continue;
				why = build_xasprintf("%s uses %s, which a left-out change adds or "
						      "changes", ts[t].t->objs[i]->path, sym->name);
				build_warn("%s", why);
				build_object_refuse(ts[t].t->objs[i], REFUSAL_DEPENDS, why);
				free(why);
				ret = CREATE_RETRY;
				break;
			}
		}
	}
	return ret;
}

/*
 * The changed objects' type layouts, pre against post (layout-check.h):
 * a changed one the patch does not mark handled is an unsupported change.
 */
static void check_layouts(struct target_state *ts, size_t nt)
{
	struct build_strlist handled = { 0 }, used = { 0 };
	size_t t, i;

	for (t = 0; t < nt; t++)
		for (i = 0; i < ts[t].t->nr_objs; i++)
			if (ts[t].objs[i].post)
				patch_layouts_find(ts[t].objs[i].post, &handled);
	build_strlist_sort_unique(&handled);
	for (t = 0; t < nt; t++) {
		for (i = 0; i < ts[t].t->nr_objs; i++) {
			struct build_object *o = ts[t].t->objs[i];
			struct ks_error err = { { 0 } };

			if (!object_changed(&ts[t].objs[i]) || o->refusal)
				continue;
			if (layout_check_object(o->path, o->pre, o->post, &handled, &used,
						ts[t].objs[i].diff, &err))
				diff_add_unsupported(ts[t].objs[i].diff, REFUSAL_STRUCT, o->path,
						     err.msg);
		}
	}
	build_strlist_sort_unique(&used);
	for (i = 0; i < handled.n; i++)
		if (!build_strlist_has(&used, handled.v[i]))
			build_warn("ksplice_layout_handled(%s): no changed object of the update "
				   "changes its layout", handled.v[i]);
	build_strlist_free(&handled);
	build_strlist_free(&used);
}

static bool any_refused(const struct build_result *b)
{
	size_t i;

	for (i = 0; i < b->nr_objects; i++)
		if (b->objects[i].refusal)
			return true;
	return false;
}

static int compare_all(struct update_spec *s, struct target_state *ts, FILE *summary,
		       bool *any_change)
{
	const struct build_result *b = s->built;
	int unsupported, ret;
	size_t t, i;

	for (t = 0; t < b->nr_targets; t++) {
		ts[t].t = &b->targets[t];
		ts[t].objs = build_xcalloc(ts[t].t->nr_objs, sizeof(*ts[t].objs));
		for (i = 0; i < ts[t].t->nr_objs; i++) {
			if (compare_object(s, ts[t].t->objs[i], &ts[t].objs[i], !ts[t].t->ko,
					   summary))
				return -1;
			if (object_changed(&ts[t].objs[i]))
				ts[t].changed = *any_change = ts[t].t->objs[i]->changed = true;
		}
	}
	check_layouts(ts, b->nr_targets);
	unsupported = report_unsupported(s, ts, b->nr_targets,
					 count_hooks(ts, b->nr_targets) > 0);
	if (s->skip_refused && (unsupported || any_refused(b)))
		return CREATE_RETRY;
	if (!unsupported && (ret = check_hooks(s, ts, b->nr_targets)))
		return ret;
	if (!unsupported && (ret = check_left_out_uses(s, ts, b->nr_targets)))
		return ret;
	if (unsupported) {
		build_error("refusing to create the update: %d change%s a rebootless update cannot "
			    "carry as it is (see docs/ on ksplice-patch.h hooks)",
			    unsupported, unsupported == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

/* Does MSG name O: its path, source or a function it changes? */
static bool message_names(const char *msg, const struct build_object *o)
{
	size_t i;

	if (strstr(msg, o->path) || strstr(msg, o->source))
		return true;
	for (i = 0; i < o->functions.n; i++)
		if (word_in_patch(msg, o->functions.v[i]))
			return true;
	return false;
}

/* A target's modules failed: refuse the objects the message names, else all changed ones. */
static void refuse_module_build(struct target_state *ts, const char *msg)
{
	char *why = build_xasprintf("%s: %s", ts->t->name, msg);
	size_t i, named = 0;

	for (i = 0; i < ts->t->nr_objs; i++)
		if (object_changed(&ts->objs[i]) && message_names(msg, ts->t->objs[i]))
			named++;
	for (i = 0; i < ts->t->nr_objs; i++)
		if (object_changed(&ts->objs[i]) && (!named || message_names(msg, ts->t->objs[i])))
			build_object_refuse(ts->t->objs[i], REFUSAL_MODULE_BUILD, why);
	free(why);
}

static int build_target_modules(const struct update_spec *s, struct target_state *ts,
				const char *mod_dir, struct package_input *pkg)
{
	struct ksplice_manifest_target *mt = &pkg->manifest.targets[pkg->manifest.nr_targets];
	struct module_object *objs = build_xcalloc(ts->t->nr_objs, sizeof(*objs));
	struct module_build_opts o = { .id = s->id, .target = ts->t->name, .kdir = s->kdir,
				       .arch = s->arch, .out_dir = mod_dir,
				       .keep_build_dirs = s->keep_temp };
	struct module_build_result res = { 0 };
	struct ks_error err = { { 0 } };
	size_t i, n = 0;
	int ret;

	if (pkg->manifest.nr_targets >= KSPLICE_MAX_TARGETS) {
		free(objs);
		build_error("the patch changes more than %d targets (vmlinux and modules), more than "
			    "one update can hold: split it", KSPLICE_MAX_TARGETS);
		return -1;
	}
	for (i = 0; i < ts->t->nr_objs; i++) {
		if (!object_changed(&ts->objs[i]))
			continue;
		objs[n].pre = ts->objs[i].pre;
		objs[n].post = ts->objs[i].post;
		objs[n++].diff = ts->objs[i].diff;
	}
	ret = module_build_target(&o, objs, n, &res, &err);
	free(objs);
	if (ret) {
		if (s->skip_refused)
			build_warn("%s: %s", ts->t->name, err.msg);
		else
			build_error("%s: %s", ts->t->name, err.msg);
		refuse_module_build(ts, err.msg);
		return s->skip_refused ? CREATE_RETRY : -1;
	}
	for (i = 0; i < res.nr_notes; i++)
		build_warn("%s: %s", ts->t->name, res.notes[i]);
	snprintf(mt->name, sizeof(mt->name), "%s", ts->t->name);
	snprintf(mt->primary, sizeof(mt->primary), "%s", strrchr(res.primary_ko, '/') + 1);
	snprintf(mt->helper, sizeof(mt->helper), "%s", strrchr(res.helper_ko, '/') + 1);
	pkg->primary_paths[pkg->manifest.nr_targets] = build_xstrdup(res.primary_ko);
	pkg->helper_paths[pkg->manifest.nr_targets] = build_xstrdup(res.helper_ko);
	pkg->manifest.nr_targets++;
	module_build_result_free(&res);
	return 0;
}

/* The string value of "#define NAME "value"" in a generated header, or "". */
static void read_define(const char *path, const char *name, char *buf, size_t size)
{
	char *text = NULL, *p, *end;
	char *pattern = build_xasprintf("#define %s \"", name);

	buf[0] = '\0';
	if (!build_read_file(path, &text, NULL) && (p = strstr(text, pattern))) {
		p += strlen(pattern);
		end = strchr(p, '"');
		if (end && (size_t)(end - p) < size) {
			memcpy(buf, p, end - p);
			buf[end - p] = '\0';
		}
	}
	free(text);
	free(pattern);
}

/* Which kernel the update is for: release and a hash of the build config. */
static int describe_kernel(const struct update_spec *s, struct ksplice_manifest *m)
{
	char *path = build_xasprintf("%s/include/generated/utsrelease.h", s->kdir);
	uint64_t h = BUILD_HASH_INIT;

	/* Not include/config/kernel.release: Debian overrides the release. */
	read_define(path, "UTS_RELEASE", m->kernel_release, sizeof(m->kernel_release));
	free(path);
	if (!m->kernel_release[0]) {
		build_error("%s: no UTS_RELEASE in include/generated/utsrelease.h; is it a kernel "
			    "build or headers directory?", s->kdir);
		return -1;
	}
	path = build_xasprintf("%s/include/generated/utsversion.h", s->kdir);
	read_define(path, "UTS_VERSION", m->kernel_version, sizeof(m->kernel_version));
	free(path);
	path = build_xasprintf("%s/.config", s->kdir);
	if (build_hash_file(path, &h)) {
		build_error("cannot read %s", path);
		free(path);
		return -1;
	}
	free(path);
	snprintf(m->build_identity, sizeof(m->build_identity), "%016llx", (unsigned long long)h);
	snprintf(m->machine, sizeof(m->machine), "%s", s->arch);
	snprintf(m->id, sizeof(m->id), "%s", s->id);
	m->format = KSPLICE_MANIFEST_VERSION;
	return 0;
}

static int write_debug(const struct update_spec *s, const char *debug)
{
	char *argv[] = { "cp", "-r", NULL, NULL, (char *)debug, NULL };
	char *pre = build_xasprintf("%s/pre", s->work), *post = build_xasprintf("%s/post", s->work);
	int ret;

	argv[2] = pre;
	argv[3] = post;
	ret = build_run(argv, &(struct build_run_opts){ .quiet_stderr = true });
	free(pre);
	free(post);
	return ret;
}

static void free_targets(struct target_state *ts, size_t n)
{
	size_t t, i;

	for (t = 0; t < n; t++) {
		for (i = 0; ts[t].objs && i < ts[t].t->nr_objs; i++) {
			diff_result_free(ts[t].objs[i].diff);
			if (ts[t].objs[i].pre)
				elf_object_free(ts[t].objs[i].pre);
			if (ts[t].objs[i].post)
				elf_object_free(ts[t].objs[i].post);
		}
		free(ts[t].objs);
	}
	free(ts);
}

static int sign_modules(const struct module_signer *signer, const struct package_input *pkg)
{
	int t;

	build_stage("Signing modules...");
	for (t = 0; t < pkg->manifest.nr_targets; t++)
		if (module_sign(signer, pkg->primary_paths[t]) || module_sign(signer, pkg->helper_paths[t]))
			return -1;
	return 0;
}

int create_update(struct update_spec *s)
{
	size_t nt = s->built->nr_targets, t;
	struct target_state *ts = build_xcalloc(nt + 1, sizeof(*ts));
	struct package_input pkg = { .description = s->description, .patch_path = s->patch_path };
	char *debug = build_xasprintf("%s/debug", s->work);
	char *mod_dir = build_xasprintf("%s/modules", s->work);
	char *summary_path = build_xasprintf("%s/summary", debug), *out = NULL;
	struct ks_error err = { { 0 } };
	bool any_change = false;
	FILE *summary;
	int ret = -1;

	build_stage("Comparing...");
	if (build_mkdir_p(debug) || !(summary = fopen(summary_path, "w"))) {
		build_error("cannot write %s", summary_path);
		goto out;
	}
	ret = compare_all(s, ts, summary, &any_change);
	fclose(summary);
	if (ret)
		goto out;
	if (!any_change) {
		/* The result, not progress: said even with -q. */
		fprintf(stderr, "No changes detected.\n");
		ret = CREATE_NO_CHANGES;
		goto out;
	}
	ret = -1;
	build_stage("Building modules...");
	if (describe_kernel(s, &pkg.manifest) || build_mkdir_p(mod_dir))
		goto out;
	for (t = 0; t < nt; t++) {
		if (!ts[t].changed)
			continue;
		ret = build_target_modules(s, &ts[t], mod_dir, &pkg);
		if (ret == CREATE_RETRY)
			continue;	/* the other targets' failures are wanted too */
		if (ret)
			goto out;
	}
	if (any_refused(s->built)) {
		ret = CREATE_RETRY;
		goto out;
	}
	ret = -1;
	if (s->signer && sign_modules(s->signer, &pkg))
		goto out;
	build_stage("Writing package...");
	if (write_debug(s, debug))
		build_warn("could not copy the pre/post objects into the package's debug/");
	pkg.debug_dir = debug;
	out = package_write(&pkg, s->work, s->out_dir, &err);
	if (!out) {
		build_error("%s", err.msg);
		goto out;
	}
	build_stage("Wrote %s (%d target%s)", out, pkg.manifest.nr_targets,
		    pkg.manifest.nr_targets == 1 ? "" : "s");
	s->package = build_xstrdup(out);
	ret = 0;
out:
	for (t = 0; t < KSPLICE_MAX_TARGETS; t++) {
		free((char *)pkg.primary_paths[t]);
		free((char *)pkg.helper_paths[t]);
	}
	free_targets(ts, nt);
	free(out);
	free(debug);
	free(mod_dir);
	free(summary_path);
	return ret;
}
