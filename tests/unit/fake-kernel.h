/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake "running kernel" for the matcher's unit tests: a byte image at
 * BASE with a small symbol table, read through struct ksplice_match_ops.
 * Include once, in the test's .c file.
 */
#ifndef KSPLICE_TESTS_FAKE_KERNEL_H
#define KSPLICE_TESTS_FAKE_KERNEL_H

#include <string.h>

#include "core/match.h"

#define BASE 0x10000ULL

static u8 image[512];
struct fake_sym { const char *name; u64 addr; };
static struct fake_sym syms[16];
static size_t nr_syms;

static int fake_read(void *ctx, u64 addr, void *buf, size_t len)
{
	if (addr < BASE || addr + len > BASE + sizeof(image))
		return -1;
	memcpy(buf, image + (addr - BASE), len);
	return 0;
}

static size_t fake_lookup(void *ctx, const char *name, u64 *addrs, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < nr_syms; i++)
		if (!strcmp(syms[i].name, name)) {
			if (n < max)
				addrs[n] = syms[i].addr;
			n++;
		}
	return n;
}

static const struct ksplice_match_ops ops = { fake_read, fake_lookup };

/* An image of int3 and no symbols. */
static inline void reset(void)
{
	memset(image, 0xcc, sizeof(image));
	nr_syms = 0;
}

static inline void add_sym(const char *name, u64 off)
{
	syms[nr_syms].name = name;
	syms[nr_syms++].addr = BASE + off;
}

/* Place @len bytes at image offset @off. */
static inline void put(u64 off, const void *bytes, size_t len)
{
	memcpy(image + off, bytes, len);
}

/* Write a rel32 to @target at image offset @off (pc-relative, addend -4). */
static inline void put_rel32(u64 off, u64 target)
{
	s32 v = (s32)(target - (BASE + off) - 4);

	memcpy(image + off, &v, 4);
}

#endif
