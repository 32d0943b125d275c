// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "core/update-format.h"
#include "create/inspect-names.h"
#include "create/patch-hooks.h"

static uint32_t kind_of_section(const char *name)
{
	const char *kind = name + strlen(HOOK_SECTION_PREFIX);
	uint32_t k;

	for (k = KSPLICE_HOOK_PRE_APPLY; k <= KSPLICE_HOOK_FAIL_REVERSE; k++)
		if (!strcmp(kind, inspect_hook_kind_name(k)))
			return k;
	return 0;
}

static bool is_hook_section(const struct elf_section *sec)
{
	return !strncmp(sec->name, HOOK_SECTION_PREFIX, strlen(HOOK_SECTION_PREFIX));
}

size_t patch_hooks_count(const struct elf_object *obj)
{
	size_t i, n = 0;

	for (i = 0; i < obj->nr_sections; i++)
		if (is_hook_section(&obj->sections[i]))
			n += obj->sections[i].nr_relocs;
	return n;
}

/* The unit holding byte @place of @sec, or NULL. */
static struct unit *unit_at(const struct object_index *idx, const struct elf_section *sec,
			    int64_t place)
{
	size_t i;

	for (i = 0; i < idx->nr_units; i++) {
		struct unit *u = idx->units[i];

		if (u->sec == sec && place >= (int64_t)u->start && place < (int64_t)u->end)
			return u;
	}
	return NULL;
}

static int add_hook(const struct object_index *post, const struct elf_section *sec,
		    const struct elf_reloc *r, uint32_t kind, struct patch_hook *h,
		    struct ks_error *err)
{
	int64_t place = (int64_t)r->sym->value + r->addend;
	struct unit *u = r->sym->sec ? unit_at(post, r->sym->sec, place) : NULL;

	if (!u || u->kind != UNIT_FUNCTION || u->init)
		return ks_fail(err, "%s: %s holds a pointer to %s, not to a function of the patch",
			       post->obj->path, sec->name, r->sym->name[0] ? r->sym->name :
			       r->sym->sec ? r->sym->sec->name : "?");
	h->fn = u;
	h->offset = place - u->start;
	h->kind = kind;
	h->section = sec->name;
	return 0;
}

long patch_hooks_find(const struct object_index *post, struct patch_hook **out,
		      struct ks_error *err)
{
	const struct elf_object *obj = post->obj;
	size_t i, k, n = 0;

	*out = xcalloc(patch_hooks_count(obj) + 1, sizeof(**out));
	for (i = 0; i < obj->nr_sections; i++) {
		const struct elf_section *sec = &obj->sections[i];
		uint32_t kind;

		if (!is_hook_section(sec))
			continue;
		kind = kind_of_section(sec->name);
		if (!kind) {
			free(*out);
			*out = NULL;
			return ks_fail(err, "%s: unknown hook section %s (ksplice-patch.h names the kinds)",
				       obj->path, sec->name);
		}
		for (k = 0; k < sec->nr_relocs; k++) {
			if (add_hook(post, sec, &sec->relocs[k], kind, &(*out)[n++], err)) {
				free(*out);
				*out = NULL;
				return -1;
			}
		}
	}
	return (long)n;
}

static const struct diff_item *function_item(const struct diff_result *diff, const char *name)
{
	size_t i;

	for (i = 0; i < diff->nr_functions; i++)
		if (diff->functions[i].post_name && !strcmp(diff->functions[i].post_name, name))
			return &diff->functions[i];
	return NULL;
}

struct walk {
	const struct object_index *post;
	const struct diff_result *diff;
	const struct build_strlist *replaced;
	const struct unit **seen;
	size_t nr_seen;
	const char *found;	/* the replaced function reached */
};

static bool seen(struct walk *w, const struct unit *u)
{
	size_t i;

	for (i = 0; i < w->nr_seen; i++)
		if (w->seen[i] == u)
			return true;
	w->seen = xrealloc(w->seen, (w->nr_seen + 1) * sizeof(*w->seen));
	w->seen[w->nr_seen++] = u;
	return false;
}

/* Depth first through the functions the update adds; true when a replaced one is reached. */
static bool reaches_replaced(struct walk *w, const struct unit *u)
{
	const struct diff_item *it = function_item(w->diff, u->name);
	size_t first, n, k;

	if (it && it->change == DIFF_CHANGED) {
		w->found = u->name;
		return true;
	}
	/* An unchanged function is the running kernel's own: not followed. */
	if (!it || seen(w, u))
		return false;
	n = relocs_in_range(u->sec, u->start, u->end, &first);
	for (k = first; k < first + n; k++) {
		const struct elf_reloc *r = &u->sec->relocs[k];
		struct target t;

		resolve_target(w->post, u->sec, r, &t);
		if (t.kind == TARGET_UNDEFINED) {
			if (build_strlist_has(w->replaced, r->sym->name)) {
				w->found = r->sym->name;
				return true;
			}
			continue;
		}
		if (t.unit && t.unit != u && t.unit->kind == UNIT_FUNCTION &&
		    reaches_replaced(w, t.unit))
			return true;
	}
	return false;
}

int patch_hooks_check_reach(const struct object_index *post, const struct diff_result *diff,
			    const struct build_strlist *replaced, struct ks_error *err)
{
	struct patch_hook *hooks;
	long n = patch_hooks_find(post, &hooks, err);
	int ret = 0;
	long i;

	if (n < 0)
		return -1;
	for (i = 0; i < n && !ret; i++) {
		struct walk w = { .post = post, .diff = diff, .replaced = replaced };

		if (reaches_replaced(&w, hooks[i].fn))
			ret = ks_fail(err, "%s: hook %s (%s) can reach %s, which this update replaces: "
				      "a hook must not call code being replaced",
				      post->obj->path, hooks[i].fn->name,
				      inspect_hook_kind_name(hooks[i].kind), w.found);
		free(w.seen);
	}
	free(hooks);
	return ret;
}
