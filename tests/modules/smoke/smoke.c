// SPDX-License-Identifier: GPL-2.0
/*
 * Smoke-test module: proves a module built by the project loads into a test
 * kernel and runs there. It exposes /proc/ksplice_smoke, whose content is
 * computed inside the kernel from the running kernel's release.
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

static int smoke_show(struct seq_file *m, void *v)
{
	seq_printf(m, "ksplice-smoke %s %lu\n", init_utsname()->release,
		   (unsigned long)strlen(init_utsname()->release) * 1000 + 42);
	return 0;
}

static int __init smoke_init(void)
{
	if (!proc_create_single("ksplice_smoke", 0444, NULL, smoke_show))
		return -ENOMEM;
	return 0;
}

static void __exit smoke_exit(void)
{
	remove_proc_entry("ksplice_smoke", NULL);
}

module_init(smoke_init);
module_exit(smoke_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test rig smoke module");
