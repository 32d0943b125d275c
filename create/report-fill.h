/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Filling the per-file report (update-report.h) from the build: what each
 * changed file is before anything is compiled, which files a refused
 * object leaves out (--skip-refused), and the final outcome of the rest.
 *
 * The --skip-refused rule: an update is a set of whole-file changes. A
 * refused object (its change cannot be carried, it does not compile, its
 * module cannot be built, or it uses something a left-out change adds or
 * changes) leaves out its own .c file if that changed, else every changed
 * header that reaches it; then everything is compiled and compared again
 * without those files, until nothing is refused.
 */
#ifndef KSPLICE_REPORT_FILL_H
#define KSPLICE_REPORT_FILL_H

#include "create/build-affected.h"
#include "create/change-set.h"
#include "create/update-report.h"

/*
 * Classify every file of REP; files that are not built, ignored or cannot
 * be in an update (assembly, build files, new or removed files, headers
 * forced into every compilation) are taken out of CS. Returns how many
 * were refused.
 */
size_t report_classify(struct update_report *rep, struct change_set *cs, struct affected_graph *g);
/*
 * Take the files of RES's refused objects out of CS, recording the reason,
 * and add what those objects change to LEFT_OUT (kept sorted). Returns the
 * number of files taken out.
 */
size_t report_drop_refused(struct update_report *rep, struct change_set *cs,
			   const struct build_result *res, struct build_strlist *left_out,
			   bool announce);
/* Outcome, targets and functions of the files still in CS, and the modules. */
void report_finish(struct update_report *rep, const struct change_set *cs,
		   const struct build_result *res);

#endif
