/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ksplice.ko exports to the update modules ksplice-create generates:
 * every primary and helper module registers its descriptor from its init
 * function and unregisters it from its exit function.
 *
 * Symbol versions: kmodule/exports.c is exactly KSPLICE_EXPORTS_C below,
 * and ksplice-create builds the same text into a stand-in "ksplice" module
 * next to every update module (create/module-kbuild.c). With MODVERSIONS,
 * genksyms computes the CRC of an export from the declaration's expanded
 * types in the exporting file, so the stand-in, built against the same
 * kernel headers, gets the CRC the real ksplice.ko has, and modpost
 * records it in the update module. A ksplice.ko built from another
 * version of the record format (another struct ksplice_module_desc) gets
 * another CRC, and the module loader refuses the update ("disagrees about
 * version of symbol") instead of handing it records it cannot read.
 */
#ifndef KSPLICE_API_H
#define KSPLICE_API_H

#ifdef __KERNEL__
#include <linux/module.h>
#else
struct module;
#endif
#include "core/update-format.h"

int ksplice_register_module(const struct ksplice_module_desc *desc, struct module *owner);
void ksplice_unregister_module(const struct ksplice_module_desc *desc, struct module *owner);

#ifdef __KERNEL__
/* Shadow data for patches (see core/ksplice-patch.h, which declares them too). */
void *ksplice_shadow_create(const void *obj, const char *field, size_t size, gfp_t gfp);
void *ksplice_shadow_get(const void *obj, const char *field);
void *ksplice_shadow_get_or_create(const void *obj, const char *field, size_t size, gfp_t gfp);
void ksplice_shadow_free(const void *obj, const char *field);
void ksplice_shadow_free_all(const char *field);
#endif

/* What ksplice.ko exports besides registration: patch code may link to these. */
#define KSPLICE_PATCH_EXPORTS \
	"ksplice_shadow_create", "ksplice_shadow_get", "ksplice_shadow_get_or_create", \
	"ksplice_shadow_free", "ksplice_shadow_free_all"

#ifdef KSPLICE_DEFINE_EXPORTS
EXPORT_SYMBOL_GPL(ksplice_register_module);
EXPORT_SYMBOL_GPL(ksplice_unregister_module);
EXPORT_SYMBOL_GPL(ksplice_shadow_create);
EXPORT_SYMBOL_GPL(ksplice_shadow_get);
EXPORT_SYMBOL_GPL(ksplice_shadow_get_or_create);
EXPORT_SYMBOL_GPL(ksplice_shadow_free);
EXPORT_SYMBOL_GPL(ksplice_shadow_free_all);
#endif

/* The whole exporting file (kmodule/exports.c must read exactly this). */
#define KSPLICE_EXPORTS_C \
	"// SPDX-License-Identifier: GPL-2.0\n" \
	"#define KSPLICE_DEFINE_EXPORTS\n" \
	"#include \"core/ksplice-api.h\"\n"

#endif
