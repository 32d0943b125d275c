/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and unloading kernel modules from a static binary (no kmod). */
#ifndef KSPLICE_TOOLS_KMOD_H
#define KSPLICE_TOOLS_KMOD_H

#include <stdbool.h>

/* insmod @path; 0, or -1 with errno (EEXIST: already loaded). */
int kmod_load(const char *path);
/* rmmod @name ("-" and "_" alike); 0, or -1 with errno. */
int kmod_unload(const char *name);
bool kmod_is_loaded(const char *name);
/* The module name of a .ko file name: basename, no ".ko", '-' -> '_'. */
void kmod_name_of(const char *file, char *name, unsigned long size);

#endif
