/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pairing the symbols (and so the units) of the pre object with those of the
 * post object, by a key that ignores what recompilation renumbers:
 *  - most symbols: the name with clone numbers dropped ("f.isra.0" and
 *    "f.isra.1" both become "f.isra");
 *  - numbered static locals ("count.3", "__UNIQUE_ID_ddebug342.22"): if
 *    read-only without relocations (__func__.N, CSWTCH.N), the base name and
 *    the bytes; otherwise the base name, the function that uses them and
 *    their order of first use there (object-units.h).
 * Several symbols with one key pair up by exact name first, then in order.
 */
#ifndef KSPLICE_SYMBOL_CORRELATE_H
#define KSPLICE_SYMBOL_CORRELATE_H

#include "create/object-units.h"

/* Fill symbol_info.match/key and unit.match in both indexes. */
void correlate_objects(struct object_index *pre, struct object_index *post);

#endif
