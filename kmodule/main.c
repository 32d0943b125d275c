// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice.ko: the in-kernel core of rebootless updates. Updates are
 * published under /sys/kernel/ksplice/<id>/ (see docs/ and the design).
 *
 * This file holds module setup: the /sys/kernel/ksplice directory that
 * update directories hang from.
 */
#include <linux/kobject.h>
#include <linux/module.h>

static struct kobject *ksplice_kobj;

static int __init ksplice_init(void)
{
	ksplice_kobj = kobject_create_and_add("ksplice", kernel_kobj);
	if (!ksplice_kobj)
		return -ENOMEM;
	return 0;
}

static void __exit ksplice_exit(void)
{
	kobject_put(ksplice_kobj);
}

module_init(ksplice_init);
module_exit(ksplice_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Ksplice: rebootless kernel updates (core)");
