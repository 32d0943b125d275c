// SPDX-License-Identifier: GPL-2.0
/*
 * ftrace users that would bypass our jump. Our trampoline goes after a
 * function's ftrace site (trampoline.c); an ftrace ops registered with
 * FTRACE_OPS_FL_IPMODIFY on that site changes the instruction pointer
 * before our jump runs: livepatch sends the call to its own replacement,
 * and a kprobe on the site (KPROBES_ON_FTRACE) may too. The replaced
 * function would then never run our code, silently. So a function whose
 * ftrace record carries FTRACE_FL_IPMODIFY (set by ftrace for as long as
 * such an ops is attached) is refused, naming the tool in the way.
 *
 * Each function's record is found before stop_machine with ftrace's own
 * iterator (ftrace_rec_iter_*, not exported, found by name), under
 * ftrace_lock (found the same way): ftrace adds, frees and compacts its
 * record pages and updates their flags under it, as modules load and
 * unload. A record lives as long as its code: vmlinux, or a module
 * we keep pinned (the target, or an earlier update's primary). Inside
 * stop_machine only the flags of those few records are read, so the pause
 * does not grow with the number of traceable functions.
 * Whether a livepatch is enabled (klp_patches not empty) only chooses the
 * words of the message.
 */
#include <linux/ftrace.h>
#include <linux/list.h>

#include "apply.h"
#include "internal.h"

#ifdef CONFIG_DYNAMIC_FTRACE
typedef struct ftrace_rec_iter *(*iter_start_fn)(void);
typedef struct ftrace_rec_iter *(*iter_next_fn)(struct ftrace_rec_iter *iter);
typedef struct dyn_ftrace *(*iter_record_fn)(struct ftrace_rec_iter *iter);

static iter_start_fn ks_iter_start;
static iter_next_fn ks_iter_next;
static iter_record_fn ks_iter_record;
static struct mutex *ks_ftrace_lock;
static struct list_head *ks_klp_patches;	/* NULL without livepatch */

int ksplice_ftrace_init(const char **missing)
{
	static const char *const names[] = {
		"ftrace_rec_iter_start", "ftrace_rec_iter_next", "ftrace_rec_iter_record",
		"ftrace_lock",
	};
	unsigned long addr[ARRAY_SIZE(names)];
	size_t i;

	if (ks_iter_start)
		return 0;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		addr[i] = ksplice_find_exact(names[i]);
		if (!addr[i]) {
			*missing = names[i];
			return -ENOENT;
		}
	}
	if (IS_ENABLED(CONFIG_LIVEPATCH))
		ks_klp_patches = (struct list_head *)ksplice_find_exact("klp_patches");
	ks_ftrace_lock = (struct mutex *)addr[3];
	ks_iter_next = (iter_next_fn)addr[1];
	ks_iter_record = (iter_record_fn)addr[2];
	ks_iter_start = (iter_start_fn)addr[0];
	return 0;
}

/* The function of @a whose range holds @ip, if any. */
static struct ksplice_tramp *tramp_at(struct ksplice_applied *a, unsigned long ip)
{
	size_t i;

	for (i = 0; i < a->nr_tramps; i++)
		if (ip >= a->tramps[i].func && ip < a->tramps[i].func + a->tramps[i].size)
			return &a->tramps[i];
	return NULL;
}

static const char *ipmodify_user(void)
{
	if (ks_klp_patches && !list_empty(ks_klp_patches))
		return "a livepatch (see /sys/kernel/livepatch)";
	return "an ftrace user that changes the instruction pointer";
}

void ksplice_ftrace_find_records(struct ksplice_applied *a)
{
	struct ftrace_rec_iter *iter;
	struct ksplice_tramp *tr;
	struct dyn_ftrace *rec;

	mutex_lock(ks_ftrace_lock);
	for (iter = ks_iter_start(); iter; iter = ks_iter_next(iter)) {
		rec = ks_iter_record(iter);
		tr = tramp_at(a, rec->ip);
		if (tr && !tr->ftrace_rec)
			tr->ftrace_rec = rec;
	}
	mutex_unlock(ks_ftrace_lock);
}

bool ksplice_tramps_redirected(const struct ksplice_applied *a, char *why, size_t len)
{
	const struct ksplice_tramp *tr;
	const struct dyn_ftrace *rec;
	size_t i;

	for (i = 0; i < a->nr_tramps; i++) {
		tr = &a->tramps[i];
		rec = tr->ftrace_rec;
		if (!rec || !(rec->flags & FTRACE_FL_IPMODIFY))
			continue;
		snprintf(why, len, "%s is redirected through ftrace by %s (FTRACE_OPS_FL_IPMODIFY "
			 "at %s+0x%lx), which would bypass the update: disable it before replacing %s",
			 tr->name, ipmodify_user(), tr->name, rec->ip - tr->func, tr->name);
		return true;
	}
	return false;
}
#else
int ksplice_ftrace_init(const char **missing)
{
	return 0;
}

void ksplice_ftrace_find_records(struct ksplice_applied *a)
{
}

bool ksplice_tramps_redirected(const struct ksplice_applied *a, char *why, size_t len)
{
	return false;	/* no dynamic ftrace: nobody can redirect a function */
}
#endif
