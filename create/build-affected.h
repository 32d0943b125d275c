/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From the files a patch changes to the objects to compile: the include
 * graph gives every source reaching a changed file, kbuild's Makefiles say
 * which of those this config compiles and into what.
 */
#ifndef KSPLICE_BUILD_AFFECTED_H
#define KSPLICE_BUILD_AFFECTED_H

#include "create/build-objects.h"
#include "create/patch-parse.h"

struct tree_prepared;

/*
 * Fill R (see build-objects.h) for SET. Reports on stderr how many objects
 * each changed header reaches, and warns about reached files that cannot be
 * handled (assembly) or are not built. Returns -1 on error.
 */
int build_find_affected(struct build_result *r, const struct patch_set *set,
			const struct tree_prepared *t, const char *work_dir);

/*
 * The kbuild walk and the include graph of a prepared tree, loaded once for
 * several rounds (--skip-refused) and for the per-file report.
 */
struct affected_graph;

struct affected_graph *affected_graph_load(const struct tree_prepared *t, const char *work_dir);
void affected_graph_free(struct affected_graph *g);
/*
 * What FILE (a changed path) reaches: the sources this config builds
 * (sorted), their targets ("vmlinux", module names), whether it reaches
 * every object (a forced include) and the unbuilt or assembly files.
 */
struct affected_reach {
	struct build_strlist built;	/* .c files compiled by the config */
	struct build_strlist targets;
	struct build_strlist assembly;	/* built .S files reached */
	bool all;
};
void affected_graph_reach(struct affected_graph *g, const char *file, struct affected_reach *out);
void affected_reach_free(struct affected_reach *r);
/* Is FILE (a .S, or a Makefile/Kbuild's directory) part of this config's build? */
bool affected_graph_builds(const struct affected_graph *g, const char *file);
/* build_find_affected with a loaded graph. */
int build_find_affected_in(struct build_result *r, const struct patch_set *set,
			   struct affected_graph *g, const char *src, const char *work_dir);
/* Fill each object's causes: which of FILES reach it. */
void build_note_causes(struct build_result *r, struct affected_graph *g,
		       const struct build_strlist *files);

#endif
