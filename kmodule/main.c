// SPDX-License-Identifier: GPL-2.0
/*
 * ksplice.ko: the in-kernel core of rebootless updates. Updates are
 * published under /sys/kernel/ksplice/<id>/ (update.c).
 *
 * This file holds module setup: the /sys/kernel/ksplice directory that
 * update directories hang from. Update modules depend on our exports, so
 * this module cannot be removed while any update is registered.
 */
#include <linux/kobject.h>
#include <linux/module.h>

#include "internal.h"
#include "shadow.h"

struct kobject *ksplice_kobj;

/* /sys/kernel/ksplice/shadows: live shadow data objects (tests prove no leak). */
static ssize_t shadows_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", ksplice_shadow_count());
}

static struct kobj_attribute shadows_attr = __ATTR_RO(shadows);

static int __init ksplice_init(void)
{
	int ret;

	ksplice_kobj = kobject_create_and_add("ksplice", kernel_kobj);
	if (!ksplice_kobj)
		return -ENOMEM;
	ret = sysfs_create_file(ksplice_kobj, &shadows_attr.attr);
	if (ret)
		kobject_put(ksplice_kobj);
	return ret;
}

static void __exit ksplice_exit(void)
{
	kobject_put(ksplice_kobj);
	ksplice_shadow_free_everything();
}

module_init(ksplice_init);
module_exit(ksplice_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Ksplice: rebootless kernel updates (core)");
