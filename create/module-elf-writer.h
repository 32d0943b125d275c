/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing a module image as an ELF relocatable object with libelf: its
 * sections, a section symbol and the global "__ksplice_sec_N" symbol for
 * each, the local function/object symbols, the undefined symbols left for
 * the module loader, and .rela (x86-64) or .rel (i386, addends written into
 * the fields) sections.
 */
#ifndef KSPLICE_MODULE_ELF_WRITER_H
#define KSPLICE_MODULE_ELF_WRITER_H

#include "create/module-image.h"

int image_write_elf(const struct module_image *img, const char *path,
		    struct ks_error *err);

#endif
