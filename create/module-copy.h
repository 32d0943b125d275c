/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pieces of kernel objects copied into a module image: a function (a unit
 * of object-units.h), a variable, a whole section (strings, constants) or
 * a chunk of an alternative-replacement blob. Each piece becomes one image
 * section, so everything that points into it can be expressed as
 * "image section + offset".
 */
#ifndef KSPLICE_MODULE_COPY_H
#define KSPLICE_MODULE_COPY_H

#include "create/module-image.h"
#include "create/object-units.h"

struct copy_piece {
	const struct object_index *idx;	/* the object it comes from */
	const struct elf_section *src;
	uint64_t start, end;
	const struct unit *unit;	/* the unit copied, or NULL */
	int sec;			/* image section */
	bool done;			/* relocations processed */
	/* Data-object options (patch-options.h): */
	bool early;			/* helper: matched first, by content */
	bool witness;			/* helper: matched to bind a symbol only */
	bool in_place;			/* primary: new bytes of a running object */
};

struct copy_set {
	struct module_image *img;
	/* Helper: copies are matched, not run: data only, renamed. */
	bool helper;
	struct copy_piece *v;
	size_t n, cap;
};

void copy_set_init(struct copy_set *cs, struct module_image *img, bool helper);
void copy_set_free(struct copy_set *cs);

/* The piece holding @place of @src (its end counts for a section's end). */
struct copy_piece *copy_find(const struct copy_set *cs,
			     const struct elf_section *src, uint64_t place);
struct copy_piece *copy_find_unit(const struct copy_set *cs,
				  const struct unit *u);

/*
 * Copy [start, end) of @src as a new piece (or return the piece that
 * already holds exactly that range). Returns its index in cs->v.
 */
size_t copy_add(struct copy_set *cs, const struct object_index *idx,
		const struct elf_section *src, uint64_t start, uint64_t end,
		const struct unit *unit);
size_t copy_add_unit(struct copy_set *cs, const struct object_index *idx,
		     const struct unit *u);

/* A piece's image flags for a ksplice_section record. */
uint32_t copy_record_flags(const struct copy_piece *p);

#endif
