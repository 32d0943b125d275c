/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the diff needs to know about x86-64 and i386 relocation types: how
 * many bytes of the section the relocated field covers, and whether the
 * value is relative to the field's own address.
 */
#ifndef KSPLICE_RELOC_TYPES_H
#define KSPLICE_RELOC_TYPES_H

#include <stdbool.h>
#include <stdint.h>

/* Size in bytes of the field patched by @type, or -1 if the type is unknown. */
int reloc_field_size(uint16_t machine, uint32_t type);

/* True if @type computes S + A - P (the field's own address). */
bool reloc_is_pc_relative(uint16_t machine, uint32_t type);

#endif
