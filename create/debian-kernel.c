// SPDX-License-Identifier: GPL-2.0
/* A Debian kernel release -> the version of the source it was built from. */
#include "create/debian-kernel.h"
#include "create/build-util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

char *debian_version_from_uts(const char *uts)
{
	const char *p = strstr(uts, "Debian ");
	size_t n;

	if (!p)
		return NULL;
	p += strlen("Debian ");
	n = strcspn(p, " \t\n");
	if (!n || !isdigit((unsigned char)*p))
		return NULL;
	return build_xstrndup(p, n);
}

int debian_split_release(const char *release, char **abi, char **series)
{
	int a, b, c, d, n = 0;

	/* MAJOR.MINOR.0-ABI-FLAVOUR */
	if (sscanf(release, "%d.%d.%d-%d%n", &a, &b, &c, &d, &n) != 4 || release[n] != '-' ||
	    !release[n + 1])
		return -1;
	*abi = build_xstrndup(release, n);
	*series = build_xasprintf("%d.%d", a, b);
	return 0;
}

char *debian_version_series(const char *version)
{
	int a, b;

	if (sscanf(version, "%d.%d.", &a, &b) != 2)
		return NULL;
	return build_xasprintf("%d.%d", a, b);
}

int debian_versions_in(const char *text, char ***versions)
{
	struct build_strlist seen = { 0 };
	const char *p = text;
	size_t i;
	int n = 0;

	*versions = NULL;
	while (p && *p) {
		const char *end = strchrnul(p, '\n');

		if (build_has_prefix(p, "Version: ")) {
			char *v = build_xstrndup(p + 9, end - p - 9);

			if (!build_strlist_has(&seen, v)) {
				*versions = build_xrealloc(*versions, (n + 1) * sizeof(**versions));
				(*versions)[n++] = build_xstrdup(v);
				build_strlist_add(&seen, v);
				/* build_strlist_has bsearches: keep it sorted. */
				build_strlist_sort_unique(&seen);
			}
			free(v);
		}
		p = *end ? end + 1 : end;
	}
	for (i = 0; i < seen.n; i++)
		free(seen.v[i]);
	free(seen.v);
	return n;
}

/* `uname -v` of the running kernel names its Debian version. */
static char *version_if_running(const char *release)
{
	struct utsname u;

	if (uname(&u) || strcmp(u.release, release))
		return NULL;
	return debian_version_from_uts(u.version);
}

static char *run_capture(char **argv)
{
	char *out = NULL;

	if (build_run(argv, &(struct build_run_opts){ .capture = &out, .quiet_stderr = true })) {
		free(out);
		return NULL;
	}
	return out;
}

/* The Version of an installed package, or NULL. */
static char *installed_version(const char *pkg)
{
	char *argv[] = { "dpkg-query", "-W", "-f", "${db:Status-Abbrev}${Version}", (char *)pkg, NULL };
	char *out = run_capture(argv), *v = NULL;

	/* "ii " then the version. */
	if (out && build_has_prefix(out, "ii ") && out[3])
		v = build_xstrdup(out + 3);
	free(out);
	return v;
}

/* The versions of PKG the apt archive has; -1 if apt-cache knows none. */
static int archive_versions(const char *pkg, char ***versions)
{
	char *argv[] = { "apt-cache", "show", (char *)pkg, NULL };
	char *out = run_capture(argv);
	int n = out ? debian_versions_in(out, versions) : 0;

	free(out);
	return n ? n : -1;
}

static char *image_version(const char *release)
{
	static const char *const suffixes[] = { "", "-unsigned" };
	char *v = NULL, **vs = NULL, *pkg;
	size_t i;
	int n = -1, j;

	for (i = 0; !v && i < 2; i++) {
		pkg = build_xasprintf("linux-image-%s%s", release, suffixes[i]);
		v = installed_version(pkg);
		free(pkg);
	}
	for (i = 0; !v && n < 0 && i < 2; i++) {
		pkg = build_xasprintf("linux-image-%s%s", release, suffixes[i]);
		n = archive_versions(pkg, &vs);
		free(pkg);
	}
	if (v || n < 0)
		return v;
	if (n == 1) {
		v = vs[0];
	} else {
		build_error("the apt archive has %d versions of linux-image-%s:", n, release);
		for (j = 0; j < n; j++)
			fprintf(stderr, "  %s\n", vs[j]);
		build_error("install the one the kernel runs, or run ksplice-create on it");
	}
	for (j = 0; j < n; j++)
		if (vs[j] != v)
			free(vs[j]);
	free(vs);
	return v ? v : build_xstrdup("");
}

int debian_kernel_resolve(const char *release, struct debian_kernel *k)
{
	memset(k, 0, sizeof(*k));
	if (debian_split_release(release, &k->abi, &k->series)) {
		build_error("kernel %s is not a Debian kernel release (MAJOR.MINOR.0-ABI-FLAVOUR, "
			    "e.g. 6.1.0-56-cloud-amd64); for another kernel give its source tree "
			    "and --config/--kdir", release);
		return -1;
	}
	k->release = build_xstrdup(release);
	k->version = version_if_running(release);
	if (!k->version)
		k->version = image_version(release);
	if (k->version && !*k->version) {
		debian_kernel_free(k);
		return -1;
	}
	if (!k->version) {
		build_error("kernel %s is not a Debian kernel: no package linux-image-%s is "
			    "installed or in the apt archive (run 'apt-get update' if it should "
			    "be); for another kernel give its source tree and --config/--kdir",
			    release, release);
		debian_kernel_free(k);
		return -1;
	}
	return 0;
}

void debian_kernel_free(struct debian_kernel *k)
{
	free(k->release);
	free(k->version);
	free(k->abi);
	free(k->series);
	memset(k, 0, sizeof(*k));
}
