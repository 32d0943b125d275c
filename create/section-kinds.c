// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdbool.h>
#include <string.h>

#include "create/line-numbers.h"
#include "create/section-kinds.h"

/* Special tables of x86 Linux 6.1 with their entry sizes (64-bit, 32-bit). */
struct table_desc {
	const char *name;
	unsigned int entsize64, entsize32;
	const char *parallel_to;
};

static const struct table_desc tables[] = {
	{ "__ex_table", 12, 12, NULL },		/* insn, fixup, data */
	{ "__bug_table", BUG_TABLE_ENTRY_SIZE, BUG_TABLE_ENTRY_SIZE, NULL },
	{ ".altinstructions", 12, 12, NULL },	/* struct alt_instr */
	{ ".parainstructions", 16, 8, NULL },	/* paravirt_patch_site */
	{ ".smp_locks", 4, 4, NULL },
	{ "__jump_table", 16, 12, NULL },	/* code, target, key */
	{ ".static_call_sites", 8, 8, NULL },
	{ ".static_call_tramp_key", 8, 8, NULL },
	{ ".retpoline_sites", 4, 4, NULL },
	{ ".return_sites", 4, 4, NULL },
	{ ".ibt_endbr_seal", 4, 4, NULL },
	{ "__mcount_loc", 8, 4, NULL },
	{ ".orc_unwind_ip", 4, 4, NULL },
	{ ".orc_unwind", 6, 6, ".orc_unwind_ip" },	/* no relocations */
	{ "__tracepoints_ptrs", 4, 4, NULL },
	{ "__trace_printk_fmt", 8, 4, NULL },
	{ "__tracepoint_str", 8, 4, NULL },
	{ "___srcu_struct_ptrs", 8, 4, NULL },
	{ "_ftrace_events", 8, 4, NULL },
	{ "_ftrace_eval_map", 8, 4, NULL },
	{ "_kprobe_blacklist", 8, 4, NULL },
	{ "__syscalls_metadata", 8, 4, NULL },	/* FTRACE_SYSCALLS pointers */
	{ "__bpf_raw_tp_map", 32, 32, NULL },	/* bpf_raw_event_map, aligned 32 */
	{ "__dyndbg", 0, 0, NULL },	/* one struct _ddebug per symbol */
	{ "__dyndbg_classes", 0, 0, NULL },
};

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Name equals @base or starts with "@base." */
static bool is_family(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (name[n] == '\0' || name[n] == '.');
}

static bool is_meta(const struct elf_section *sec)
{
	static const char *const prefixes[] = {
		".note", ".debug", ".zdebug", ".discard", ".comment",
		".eh_frame", ".modinfo", ".llvm_addrsig", ".gnu.build.attributes",
		LAYOUT_SECTION,
	};
	size_t i;

	switch (sec->type) {
	case SHT_NULL:
	case SHT_SYMTAB:
	case SHT_STRTAB:
	case SHT_RELA:
	case SHT_REL:
	case SHT_GROUP:
	case SHT_SYMTAB_SHNDX:
	case SHT_NOTE:
		return true;
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (has_prefix(sec->name, prefixes[i]))
			return true;
	return false;
}

static bool is_init(const char *name)
{
	static const char *const families[] = {
		".init", ".exit", ".meminit", ".memexit", ".exitcall.exit",
		".con_initcall.init", ".x86_cpu_dev.init",
	};
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (is_family(name, families[i]))
			return true;
	/* .initcall6.init, .initcall3s.init, ... */
	return has_prefix(name, ".initcall") && has_suffix(name, ".init");
}

static bool is_text(const char *name)
{
	static const char *const families[] = {
		".text", ".noinstr.text", ".entry.text", ".sched.text",
		".cpuidle.text", ".spinlock.text", ".kprobes.text",
		".irqentry.text", ".softirqentry.text", ".ref.text",
		".head.text", ".static_call.text", ".fixup",
	};
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (is_family(name, families[i]))
			return true;
	return false;
}

static bool is_data(const char *name)
{
	static const char *const families[] = {
		".data", ".bss", ".rodata", ".ref.data", ".ref.rodata",
		"__tracepoints", "__tracepoints_strings", "__tracepoint_str_",
	};
	size_t i;

	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (is_family(name, families[i]))
			return true;
	/* The scheduler orders its classes by section: __fair_sched_class, ... */
	if (has_prefix(name, "__") && has_suffix(name, "_sched_class"))
		return true;
	/* .data..percpu, .data..read_mostly, .data..once, .bss..page_aligned */
	return has_prefix(name, ".data..") || has_prefix(name, ".bss..") ||
	       has_prefix(name, ".rodata..");
}

static bool is_export(const char *name)
{
	return has_prefix(name, "__ksymtab") || has_prefix(name, "___ksymtab") ||
	       has_prefix(name, "__kcrctab") || has_prefix(name, "___kcrctab") ||
	       has_prefix(name, "__kstrtab");
}

static struct section_class table_class(const struct elf_section *sec,
					int elf_class)
{
	struct section_class c = { SEC_UNKNOWN, 0, -1, 0, NULL };
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (strcmp(sec->name, tables[i].name))
			continue;
		c.kind = SEC_TABLE;
		c.entsize = elf_class == ELFCLASS64 ? tables[i].entsize64
						    : tables[i].entsize32;
		c.parallel_to = tables[i].parallel_to;
		if (!strcmp(sec->name, "__bug_table")) {
			c.line_offset = BUG_TABLE_LINE_OFFSET;
			c.line_bits = BUG_TABLE_LINE_BITS;
		} else if (!strcmp(sec->name, "__dyndbg")) {
			c.line_offset = elf_class == ELFCLASS64 ? DYNDBG_LINE_OFFSET_64
								: DYNDBG_LINE_OFFSET_32;
			c.line_bits = DYNDBG_LINE_BITS;
		}
	}
	return c;
}

static enum section_kind mergeable_kind(const struct elf_section *sec)
{
	if (!(sec->flags & SHF_MERGE))
		return SEC_UNKNOWN;
	return (sec->flags & SHF_STRINGS) ? SEC_STRINGS : SEC_CONSTS;
}

struct section_class classify_section(const struct elf_section *sec,
				      int elf_class)
{
	struct section_class c = table_class(sec, elf_class);
	const char *name = sec->name;

	if (c.kind != SEC_UNKNOWN)
		return c;
	if (is_meta(sec))
		c.kind = SEC_META;
	else if (is_export(name))
		c.kind = SEC_EXPORT;
	else if (!strcmp(name, "__param"))
		c.kind = SEC_PARAM;
	else if (!strcmp(name, ".BTF_ids"))
		c.kind = SEC_BTF_IDS;
	else if (has_prefix(name, HOOK_SECTION_PREFIX) || has_prefix(name, OPTION_SECTION_PREFIX))
		c.kind = SEC_HOOK;
	else if (!strcmp(name, ".altinstr_replacement") ||
		 !strcmp(name, ".altinstr_aux"))
		c.kind = SEC_CODE_BLOB;
	else if (is_init(name))
		c.kind = SEC_INIT;
	else if (is_text(name))
		c.kind = SEC_TEXT;
	else if (is_data(name))
		c.kind = mergeable_kind(sec) ?: SEC_DATA;
	return c;
}

const char *section_kind_name(enum section_kind kind)
{
	static const char *const names[] = {
		[SEC_UNKNOWN] = "unknown", [SEC_META] = "metadata",
		[SEC_TEXT] = "text", [SEC_DATA] = "data",
		[SEC_STRINGS] = "strings", [SEC_CONSTS] = "constants",
		[SEC_CODE_BLOB] = "code blob", [SEC_TABLE] = "table",
		[SEC_INIT] = "init", [SEC_EXPORT] = "export",
		[SEC_PARAM] = "param", [SEC_HOOK] = "hook",
		[SEC_BTF_IDS] = "BTF ID lists",
	};

	return names[kind];
}
