// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny livepatch for tests: it replaces execdomains_proc_show (the
 * function the execdomains-string corpus update replaces), so that
 * /proc/execdomains says "[livepatch]". Livepatch redirects the function
 * through ftrace with FTRACE_OPS_FL_IPMODIFY; ksplice must refuse to put its
 * own jump there while this is enabled.
 * Disable: echo 0 >/sys/kernel/livepatch/lp_execdomains/enabled, then rmmod.
 */
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int lp_execdomains_proc_show(struct seq_file *m, void *v)
{
	seq_puts(m, "0-0\tLinux           \t[livepatch]\n");
	return 0;
}

static struct klp_func lp_funcs[] = {
	{ .old_name = "execdomains_proc_show", .new_func = lp_execdomains_proc_show },
	{ }
};

static struct klp_object lp_objs[] = {
	{ .funcs = lp_funcs },	/* vmlinux */
	{ }
};

static struct klp_patch lp_patch = {
	.mod = THIS_MODULE,
	.objs = lp_objs,
};

static int __init lp_init(void)
{
	return klp_enable_patch(&lp_patch);
}

static void __exit lp_exit(void)
{
}

module_init(lp_init);
module_exit(lp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("ksplice test: a livepatch of execdomains_proc_show");
