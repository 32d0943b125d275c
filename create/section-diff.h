/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The section-level diff of ksplice-create: compare an object compiled
 * before a patch ("pre") with the same object compiled after it ("post"),
 * both built with -ffunction-sections -fdata-sections, and say which
 * functions changed, appeared or disappeared, which data appeared or
 * disappeared, and which changes a rebootless update cannot apply
 * (changed initialised data, __init code, new exports and module params).
 *
 * Example:
 *	struct ks_error err;
 *	struct diff_result *res = section_diff(pre, post, &err);
 *	if (!res)
 *		die("%s", err.msg);
 *	diff_result_print(res, stderr);
 *	diff_result_free(res);
 */
#ifndef KSPLICE_SECTION_DIFF_H
#define KSPLICE_SECTION_DIFF_H

#include <stdio.h>

#include "create/elf-object.h"
#include "create/refusal.h"

enum diff_change {
	DIFF_CHANGED,
	DIFF_NEW,	/* only in post */
	DIFF_DELETED,	/* only in pre */
};

enum diff_item_kind {
	DIFF_FUNCTION,
	DIFF_DATA,
};

struct diff_item {
	enum diff_item_kind kind;
	enum diff_change change;
	char *name;		/* real symbol name (pre's if deleted) */
	char *display_name;	/* without clone suffixes: "f.isra.0" -> "f" */
	char *pre_name;		/* NULL if new */
	char *post_name;	/* NULL if deleted */
	char *section;		/* its section (pre's if deleted) */
	/*
	 * Left for the caller: set when the function changed only because a
	 * changed callee was inlined into it (the diff cannot tell).
	 */
	bool inlined_into;
	/*
	 * A changed variable the patch marked ksplice_assume_rodata, same
	 * size: the update writes its new bytes over the running object.
	 */
	bool in_place;
};

/* A change the update cannot carry; the caller reports it as an error. */
struct diff_unsupported {
	char *name;		/* real symbol (or section) name */
	char *display_name;
	char *message;		/* full sentence naming the symbol */
	enum refusal_class klass;	/* for the per-file report */
	/*
	 * Only the initial value of an existing variable changed (same size):
	 * acceptable when the patch has hooks (ksplice-patch.h) to set it.
	 */
	bool value_only;
	/*
	 * __exit code or data (.exit.text, .exit.data): no change at all to
	 * a kernel built-in object, whose __exit code never runs (see
	 * diff_drop_builtin_exit).
	 */
	bool exit_only;
};


struct diff_result {
	struct diff_item *functions;	/* changed, new and deleted functions */
	size_t nr_functions;
	struct diff_item *data;		/* changed, new and deleted variables */
	size_t nr_data;
	struct diff_unsupported *unsupported;
	size_t nr_unsupported;
};

/*
 * Diff @pre against @post. Returns NULL with a message in @err when an object
 * cannot be compared (e.g. a section the diff does not know).
 */
struct diff_result *section_diff(const struct elf_object *pre,
				 const struct elf_object *post,
				 struct ks_error *err);
void diff_result_free(struct diff_result *res);
/* Add an unsupported change about @name (a later check's: layout-check.h). */
void diff_add_unsupported(struct diff_result *res, enum refusal_class klass, const char *name,
			  const char *message);
/* Drop the value_only items from @res (the patch sets them in hooks). */
void diff_accept_value_changes(struct diff_result *res);
/*
 * The object is built into vmlinux: its __exit code is never called (the
 * linker drops its exitcalls, modpost forbids other references) and is
 * freed with the init memory after boot, so a change to it changes
 * nothing in a running kernel. Drop those refusals; returns how many.
 */
size_t diff_drop_builtin_exit(struct diff_result *res);

/* Look up a function/variable item by real or display name. */
const struct diff_item *diff_find_function(const struct diff_result *res,
					   const char *name);
const struct diff_item *diff_find_data(const struct diff_result *res,
				       const char *name);
/* The first unsupported change about @name (real or display), or NULL. */
const struct diff_unsupported *diff_find_unsupported(
	const struct diff_result *res, const char *name);

size_t diff_count(const struct diff_result *res, enum diff_item_kind kind,
		  enum diff_change change);
bool diff_result_is_empty(const struct diff_result *res);

const char *diff_change_name(enum diff_change change);
/* One line per item: "changed function f (f.isra.1)", "unsupported: ...". */
void diff_result_print(const struct diff_result *res, FILE *out);

#endif
