// SPDX-License-Identifier: GPL-2.0
#include "tools/kernel-match.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "tools/common.h"

const char *running_release(void)
{
	static struct utsname u;

	if (!u.release[0])
		uname(&u);
	return u.release;
}

static int same_machine(const char *manifest_machine, const char *uts_machine)
{
	if (!strcmp(manifest_machine, "x86_64"))
		return !strcmp(uts_machine, "x86_64");
	return uts_machine[0] == 'i' && !strcmp(uts_machine + 2, "86");
}

int manifest_matches_kernel(const struct ksplice_manifest *m, char *why, size_t size)
{
	struct utsname u;
	char version[256];

	uname(&u);
	if (strcmp(m->kernel_release, u.release) || !same_machine(m->machine, u.machine)) {
		snprintf(why, size, "update %s is for kernel %s (%s), but this kernel is %s (%s)",
			 m->id, m->kernel_release, m->machine, u.release, u.machine);
		return -1;
	}
	if (m->kernel_version[0] && !read_text_file("/proc/sys/kernel/version", version, sizeof(version)) &&
	    strcmp(version, m->kernel_version)) {
		snprintf(why, size, "update %s is for build \"%s\" of %s, but this kernel is build \"%s\"",
			 m->id, m->kernel_version, m->kernel_release, version);
		return -1;
	}
	return 0;
}
