// SPDX-License-Identifier: GPL-2.0
/*
 * Bench-only module (tests/bench/run): how long a bare stop_machine takes,
 * with a callback that does nothing. Loading it runs stop_machine `runs`
 * times and prints each duration (ns, whole call, as ksplice.ko's debug log
 * measures its own) on one line; the bench compares ksplice's apply pause
 * with it. It does nothing else and can be removed right away.
 */
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/stop_machine.h>

static unsigned int runs = 21;
module_param(runs, uint, 0444);
MODULE_PARM_DESC(runs, "how many stop_machine calls to time");

static int nothing(void *unused)
{
	return 0;
}

static int __init bare_init(void)
{
	char line[512];
	size_t len = 0;
	unsigned int i;
	u64 start;
	int ret;

	for (i = 0; i < runs; i++) {
		start = ktime_get_ns();
		ret = stop_machine(nothing, NULL, NULL);
		if (ret)
			return ret;
		len += scnprintf(line + len, sizeof(line) - len, " %llu", ktime_get_ns() - start);
	}
	pr_info("stop_machine_bare: ns:%s\n", line);
	return 0;
}

static void __exit bare_exit(void)
{
}

module_init(bare_init);
module_exit(bare_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice bench: time a bare stop_machine");
