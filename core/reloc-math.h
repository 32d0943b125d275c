/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Relocation arithmetic on x86 fields, shared by the matcher (which derives
 * a symbol's address from the value the running kernel holds in a field)
 * and the patcher (which writes resolved values into the primary's code).
 */
#ifndef KSPLICE_RELOC_MATH_H
#define KSPLICE_RELOC_MATH_H

#include "core/compat.h"
#include "core/update-format.h"

/* Read the little-endian field of @size bytes at @p, sign-extended if @is_signed. */
s64 ksplice_field_read(const u8 *p, unsigned int size, bool is_signed);

/*
 * The value a field holds for symbol address @sym: S + A, or S + A - P for
 * PC-relative fields at address @site (P).
 */
s64 ksplice_field_value(u64 sym, s64 addend, u64 site, u16 flags);

/* The inverse: the symbol address a field holding @value refers to. */
u64 ksplice_field_symbol(s64 value, s64 addend, u64 site, u16 flags);

/*
 * Write @value into the field at @p. Returns 0, or -1 when the value does
 * not fit in @size bytes with the field's signedness (never truncates).
 */
int ksplice_field_write(u8 *p, unsigned int size, bool is_signed, s64 value);

#endif
