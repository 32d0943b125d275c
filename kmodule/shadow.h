/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shadow data (shadow.c), the part ksplice.ko itself uses: which modules
 * may own shadows, freeing an update's shadows, the live count
 * (/sys/module/ksplice/parameters/live_shadows).
 */
#ifndef KSPLICE_KMODULE_SHADOW_H
#define KSPLICE_KMODULE_SHADOW_H

struct module;

/* A registered primary: shadows its code creates are recorded as its own. */
int ksplice_shadow_add_owner(struct module *mod);
/* Unregistered: forget it and free what it still owns. */
void ksplice_shadow_remove_owner(struct module *mod);
/* Free the shadows @mod's code created; returns how many. */
unsigned long ksplice_shadow_free_owned(struct module *mod);
/* ksplice.ko is unloading. */
void ksplice_shadow_free_everything(void);
unsigned long ksplice_shadow_count(void);

#endif
