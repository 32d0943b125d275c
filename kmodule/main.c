// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice.ko: the in-kernel core of rebootless updates. Updates are
 * published under /sys/kernel/ksplice/<id>/ (update.c).
 *
 * This file holds module setup: the /sys/kernel/ksplice directory that
 * update directories hang from, and /sys/kernel/debug/ksplice for the
 * updates' debug logs (absent without debugfs). Update modules depend on our exports, so
 * this module cannot be removed while any update is registered.
 */
#include <linux/debugfs.h>
#include <linux/kobject.h>
#include <linux/module.h>

#include "internal.h"
#include "shadow.h"

struct kobject *ksplice_kobj;
struct dentry *ksplice_debugfs_dir;

static int __init ksplice_init(void)
{
	int err;

	ksplice_kobj = kobject_create_and_add("ksplice", kernel_kobj);
	if (!ksplice_kobj)
		return -ENOMEM;
	ksplice_debugfs_dir = debugfs_create_dir("ksplice", NULL);
	if (IS_ERR(ksplice_debugfs_dir))
		ksplice_debugfs_dir = NULL;
	err = ksplice_load_relocs_init();
	if (err) {
		debugfs_remove(ksplice_debugfs_dir);
		kobject_put(ksplice_kobj);
	}
	return err;
}

static void __exit ksplice_exit(void)
{
	ksplice_load_relocs_exit();
	debugfs_remove(ksplice_debugfs_dir);
	kobject_put(ksplice_kobj);
	ksplice_shadow_free_everything();
}

module_init(ksplice_init);
module_exit(ksplice_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Ksplice: rebootless kernel updates (core)");
