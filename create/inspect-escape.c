// SPDX-License-Identifier: GPL-2.0
#include "create/inspect-escape.h"

static void print_escaped_char(FILE *out, unsigned char c)
{
	switch (c) {
	case '\n':
		fputs("\\n", out);
		return;
	case '\t':
		fputs("\\t", out);
		return;
	case '\r':
		fputs("\\r", out);
		return;
	case '"':
		fputs("\\\"", out);
		return;
	case '\\':
		fputs("\\\\", out);
		return;
	}
	if (c < 0x20 || c >= 0x7f)
		fprintf(out, "\\x%02x", c);
	else
		fputc(c, out);
}

void inspect_print_escaped(FILE *out, const char *s)
{
	for (; *s; s++)
		print_escaped_char(out, (unsigned char)*s);
}

void inspect_print_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	inspect_print_escaped(out, s);
	fputc('"', out);
}
