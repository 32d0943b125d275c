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
