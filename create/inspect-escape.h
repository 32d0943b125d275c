/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Printing bytes read from an update (symbol names, string literals) so
 * they stay on one line and cannot drive the terminal: C-style escapes for
 * quotes, backslashes and everything outside printable ASCII.
 */
#ifndef KSPLICE_INSPECT_ESCAPE_H
#define KSPLICE_INSPECT_ESCAPE_H

#include <stdio.h>

/* Print @s escaped, without quotes. */
void inspect_print_escaped(FILE *out, const char *s);

/* Print @s escaped, between double quotes. */
void inspect_print_quoted(FILE *out, const char *s);

#endif
