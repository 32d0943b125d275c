// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice: one front end for the tools, git-style. `ksplice VERB ARGS...`
 * runs ksplice-VERB ARGS..., so `ksplice apply PKG` is `ksplice-apply PKG`
 * and the separate commands keep working as they always did.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tools/common.h"
#include "tools/run-tool.h"

static const char *const verbs[][2] = {
	{ "install", "apply an update and keep it: applied again at every boot" },
	{ "remove", "undo an installed update and stop applying it at boot" },
	{ "list", "installed and applied updates of this kernel (--json)" },
	{ "reapply", "apply every installed update this kernel lacks (ksplice.service)" },
	{ "upgrade", "install what the update repository has for this kernel (--list: pending)" },
	{ "repo", "add packages to an update repository and sign its index" },
	{ "apply", "apply an update package now, until the next reboot" },
	{ "undo", "reverse an applied update" },
	{ "view", "updates in the running kernel (--json)" },
};

static void usage(FILE *out)
{
	unsigned i;

	fprintf(out, "usage: ksplice VERB [ARGS...]   (ksplice VERB --help for its options)\n\n");
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		fprintf(out, "  %-8s %s\n", verbs[i][0], verbs[i][1]);
}

static bool known_verb(const char *verb)
{
	unsigned i;

	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (!strcmp(verbs[i][0], verb))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	tool_name = "ksplice";
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!known_verb(argv[1])) {
		tool_error("'%s' is not a ksplice command", argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	exec_tool(argv[1], argv + 1);
	return EXIT_SYSTEM;
}
