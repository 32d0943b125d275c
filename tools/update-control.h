/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Driving an update through ksplice.ko's sysfs files
 * (/sys/kernel/ksplice/<id>/{stage,abort_cause,conflicts,debug}), shared by
 * ksplice-apply and ksplice-undo.
 */
#ifndef KSPLICE_TOOLS_UPDATE_CONTROL_H
#define KSPLICE_TOOLS_UPDATE_CONTROL_H

#include <stdbool.h>
#include <stddef.h>

struct report_opts {
	bool raw_errors;	/* the abort code alone on the first line */
	bool debug;		/* print the kernel's debug log */
	const char *debugfile;	/* or write it there */
	const char *done_text;	/* printed on success; NULL: "Done!" */
};

bool update_exists(const char *id);
/* Loaded and in stage "applied". */
bool update_is_applied(const char *id);
/* Read attribute @what of update @id into @buf; 0 or -1. */
int update_read(const char *id, const char *what, char *buf, size_t size);

/*
 * Write @stage ("applied", "reversed", ...) and return the abort cause the
 * kernel reports afterwards in @cause ("ok" on success).
 */
void update_set_stage(const char *id, const char *stage, char *cause, size_t size);

/* Print the outcome: "Done!" or the error with its sentence and conflicts. */
int report_outcome(const char *id, const char *verb, const char *cause,
		   const struct report_opts *o);

#endif
