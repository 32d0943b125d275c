/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects whose address no code can observe, so an update's new code may
 * use a copy of its own instead of the running kernel's object: their
 * names are often shared by hundreds of objects of the running kernel
 * (__func__.1), which the module loader and ksplice.ko could not tell
 * apart. Only objects the compiler makes and the program cannot name or
 * compare, and only read-only ones (a copy of writable state would fork
 * it):
 *
 *  - __func__.N, __FUNCTION__.N, __PRETTY_FUNCTION__.N: the function-name
 *    strings (printed, stored in dynamic-debug and WARN records, never
 *    compared by address);
 *  - CSWTCH.N: GCC's switch-conversion lookup tables.
 *
 * String literals and mergeable constants are copied already (they are
 * content, object-units.h), and so are empty objects (module-select.c). A
 * named static const object is NOT among them: its address can matter
 * (f_op == &foo_fops), so it is always the running kernel's.
 */
#ifndef KSPLICE_IDENTITY_FREE_H
#define KSPLICE_IDENTITY_FREE_H

#include <stdbool.h>

#include "create/elf-object.h"

bool identity_free(const struct elf_symbol *sym);

#endif
