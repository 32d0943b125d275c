/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The target kernel's System.map (KDIR/System.map of a kernel build
 * tree), when create has it: how many symbols of a name vmlinux has, so a
 * reference that only a unique name could bind at apply time is refused
 * at create time when the name is not unique (module-witness.h).
 */
#ifndef KSPLICE_SYSTEM_MAP_H
#define KSPLICE_SYSTEM_MAP_H

/* Symbols named @name in System.map @path; -1 if it cannot be read. */
long system_map_count(const char *path, const char *name);

#endif
