/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers shared by the ksplice-create library: allocation that
 * cannot fail (a create run that runs out of memory just stops) and an
 * error buffer that carries one human-readable message back to the caller.
 */
#ifndef KSPLICE_CREATE_UTIL_H
#define KSPLICE_CREATE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

struct ks_error {
	char msg[512];
};

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record a message in @err (if non-NULL) and return -1. */
int ks_fail(struct ks_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
