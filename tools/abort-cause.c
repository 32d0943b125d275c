// SPDX-License-Identifier: GPL-2.0
#include "tools/abort-cause.h"

#include <string.h>

static const struct {
	const char *cause, *sentence;
} causes[] = {
	{ "no_match", "The running kernel's code does not match the code this update was "
		      "built for: it was made from another source tree or config." },
	{ "code_busy", "Code that the update replaces was in use by a running thread every "
		       "time it tried; trying again later may succeed." },
	{ "module_busy", "A later update changes the same code; undo that update first." },
	{ "out_of_memory", "The kernel ran out of memory." },
	{ "failed_to_find", "A symbol the update needs was not found in the running kernel." },
	{ "missing_export", "A symbol the update needs is not exported by the running kernel." },
	{ "unexpected_running_task", "A thread was running code it should not have been." },
	{ "target_not_loaded", "A module the update changes is not loaded (use --partial to "
			       "apply the rest)." },
	{ "call_failed", "A hook of the update refused to proceed." },
	{ "unexpected", "Something unexpected happened; see the debug log (--debug)." },
};

const char *abort_cause_sentence(const char *cause)
{
	size_t i;

	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (!strcmp(causes[i].cause, cause))
			return causes[i].sentence;
	return "The kernel reported an unknown problem; see the debug log (--debug).";
}
