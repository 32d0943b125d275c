/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Witnesses: the primary's new code may refer to a local symbol of the
 * running kernel (a static variable or function) that no pre code in the
 * helper refers to. Its name may be shared by many objects of the running
 * kernel (count, __already_done.3), so nothing would bind it but a unique
 * name. A witness is an unchanged function of the same pre object that
 * refers to it: the helper carries it as a matched-only section
 * (KSPLICE_SECTION_WITNESS, never replaced), and matching it binds the
 * symbol as matching binds every symbol (flood fill).
 *
 * Without a witness, a compiler-numbered name (NAME.N: a function-local
 * static) is refused at create time: the kernel has one per function that
 * declares it, so a name lookup would not find it. So is any other name
 * the target's System.map (@system_map, vmlinux targets, may be NULL) has
 * more than once.
 */
#ifndef KSPLICE_MODULE_WITNESS_H
#define KSPLICE_MODULE_WITNESS_H

#include "create/module-copy.h"
#include "create/module-input.h"

/* Add witnesses for @primary's records to helper @cs (then close it). */
int helper_add_witnesses(struct copy_set *cs, struct module_input *ins, size_t nr_ins,
			 const struct module_image *primary, const char *system_map,
			 struct ks_error *err);

#endif
