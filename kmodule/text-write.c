// SPDX-License-Identifier: GPL-2.0
/*
 * Writing kernel and module text on a stock 6.1 kernel. Text is read-only
 * (STRICT_KERNEL_RWX, STRICT_MODULE_RWX) and CR0.WP is pinned, so every
 * write goes through the kernel's own text_poke machinery, which maps the
 * page at a temporary address. None of it is exported: text_poke,
 * text_poke_kgdb, text_poke_sync, text_mutex, stop_machine_cpuslocked and
 * idle_task are found by name in kallsyms, each checked to be exactly the
 * symbol asked for; a missing one is failed_to_find naming it.
 *
 * Locking: ftrace, jump labels, static calls and kprobes write text under
 * text_mutex, and kprobes take the CPU hotplug lock before it. We do the
 * same (cpus_read_lock, then text_mutex) and then run
 * stop_machine_cpuslocked, so no other text writer is half-way through a
 * change while the machine is stopped. Inside stop_machine the writes use
 * text_poke_kgdb (text_poke without the lockdep assertion: the mutex is
 * held by the task waiting for stop_machine, not by the stopper thread).
 * Afterwards text_poke_sync serialises every CPU.
 */
#include <linux/cpu.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/stop_machine.h>

#include "apply.h"
#include "internal.h"

typedef void *(*poke_fn)(void *addr, const void *opcode, size_t len);
typedef void (*sync_fn)(void);
typedef int (*stop_fn)(cpu_stop_fn_t fn, void *data, const struct cpumask *cpus);
typedef struct task_struct *(*idle_fn)(int cpu);
typedef struct kprobe *(*get_kprobe_fn)(void *addr);

static poke_fn ks_text_poke, ks_text_poke_kgdb;
static sync_fn ks_text_poke_sync;
static stop_fn ks_stop_machine_cpuslocked;
static idle_fn ks_idle_task;
static get_kprobe_fn ks_get_kprobe;
static struct mutex *ks_text_mutex;
typedef void (*lock_fn)(void);
typedef int (*reliable_fn)(struct task_struct *tsk, unsigned long *store, unsigned int size);
static reliable_fn ks_save_tsk_reliable;
static lock_fn ks_jump_label_lock, ks_jump_label_unlock;
static bool ks_text_ready;

/* The one vmlinux symbol @name, checked with sprint_symbol; 0 if not so. */
unsigned long ksplice_find_exact(const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);
	u64 addrs[2];

	if (ksplice_lookup_vmlinux(name, addrs, 2) != 1 || addrs[0] != (unsigned long)addrs[0])
		return 0;
	sprint_symbol(buf, (unsigned long)addrs[0]);
	if (strncmp(buf, name, len) || strncmp(buf + len, "+0x0/", 5))
		return 0;
	return (unsigned long)addrs[0];
}

/* Called under ksplice_mutex after ksplice_symbols_init(). */
int ksplice_text_init(const char **missing)
{
	static const char *const names[] = {
		"text_poke", "text_poke_kgdb", "text_poke_sync", "text_mutex",
		"stop_machine_cpuslocked", "idle_task",
	};
	unsigned long addr[ARRAY_SIZE(names)];
	size_t i;

	if (ks_text_ready)
		return 0;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		addr[i] = ksplice_find_exact(names[i]);
		if (!addr[i]) {
			*missing = names[i];
			return -ENOENT;
		}
	}
	ks_text_poke = (poke_fn)addr[0];
	ks_text_poke_kgdb = (poke_fn)addr[1];
	ks_text_poke_sync = (sync_fn)addr[2];
	ks_text_mutex = (struct mutex *)addr[3];
	ks_stop_machine_cpuslocked = (stop_fn)addr[4];
	ks_idle_task = (idle_fn)addr[5];
	/* Optional: a kernel without jump labels has no jump label to wait for. */
	if (IS_ENABLED(CONFIG_JUMP_LABEL)) {
		ks_jump_label_lock = (lock_fn)ksplice_find_exact("jump_label_lock");
		ks_jump_label_unlock = (lock_fn)ksplice_find_exact("jump_label_unlock");
		if (!ks_jump_label_lock || !ks_jump_label_unlock) {
			*missing = "jump_label_lock";
			return -ENOENT;
		}
	}
	/* Optional: without a reliable unwinder the stack check keeps every word. */
	if (IS_ENABLED(CONFIG_HAVE_RELIABLE_STACKTRACE))
		ks_save_tsk_reliable =
			(reliable_fn)ksplice_find_exact("stack_trace_save_tsk_reliable");
	/* Optional: a kernel without kprobes has no kprobes in the way. */
	if (IS_ENABLED(CONFIG_KPROBES))
		ks_get_kprobe = (get_kprobe_fn)ksplice_find_exact("get_kprobe");
	ks_text_ready = true;
	return 0;
}

/*
 * The kernel's order: the hotplug lock, jump_label_mutex (a static key
 * change holds it while it queues and writes its sites: none is half-way
 * through while we write, see jump-entries.c), then text_mutex.
 */
void ksplice_text_lock(void)
{
	cpus_read_lock();
	if (ks_jump_label_lock)
		ks_jump_label_lock();
	mutex_lock(ks_text_mutex);
}

void ksplice_text_unlock(void)
{
	mutex_unlock(ks_text_mutex);
	if (ks_jump_label_unlock)
		ks_jump_label_unlock();
	cpus_read_unlock();
}

void ksplice_poke(void *addr, const void *bytes, size_t len)
{
	ks_text_poke(addr, bytes, len);
}

void ksplice_poke_stopped(void *addr, const void *bytes, size_t len)
{
	ks_text_poke_kgdb(addr, bytes, len);
}

int ksplice_stop_machine(int (*fn)(void *), void *data)
{
	return ks_stop_machine_cpuslocked(fn, data, NULL);
}

void ksplice_text_sync(void)
{
	ks_text_poke_sync();
}

struct task_struct *ksplice_idle_task(int cpu)
{
	return ks_idle_task(cpu);
}

int ksplice_reliable_trace(struct task_struct *t, unsigned long *store, unsigned int size)
{
	return ks_save_tsk_reliable ? ks_save_tsk_reliable(t, store, size) : -ENOSYS;
}

struct kprobe *ksplice_get_kprobe(void *addr)
{
	return ks_get_kprobe ? ks_get_kprobe(addr) : NULL;
}
