// SPDX-License-Identifier: GPL-2.0
/*
 * Jump labels under a trampoline. A function that begins with a static
 * branch (`if (static_branch_likely(&key))` as its first statement) has
 * the jump label's site right where the trampoline goes (after the ftrace
 * site). The kernel rewrites that site whenever the key changes, which
 * would tear the trampoline apart. So while the update is applied, the
 * kernel is told to leave the site alone: its jump table entries get the
 * "init" mark, which is how the kernel already skips entries whose code
 * (__init text) is gone, and the old code past the trampoline is as
 * unreachable as freed __init text. On undo the mark is removed and the
 * site gets the form the key asks for now (the jump or the NOP, of the
 * size it had), not the bytes saved at apply: the key may have changed in
 * between. jump_label_mutex is held around every text write of ours
 * (text-write.c), so no key change is half-way through meanwhile.
 */
#include <linux/jump_label.h>
#include <asm/nops.h>
#include <asm/unaligned.h>

#include "apply.h"
#include "internal.h"

#ifdef CONFIG_JUMP_LABEL

static struct jump_entry *vmlinux_start, *vmlinux_stop;

/* The linker's bounds of vmlinux's table (other symbols may share their addresses). */
static void find_vmlinux_table(void)
{
	u64 start, stop;

	if (vmlinux_start)
		return;
	if (ksplice_lookup_vmlinux("__start___jump_table", &start, 1) != 1 ||
	    ksplice_lookup_vmlinux("__stop___jump_table", &stop, 1) != 1 || stop < start)
		return;
	vmlinux_start = (struct jump_entry *)(unsigned long)start;
	vmlinux_stop = (struct jump_entry *)(unsigned long)stop;
}

/* The kernel's own NOPs (x86_nops): i386's differ from x86-64's (89 f6, 3e 8d 74 26 00). */
static const u8 nop2[] = { BYTES_NOP2 }, nop5[] = { BYTES_NOP5 };

/* A jump label site's size: a short jump (eb) or its NOP, else five bytes. */
static unsigned int site_size(const u8 *bytes)
{
	return bytes[0] == 0xeb || !memcmp(bytes, nop2, sizeof(nop2)) ? 2 : 5;
}

int ksplice_jump_entries_find(struct ksplice_tramp *tr, struct module *target_mod)
{
	struct jump_entry *e, *start, *stop;
	unsigned long code;

	tr->nr_jump_entries = 0;
	if (target_mod) {
		start = target_mod->jump_entries;
		stop = start + target_mod->num_jump_entries;
	} else {
		find_vmlinux_table();
		start = vmlinux_start;
		stop = vmlinux_stop;
	}
	if (!start || !stop)
		return -ENOENT;
	for (e = start; e < stop; e++) {
		code = jump_entry_code(e);
		if (code + 5 <= tr->site || code >= tr->site + KSPLICE_JUMP_LEN)
			continue;
		/* wholly under the trampoline, so that undo can rewrite all of it */
		if (code < tr->site || code + site_size(tr->saved + (code - tr->site)) >
				       tr->site + KSPLICE_JUMP_LEN ||
		    tr->nr_jump_entries == ARRAY_SIZE(tr->jump_entries) || jump_entry_is_init(e))
			return -EBUSY;
		tr->jump_entries[tr->nr_jump_entries++] = e;
	}
	return tr->nr_jump_entries ? 0 : -ENOENT;
}

void ksplice_jump_entries_mark(const struct ksplice_tramp *tr, bool applied)
{
	int i;

	for (i = 0; i < tr->nr_jump_entries; i++) {
		struct jump_entry *e = tr->jump_entries[i];
		long key = applied ? e->key | 2L : e->key & ~2L;

		ksplice_poke_stopped(&e->key, &key, sizeof(key));
	}
}

/* @bytes (the trampoline's saved bytes) with each site in the form its key asks for now. */
void ksplice_jump_entries_current(const struct ksplice_tramp *tr, u8 *bytes)
{
	int i;

	for (i = 0; i < tr->nr_jump_entries; i++) {
		struct jump_entry *e = tr->jump_entries[i];
		unsigned long code = jump_entry_code(e);
		unsigned int off = code - tr->site, size = site_size(bytes + off);
		bool short_form = size == 2;
		bool jump = static_key_enabled(jump_entry_key(e)) ^ jump_entry_is_branch(e);
		u8 insn[5];

		if (!jump) {
			memcpy(insn, short_form ? nop2 : nop5, size);
		} else if (short_form) {
			insn[0] = 0xeb;
			insn[1] = (u8)(s8)(jump_entry_target(e) - (code + 2));
		} else {
			insn[0] = 0xe9;
			put_unaligned_le32((u32)(jump_entry_target(e) - (code + 5)), &insn[1]);
		}
		memcpy(bytes + off, insn, size);
	}
}

#else

int ksplice_jump_entries_find(struct ksplice_tramp *tr, struct module *target_mod)
{
	return -ENOENT;
}

void ksplice_jump_entries_mark(const struct ksplice_tramp *tr, bool applied)
{
}

void ksplice_jump_entries_current(const struct ksplice_tramp *tr, u8 *bytes)
{
}

#endif
