// SPDX-License-Identifier: GPL-2.0
/*
 * The stack check, run inside stop_machine on one CPU while every other
 * CPU spins in its stopper thread: is any task inside code that is about
 * to change (the replaced functions on apply; those and the replacement
 * code on undo)?
 *
 * Conservative: every word of a task's kernel stack that lies in a range
 * counts as a reference, whether it is a return address, a saved
 * instruction pointer in a pt_regs (a preempted task's), or anything else.
 * False positives only cost a retry; an unwinder could miss a frame.
 *
 * Which words: a task that is switched out has nothing live below its
 * saved stack pointer (thread.sp); the words below it are left-overs of
 * calls that returned, so the scan starts at thread.sp (as the original
 * Ksplice did). This matters: the task that asked for the update ran the
 * matcher over the very functions being replaced just before, and their
 * addresses linger below its stack pointer. A task running on a CPU (the
 * other CPUs' stopper threads) has no valid thread.sp: its whole stack is
 * scanned. The current task (this CPU's stopper thread) is scanned from
 * the frame of the stop_machine callback up: the callback's own frame and
 * what it calls hold the ranges being looked for, by construction, and
 * are ksplice.ko's code, never code being replaced. Idle tasks are not on
 * the task list: each online CPU's is scanned too.
 */
#include <linux/cpumask.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>

#include "apply.h"

static void report(struct ksplice_stack_report *rep, struct task_struct *t, const char *name)
{
	if (rep->len < rep->cap)
		rep->len += scnprintf(rep->buf + rep->len, rep->cap - rep->len, "%s %d %s\n",
				      t->comm, task_pid_nr(t), name);
}

static bool on_cpu(struct task_struct *t)
{
#ifdef CONFIG_SMP
	return READ_ONCE(t->on_cpu);
#else
	return t == current;
#endif
}

static void check_task(struct task_struct *t, const struct ksplice_range *ranges, size_t nr,
		       struct ksplice_stack_report *rep)
{
	unsigned long base = (unsigned long)task_stack_page(t), lo, hi, sp, *p;
	unsigned long found = 0, bit;
	size_t i;

	if (!base)
		return;	/* exited: its stack is gone */
	lo = base;
	hi = base + THREAD_SIZE;
	if (t == current) {
		if (rep->scan_from > base && rep->scan_from < hi)
			lo = rep->scan_from;
	} else if (!on_cpu(t)) {
		sp = t->thread.sp;
		if (sp > base && sp < hi)
			lo = sp;
	}
	lo = ALIGN(lo, sizeof(long));
	for (p = (unsigned long *)lo; (unsigned long)(p + 1) <= hi; p++) {
		unsigned long v = *p;

		for (i = 0; i < nr; i++) {
			if (v < ranges[i].start || v >= ranges[i].end)
				continue;
			/* One line per (task, range); past 64 ranges lines may merge. */
			bit = 1UL << (i % BITS_PER_LONG);
			rep->hits++;
			if (!(found & bit)) {
				found |= bit;
				report(rep, t, ranges[i].name);
			}
		}
	}
}

void ksplice_check_stacks(const struct ksplice_range *ranges, size_t nr,
			  struct ksplice_stack_report *rep)
{
	struct task_struct *g, *t;
	int cpu;

	rcu_read_lock();
	for_each_process_thread(g, t)
		check_task(t, ranges, nr, rep);
	rcu_read_unlock();
	for_each_online_cpu(cpu) {
		t = ksplice_idle_task(cpu);
		if (t)
			check_task(t, ranges, nr, rep);
	}
}
