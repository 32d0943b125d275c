/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for the numbers in an update module's records (core/update-format.h)
 * and for x86-64/i386 relocation types, so ksplice-inspect prints words.
 * Unknown values come back as their number (in a static buffer per call
 * site kind, overwritten by the next unknown value of that kind).
 */
#ifndef KSPLICE_INSPECT_NAMES_H
#define KSPLICE_INSPECT_NAMES_H

#include <stdint.h>
#include <stdio.h>

const char *inspect_module_kind_name(unsigned int kind);
const char *inspect_machine_name(unsigned int machine);
const char *inspect_target_kind_name(unsigned int kind);
const char *inspect_site_kind_name(unsigned int kind);
const char *inspect_patch_kind_name(unsigned int kind);
const char *inspect_hook_kind_name(unsigned int kind);
const char *inspect_reloc_type_name(unsigned int machine, uint32_t type);

/* Flag words joined by ',' ("none" when zero); unknown bits in hex. */
void inspect_print_reloc_flags(FILE *out, unsigned int flags);
void inspect_print_section_flags(FILE *out, unsigned int flags);

#endif
