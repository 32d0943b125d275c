/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Symbol names as GCC mangles them: clone suffixes (.isra.N, .constprop.N,
 * .part.N, .lto_priv.N, .cold, in any combination) and numbered static
 * locals ("name.N", "__UNIQUE_ID_nameN"). N depends on the order GCC
 * happened to process things, so it differs freely between pre and post.
 */
#ifndef KSPLICE_SYMBOL_NAMES_H
#define KSPLICE_SYMBOL_NAMES_H

#include <stdbool.h>

/*
 * @name with clone numbers dropped: "f.constprop.3.isra.0" ->
 * "f.constprop.isra"; also the counter and line kbuild puts in initcall
 * names: "__initcall__kmod_m__552_104_fn7" -> "__initcall__kmod_m___fn7".
 */
char *symbol_canonical_name(const char *name);

/* The C-level name for messages: "f.isra.0" -> "f", "buf.12" -> "buf". */
char *symbol_display_name(const char *name);

/*
 * If @name is a numbered static local ("count.3", "__UNIQUE_ID_ddebug12",
 * "__UNIQUE_ID_ddebug342.22"), return its unnumbered base ("count",
 * "__UNIQUE_ID_ddebug"); else NULL.
 */
char *symbol_numbered_base(const char *name);

#endif
