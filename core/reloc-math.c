// SPDX-License-Identifier: GPL-2.0
#include "core/reloc-math.h"

s64 ksplice_field_read(const u8 *p, unsigned int size, bool is_signed)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (u64)p[i] << (8 * i);
	if (is_signed && size < 8 && (v >> (8 * size - 1)) & 1)
		v |= ~0ULL << (8 * size);
	return (s64)v;
}

s64 ksplice_field_value(u64 sym, s64 addend, u64 site, u16 flags)
{
	u64 v = sym + (u64)addend;

	if (flags & KSPLICE_RELOC_PCREL)
		v -= site;
	return (s64)v;
}

u64 ksplice_field_symbol(s64 value, s64 addend, u64 site, u16 flags)
{
	u64 s = (u64)value - (u64)addend;

	if (flags & KSPLICE_RELOC_PCREL)
		s += site;
	return s;
}

static bool field_fits(unsigned int size, bool is_signed, s64 value)
{
	s64 max, min;

	if (size >= 8)
		return true;
	if (is_signed) {
		max = (1LL << (8 * size - 1)) - 1;
		min = -(1LL << (8 * size - 1));
	} else {
		max = (s64)((1ULL << (8 * size)) - 1);
		min = 0;
	}
	return value >= min && value <= max;
}

int ksplice_field_write(u8 *p, unsigned int size, bool is_signed, s64 value)
{
	unsigned int i;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return -1;
	if (!field_fits(size, is_signed, value))
		return -1;
	for (i = 0; i < size; i++)
		p[i] = (u8)((u64)value >> (8 * i));
	return 0;
}
