// SPDX-License-Identifier: GPL-2.0
#include "tools/kernel-match.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "tools/common.h"

static const struct utsname *running_uname(void)
{
	static struct utsname u;

	if (!u.release[0])
		uname(&u);
	return &u;
}

const char *running_release(void)
{
	return running_uname()->release;
}

const char *running_version(void)
{
	static char version[256];
	static int state;	/* 0 not read yet, 1 read, -1 unreadable */

	if (!state)
		state = read_text_file("/proc/sys/kernel/version", version, sizeof(version)) ? -1 : 1;
	return state > 0 ? version : NULL;
}

static int same_machine(const char *manifest_machine, const char *uts_machine)
{
	if (!strcmp(manifest_machine, "x86_64"))
		return !strcmp(uts_machine, "x86_64");
	return uts_machine[0] == 'i' && !strcmp(uts_machine + 2, "86");
}

int manifest_matches_kernel(const struct ksplice_manifest *m, char *why, size_t size)
{
	const struct utsname *u = running_uname();
	const char *version = running_version();

	if (strcmp(m->kernel_release, u->release) || !same_machine(m->machine, u->machine)) {
		snprintf(why, size, "update %s is for kernel %s (%s), but this kernel is %s (%s)",
			 m->id, m->kernel_release, m->machine, u->release, u->machine);
		return -1;
	}
	if (m->kernel_version[0] && version && strcmp(version, m->kernel_version)) {
		snprintf(why, size, "update %s is for build \"%s\" of %s, but this kernel is build \"%s\"",
			 m->id, m->kernel_version, m->kernel_release, version);
		return -1;
	}
	return 0;
}
