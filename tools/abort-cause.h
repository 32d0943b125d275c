/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's abort causes and the sentence a user reads for each. */
#ifndef KSPLICE_TOOLS_ABORT_CAUSE_H
#define KSPLICE_TOOLS_ABORT_CAUSE_H

/* A sentence explaining @cause (as read from abort_cause), never NULL. */
const char *abort_cause_sentence(const char *cause);

#endif
