// SPDX-License-Identifier: GPL-2.0
/*
 * Applying and undoing updates (stage "applied" and "reversed").
 *
 * Apply, for every target (vmlinux or a loaded module) of the update:
 * match the helper against the running code (run-match.c), relocate the
 * primary's code with what matching learned (relocate.c), and plan one
 * trampoline per replaced function (trampoline.c). Then, with the CPU
 * hotplug lock and text_mutex held, stop_machine: no kprobe on the
 * functions and no ftrace ops redirecting them (livepatch: ftrace-users.c),
 * no task inside them (stack-check.c), the bytes to replace
 * unchanged; write every trampoline of every target, restoring all of them
 * if one fails. Busy: sleep and try again, KSPLICE_TRIES times in all, then
 * code_busy with the tasks in `conflicts`. While applied, the target
 * modules and the primaries are pinned (try_module_get).
 *
 * Undo mirrors it: the replaced functions and the primary's code must not
 * be on any stack, the trampolines must still be ours (else unexpected),
 * and no later update may depend on this one: patching a function this
 * update replaced (its trampoline sits in our primary) or using our code
 * or data through a relocation (module_busy; last in, first out).
 *
 * Stacking: matching finds an earlier update's replacement of a function
 * as one more candidate for it (ksplice_lookup_replacements), so a later
 * update built on top of an earlier one matches and patches that
 * replacement.
 *
 * Everything here runs under ksplice_mutex.
 */
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>

#include "apply.h"
#include "hooks.h"
#include "internal.h"

#define KSPLICE_TRIES 5
#define KSPLICE_RETRY_MS 200

/* Applied updates, oldest first. */
static LIST_HEAD(applied_list);

static struct ksplice_patch_state *state(const struct ksplice_update *u)
{
	return (struct ksplice_patch_state *)&u->patch;
}

int ksplice_patch_state_init(struct ksplice_update *u)
{
	struct ksplice_patch_state *st = state(u);

	st->stage = KSPLICE_STAGE_PREPARING;
	st->conflicts = kvzalloc(PAGE_SIZE, GFP_KERNEL);
	return st->conflicts ? 0 : -ENOMEM;
}

void ksplice_patch_state_free(struct ksplice_update *u)
{
	kvfree(state(u)->conflicts);
	state(u)->conflicts = NULL;
}

const char *ksplice_stage_name(const struct ksplice_update *u)
{
	switch (state(u)->stage) {
	case KSPLICE_STAGE_APPLIED:
		return "applied";
	case KSPLICE_STAGE_REVERSED:
		return "reversed";
	default:
		return "preparing";
	}
}

bool ksplice_update_is_applied(const struct ksplice_update *u)
{
	return state(u)->stage == KSPLICE_STAGE_APPLIED;
}

/* --- the record of applied updates ------------------------------------- */

struct ksplice_applied *ksplice_applied_owning(unsigned long addr)
{
	struct ksplice_applied *o;
	size_t i;

	list_for_each_entry(o, &applied_list, list)
		for (i = 0; i < o->nr_primaries; i++)
			if (within_module(addr, o->primaries[i]))
				return o;
	return NULL;
}

static bool depends_on(const struct ksplice_applied *a, const struct ksplice_applied *o)
{
	size_t i;

	for (i = 0; i < a->nr_deps; i++)
		if (a->deps[i] == o)
			return true;
	return false;
}

/* Grow @*v (of @*cap entries of @size bytes) to hold @n + 1; 0 or -ENOMEM. */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap * 2 + 4;
	void *nv;

	if (n < *cap)
		return 0;
	nv = kvcalloc(ncap, size, GFP_KERNEL);
	if (!nv)
		return -ENOMEM;
	if (*v)
		memcpy(nv, *v, n * size);
	kvfree(*v);
	*v = nv;
	*cap = ncap;
	return 0;
}

int ksplice_note_dependency(struct ksplice_applied *a, unsigned long addr)
{
	struct ksplice_applied *o = ksplice_applied_owning(addr);

	if (!o || o == a || depends_on(a, o))
		return 0;
	if (grow((void **)&a->deps, &a->cap_deps, a->nr_deps, sizeof(*a->deps)))
		return -ENOMEM;
	a->deps[a->nr_deps++] = o;
	return 0;
}

bool ksplice_tramp_in_use(unsigned long site)
{
	const struct ksplice_applied *o;
	size_t i;

	list_for_each_entry(o, &applied_list, list)
		for (i = 0; i < o->nr_tramps; i++)
			if (o->tramps[i].site < site + KSPLICE_JUMP_LEN &&
			    site < o->tramps[i].site + KSPLICE_JUMP_LEN)
				return true;
	return false;
}

size_t ksplice_lookup_replacements(const char *target, const char *name, u64 *addrs, size_t max)
{
	const struct ksplice_applied *o;
	size_t i, n = 0;

	list_for_each_entry(o, &applied_list, list) {
		for (i = 0; i < o->nr_tramps; i++) {
			const struct ksplice_tramp *tr = &o->tramps[i];

			if (strcmp(tr->name, name) || strcmp(tr->target, target))
				continue;
			if (n < max)
				addrs[n] = tr->dest;
			n++;
		}
	}
	return n;
}

/* --- plans ------------------------------------------------------------- */

static int pin(struct ksplice_applied *a, struct module *mod)
{
	if (grow((void **)&a->pins, &a->cap_pins, a->nr_pins, sizeof(*a->pins)))
		return -ENOMEM;
	a->pins[a->nr_pins++] = mod;
	return 0;
}

static void release(struct ksplice_applied *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->nr_pins; i++)
		module_put(a->pins[i]);
	kvfree(a->pins);
	kvfree(a->primaries);
	kvfree(a->deps);
	kvfree(a->tramps);
	ksplice_data_free(a);
	kfree(a);
}

/* Pin @t's target module and primary, match, relocate, plan. */
static noinline const char *prepare_target(struct ksplice_update *u, struct ksplice_target *t,
				  struct ksplice_applied *a)
{
	struct module *target_mod = NULL;
	struct ksplice_matcher m;
	const char *cause;

	if (!t->primary || !t->helper) {
		ksplice_log(u, "%s: unexpected: the %s module is not loaded\n", t->name,
			    t->primary ? "helper" : "primary");
		return "unexpected";
	}
	if (strcmp(t->name, "vmlinux")) {
		target_mod = ksplice_get_module(t->name);
		if (!target_mod) {
			ksplice_log(u, "%s: target_not_loaded: module %s is not loaded\n", t->name,
				    t->name);
			return "target_not_loaded";
		}
		if (pin(a, target_mod)) {
			module_put(target_mod);
			return "out_of_memory";
		}
	}
	if (!try_module_get(t->primary_mod)) {
		ksplice_log(u, "%s: unexpected: the primary module is going away\n", t->name);
		return "unexpected";
	}
	if (pin(a, t->primary_mod)) {
		module_put(t->primary_mod);
		return "out_of_memory";
	}
	a->primaries[a->nr_primaries++] = t->primary_mod;
	cause = ksplice_match_target(u, t, &m);
	if (strcmp(cause, "ok"))
		return cause;
	cause = ksplice_relocate_primary(u, t, target_mod, &m, a);
	if (!strcmp(cause, "ok"))
		cause = ksplice_plan_trampolines(u, t, target_mod, &m, a);
	if (!strcmp(cause, "ok"))
		cause = ksplice_plan_data(u, t, &m, a);
	ksplice_match_free(&m);
	return cause;
}

static noinline const char *prepare(struct ksplice_update *u, struct ksplice_applied **out)
{
	struct ksplice_target *t;
	struct ksplice_applied *a;
	const char *missing = NULL, *cause;
	size_t nr_targets = 0;

	*out = NULL;
	if (ksplice_symbols_init(&missing) || ksplice_text_init(&missing) ||
	    ksplice_ftrace_init(&missing)) {
		ksplice_log(u, "failed_to_find: kernel symbol %s\n", missing);
		pr_err("ksplice: cannot find kernel symbol %s\n", missing);
		return "failed_to_find";
	}
	list_for_each_entry(t, &u->targets, list)
		nr_targets++;
	if (!nr_targets) {
		ksplice_log(u, "unexpected: the update has no targets\n");
		return "unexpected";
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (a)
		a->primaries = kvcalloc(nr_targets, sizeof(*a->primaries), GFP_KERNEL);
	if (!a || !a->primaries) {
		kfree(a);
		return "out_of_memory";
	}
	a->u = u;
	*out = a;
	list_for_each_entry(t, &u->targets, list) {
		cause = prepare_target(u, t, a);
		if (strcmp(cause, "ok"))
			return cause;
	}
	return "ok";
}

/* --- inside stop_machine ------------------------------------------------ */

struct stop_ctx {
	struct ksplice_applied *a;
	bool apply;
	const struct ksplice_range *ranges;
	size_t nr_ranges;
	struct ksplice_stack_report rep;
	const char *cause;
	char why[256];
	bool wrote;
	u64 t_enter, t_tools, t_stacks, t_leave;	/* ns, inside the callback */
};

/* The check_apply/check_reverse hooks, after the stack check: may refuse. */
static bool check_hooks_refuse(struct stop_ctx *c)
{
	void *refused = NULL;
	int ret;

	ret = ksplice_call_hooks(c->a->u, c->apply ? KSPLICE_HOOK_CHECK_APPLY :
				 KSPLICE_HOOK_CHECK_REVERSE, &refused);
	if (!ret)
		return false;
	snprintf(c->why, sizeof(c->why), "%s hook %ps returned %d",
		 c->apply ? "check_apply" : "check_reverse", refused, ret);
	c->cause = "call_failed";
	return true;
}

static int stopped(void *data)
{
	struct stop_ctx *c = data;

	/* Our own frame and callees hold the ranges: scan the callers only. */
	c->rep.scan_from = (unsigned long)__builtin_frame_address(0);
	c->t_enter = ktime_get_mono_fast_ns();
	c->t_tools = c->t_stacks = c->t_leave = c->t_enter;
	if (c->apply && (ksplice_tramps_probed(c->a, c->why, sizeof(c->why)) ||
			 ksplice_tramps_redirected(c->a, c->why, sizeof(c->why)))) {
		c->cause = "unexpected";
		return 0;
	}
	c->t_tools = ktime_get_mono_fast_ns();
	ksplice_check_stacks(c->ranges, c->nr_ranges, &c->rep);
	c->t_stacks = c->t_leave = ktime_get_mono_fast_ns();
	if (c->rep.hits) {
		c->cause = "code_busy";
		return 0;
	}
	if (!ksplice_tramps_unchanged(c->a, !c->apply, c->why, sizeof(c->why)) ||
	    !ksplice_data_unchanged(c->a, !c->apply, c->why, sizeof(c->why))) {
		c->cause = "unexpected";
		return 0;
	}
	if (check_hooks_refuse(c))
		return 0;
	if (ksplice_tramps_write(c->a, c->apply)) {
		snprintf(c->why, sizeof(c->why), "a text write did not take; every byte restored");
		c->cause = "unexpected";
		return 0;
	}
	if (ksplice_data_write(c->a, c->apply)) {
		ksplice_tramps_write(c->a, !c->apply);
		snprintf(c->why, sizeof(c->why), "a data write did not take; every byte restored");
		c->cause = "unexpected";
		return 0;
	}
	c->wrote = true;
	ksplice_call_hooks(c->a->u, c->apply ? KSPLICE_HOOK_APPLY : KSPLICE_HOOK_REVERSE, NULL);
	c->cause = "ok";
	c->t_leave = ktime_get_mono_fast_ns();
	return 0;
}

/* How long the machine stood still, and on what (the bench reads this line). */
static void log_pause(struct ksplice_update *u, const struct stop_ctx *c, int try, u64 call_ns)
{
	ksplice_log(u, "stop_machine try %d: %llu ns in stop_machine, %llu ns in the callback "
		    "(text users %llu ns, stack check %llu ns, bytes check and writes %llu ns)\n",
		    try, call_ns, c->t_leave - c->t_enter, c->t_tools - c->t_enter,
		    c->t_stacks - c->t_tools, c->t_leave - c->t_stacks);
}

static void log_sites(struct ksplice_update *u, const struct ksplice_applied *a, bool apply)
{
	size_t i;

	for (i = 0; i < a->nr_tramps; i++) {
		const struct ksplice_tramp *tr = &a->tramps[i];

		ksplice_log(u, "%s: %s at 0x%lx (%s+0x%lx): %5ph -> %5ph\n", tr->target,
			    apply ? "jump written" : "bytes restored", tr->site, tr->name,
			    tr->site - tr->func, apply ? tr->saved : tr->jump,
			    apply ? tr->jump : tr->saved);
	}
}

/*
 * What must not be on any stack: the replaced functions; on undo also the
 * primaries' code (named by their sections) and the rest of the primary
 * modules, which go away after undo.
 */
static noinline struct ksplice_range *busy_ranges(struct ksplice_update *u, struct ksplice_applied *a,
					 bool apply, size_t *nr)
{
	struct ksplice_range *r;
	struct ksplice_target *t;
	size_t n = a->nr_tramps, i, k = 0;
	u64 j;

	if (!apply) {
		list_for_each_entry(t, &u->targets, list)
			if (t->primary)
				n += t->primary->nr_sections;
		n += a->nr_primaries;
	}
	r = kvcalloc(n + 1, sizeof(*r), GFP_KERNEL);
	if (!r)
		return NULL;
	for (i = 0; i < a->nr_tramps; i++) {
		r[k].start = a->tramps[i].func;
		r[k].end = a->tramps[i].func + a->tramps[i].size;
		r[k++].name = a->tramps[i].name;
	}
	if (!apply) {
		list_for_each_entry(t, &u->targets, list) {
			for (j = 0; t->primary && j < t->primary->nr_sections; j++) {
				const struct ksplice_section *s = &t->primary->sections[j];

				r[k].start = (unsigned long)s->address;
				r[k].end = r[k].start + s->size;
				r[k++].name = s->symbol;
			}
		}
		for (i = 0; i < a->nr_primaries; i++) {
			struct module *mod = a->primaries[i];

			r[k].start = (unsigned long)mod->core_layout.base;
			r[k].end = r[k].start + mod->core_layout.size;
			r[k++].name = mod->name;
		}
	}
	*nr = k;
	return r;
}

static void conflicts_reset(struct ksplice_update *u)
{
	state(u)->conflicts[0] = '\0';
	state(u)->conflicts_len = 0;
}

/* The stop_machine part, tried until the stacks are clear. */
static const char *switch_code(struct ksplice_update *u, struct ksplice_applied *a, bool apply)
{
	struct ksplice_patch_state *st = state(u);
	struct stop_ctx *c;
	const char *cause = "code_busy";
	int try, ret;
	u64 start;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return "out_of_memory";
	c->a = a;
	c->apply = apply;
	c->ranges = busy_ranges(u, a, apply, &c->nr_ranges);
	if (!c->ranges) {
		kfree(c);
		return "out_of_memory";
	}
	if (apply)
		ksplice_ftrace_find_records(a);
	for (try = 1; try <= KSPLICE_TRIES; try++) {
		conflicts_reset(u);
		c->rep = (struct ksplice_stack_report){
			.buf = st->conflicts, .cap = PAGE_SIZE,
		};
		c->cause = "unexpected";
		c->why[0] = '\0';
		c->wrote = false;
		ksplice_text_lock();
		start = ktime_get_ns();
		ret = ksplice_stop_machine(stopped, c);
		start = ktime_get_ns() - start;
		if (c->wrote)
			ksplice_text_sync();
		ksplice_text_unlock();
		st->conflicts_len = c->rep.len;
		if (ret) {
			ksplice_log(u, "unexpected: stop_machine failed (%d)\n", ret);
			cause = "unexpected";
			break;
		}
		cause = c->cause;
		log_pause(u, c, try, start);
		if (c->wrote)
			log_sites(u, a, apply);
		if (strcmp(cause, "code_busy")) {
			if (c->why[0]) {
				ksplice_log(u, "%s: %s\n", cause, c->why);
				pr_err("ksplice: update %s: %s\n", u->id, c->why);
			}
			break;
		}
		ksplice_log(u, "try %d of %d: code_busy:\n%s", try, KSPLICE_TRIES, st->conflicts);
		if (try < KSPLICE_TRIES)
			msleep(KSPLICE_RETRY_MS * try);
	}
	if (!strcmp(cause, "code_busy"))
		pr_info("ksplice: update %s: code in use, giving up after %d tries\n", u->id,
			KSPLICE_TRIES);
	kvfree(c->ranges);
	kfree(c);
	return cause;
}

/* --- the stages ---------------------------------------------------------- */

/* The pre_apply/pre_reverse hooks, before stop_machine: "ok" or call_failed. */
static const char *pre_hooks(struct ksplice_update *u, bool apply)
{
	const char *what = apply ? "pre_apply" : "pre_reverse";
	void *refused = NULL;
	int ret;

	ret = ksplice_call_hooks(u, apply ? KSPLICE_HOOK_PRE_APPLY : KSPLICE_HOOK_PRE_REVERSE,
				 &refused);
	if (!ret)
		return "ok";
	ksplice_log(u, "call_failed: %s hook %ps returned %d\n", what, refused, ret);
	pr_info("ksplice: update %s: %s hook %ps returned %d\n", u->id, what, refused, ret);
	return "call_failed";
}

void ksplice_apply_update(struct ksplice_update *u)
{
	struct ksplice_patch_state *st = state(u);
	struct ksplice_applied *a = NULL;
	bool ran_pre = false;
	const char *cause;
	u64 start;

	ksplice_log_reset(u);
	conflicts_reset(u);
	if (st->stage == KSPLICE_STAGE_APPLIED) {
		ksplice_log(u, "unexpected: the update is already applied\n");
		u->abort_cause = "unexpected";
		return;
	}
	start = ktime_get_ns();
	cause = prepare(u, &a);
	ksplice_log(u, "prepared in %llu us (match, relocate, plan): %s\n",
		    div_u64(ktime_get_ns() - start, 1000), cause);
	if (!strcmp(cause, "ok")) {
		ran_pre = true;
		cause = pre_hooks(u, true);
	}
	if (!strcmp(cause, "ok"))
		cause = switch_code(u, a, true);
	u->abort_cause = cause;
	if (strcmp(cause, "ok")) {
		if (ran_pre)
			ksplice_call_hooks(u, KSPLICE_HOOK_FAIL_APPLY, NULL);
		ksplice_free_update_shadows(u);
		release(a);
		return;
	}
	st->stage = KSPLICE_STAGE_APPLIED;
	st->applied = a;
	list_add_tail(&a->list, &applied_list);
	ksplice_call_hooks(u, KSPLICE_HOOK_POST_APPLY, NULL);
	ksplice_log(u, "applied: %zu functions replaced\n", a->nr_tramps);
	pr_info("ksplice: update %s applied (%zu functions replaced)\n", u->id, a->nr_tramps);
}

void ksplice_reverse_update(struct ksplice_update *u)
{
	struct ksplice_patch_state *st = state(u);
	struct ksplice_applied *a = st->applied, *o;
	const char *cause;

	ksplice_log_reset(u);
	conflicts_reset(u);
	if (st->stage != KSPLICE_STAGE_APPLIED || !a) {
		ksplice_log(u, "unexpected: the update is not applied\n");
		u->abort_cause = "unexpected";
		return;
	}
	list_for_each_entry(o, &applied_list, list) {
		if (o != a && depends_on(o, a)) {
			ksplice_log(u, "module_busy: update %s uses code this update installed; "
				    "undo it first\n", o->u->id);
			pr_info("ksplice: update %s: cannot be undone before update %s\n", u->id,
				o->u->id);
			u->abort_cause = "module_busy";
			return;
		}
	}
	cause = pre_hooks(u, false);
	if (!strcmp(cause, "ok"))
		cause = switch_code(u, a, false);
	u->abort_cause = cause;
	if (strcmp(cause, "ok")) {
		ksplice_call_hooks(u, KSPLICE_HOOK_FAIL_REVERSE, NULL);
		return;
	}
	list_del(&a->list);
	st->applied = NULL;
	st->stage = KSPLICE_STAGE_REVERSED;
	ksplice_call_hooks(u, KSPLICE_HOOK_POST_REVERSE, NULL);
	ksplice_free_update_shadows(u);
	ksplice_log(u, "reversed: %zu functions restored\n", a->nr_tramps);
	pr_info("ksplice: update %s reversed\n", u->id);
	release(a);
}
