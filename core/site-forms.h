/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel may hold at a site it rewrites itself (at boot,
 * or later through ftrace, jump labels and static calls), given the bytes
 * the object file has there. The matcher accepts exactly these forms.
 */
#ifndef KSPLICE_SITE_FORMS_H
#define KSPLICE_SITE_FORMS_H

#include "core/compat.h"
#include "core/update-format.h"

/* Length of the x86 NOP instruction at @p (at most @avail bytes), or 0. */
unsigned int ksplice_nop_len(const u8 *p, unsigned int avail);

/* True when @p .. @p + @len is entirely NOP instructions (or int3 padding). */
bool ksplice_is_padding(const u8 *p, unsigned int len);

/*
 * True when @run (site->len bytes of the running kernel) is an acceptable
 * form of the site whose object-file bytes are @orig. For alternatives,
 * @repl holds the replacement's site->replacement_len bytes.
 */
bool ksplice_site_accepts(const struct ksplice_site *site, const u8 *orig,
			  const u8 *repl, const u8 *run);

#endif
