/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The index of an update repository: a static tree any web server can serve,
 * one directory per kernel build,
 *
 *   REPO/<kernel release>/<build key>/index       the updates, in order
 *   REPO/<kernel release>/<build key>/index.sig   detached OpenPGP signature
 *   REPO/<kernel release>/<build key>/<id>.tar.gz the packages
 *
 * where the build key names the UTS version (/proc/sys/kernel/version), so
 * two builds of one release never share updates. The index is text:
 *
 *   ksplice-repository 1
 *   kernel_release 6.1.0-57-cloud-amd64
 *   kernel_version #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-20)
 *   update 1 abc123 <sha256 of abc123.tar.gz, 64 hex digits>
 *   update 2 def456 <sha256>
 *
 * Updates apply in the order of their numbers, which run 1, 2, ... without
 * gaps: a later update may be built on the earlier ones.
 */
#ifndef KSPLICE_TOOLS_REPO_INDEX_H
#define KSPLICE_TOOLS_REPO_INDEX_H

#include <stddef.h>
#include <stdio.h>

#include "core/manifest.h"

#define REPO_INDEX_VERSION 1
#define REPO_MAX_UPDATES 512
#define REPO_BUILD_KEY_LEN 16

struct repo_entry {
	char id[KSPLICE_NAME_MAX];
	char sha256[65];
};

struct repo_index {
	char kernel_release[KSPLICE_NAME_MAX];
	char kernel_version[256];
	struct repo_entry u[REPO_MAX_UPDATES];
	int n;
};

/* Parse @in; 0, or -1 with a reason naming the line in @why. */
int repo_index_read(struct repo_index *ix, FILE *in, char *why, size_t size);
int repo_index_write(const struct repo_index *ix, FILE *out);

/* The build key of a UTS version: hex of its SHA-256, REPO_BUILD_KEY_LEN digits. */
void repo_build_key(const char *kernel_version, char key[REPO_BUILD_KEY_LEN + 1]);

/* "<release>/<build key>": where a kernel build's updates live in a repository. */
void repo_build_dir(const char *release, const char *kernel_version, char *dst, size_t size);

/* A kernel release usable as a path component (letters, digits, . _ + -). */
int repo_valid_release(const char *s);

/* Index of @id in @ix, or -1. */
int repo_index_find(const struct repo_index *ix, const char *id);

/* SHA-256 of a file as 64 hex digits; 0, or -1 with errno. */
int sha256_file(const char *path, char hex[65]);

#endif
