/* SPDX-License-Identifier: GPL-2.0 */
/* The --json output of the tools: one JSON document on stdout. */
#ifndef KSPLICE_TOOLS_JSON_OUT_H
#define KSPLICE_TOOLS_JSON_OUT_H

#include <stdio.h>

/* @s as a JSON string literal (quotes, escapes; bytes >= 0x80 pass as they are). */
void json_string(FILE *out, const char *s);

/* "key": "value" with a leading ", " unless @first. */
void json_field(FILE *out, int first, const char *key, const char *value);

#endif
