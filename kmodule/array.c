// SPDX-License-Identifier: GPL-2.0
/*
 * Arrays that grow one element at a time while an update is planned
 * (trampolines, data writes). kvcalloc: a large update may need more than
 * a few pages, and nothing here runs in atomic context.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

void *ksplice_array_slot(void **base, size_t nr, size_t *cap, size_t size)
{
	void *n;

	if (nr == *cap) {
		size_t grown = *cap * 2 + 4;

		n = kvcalloc(grown, size, GFP_KERNEL);
		if (!n)
			return NULL;
		if (*base)
			memcpy(n, *base, nr * size);
		kvfree(*base);
		*base = n;
		*cap = grown;
	}
	n = (char *)*base + nr * size;
	memset(n, 0, size);
	return n;
}
