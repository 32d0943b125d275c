/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of an update module's records before anything uses them: a
 * corrupt or foreign package must be refused with a reason, never trusted.
 */
#ifndef KSPLICE_UPDATE_VALIDATE_H
#define KSPLICE_UPDATE_VALIDATE_H

#include "core/update-format.h"

/* Upper bounds that no real update comes near; they keep loops bounded. */
#define KSPLICE_MAX_RECORDS 1000000

/*
 * Check the descriptor header and every record's enumerations and sizes
 * (not addresses: those depend on where the module was loaded). Returns
 * NULL when valid, else a static string saying what is wrong.
 */
const char *ksplice_validate_desc(const struct ksplice_module_desc *desc);
const char *ksplice_validate_reloc(const struct ksplice_reloc *r, u64 nr_sections);
const char *ksplice_validate_site(const struct ksplice_site *s);
const char *ksplice_validate_patch(const struct ksplice_patch *p);
const char *ksplice_validate_hook(const struct ksplice_hook *h);

#endif
