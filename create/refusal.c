// SPDX-License-Identifier: GPL-2.0
/* Names of the refusal classes. */
#include "create/refusal.h"

static const struct {
	const char *name, *description;
} classes[REFUSAL_NR] = {
	[REFUSAL_NONE] = { "none", "not refused" },
	[REFUSAL_DATA] = { "data", "changes initialised data, a variable's size or table entries" },
	[REFUSAL_STRUCT] = { "struct-layout",
			     "changes the layout of a structure or union, or a global's type" },
	[REFUSAL_INIT] = { "init", "changes __init/__exit code" },
	[REFUSAL_EXPORT] = { "export", "adds, changes or removes an export" },
	[REFUSAL_PARAM] = { "module-param", "adds, changes or removes a module parameter" },
	[REFUSAL_ASSEMBLY] = { "assembly", "changes assembly" },
	[REFUSAL_SECTION] = { "section", "changes a section or table the update cannot carry" },
	[REFUSAL_BUILD_SYSTEM] = { "build-system", "changes a Makefile, Kbuild or Kconfig file" },
	[REFUSAL_FILE_ADDED] = { "new-file", "adds a file" },
	[REFUSAL_FILE_REMOVED] = { "removed-file", "removes a file" },
	[REFUSAL_OTHER_FILE] = { "other-file", "changes a file that is neither C nor a header" },
	[REFUSAL_EVERY_OBJECT] = { "every-object", "changes a header forced into every compilation" },
	[REFUSAL_BUILD_FAILURE] = { "build-failure", "does not compile" },
	[REFUSAL_MODULE_BUILD] = { "module-build", "the update's modules cannot be built from it" },
	[REFUSAL_HOOKS] = { "hooks", "its hooks could reach replaced code" },
	[REFUSAL_DEPENDS] = { "depends", "needs a change that was left out" },
	[REFUSAL_DELETED] = { "deleted-function",
			      "deletes a function whose old copy could still be entered" },
};

const char *refusal_name(enum refusal_class c)
{
	return c < REFUSAL_NR ? classes[c].name : "unknown";
}

const char *refusal_description(enum refusal_class c)
{
	return c < REFUSAL_NR ? classes[c].description : "unknown";
}
