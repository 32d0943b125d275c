/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Run-pre matching without a running kernel: core/match.c, the matcher
 * ksplice.ko uses, over a vmlinux image and a kallsyms dump of the kernel
 * it booted as.
 *
 * The running kernel sits at a KASLR displacement from the addresses it
 * was linked at; its absolute address fields were relocated by that much.
 * The image's fields were not, so matching happens in link-time
 * addresses: bytes come straight from the image, and kallsyms addresses of
 * the kernel image (from _text up) are moved back by the displacement.
 * Per-CPU symbols (below _text) are not relocated by KASLR and stay. Sites
 * the kernel rewrites at run time (alternatives, ftrace, jump labels, ...)
 * differ from the image as they differ from the object files: the matcher
 * accepts any of their known forms either way.
 *
 * A module target is matched in running addresses instead: the module's
 * .ko placed and relocated where it was loaded (create/module-place.h),
 * kallsyms addresses as they are; vmlinux bytes it refers to (strings) are
 * read from the image through the displacement.
 */
#ifndef KSPLICE_OFFLINE_MATCH_H
#define KSPLICE_OFFLINE_MATCH_H

#include "core/match.h"
#include "create/kallsyms-dump.h"
#include "create/module-place.h"
#include "create/vmlinux-image.h"

struct offline_kernel {
	const struct vmlinux_image *image;
	const struct kallsyms_dump *kallsyms;
	u64 displacement;	/* running _text - link-time _text (mod 2^64) */
};

/*
 * Pair @image with @kallsyms; -1 with a message in @err if the dump cannot
 * be of a kernel booted from that image (its text has another size).
 */
int offline_kernel_init(struct offline_kernel *k, const struct vmlinux_image *image,
			const struct kallsyms_dump *kallsyms, struct ks_error *err);

/* A running address in link-time terms, and back. */
u64 offline_to_link(const struct offline_kernel *k, u64 running);
u64 offline_to_running(const struct offline_kernel *k, u64 link);

/* What one target's matching reads: vmlinux (@module NULL) or a module. */
struct offline_target {
	const struct offline_kernel *kernel;
	const struct placed_module *module;
};

/* A matcher address of @t as the running kernel has it. */
u64 offline_target_running(const struct offline_target *t, u64 addr);

/* The reader and lookup for core/match.c; the context is an offline_target. */
extern const struct ksplice_match_ops offline_match_ops;

#endif
