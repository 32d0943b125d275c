/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data layouts an object's code was compiled against, read from its
 * DWARF (libdw), and what changed between a pre and a post object.
 *
 * A layout is a named structure or union (or one named only by a typedef),
 * with its size and its members: name, offset (bit position for bit
 * fields), size and type. Members of anonymous structures and unions
 * inside it are its own members ("u.a", or "a" for an unnamed one). The
 * types of the file-scope variables the object defines or declares are
 * layouts too, and so are named enums, whose enumerators' values are what
 * stored data means. Only what GCC describes is seen: the types the unit
 * uses.
 *
 * Example:
 *	struct type_layouts *pre = type_layouts_read("pre/kernel/sys.o", &err);
 *	struct type_layouts *post = type_layouts_read("post/kernel/sys.o", &err);
 *	struct layout_change *c;
 *	size_t n = type_layouts_compare(pre, post, &c);
 *	for (i = 0; i < n; i++)
 *		puts(c[i].message);	// "struct foo changes layout: member bar removed"
 *	layout_changes_free(c, n);
 */
#ifndef KSPLICE_TYPE_LAYOUT_H
#define KSPLICE_TYPE_LAYOUT_H

#include <stddef.h>

#include "create/create-util.h"

#include <stdbool.h>
#include <stdint.h>

struct layout_member {
	char *name;		/* "bar", "u.a" (a member of a named anonymous one) */
	uint64_t bit_position;	/* from the start of the outermost type */
	uint64_t bit_size;	/* 0 unless a bit field */
	uint64_t size;		/* bytes of its type */
	char *type;		/* "int", "struct list_head", "u8[16]", "char *" */
	int64_t value;		/* an enumerator's (then type is NULL) */
};

struct layout_type {
	char *name;		/* "struct foo", "union bar", or a typedef's name */
	uint64_t size;
	struct layout_member *members;
	size_t nr_members;
	/* A variable's type: its name is "variable NAME", no members. */
	bool variable;
	/* An enum ("enum foo" or a typedef's name): members are its enumerators. */
	bool enumeration;
	char *type;		/* variables only: the type's description */
};

struct type_layouts {
	struct layout_type *types;	/* sorted by name; duplicates kept */
	size_t nr_types;
};

struct layout_change {
	char *type;	/* "struct foo", "foo_t", or "variable bar" */
	char *message;	/* a sentence naming the type and what changed */
	bool enumeration;	/* values changed, not a layout */
};

/*
 * The layouts of the object at @path. NULL with a message in @err when
 * it cannot be read or has no debug information.
 */
struct type_layouts *type_layouts_read(const char *path, struct ks_error *err);
void type_layouts_free(struct type_layouts *l);
/* How many types and variables it describes (for tests and messages). */
size_t type_layouts_count(const struct type_layouts *l);

/*
 * The types and variables of @pre whose layout or type differs in @post;
 * returns how many (*out to free with layout_changes_free). A type or
 * variable only one side has is not a change: new code may use new types,
 * and the running kernel's objects of a dropped type are no longer read.
 */
size_t type_layouts_compare(const struct type_layouts *pre, const struct type_layouts *post,
			    struct layout_change **out);
void layout_changes_free(struct layout_change *c, size_t n);

#endif
