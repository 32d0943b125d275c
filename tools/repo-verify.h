/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Checking a repository index's detached signature with gpgv (the verifier
 * apt uses, in every Debian system) against the keyring of trusted keys.
 */
#ifndef KSPLICE_TOOLS_REPO_VERIFY_H
#define KSPLICE_TOOLS_REPO_VERIFY_H

#include <stddef.h>

/* 0 if @sig is a good signature of @data by a key in @keyring; else -1 with @why. */
int repo_verify_signature(const char *keyring, const char *data, const char *sig, char *why,
			  size_t size);

#endif
