// SPDX-License-Identifier: GPL-2.0
/*
 * Run-pre matching of an update's helper code against the running kernel
 * (core/match.c), one target at a time. Nothing is written to the kernel.
 * The outcome is the update's abort_cause; the debug log says which
 * section failed and how, or how much matched.
 */
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "core/match.h"
#include "internal.h"

/* Where a target's symbols live: vmlinux, or a loaded module (pinned). */
struct target_ctx {
	struct module *mod;
	const char *name;
};

static int read_running(void *ctx, u64 addr, void *buf, size_t len)
{
	if (addr != (unsigned long)addr)
		return -1;
	return copy_from_kernel_nofault(buf, (const void *)(unsigned long)addr, len) ? -1 : 0;
}

/*
 * A module's code refers to its own symbols and to exports of vmlinux:
 * the module's symbol table first, vmlinux for names it does not have.
 */
static size_t lookup_target(void *ctx, const char *name, u64 *addrs, size_t max)
{
	struct target_ctx *t = ctx;
	size_t n;

	if (t->mod) {
		n = ksplice_lookup_module(t->mod, name, addrs, max);
		if (!n)
			n = ksplice_lookup_vmlinux(name, addrs, max);
	} else {
		n = ksplice_lookup_vmlinux(name, addrs, max);
	}
	/* Functions earlier updates replaced: their replacements are candidates too. */
	return n + ksplice_lookup_replacements(t->name, name, addrs + min(n, max),
					       max - min(n, max));
}

static const struct ksplice_match_ops running_kernel_ops = {
	.read = read_running,
	.lookup = lookup_target,
};

static void log_bytes(struct ksplice_update *u, const char *what, const u8 *p, unsigned int len)
{
	unsigned int i;

	ksplice_log(u, " %s", what);
	for (i = 0; i < len; i++)
		ksplice_log(u, " %02x", p[i]);
}

/* Every running address of @name in the target (what matching tried). */
static void log_candidates(struct ksplice_update *u, struct target_ctx *ctx, const char *name)
{
	u64 addrs[8];
	size_t n, i;

	n = lookup_target(ctx, name, addrs, ARRAY_SIZE(addrs));
	ksplice_log(u, "  candidates for %s: %zu", name, n);
	for (i = 0; i < min(n, ARRAY_SIZE(addrs)); i++)
		ksplice_log(u, " 0x%llx", addrs[i]);
	ksplice_log(u, "%s\n", n > ARRAY_SIZE(addrs) ? " ..." : "");
}

static void log_mismatch(struct ksplice_update *u, const struct ksplice_target *t,
			 struct target_ctx *ctx, const struct ksplice_mismatch *mm)
{
	ksplice_log(u, "%s: no_match: section %s at 0x%llx offset 0x%llx: %s:", t->name,
		    mm->section, mm->candidate, mm->offset, mm->reason);
	log_bytes(u, "expected", mm->expected, mm->len);
	log_bytes(u, "found", mm->found, mm->len);
	ksplice_log(u, "\n");
	log_candidates(u, ctx, mm->section);
	pr_info("ksplice: update %s: %s: no match in %s+0x%llx (%s)\n", u->id, t->name,
		mm->section, mm->offset, mm->reason);
}

static void log_success(struct ksplice_update *u, const struct ksplice_target *t,
			struct target_ctx *ctx, const struct ksplice_matcher *m, u64 ns)
{
	const char *sym;
	u64 i;

	ksplice_log(u, "%s: ok: %llu sections matched, %zu symbols bound (%llu us)\n", t->name,
		    m->helper->nr_sections, m->nr_bindings, div_u64(ns, 1000));
	for (i = 0; i < m->helper->nr_sections; i++) {
		sym = m->helper->sections[i].symbol;
		if (!m->matched[i]) {	/* a witness that bound nothing */
			ksplice_log(u, "  %s: witness not resolved (of %zu candidates)\n", sym,
				    lookup_target(ctx, sym, NULL, 0));
			continue;
		}
		ksplice_log(u, "  %s at 0x%llx (of %zu candidates)\n", sym, m->section_addr[i],
			    lookup_target(ctx, sym, NULL, 0));
		if (m->layout[i].nr_edits)
			ksplice_log(u, "  %s: %zu instructions matched by target (jump relaxation): "
				    "%llu bytes running, %llu in the helper\n", sym,
				    m->layout[i].nr_edits, m->layout[i].size,
				    m->helper->sections[i].size);
	}
	pr_info("ksplice: update %s: %s: %llu sections matched, %zu symbols bound\n", u->id,
		t->name, m->helper->nr_sections, m->nr_bindings);
}

/*
 * Match one target's helper; returns the abort cause ("ok" if matched).
 * With @keep, a successful result is left in @keep for the caller.
 */
static const char *match_target(struct ksplice_update *u, const struct ksplice_target *t,
				struct ksplice_matcher *keep)
{
	struct target_ctx ctx = { NULL, t->name };
	struct ksplice_matcher m;
	const char *cause;
	int status;
	u64 start;

	if (!t->helper) {
		ksplice_log(u, "%s: unexpected: the helper module is not loaded\n", t->name);
		return "unexpected";
	}
	if (strcmp(t->name, "vmlinux")) {
		ctx.mod = ksplice_get_module(t->name);
		if (!ctx.mod) {
			ksplice_log(u, "%s: target_not_loaded: module %s is not loaded\n",
				    t->name, t->name);
			return "target_not_loaded";
		}
	}
	if (ksplice_match_init(&m, t->helper, &running_kernel_ops, &ctx)) {
		cause = "out_of_memory";
		ksplice_log(u, "%s: out_of_memory\n", t->name);
		goto out;
	}
	start = ktime_get_ns();
	status = ksplice_match_run(&m);
	cause = ksplice_match_status_name(status);
	switch (status) {
	case KSPLICE_MATCH_OK:
		log_success(u, t, &ctx, &m, ktime_get_ns() - start);
		break;
	case KSPLICE_MATCH_NO_MATCH:
		log_mismatch(u, t, &ctx, &m.mismatch);
		break;
	case KSPLICE_MATCH_AMBIGUOUS:
		cause = "no_match";	/* not one of the abort causes: say why */
		fallthrough;
	default:
		ksplice_log(u, "%s: %s: %s: %s\n", t->name, cause,
			    m.mismatch.section ?: "-", m.mismatch.reason ?: "-");
		if (m.mismatch.section)
			log_candidates(u, &ctx, m.mismatch.section);
		pr_info("ksplice: update %s: %s: %s: %s\n", u->id, t->name, cause,
			m.mismatch.section ?: "-");
	}
	if (keep && status == KSPLICE_MATCH_OK)
		*keep = m;
	else
		ksplice_match_free(&m);
out:
	if (ctx.mod)
		module_put(ctx.mod);
	return cause;
}

/* Match every target of @u (under ksplice_mutex); the first failure decides. */
void ksplice_match_update(struct ksplice_update *u)
{
	const struct ksplice_target *t;
	const char *missing = NULL, *cause;

	ksplice_log_reset(u);
	u->abort_cause = "ok";
	if (ksplice_symbols_init(&missing)) {
		ksplice_log(u, "failed_to_find: kernel symbol %s\n", missing);
		pr_err("ksplice: cannot find kernel symbol %s\n", missing);
		u->abort_cause = "failed_to_find";
		return;
	}
	list_for_each_entry(t, &u->targets, list) {
		cause = match_target(u, t, NULL);
		if (strcmp(cause, "ok") && !strcmp(u->abort_cause, "ok"))
			u->abort_cause = cause;
	}
}

const char *ksplice_match_target(struct ksplice_update *u, const struct ksplice_target *t,
				 struct ksplice_matcher *m)
{
	return match_target(u, t, m);
}
