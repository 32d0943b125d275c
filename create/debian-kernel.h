/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which Debian packages a kernel release comes from.
 *
 * A Debian kernel image package linux-image-RELEASE (e.g. RELEASE
 * 6.1.0-56-cloud-amd64; the signed one's source package is
 * linux-signed-amd64, the -unsigned one's is linux) has as its Version the
 * version of the linux source package it was built from (6.1.192-2), and
 * linux-source-6.1 of that version is that source, already patched. The
 * version is found, most trusted first, in `uname -v` of the running kernel
 * ("... Debian 6.1.192-2 (2025-...)"), in the installed image package, and
 * in the apt archive.
 */
#ifndef KSPLICE_DEBIAN_KERNEL_H
#define KSPLICE_DEBIAN_KERNEL_H

#include <stdbool.h>

struct debian_kernel {
	char *release;		/* "6.1.0-56-cloud-amd64" */
	char *version;		/* "6.1.192-2": the linux source package version */
	char *abi;		/* "6.1.0-56": linux-headers-ABI-common */
	char *series;		/* "6.1": linux-source-SERIES, linux-kbuild-SERIES */
};

/*
 * Find the source version of RELEASE. Returns 0, or -1 after one message
 * saying why (not a Debian kernel, several candidate versions, ...).
 */
int debian_kernel_resolve(const char *release, struct debian_kernel *k);
void debian_kernel_free(struct debian_kernel *k);

/* Pure helpers, exposed for the unit tests. */

/* "Debian 6.1.192-2" in a `uname -v` string -> "6.1.192-2"; NULL if none. */
char *debian_version_from_uts(const char *uts_version);
/* "6.1.0-56-cloud-amd64" -> abi "6.1.0-56", series "6.1"; -1 if not that shape. */
int debian_split_release(const char *release, char **abi, char **series);
/* The "Version:" values of `apt-cache show` output, distinct, in order. */
int debian_versions_in(const char *apt_show, char ***versions);
/* The series ("6.1") of a source version ("6.1.192-2"); NULL if malformed. */
char *debian_version_series(const char *version);

#endif
