// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>

#include "create/line-numbers.h"

static bool is_file_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '/' ||
	       c == '.';
}

/* Does the text before @end look like "<name>.c:" (or .h / .S)? */
static bool follows_file_colon(const char *s, size_t end)
{
	if (end < 4 || s[end - 1] != ':' || s[end - 3] != '.')
		return false;
	if (s[end - 2] != 'c' && s[end - 2] != 'h' && s[end - 2] != 'S')
		return false;
	return is_file_name_char(s[end - 4]);
}

static size_t digit_run(const char *s, size_t pos, size_t len)
{
	size_t n = 0;

	while (pos + n < len && isdigit((unsigned char)s[pos + n]))
		n++;
	return n;
}

unsigned char line_field_mask(int line_offset, int bits, uint64_t off)
{
	uint64_t first_bit;

	if (line_offset < 0 || off < (uint64_t)line_offset)
		return 0;
	first_bit = (off - line_offset) * 8;
	if (first_bit >= (uint64_t)bits)
		return 0;
	if (first_bit + 8 <= (uint64_t)bits)
		return 0xff;
	return (unsigned char)((1u << (bits - first_bit)) - 1);
}

bool strings_equal_but_line_numbers(const char *a, size_t alen,
				    const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	while (i < alen && j < blen) {
		/*
		 * Everything before i and j matched exactly (or was a line
		 * number), so the "file.c:" prefix is the same in both.
		 */
		if (follows_file_colon(a, i) && follows_file_colon(b, j)) {
			size_t na = digit_run(a, i, alen);
			size_t nb = digit_run(b, j, blen);

			if (na && nb) {
				i += na;
				j += nb;
				continue;
			}
		}
		if (a[i] != b[j])
			return false;
		i++;
		j++;
	}
	return i == alen && j == blen;
}
