// SPDX-License-Identifier: GPL-2.0
/*
 * Classification: correlate the units of pre and post, compare each pair,
 * and turn what differs into result items or unsupported changes.
 */
#include <stdlib.h>
#include <string.h>

#include <gelf.h>

#include "create/object-units.h"
#include "create/patch-options.h"
#include "create/btf-ids.h"
#include "create/deleted-function.h"
#include "create/section-diff.h"
#include "create/symbol-correlate.h"
#include "create/symbol-names.h"
#include "create/unit-equal.h"

#define HOOKS_HINT "; make the change with the hooks API (ksplice-patch.h) instead"

struct differ {
	struct equal_ctx eq;
	struct diff_result *res;
	struct patch_option *opts;	/* of the post object (patch-options.h) */
	long nr_opts;
};

static const char *const export_prefixes[] = {
	"__ksymtab_", "__kstrtabns_", "__kstrtab_", "__kcrctab_", "__crc_",
};

/* The C-level name: clone suffixes and table prefixes dropped. */
static char *display_name_of(const struct unit *u)
{
	const char *name = u->name;
	size_t i;

	if (u->kind == UNIT_EXPORT) {
		for (i = 0; i < sizeof(export_prefixes) / sizeof(export_prefixes[0]); i++)
			if (!strncmp(name, export_prefixes[i],
				     strlen(export_prefixes[i])))
				return xstrdup(name + strlen(export_prefixes[i]));
	}
	if (u->kind == UNIT_PARAM && !strncmp(name, "__param_", 8))
		return xstrdup(name + 8);
	if (!u->sym)
		return xstrdup(name);
	return symbol_display_name(name);
}

static void add_item(struct differ *d, const struct unit *pre,
		     const struct unit *post, enum diff_change change)
{
	const struct unit *u = post ? post : pre;
	struct diff_result *res = d->res;
	struct diff_item **items;
	size_t *nr;
	struct diff_item *it;

	if (u->kind == UNIT_FUNCTION) {
		items = &res->functions;
		nr = &res->nr_functions;
	} else {
		items = &res->data;
		nr = &res->nr_data;
	}
	*items = xrealloc(*items, (*nr + 1) * sizeof(**items));
	it = &(*items)[(*nr)++];
	memset(it, 0, sizeof(*it));
	it->kind = u->kind == UNIT_FUNCTION ? DIFF_FUNCTION : DIFF_DATA;
	it->change = change;
	it->name = xstrdup(u->name);
	it->display_name = display_name_of(u);
	it->pre_name = pre ? xstrdup(pre->name) : NULL;
	it->post_name = post ? xstrdup(post->name) : NULL;
	it->section = xstrdup(u->sec->name);
}

static void add_unsupported(struct differ *d, enum refusal_class klass, const char *name,
			    const char *display, char *message)
{
	struct diff_result *res = d->res;
	struct diff_unsupported *un;

	res->unsupported = xrealloc(res->unsupported,
				    (res->nr_unsupported + 1) * sizeof(*un));
	un = &res->unsupported[res->nr_unsupported++];
	un->name = xstrdup(name);
	un->display_name = xstrdup(display);
	un->message = message;
	un->klass = klass;
	un->value_only = false;
}

void diff_add_unsupported(struct diff_result *res, enum refusal_class klass, const char *name,
			  const char *message)
{
	struct differ d = { .res = res };

	add_unsupported(&d, klass, name, name, xstrdup(message));
}

/* __exit code and data (.exit.text, .exit.data), and module_exit's .exitcall.exit. */
static bool exit_section(const char *name)
{
	return !strncmp(name, ".exit.", strlen(".exit.")) || !strcmp(name, ".exitcall.exit");
}

static void unsupported_unit(struct differ *d, const struct unit *u,
			     const char *what)
{
	char *display = display_name_of(u);
	const char *kind = u->kind == UNIT_FUNCTION ? "function" : "variable";

	add_unsupported(d, u->init ? REFUSAL_INIT : REFUSAL_DATA, u->name, display,
			xasprintf("%s: %s %s (%s in %s)%s", display, what,
				  u->init ? "an __init/__exit" : kind,
				  u->name, u->sec->name, HOOKS_HINT));
	d->res->unsupported[d->res->nr_unsupported - 1].exit_only =
		u->init && exit_section(u->sec->name);
	free(display);
}

/*
 * A new initial value of an existing variable: the running kernel keeps
 * its own object (with its current value), so the patch must set the new
 * value itself from a hook.
 */
static void unsupported_value(struct differ *d, const struct unit *u)
{
	char *display = display_name_of(u);

	add_unsupported(d, REFUSAL_DATA, u->name, display,
			xasprintf("%s: changes the initial value of a variable (%s in %s); the running "
				  "kernel keeps its current value: set the new one from a ksplice_apply "
				  "hook, or mark it ksplice_assume_rodata if nothing writes it at run "
				  "time (hooks API: #include <ksplice-patch.h>, docs/patch-author.md)",
				  display, u->name, u->sec->name));
	d->res->unsupported[d->res->nr_unsupported - 1].value_only = true;
	free(display);
}

size_t diff_drop_builtin_exit(struct diff_result *res)
{
	size_t i, n = 0, dropped;

	for (i = 0; i < res->nr_unsupported; i++) {
		struct diff_unsupported *un = &res->unsupported[i];

		if (un->exit_only) {
			free(un->name);
			free(un->display_name);
			free(un->message);
		} else {
			res->unsupported[n++] = *un;
		}
	}
	dropped = res->nr_unsupported - n;
	res->nr_unsupported = n;
	return dropped;
}

void diff_accept_value_changes(struct diff_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->nr_unsupported; i++) {
		struct diff_unsupported *un = &res->unsupported[i];

		if (!un->value_only) {
			res->unsupported[n++] = *un;
			continue;
		}
		free(un->name);
		free(un->display_name);
		free(un->message);
	}
	res->nr_unsupported = n;
}

/* An export is three symbols (__ksymtab_, __kstrtab_, __kstrtabns_): say it once. */
static bool already_reported(const struct differ *d, const char *display,
			     const char *what)
{
	char *prefix = xasprintf("%s: %s (", display, what);
	bool found = false;
	size_t i;

	for (i = 0; i < d->res->nr_unsupported && !found; i++)
		found = !strncmp(d->res->unsupported[i].message, prefix,
				 strlen(prefix));
	free(prefix);
	return found;
}

static void unsupported_table_symbol(struct differ *d, const struct unit *u,
				     const char *what)
{
	enum refusal_class klass = u->kind == UNIT_PARAM ? REFUSAL_PARAM : REFUSAL_EXPORT;
	char *display = display_name_of(u);

	if (already_reported(d, display, what)) {
		free(display);
		return;
	}

	add_unsupported(d, klass, u->name, display,
			xasprintf("%s: %s (%s in %s)%s", display, what, u->name,
				  u->sec->name, HOOKS_HINT));
	free(display);
}

static const char *data_change_reason(const struct unit *pre,
				      const struct unit *post)
{
	if (pre->end - pre->start != post->end - post->start)
		return "changes the size of";
	return "changes the initial value of";
}

/* A changed variable marked ksplice_assume_rodata: written in place if it keeps its size. */
static void classify_in_place(struct differ *d, const struct unit *pre, const struct unit *post)
{
	uint64_t before = pre->end - pre->start, after = post->end - post->start;
	char *display;

	if (before == after) {
		d->res->data[d->res->nr_data - 1].in_place = true;
		return;
	}
	display = display_name_of(post);
	add_unsupported(d, REFUSAL_DATA, post->name, display,
			xasprintf("%s: marked ksplice_assume_rodata, but the patch changes its size "
				  "(%s in %s, %llu to %llu bytes): only a same-size change can be "
				  "written over the running object", display, post->name,
				  post->sec->name, (unsigned long long)before,
				  (unsigned long long)after));
	free(display);
}

static void classify_changed(struct differ *d, const struct unit *pre,
			     const struct unit *post)
{
	bool content_equal = unit_content_equal(&d->eq, pre, post);

	if (content_equal && unit_entries_equal(&d->eq, pre, post))
		return;
	if (post->init) {
		unsupported_unit(d, post, "the patch changes");
		return;
	}
	switch (post->kind) {
	case UNIT_FUNCTION:
		add_item(d, pre, post, DIFF_CHANGED);
		break;
	case UNIT_DATA:
		add_item(d, pre, post, DIFF_CHANGED);
		if (patch_options_mark(d->opts, d->nr_opts, post, OPTION_ASSUME_RODATA)) {
			classify_in_place(d, pre, post);
			break;
		}
		if (!content_equal && pre->end - pre->start == post->end - post->start) {
			unsupported_value(d, post);
			break;
		}
		unsupported_unit(d, post, content_equal ?
				 "the patch changes table entries of" :
				 data_change_reason(pre, post));
		break;
	case UNIT_EXPORT:
		unsupported_table_symbol(d, post, "the patch changes an export");
		break;
	case UNIT_PARAM:
		unsupported_table_symbol(d, post,
					 "the patch changes a module parameter");
		break;
	}
}

static void classify_new(struct differ *d, const struct unit *post)
{
	if (post->init) {
		unsupported_unit(d, post, "the patch adds");
		return;
	}
	switch (post->kind) {
	case UNIT_FUNCTION:
	case UNIT_DATA:
		add_item(d, NULL, post, DIFF_NEW);
		break;
	case UNIT_EXPORT:
		unsupported_table_symbol(d, post,
					 "the patch adds an export (EXPORT_SYMBOL)");
		break;
	case UNIT_PARAM:
		unsupported_table_symbol(d, post,
					 "the patch adds a module parameter (module_param)");
		break;
	}
}

static void classify_deleted(struct differ *d, const struct unit *pre)
{
	if (pre->init)
		return;		/* __init code is gone after boot anyway */
	switch (pre->kind) {
	case UNIT_FUNCTION:
	case UNIT_DATA:
		add_item(d, pre, NULL, DIFF_DELETED);
		break;
	case UNIT_EXPORT:
		unsupported_table_symbol(d, pre, "the patch removes an export");
		break;
	case UNIT_PARAM:
		unsupported_table_symbol(d, pre,
					 "the patch removes a module parameter");
		break;
	}
}

static size_t collect_orphans(const struct object_index *idx,
			      const char *table, struct table_entry ***out)
{
	size_t i, n = 0;

	*out = NULL;
	for (i = 0; i < idx->nr_entries; i++) {
		struct table_entry *e = idx->entries[i];

		if (e->owner || strcmp(e->sec->name, table))
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = e;
	}
	return n;
}

static bool orphans_equal(struct differ *d, const char *table)
{
	struct table_entry **a, **b;
	size_t na = collect_orphans(d->eq.pre, table, &a);
	size_t nb = collect_orphans(d->eq.post, table, &b);
	bool equal = na == nb;
	size_t i;

	for (i = 0; equal && i < na; i++)
		equal = table_entries_equal(&d->eq, a[i], b[i]);
	free(a);
	free(b);
	return equal;
}

static void add_orphan_table(const struct object_index *idx,
			     const char ***names, size_t *nr)
{
	size_t i, j;

	for (i = 0; i < idx->nr_entries; i++) {
		const char *table = idx->entries[i]->sec->name;

		if (idx->entries[i]->owner)
			continue;
		for (j = 0; j < *nr && strcmp((*names)[j], table); j++)
			;
		if (j < *nr)
			continue;
		*names = xrealloc(*names, (*nr + 1) * sizeof(**names));
		(*names)[(*nr)++] = table;
	}
}

/* Entries that reference no unit: compared table by table, in order. */
static void classify_orphans(struct differ *d)
{
	const char **tables = NULL;
	size_t nr = 0, i;

	add_orphan_table(d->eq.pre, &tables, &nr);
	add_orphan_table(d->eq.post, &tables, &nr);
	for (i = 0; i < nr; i++)
		if (!orphans_equal(d, tables[i]))
			add_unsupported(d, REFUSAL_SECTION, tables[i], tables[i],
					xasprintf("%s: entries that reference no function or variable changed%s",
						  tables[i], HOOKS_HINT));
	free(tables);
}

static bool in_update(const struct diff_result *res, const struct unit *post)
{
	size_t i;

	for (i = 0; i < res->nr_functions; i++)
		if (res->functions[i].post_name && !strcmp(res->functions[i].post_name, post->name))
			return true;
	return false;
}

/* Whether unit @u of @idx refers to a byte of @list in section @btf. */
static bool uses_list(const struct object_index *idx, const struct unit *u,
		      const struct elf_section *btf, const struct btf_ids_list *list)
{
	size_t i;

	for (i = 0; i < u->sec->nr_relocs; i++) {
		const struct elf_reloc *r = &u->sec->relocs[i];
		struct target t;

		if (r->offset < u->start || r->offset >= u->end)
			continue;
		/* the symbol names the list (the addend may hold a PC bias) */
		resolve_target(idx, u->sec, r, &t);
		if (t.kind == TARGET_SYMBOL && t.sym->sec == btf &&
		    t.sym->value >= list->start && t.sym->value < list->end)
			return true;
	}
	return false;
}

/*
 * A new or changed BTF ID list goes into the primary (btf-ids.h); what uses
 * it must use that copy: a function whose code did not change is replaced
 * anyway. __init code and data that use it are refused: they hold on to
 * the running kernel's list (registered at boot, or pointed to).
 */
static void classify_btf_users(struct differ *d, const struct elf_section *btf,
			       const struct btf_ids_list *list)
{
	const struct object_index *idx = d->eq.post;
	size_t i;

	for (i = 0; i < idx->nr_units; i++) {
		const struct unit *u = idx->units[i];

		if (!uses_list(idx, u, btf, list))
			continue;
		if (u->init || u->kind != UNIT_FUNCTION)
			add_unsupported(d, u->init ? REFUSAL_INIT : REFUSAL_DATA, list->name, list->name,
					xasprintf("BTF ID list %s: the patch changes it, and %s %s uses "
						  "it, which keeps the running kernel's list (%s)%s",
						  list->name, u->init ? "__init code" : "data", u->name,
						  u->sec->name, HOOKS_HINT));
		else if (u->match && !in_update(d->res, u))
			add_item(d, u->match, u, DIFF_CHANGED);
	}
}

/* An ID of a kind resolve_btfids knows (btf_ids_entry_type), or refused. */
static void check_btf_kinds(struct differ *d, const struct elf_section *btf,
			    const struct btf_ids_list *list)
{
	unsigned int kind;
	size_t i;

	for (i = 0; i < btf->nr_syms; i++) {
		const struct elf_symbol *s = btf->syms[i];
		char *type;

		if (s->value < list->start || s->value >= list->end || !btf_ids_is_entry_name(s->name))
			continue;
		type = btf_ids_entry_type(s->name, &kind);
		if (!type || s->size > 8)
			add_unsupported(d, REFUSAL_SECTION, list->name, list->name,
					xasprintf("BTF ID list %s: entry %s is of no kind an update "
						  "can resolve (struct, union, typedef, func)",
						  list->name, s->name));
		free(type);
	}
}

/* A global list (BTF_ID_LIST_GLOBAL, ...) that the running kernel has. */
static bool global_list_changed(const struct elf_section *pre, const struct elf_section *post,
				const struct btf_ids_list *list)
{
	struct btf_ids_list old;
	bool existed = btf_ids_list_named(pre, list->name, &old), global = false;
	size_t i;

	for (i = 0; i < post->nr_syms; i++)
		if (!strcmp(post->syms[i]->name, list->name))
			global |= post->syms[i]->bind != STB_LOCAL;
	return existed && global;
}

/* .BTF_ids compares list by list (btf-ids.h). */
static void classify_btf_ids(struct differ *d, const struct elf_object *pre,
			     const struct elf_object *post)
{
	const struct elf_section *a = elf_object_find_section(pre, BTF_IDS_SECTION);
	const struct elf_section *b = elf_object_find_section(post, BTF_IDS_SECTION);
	struct btf_ids_list *lists;
	size_t i, n;

	if (!b)
		return;		/* lists removed: the running kernel keeps its own */
	n = btf_ids_lists(b, &lists);
	for (i = 0; i < n; i++) {
		if (!btf_ids_list_changed(a, b, &lists[i]))
			continue;
		check_btf_kinds(d, b, &lists[i]);
		if (global_list_changed(a, b, &lists[i]))
			add_unsupported(d, REFUSAL_DATA, lists[i].name, lists[i].name,
					xasprintf("BTF ID list %s: the patch changes it, and it is "
						  "global: code of other objects may use the running "
						  "kernel's list%s", lists[i].name, HOOKS_HINT));
		classify_btf_users(d, b, &lists[i]);
	}
	free(lists);
}

static void classify_units(struct differ *d)
{
	const struct object_index *pre = d->eq.pre, *post = d->eq.post;
	size_t i;

	for (i = 0; i < pre->nr_units; i++) {
		const struct unit *u = pre->units[i];

		if (u->match)
			classify_changed(d, u, u->match);
		else
			classify_deleted(d, u);
	}
	for (i = 0; i < post->nr_units; i++)
		if (!post->units[i]->match)
			classify_new(d, post->units[i]);
}

/* A function the post object lacks keeps its old copy: only when nothing left can enter it. */
static void classify_left_behind(struct differ *d)
{
	size_t i, k;

	for (i = 0; i < d->res->nr_functions; i++) {
		const struct diff_item *it = &d->res->functions[i];
		const struct unit *u = NULL;
		char *why;

		if (it->change != DIFF_DELETED)
			continue;
		for (k = 0; k < d->eq.pre->nr_units && !u; k++)
			if (!strcmp(d->eq.pre->units[k]->name, it->pre_name))
				u = d->eq.pre->units[k];
		why = u ? deleted_function_unsafe(d->eq.pre, u, d->res) : NULL;
		if (why) {
			add_unsupported(d, REFUSAL_DELETED, u->name, it->display_name,
					xasprintf("%s: the patched code no longer has this function, "
						  "and its old copy %s, so it could still run after the "
						  "update (%s in %s)", it->display_name, why, u->name,
						  u->sec->name));
			free(why);
		}
	}
}

struct diff_result *section_diff(const struct elf_object *pre,
				 const struct elf_object *post,
				 struct ks_error *err)
{
	struct object_index *a = NULL, *b = NULL;
	struct differ d = { 0 };

	if (pre->machine != post->machine || pre->elf_class != post->elf_class) {
		ks_fail(err, "%s and %s are built for different machines",
			pre->path, post->path);
		return NULL;
	}
	a = object_index_build(pre, err);
	b = a ? object_index_build(post, err) : NULL;
	if (!a || !b) {
		object_index_free(a);
		return NULL;
	}
	correlate_objects(a, b);
	d.eq.pre = a;
	d.eq.post = b;
	d.nr_opts = patch_options_find(b, &d.opts, err);
	if (d.nr_opts < 0) {
		object_index_free(a);
		object_index_free(b);
		return NULL;
	}
	d.res = xcalloc(1, sizeof(*d.res));
	classify_units(&d);
	classify_left_behind(&d);
	classify_orphans(&d);
	classify_btf_ids(&d, pre, post);
	free(d.opts);
	object_index_free(a);
	object_index_free(b);
	return d.res;
}
