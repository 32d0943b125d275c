/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice.ko internals: registered updates, their sysfs directories,
 * symbol lookup in the running kernel and run-pre matching.
 */
#ifndef KSPLICE_KMODULE_INTERNAL_H
#define KSPLICE_KMODULE_INTERNAL_H

#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "core/match.h"
#include "core/update-format.h"
#include "apply.h"

#define KSPLICE_ID_MAX 64
/* The debug log of one update is capped at this many bytes. */
#define KSPLICE_DEBUG_SIZE (256 * 1024)

/* One target (vmlinux or a module) of an update: its primary and helper. */
struct ksplice_target {
	struct list_head list;
	char name[MODULE_NAME_LEN];
	const struct ksplice_module_desc *primary, *helper;
	struct module *primary_mod, *helper_mod;
};

/* An update: the modules registered under one id, /sys/kernel/ksplice/<id>/. */
struct ksplice_update {
	struct kobject kobj;
	struct list_head list;		/* in ksplice_updates; empty once dying */
	char id[KSPLICE_ID_MAX + 1];
	struct list_head targets;
	unsigned int nr_modules;
	const char *abort_cause;	/* "ok" or an abort cause, static */
	char *debug;			/* log of the last run, NUL-terminated */
	size_t debug_len;
	bool debug_truncated;		/* it hit KSPLICE_DEBUG_SIZE */
	struct dentry *debugfs;		/* /sys/kernel/debug/ksplice/<id>, or NULL/error */
	struct ksplice_patch_state patch;	/* stage, conflicts, what is applied (apply.c) */
};

/* Serialises registration, sysfs writes and matching. */
extern struct mutex ksplice_mutex;
extern struct kobject *ksplice_kobj;
extern struct dentry *ksplice_debugfs_dir;	/* NULL without debugfs */

/*
 * array.c: a zeroed slot at index @nr of a growing array (*@base, room for
 * *@cap elements of @size bytes), grown if full; NULL when out of memory.
 * The caller counts the slot in once it is filled in.
 */
void *ksplice_array_slot(void **base, size_t nr, size_t *cap, size_t size);

/* update.c */
__printf(2, 3) void ksplice_log(struct ksplice_update *u, const char *fmt, ...);
void ksplice_log_reset(struct ksplice_update *u);

/* NULL if @d (of module @mod) is sound, else what is wrong and @where. */
const char *ksplice_check_module(const struct ksplice_module_desc *d, const struct module *mod,
				 char *where, size_t len);

/* load-relocs.c: records resolved when a primary loads (module notifier). */
int ksplice_load_relocs_init(void);
void ksplice_load_relocs_exit(void);

/* symbols.c: kallsyms access on a stock kernel. */
int ksplice_symbols_init(const char **missing);
size_t ksplice_lookup_vmlinux(const char *name, u64 *addrs, size_t max);
/* A vmlinux function's address (after ksplice_symbols_init), else 0. */
unsigned long ksplice_vmlinux_function(const char *name);
size_t ksplice_lookup_module(struct module *mod, const char *name, u64 *addrs, size_t max);
/*
 * How many addresses @name has in the update's target: @target_mod (NULL for
 * vmlinux), else vmlinux, else @primary_mod if given; the first in *@addr.
 */
/* relocate.c: a relocation value as the machine's address arithmetic gives it. */
s64 ksplice_wrap_to_address_width(s64 value, const struct ksplice_reloc *r);
size_t ksplice_lookup_in_target(struct module *target_mod, struct module *primary_mod,
				const char *name, u64 *addr);
struct module *ksplice_get_module(const char *name);

/* run-match.c: run-pre matching of every target; sets abort_cause. */
void ksplice_match_update(struct ksplice_update *u);
/*
 * Match one target; on "ok" @m holds the result (section addresses and
 * symbol bindings) and the caller frees it with ksplice_match_free().
 */
const char *ksplice_match_target(struct ksplice_update *u, const struct ksplice_target *t,
				 struct ksplice_matcher *m);

#endif
