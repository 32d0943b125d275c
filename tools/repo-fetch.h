/* SPDX-License-Identifier: GPL-2.0 */
/* Downloading from an update repository (libcurl: http, https, file). */
#ifndef KSPLICE_TOOLS_REPO_FETCH_H
#define KSPLICE_TOOLS_REPO_FETCH_H

#include <stddef.h>

/* Largest file fetched: packages are small; a bigger answer is not one. */
#define REPO_MAX_DOWNLOAD (256L << 20)

/*
 * Fetch @url into the new file @dst; 0, or -1 with a one-line reason in @why
 * (HTTP status, curl's error), -2 when there is no such file (HTTP 404, or
 * a missing file:// path). Follows redirects within http/https.
 */
int repo_fetch(const char *url, const char *dst, char *why, size_t size);

#endif
