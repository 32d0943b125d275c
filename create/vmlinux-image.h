/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An uncompressed x86-64 or i386 kernel image (vmlinux, ELF ET_EXEC) opened for
 * reading its bytes by link-time virtual address. The build directory's
 * vmlinux works, and so does the ELF extracted from a bzImage/vmlinuz
 * (scripts/extract-vmlinux): it has no symbols, but its section headers
 * suffice.
 *
 * Only the sections of the kernel image proper are served (address at or
 * above _text): x86-64 per-CPU data is linked at 0 and is not at that
 * address in the running kernel either.
 */
#ifndef KSPLICE_VMLINUX_IMAGE_H
#define KSPLICE_VMLINUX_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/compat.h"
#include "create/create-util.h"

struct vmlinux_section {
	u64 addr, size;
	u64 offset;		/* in the file */
	bool nobits;		/* .bss and friends: zeros */
};

struct vmlinux_image {
	unsigned char *map;	/* the whole file */
	size_t map_size;
	struct vmlinux_section *sections;
	size_t nr_sections;
	u64 text, etext;	/* link-time _text and _etext */
	u16 machine;		/* EM_X86_64 or EM_386 */
};

/* Open @path; 0, or -1 with one clear message in @err (then call close anyway). */
int vmlinux_open(const char *path, struct vmlinux_image *img, struct ks_error *err);
void vmlinux_close(struct vmlinux_image *img);

/* Copy @len bytes at link-time address @addr; 0, or -1 if any is outside the image. */
int vmlinux_read(const struct vmlinux_image *img, u64 addr, void *buf, size_t len);

#endif
