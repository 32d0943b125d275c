/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The manifest of an update package (userspace only: ksplice-create writes
 * it, ksplice-apply/-view/-inspect read it). A text file of lines
 *
 *   format 1
 *   id abc12345
 *   kernel_release 6.1.0-56-cloud-amd64
 *   kernel_version #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (...)   (optional)
 *   build_identity <hex>        hash of the config the update was built for
 *   machine x86_64              or i386
 *   target vmlinux ksplice_abc12345_vmlinux.ko ksplice_abc12345_vmlinux_helper.ko
 *   target minix ksplice_abc12345_minix.ko ksplice_abc12345_minix_helper.ko
 *
 * Unknown keys are an error (a newer format must bump the version).
 */
#ifndef KSPLICE_MANIFEST_H
#define KSPLICE_MANIFEST_H

#include <stdio.h>

#define KSPLICE_MANIFEST_VERSION 1
#define KSPLICE_MAX_TARGETS 64
#define KSPLICE_NAME_MAX 128

struct ksplice_manifest_target {
	char name[KSPLICE_NAME_MAX];		/* "vmlinux" or a module name */
	char primary[KSPLICE_NAME_MAX];		/* file names under modules/ */
	char helper[KSPLICE_NAME_MAX];
};

struct ksplice_manifest {
	int format;
	char id[KSPLICE_NAME_MAX];
	char kernel_release[KSPLICE_NAME_MAX];
	char kernel_version[256];
	char build_identity[KSPLICE_NAME_MAX];
	char machine[16];
	struct ksplice_manifest_target targets[KSPLICE_MAX_TARGETS];
	int nr_targets;
};

int ksplice_manifest_write(const struct ksplice_manifest *m, FILE *out);

/*
 * Parse @in; returns 0, or -1 with a one-line reason (naming the line) in
 * @why.
 */
int ksplice_manifest_read(struct ksplice_manifest *m, FILE *in, char *why, size_t why_size);

/* An update id: 1 to 32 characters of [a-z0-9]. */
int ksplice_valid_id(const char *id);

#endif
