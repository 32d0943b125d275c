// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately WARN()s when loaded: the guest runner must report the
 * warning on the console as a failure (tests/vm/t-rig.sh checks that).
 */
#include <linux/module.h>

static int __init warn_init(void)
{
	WARN(1, "ksplice test rig: deliberate warning\n");
	return 0;
}

static void __exit warn_exit(void)
{
}

module_init(warn_init);
module_exit(warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice test rig: a module that warns on load");
