/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fetch a Debian kernel's source and headers (and, for the test rig, the
 * image) with `apt-get download` and unpack them into the cache, never into
 * the system. Layout under ${KSPLICE_CACHE:-$HOME/.cache/ksplice}:
 *
 *   src/linux-source-VERSION/   linux-source-SERIES of VERSION, unpacked (the
 *                               installed /usr/src tarball when it is that
 *                               version); the test rig's pristine trees too
 *   deb/RELEASE-VERSION/        the kernel's packages, unpacked:
 *       root/                   dpkg-deb -x of linux-headers-RELEASE, its
 *                               -common, linux-kbuild-SERIES (+ the image)
 *       kdir                    -> the headers: .config, Module.symvers (KDIR)
 *       release, version        one line each
 *       vmlinuz, config, System.map, modules   with the image
 *   deb/download/               apt-get download's staging area
 *
 * Entries are made under a lock and marked ready once complete; versions sit
 * side by side and nothing is removed.
 */
#ifndef KSPLICE_DEBIAN_FETCH_H
#define KSPLICE_DEBIAN_FETCH_H

#include <stdbool.h>

struct debian_kernel;

/* The source tree of VERSION (series SERIES); *DIR is malloc'd. */
int debian_fetch_source(const char *version, const char *series, char **dir);
/* The unpacked headers (and image if IMAGE) of K: the deb/RELEASE-VERSION entry. */
int debian_fetch_kernel(const struct debian_kernel *k, bool image, char **dir);

/* Pure helper for the unit tests: classify apt-get's output as offline. */
bool debian_apt_offline(const char *apt_output);

#endif
