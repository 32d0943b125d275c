/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core/ is compiled both into ksplice.ko and into the userspace tools: this
 * header gives both the same fixed-width types and a few helpers.
 */
#ifndef KSPLICE_CORE_COMPAT_H
#define KSPLICE_CORE_COMPAT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/mm.h>
/* Zeroed allocations that may be large (tables sized by record counts). */
static inline void *ks_zalloc(size_t size) { return kvzalloc(size, GFP_KERNEL); }
static inline void ks_free(void *p) { kvfree(p); }
#else
#include <stdlib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
static inline void *ks_zalloc(size_t size) { return calloc(1, size ? size : 1); }
static inline void ks_free(void *p) { free(p); }
#endif

#endif
