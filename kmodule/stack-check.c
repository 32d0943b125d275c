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

/* Values of @v[0..n) in a range: how many, and which ranges (bit i % BITS_PER_LONG). */
static size_t scan(const unsigned long *v, size_t n, const struct ksplice_range *ranges,
		   size_t nr, unsigned long *found)
{
	size_t k, i, hits = 0;

	for (k = 0; k < n; k++) {
		for (i = 0; i < nr; i++) {
			if (v[k] < ranges[i].start || v[k] >= ranges[i].end)
				continue;
			hits++;
			*found |= 1UL << (i % BITS_PER_LONG);
		}
	}
	return hits;
}

/*
 * A sleeping task's words can hold stale addresses in live frames too
 * (padding and locals never written since a deeper call: a shell that
 * took a copy-on-write fault keeps wp_page_copy's return address in its
 * wait4 frames). Where the kernel has a reliable unwinder (ORC, which
 * livepatch's consistency model relies on), a hit is confirmed with it:
 * if the task's stack unwinds reliably and no return address in it (nor
 * an interrupted IP) is in a range, the task is not in that code. When
 * the unwind is not reliable, the words stand.
 */
static size_t confirm(struct task_struct *t, const struct ksplice_range *ranges, size_t nr,
		      unsigned long *found)
{
	static unsigned long trace[128];	/* one CPU runs the check */
	int n = ksplice_reliable_trace(t, trace, ARRAY_SIZE(trace));
	unsigned long again = 0;
	size_t hits;

	if (n < 0)
		return (size_t)-1;
	hits = scan(trace, n, ranges, nr, &again);
	*found = again;
	return hits;
}

static void check_task(struct task_struct *t, const struct ksplice_range *ranges, size_t nr,
		       struct ksplice_stack_report *rep)
{
	unsigned long base = (unsigned long)task_stack_page(t), lo, hi, sp;
	unsigned long found = 0;
	bool sleeping = false;
	size_t i, hits, confirmed;

	if (!base)
		return;	/* exited: its stack is gone */
	lo = base;
	hi = base + THREAD_SIZE;
	if (t == current) {
		if (rep->scan_from > base && rep->scan_from < hi)
			lo = rep->scan_from;
	} else if (!on_cpu(t)) {
		sleeping = true;
		sp = t->thread.sp;
		if (sp > base && sp < hi)
			lo = sp;
	}
	lo = ALIGN(lo, sizeof(long));
	hits = scan((const unsigned long *)lo, (hi - lo) / sizeof(long), ranges, nr, &found);
	if (hits && sleeping) {
		confirmed = confirm(t, ranges, nr, &found);
		if (confirmed != (size_t)-1)
			hits = confirmed;
	}
	rep->hits += hits;
	/* One line per (task, range); past 64 ranges lines may merge. */
	for (i = 0; hits && i < nr && i < BITS_PER_LONG; i++)
		if (found & (1UL << i))
			report(rep, t, ranges[i].name);
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
