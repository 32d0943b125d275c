/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Applying and undoing an update: relocating the primary's code, planning
 * and writing the jump trampolines inside stop_machine after a
 * conservative check of every kernel stack, and keeping the record of what
 * is applied (stacking, last-in first-out undo).
 *
 *   apply.c        the stages: match, relocate, plan, stop_machine, record
 *   relocate.c     the primary's update relocation records
 *   trampoline.c   where each jump goes, what it replaces, is it safe
 *   stack-check.c  is any task inside code that is about to change
 *   ftrace-users.c is a function to replace redirected through ftrace
 *   text-write.c   text_poke & co., stop_machine with text_mutex held
 */
#ifndef KSPLICE_KMODULE_APPLY_H
#define KSPLICE_KMODULE_APPLY_H

#include <linux/kallsyms.h>
#include <linux/list.h>
#include <linux/module.h>

#include "core/match.h"
#include "core/update-format.h"

struct ksplice_update;
struct ksplice_target;

#define KSPLICE_JUMP_LEN 5	/* e9 rel32 */

/* What /sys/kernel/ksplice/<id>/stage shows. */
enum ksplice_stage {
	KSPLICE_STAGE_PREPARING = 0,
	KSPLICE_STAGE_APPLIED,
	KSPLICE_STAGE_REVERSED,
};

/* One jump from a replaced function to its replacement. */
struct ksplice_tramp {
	char name[KSYM_NAME_LEN];	/* the replaced function */
	char target[MODULE_NAME_LEN];	/* vmlinux or the module */
	unsigned long func, size;	/* the running old function */
	unsigned long site;		/* where the jump is written */
	unsigned long dest;		/* the replacement, in the primary */
	u8 saved[KSPLICE_JUMP_LEN];	/* the bytes the jump replaces */
	u8 jump[KSPLICE_JUMP_LEN];
	bool written;
	void *ftrace_rec;		/* its struct dyn_ftrace, if any (ftrace-users.c) */
	/* jump labels under the jump, left alone while applied (jump-entries.c) */
	struct jump_entry *jump_entries[2];
	int nr_jump_entries;
};

/* A data object rewritten in place (KSPLICE_PATCH_DATA, data-write.c). */
struct ksplice_data_write {
	char name[KSYM_NAME_LEN];
	unsigned long addr, size;	/* the running object */
	u8 *saved;			/* its bytes before the apply */
	const u8 *bytes;		/* the new ones, in the primary */
};

/* An address range the stack check looks for, and what to call it. */
struct ksplice_range {
	unsigned long start, end;
	const char *name;
};

/* An applied update (also the plan while it is being applied). */
struct ksplice_applied {
	struct list_head list;		/* in ksplice_applied_list, oldest first */
	struct ksplice_update *u;
	struct ksplice_tramp *tramps;
	size_t nr_tramps, cap_tramps;
	struct module **pins;		/* target and primary modules we hold */
	size_t nr_pins, cap_pins;
	struct module **primaries;	/* this update's primary modules */
	size_t nr_primaries;
	struct ksplice_applied **deps;	/* earlier updates whose code we use */
	size_t nr_deps, cap_deps;
	struct ksplice_data_write *datas;	/* data-write.c */
	size_t nr_datas, cap_datas;
};

/* The per-update state (hangs from struct ksplice_update). */
struct ksplice_patch_state {
	enum ksplice_stage stage;
	char *conflicts;		/* "comm pid symbol\n" lines, NUL-terminated */
	size_t conflicts_len;
	struct ksplice_applied *applied;	/* while applied */
};

/* apply.c: called from the stage attribute, under ksplice_mutex. */
int ksplice_patch_state_init(struct ksplice_update *u);
void ksplice_patch_state_free(struct ksplice_update *u);
const char *ksplice_stage_name(const struct ksplice_update *u);
void ksplice_apply_update(struct ksplice_update *u);
void ksplice_reverse_update(struct ksplice_update *u);
/* Whether @u may go away (not applied). */
bool ksplice_update_is_applied(const struct ksplice_update *u);
/*
 * Replacements of @name in @target by applied updates, oldest first, for
 * matching against code an earlier update already replaced.
 */
size_t ksplice_lookup_replacements(const char *target, const char *name, u64 *addrs,
				   size_t max);
/* Which applied update's primary module holds @addr, if any. */
struct ksplice_applied *ksplice_applied_owning(unsigned long addr);
/* Does an applied update have a trampoline overlapping [site, site + 5)? */
bool ksplice_tramp_in_use(unsigned long site);
/* Record that @a uses code or data of the update owning @addr. */
int ksplice_note_dependency(struct ksplice_applied *a, unsigned long addr);

/* relocate.c: resolve and write every relocation record of @t's primary. */
const char *ksplice_relocate_primary(struct ksplice_update *u, const struct ksplice_target *t,
				     struct module *target_mod, const struct ksplice_matcher *m,
				     struct ksplice_applied *a);

/*
 * btf-ids.c: fill in the BTF ID lists of @t's primary from the running
 * kernel's BTF (KSPLICE_TARGET_BTF_ID/_SET records); NULL or a cause.
 */
bool ksplice_has_btf_ids(const struct ksplice_module_desc *d);
const char *ksplice_fill_btf_ids(struct ksplice_update *u, const struct ksplice_target *t);

/* trampoline.c */
const char *ksplice_plan_trampolines(struct ksplice_update *u, const struct ksplice_target *t,
				     struct module *target_mod,
				     const struct ksplice_matcher *m, struct ksplice_applied *a);
/* Inside stop_machine: a kprobe on a function to replace? (message in @why) */
bool ksplice_tramps_probed(const struct ksplice_applied *a, char *why, size_t len);
/* Inside stop_machine: the bytes at every site are still @want_jump ? jump : saved. */
bool ksplice_tramps_unchanged(const struct ksplice_applied *a, bool want_jump, char *why,
			      size_t len);
/* Inside stop_machine: write jumps (or restore); restores everything on failure. */
int ksplice_tramps_write(struct ksplice_applied *a, bool apply);

/*
 * jump-entries.c: the jump table entries of the jump labels under @tr's
 * jump (0, -ENOENT if none, -EBUSY if one cannot be taken care of);
 * marking them left alone by the kernel while applied (inside
 * stop_machine); @bytes (saved ones) with their sites as their keys want now.
 */
int ksplice_jump_entries_find(struct ksplice_tramp *tr, struct module *target_mod);
void ksplice_jump_entries_mark(const struct ksplice_tramp *tr, bool applied);
void ksplice_jump_entries_current(const struct ksplice_tramp *tr, u8 *bytes);

/*
 * data-write.c: the data objects an update rewrites in place. Planned
 * after matching; inside stop_machine checked (the running bytes are the
 * saved ones, or the new ones on undo) and written; freed with the plan.
 */
const char *ksplice_plan_data(struct ksplice_update *u, const struct ksplice_target *t,
			      const struct ksplice_matcher *m, struct ksplice_applied *a);
bool ksplice_data_unchanged(const struct ksplice_applied *a, bool want_new, char *why,
			    size_t len);
int ksplice_data_write(struct ksplice_applied *a, bool apply);
void ksplice_data_free(struct ksplice_applied *a);

/* ftrace-users.c: find ftrace's record iterator (failed_to_find naming it). */
int ksplice_ftrace_init(const char **missing);
/* Before stop_machine: note each function's ftrace record (takes ftrace_lock). */
void ksplice_ftrace_find_records(struct ksplice_applied *a);
/*
 * Inside stop_machine: is a function to replace redirected through ftrace
 * by an IPMODIFY ops (livepatch ...)? (message in @why)
 */
bool ksplice_tramps_redirected(const struct ksplice_applied *a, char *why, size_t len);

/* stack-check.c: inside stop_machine; conflicts are appended to @buf. */
struct ksplice_stack_report {
	char *buf;
	size_t len, cap;
	unsigned int hits;
	unsigned long scan_from;	/* current task: scan from here up */
};
/*
 * The return addresses of inactive task @t, unwound reliably (count), or
 * an error when its stack cannot be (or the kernel has no such unwinder).
 */
int ksplice_reliable_trace(struct task_struct *t, unsigned long *store, unsigned int size);
void ksplice_check_stacks(const struct ksplice_range *ranges, size_t nr,
			  struct ksplice_stack_report *rep);

/* text-write.c */
int ksplice_text_init(const char **missing);
/* The one vmlinux symbol @name, checked with sprint_symbol; 0 if not so. */
unsigned long ksplice_find_exact(const char *name);
void ksplice_text_lock(void);
void ksplice_text_unlock(void);
/* text_poke, with ksplice_text_lock() held, outside stop_machine. */
void ksplice_poke(void *addr, const void *bytes, size_t len);
/* Inside stop_machine (all other CPUs stopped). */
void ksplice_poke_stopped(void *addr, const void *bytes, size_t len);
/* stop_machine with the CPU hotplug lock and text_mutex held (ksplice_text_lock). */
int ksplice_stop_machine(int (*fn)(void *), void *data);
void ksplice_text_sync(void);
struct task_struct *ksplice_idle_task(int cpu);
struct kprobe *ksplice_get_kprobe(void *addr);	/* NULL without kprobes */

#endif
