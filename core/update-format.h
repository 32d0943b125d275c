/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The records ksplice-create writes into an update's modules and ksplice.ko
 * reads back. Every field has a fixed width on x86-64 and i386 alike.
 * Pointer fields are KSPLICE_PTR: a pointer overlaid on a u64, so they are
 * 8 bytes on both architectures (on i386 the pointer is the low half and
 * the high half stays zero). The generated module source initialises them
 * with ordinary C pointers, so the module loader relocates them and a
 * record can name a string or a code address inside its own module.
 *
 * Each primary or helper module holds exactly one struct ksplice_module_desc
 * in section KSPLICE_DESC_SECTION; everything else hangs from it.
 */
#ifndef KSPLICE_UPDATE_FORMAT_H
#define KSPLICE_UPDATE_FORMAT_H

#include "core/compat.h"

#define KSPLICE_MAGIC 0x4c50534bU /* "KSPL" */
#define KSPLICE_FORMAT_VERSION 3
#define KSPLICE_DESC_SECTION ".ksplice_desc"

#define KSPLICE_PTR(type, name) union { u64 name##_raw; type name; }

enum ksplice_module_kind {
	KSPLICE_PRIMARY = 1,	/* new code of one target */
	KSPLICE_HELPER = 2,	/* pre code of one target, for run-pre matching */
};

/* What a relocation record's symbol names. */
enum ksplice_target_kind {
	KSPLICE_TARGET_SYMBOL = 1,	/* a symbol of the running kernel or module */
	KSPLICE_TARGET_STRING = 2,	/* a string literal: match by content */
	KSPLICE_TARGET_SECTION = 3,	/* a helper section (by index), + addend */
	/*
	 * An entry of a mergeable constant section (.rodata.cstN): the linker
	 * merges equal entries, so only the entry's bytes (len of them, at
	 * name; they may hold NULs) identify it. Matched by content.
	 */
	KSPLICE_TARGET_CONST = 4,
	/*
	 * A BTF type ID in a new or changed .BTF_ids list of a primary: the
	 * u32 at site gets the ID that the running kernel's BTF has for the
	 * type called name, of BTF kind len (BTF_KIND_FUNC, ...), as
	 * resolve_btfids would have written it when the kernel was linked.
	 */
	KSPLICE_TARGET_BTF_ID = 5,
	/*
	 * A BTF ID set of such a list: site is its header. Once its IDs are
	 * in, the header gets their number (addend) and they are sorted by
	 * ID, as resolve_btfids does; len is the entry width: 4 for a
	 * BTF_SET, 8 for a BTF_SET8 (ID and flags; the header holds count
	 * and flags). name is the set's, for messages. Primary only.
	 */
	KSPLICE_TARGET_BTF_SET = 6,
};

/* Most IDs in a KSPLICE_TARGET_BTF_SET (the kernel's largest sets hold a few hundred). */
#define KSPLICE_MAX_BTF_SET 65536

/* Longest KSPLICE_TARGET_CONST entry (.rodata.cst32 is the widest GCC emits). */
#define KSPLICE_MAX_CONST_LEN 256

enum ksplice_reloc_flags {
	KSPLICE_RELOC_PCREL = 1 << 0,	/* value = S + A - P, else S + A */
	KSPLICE_RELOC_SIGNED = 1 << 1,	/* the field holds a sign-extended value */
	/*
	 * Resolved when the primary loads (MODULE_STATE_COMING, before the
	 * jump label code reads the field), by name within the target, not
	 * after matching: the key field of a __jump_table entry whose static
	 * key the kernel does not export. Only symbol targets.
	 */
	KSPLICE_RELOC_AT_LOAD = 1 << 2,
};

/*
 * A relocation ksplice.ko resolves itself (the module loader could not:
 * the target is not exported, or is local to the running kernel).
 *
 * scope tells symbols of one name apart within an update's target: 0 for
 * a global symbol, else the object (1-based, the same numbering in the
 * primary and the helper of a target) whose local symbol it is. Matching
 * binds a name per scope, so a local "__func__.1" or "count" of one object
 * is never taken for another object's.
 */
struct ksplice_reloc {
	KSPLICE_PTR(u8 *, site);	/* the field, in this module */
	KSPLICE_PTR(const char *, name);	/* symbol name, or the string's bytes */
	s64 addend;
	u32 type;	/* ELF r_type, for diagnostics */
	u8 size;	/* field width in bytes: 1, 2, 4 or 8 */
	u8 target_kind;	/* enum ksplice_target_kind */
	u16 flags;	/* enum ksplice_reloc_flags */
	u32 section;	/* KSPLICE_TARGET_SECTION: index in desc->sections */
	u32 len;	/* KSPLICE_TARGET_CONST: bytes at name */
	u32 scope;	/* see above */
	u32 reserved;
};

/* A record ksplice.ko fills in from the running kernel's BTF (primary only). */
static inline int ksplice_reloc_is_btf(const struct ksplice_reloc *r)
{
	return r->target_kind == KSPLICE_TARGET_BTF_ID || r->target_kind == KSPLICE_TARGET_BTF_SET;
}

enum ksplice_section_flags {
	KSPLICE_SECTION_TEXT = 1 << 0,
	KSPLICE_SECTION_DATA = 1 << 1,
	KSPLICE_SECTION_RODATA = 1 << 2,
	KSPLICE_SECTION_STRING = 1 << 3,
};

/* A unit of code or data: a helper section to match, or primary code. */
struct ksplice_section {
	KSPLICE_PTR(const u8 *, address);	/* start of the copy in this module */
	u64 size;
	KSPLICE_PTR(const char *, symbol);	/* the symbol it defines (function name) */
	u32 flags;	/* enum ksplice_section_flags */
	u32 scope;	/* of its symbol, as struct ksplice_reloc's */
};

/*
 * A place where the running kernel may differ from the object file because
 * it rewrote its own text at boot (or ftrace, jump labels, static calls do
 * so later): the matcher accepts any known form there.
 */
enum ksplice_site_kind {
	KSPLICE_SITE_FENTRY = 1,	/* __mcount_loc: call __fentry__ / NOP / any call */
	KSPLICE_SITE_ALTERNATIVE = 2,	/* .altinstructions: original or replacement */
	KSPLICE_SITE_PARAVIRT = 3,	/* .parainstructions */
	KSPLICE_SITE_RETPOLINE = 4,	/* .retpoline_sites */
	KSPLICE_SITE_RETURN = 5,	/* .return_sites */
	KSPLICE_SITE_JUMP_LABEL = 6,	/* __jump_table: NOP or jmp */
	KSPLICE_SITE_STATIC_CALL = 7,	/* .static_call_sites */
	KSPLICE_SITE_SMP_LOCK = 8,	/* .smp_locks: lock or ds prefix */
};

struct ksplice_site {
	KSPLICE_PTR(const u8 *, address);	/* in this module's copy of the section */
	KSPLICE_PTR(const u8 *, replacement);	/* alternatives: replacement bytes */
	u16 len;	/* bytes of the original instruction(s) */
	u16 replacement_len;
	u16 kind;	/* enum ksplice_site_kind */
	u16 reserved;
};

enum ksplice_patch_kind {
	KSPLICE_PATCH_JUMP = 1,		/* jump from the old function to the new */
	KSPLICE_PATCH_ERROR_STUB = 2,	/* deleted function: jump to an error stub */
};

/* One function replacement of a primary module. */
struct ksplice_patch {
	KSPLICE_PTR(const char *, old_name);	/* the replaced function */
	u64 helper_section;	/* index in the helper's sections that matched it */
	KSPLICE_PTR(const u8 *, new_address);	/* the replacement in this module */
	u32 kind;	/* enum ksplice_patch_kind */
	u32 reserved;
};

/*
 * Hooks: functions of the patch (ksplice-patch.h) that ksplice.ko calls at
 * fixed points of apply and undo. Only a primary carries them.
 */
enum ksplice_hook_kind {
	KSPLICE_HOOK_PRE_APPLY = 1,	/* int fn(void), before stop_machine */
	KSPLICE_HOOK_CHECK_APPLY = 2,	/* int fn(void), in stop_machine, after the stack check */
	KSPLICE_HOOK_APPLY = 3,		/* void fn(void), in stop_machine, after the jumps */
	KSPLICE_HOOK_POST_APPLY = 4,	/* void fn(void), after a successful apply */
	KSPLICE_HOOK_FAIL_APPLY = 5,	/* void fn(void), apply failed after pre_apply */
	KSPLICE_HOOK_PRE_REVERSE = 6,
	KSPLICE_HOOK_CHECK_REVERSE = 7,
	KSPLICE_HOOK_REVERSE = 8,
	KSPLICE_HOOK_POST_REVERSE = 9,
	KSPLICE_HOOK_FAIL_REVERSE = 10,
};

struct ksplice_hook {
	KSPLICE_PTR(void *, fn);	/* in this module */
	u32 kind;	/* enum ksplice_hook_kind */
	u32 reserved;
};

/*
 * Options for data objects (ksplice_assume_rodata, ksplice_match_data_early
 * in ksplice-patch.h). A helper section flagged KSPLICE_SECTION_EARLY holds
 * a data object's pre bytes: it is matched before every other section and
 * by content (relocation fields resolved) even when the object is writable.
 * A primary's KSPLICE_PATCH_DATA record rewrites that object in place:
 * helper_section names the matched object, new_address the new bytes in
 * the primary (as many as the helper section's size), old_name its symbol.
 */
#define KSPLICE_SECTION_EARLY (1 << 4)
#define KSPLICE_PATCH_DATA 3

/*
 * A helper section flagged KSPLICE_SECTION_WITNESS is unchanged pre code
 * that refers to a local symbol the primary needs and no other helper
 * section refers to: matching it binds that symbol (its name alone may be
 * ambiguous in the running kernel). It is never replaced (no patch names
 * it). A witness that matches nowhere is no_match like any section; one
 * whose candidates stay ambiguous, or that has none, only binds nothing
 * (the primary's relocation then needs a unique name).
 */
#define KSPLICE_SECTION_WITNESS (1 << 5)

struct ksplice_module_desc {
	u32 magic;	/* KSPLICE_MAGIC */
	u16 version;	/* KSPLICE_FORMAT_VERSION */
	u16 kind;	/* enum ksplice_module_kind */
	u16 machine;	/* EM_X86_64 or EM_386 */
	u16 desc_size;	/* sizeof(struct ksplice_module_desc) */
	u32 reserved;
	KSPLICE_PTR(const char *, id);	/* the update id */
	KSPLICE_PTR(const char *, target);	/* "vmlinux" or the module's name */
	KSPLICE_PTR(const struct ksplice_reloc *, relocs);
	u64 nr_relocs;
	KSPLICE_PTR(const struct ksplice_section *, sections);
	u64 nr_sections;
	KSPLICE_PTR(const struct ksplice_site *, sites);
	u64 nr_sites;
	KSPLICE_PTR(const struct ksplice_patch *, patches);
	u64 nr_patches;
	KSPLICE_PTR(const struct ksplice_hook *, hooks);
	u64 nr_hooks;
};

#endif
