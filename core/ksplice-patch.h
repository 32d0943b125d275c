/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksplice-patch.h: what a patch may use to change data, not only code.
 * ksplice-create puts this header on the include path of the patched
 * build, so a patched kernel .c file can say #include <ksplice-patch.h>.
 * docs/patch-author.md explains when and how to use it, with examples.
 *
 * Hooks: functions of the patch that ksplice.ko calls when the update is
 * applied or undone. Each macro puts a pointer to the function into a
 * section ksplice-create turns into a record of the update:
 *
 *   ksplice_pre_apply(fn)     int fn(void): before stop_machine; nonzero
 *                             aborts the apply (abort cause call_failed),
 *                             nothing has changed then
 *   ksplice_check_apply(fn)   int fn(void): inside stop_machine, after the
 *                             stack check; nonzero aborts (call_failed)
 *   ksplice_apply(fn)         void fn(void): inside stop_machine, right
 *                             after the jumps are written: fix live state
 *   ksplice_post_apply(fn)    void fn(void): after a successful apply
 *   ksplice_fail_apply(fn)    void fn(void): the apply failed after the
 *                             pre_apply hooks ran (undo what they did)
 *
 * and the same five for undo (ksplice_pre_reverse, ...). Code inside
 * stop_machine runs with every other CPU stopped and interrupts off: it
 * must not sleep or allocate with GFP_KERNEL. A hook must not call code
 * the update replaces (ksplice-create refuses such a patch).
 *
 * Shadow data: a new field attached to existing kernel objects without
 * changing their layout, keyed by the object's address and a field name:
 *
 *   KSPLICE_SHADOW_FIELD(name, struct file, int);
 *   int *n = name_get_or_create(file, GFP_KERNEL);   (NULL: no memory)
 *   int *n = name_get(file);                         (NULL: none yet)
 *   name_free(file);  name_free_all();
 *
 * Shadows start zeroed. ksplice.ko frees every shadow an update created
 * when the update is undone or its apply fails; the patch frees a shadow
 * itself when it knows the object goes away. Lookups and changes are safe
 * from any context (a spinlock, interrupts off); the shadow's memory
 * belongs to the patch, which must not use it after freeing it.
 *
 * Options for an existing data object OBJ of the patched file (a global
 * or a file-scope static), at file scope after its definition:
 *
 *   ksplice_assume_rodata(OBJ)     OBJ is never written at run time (a
 *                                  const table, say): a same-size change of
 *                                  its initialiser is written over the
 *                                  running object inside stop_machine, and
 *                                  the old bytes come back on undo
 *   ksplice_match_data_early(OBJ)  run-pre matching compares OBJ's pre
 *                                  bytes with the running kernel's first,
 *                                  so an ambiguous name (same-named statics
 *                                  of several files) is resolved by content
 *
 * Layouts: ksplice-create refuses a patch whose changed code was compiled
 * against another layout of a structure or union (or another type of a
 * global) than the running kernel's, since objects in memory keep the old
 * layout. At file scope, after the type's definition:
 *
 *   ksplice_layout_handled(struct foo)   the patch takes responsibility for
 *                                  the running objects of struct foo: none
 *                                  can reach the new code (they live only
 *                                  on the stacks of functions the update
 *                                  replaces), or its hooks convert them or
 *                                  refuse the apply while any exist. It
 *                                  covers that type name in every object of
 *                                  the update.
 */
#ifndef KSPLICE_PATCH_H
#define KSPLICE_PATCH_H

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/types.h>

/* The hook sections: ".ksplice_hook.<kind>", one pointer per hook. */
#define __ksplice_hook(kind, ret, fn)						\
	static ret (*const __ksplice_hook_##kind##_##fn)(void)			\
	__used __section(".ksplice_hook." #kind) __aligned(sizeof(void *)) = fn

#define ksplice_pre_apply(fn) __ksplice_hook(pre_apply, int, fn)
#define ksplice_check_apply(fn) __ksplice_hook(check_apply, int, fn)
#define ksplice_apply(fn) __ksplice_hook(apply, void, fn)
#define ksplice_post_apply(fn) __ksplice_hook(post_apply, void, fn)
#define ksplice_fail_apply(fn) __ksplice_hook(fail_apply, void, fn)
#define ksplice_pre_reverse(fn) __ksplice_hook(pre_reverse, int, fn)
#define ksplice_check_reverse(fn) __ksplice_hook(check_reverse, int, fn)
#define ksplice_reverse(fn) __ksplice_hook(reverse, void, fn)
#define ksplice_post_reverse(fn) __ksplice_hook(post_reverse, void, fn)
#define ksplice_fail_reverse(fn) __ksplice_hook(fail_reverse, void, fn)

/* The option sections: ".ksplice_option.<kind>", one pointer per object. */
#define __ksplice_option(kind, obj)						\
	static const void *const __ksplice_option_##kind##_##obj		\
	__used __section(".ksplice_option." #kind) __aligned(sizeof(void *)) = &(obj)

#define ksplice_assume_rodata(obj) __ksplice_option(assume_rodata, obj)
#define ksplice_match_data_early(obj) __ksplice_option(match_data_early, obj)

/* The section ".ksplice_layout": the type names, NUL-terminated. */
#define __ksplice_layout_id(line) __ksplice_layout_##line
#define __ksplice_layout_name(line) __ksplice_layout_id(line)
#define ksplice_layout_handled(type)						\
	_Static_assert(sizeof(type) == sizeof(type), "a complete type");	\
	static const char __ksplice_layout_name(__LINE__)[]			\
	__used __section(".ksplice_layout") __aligned(1) = #type

/* Exported by ksplice.ko (declared the same way in core/ksplice-api.h). */
void *ksplice_shadow_create(const void *obj, const char *field, size_t size, gfp_t gfp);
void *ksplice_shadow_get(const void *obj, const char *field);
void *ksplice_shadow_get_or_create(const void *obj, const char *field, size_t size, gfp_t gfp);
void ksplice_shadow_free(const void *obj, const char *field);
void ksplice_shadow_free_all(const char *field);

/* Typed accessors NAME_get/_create/_get_or_create/_free/_free_all. */
#define KSPLICE_SHADOW_FIELD(name, objtype, fieldtype)				\
	static inline fieldtype *name##_get(const objtype *obj)			\
	{									\
		return ksplice_shadow_get(obj, #name);				\
	}									\
	static inline fieldtype *name##_create(const objtype *obj, gfp_t gfp)	\
	{									\
		return ksplice_shadow_create(obj, #name, sizeof(fieldtype), gfp); \
	}									\
	static inline fieldtype *name##_get_or_create(const objtype *obj, gfp_t gfp) \
	{									\
		return ksplice_shadow_get_or_create(obj, #name, sizeof(fieldtype), gfp); \
	}									\
	static inline void name##_free(const objtype *obj)			\
	{									\
		ksplice_shadow_free(obj, #name);				\
	}									\
	static inline void name##_free_all(void)				\
	{									\
		ksplice_shadow_free_all(#name);					\
	}

#endif
