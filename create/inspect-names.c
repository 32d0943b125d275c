// SPDX-License-Identifier: GPL-2.0
#include <elf.h>

#include "core/update-format.h"
#include "create/inspect-names.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* @names[value], or the number itself printed into @buf. */
static const char *lookup(const char *const *names, size_t n, unsigned int value,
			  char *buf, size_t size)
{
	if (value < n && names[value])
		return names[value];
	snprintf(buf, size, "%u", value);
	return buf;
}

#define NAME_FUNCTION(fn, table)                                               \
	const char *fn(unsigned int value)                                     \
	{                                                                      \
		static char buf[16];                                           \
		return lookup(table, ARRAY_SIZE(table), value, buf, sizeof(buf)); \
	}

static const char *const module_kinds[] = {
	[KSPLICE_PRIMARY] = "primary",
	[KSPLICE_HELPER] = "helper",
};

static const char *const target_kinds[] = {
	[KSPLICE_TARGET_SYMBOL] = "symbol",
	[KSPLICE_TARGET_STRING] = "string",
	[KSPLICE_TARGET_SECTION] = "section",
	[KSPLICE_TARGET_CONST] = "const",
	[KSPLICE_TARGET_BTF_ID] = "btf_id",
	[KSPLICE_TARGET_BTF_SET] = "btf_set",
};

static const char *const site_kinds[] = {
	[KSPLICE_SITE_FENTRY] = "fentry",
	[KSPLICE_SITE_ALTERNATIVE] = "alternative",
	[KSPLICE_SITE_PARAVIRT] = "paravirt",
	[KSPLICE_SITE_RETPOLINE] = "retpoline",
	[KSPLICE_SITE_RETURN] = "return",
	[KSPLICE_SITE_JUMP_LABEL] = "jump_label",
	[KSPLICE_SITE_STATIC_CALL] = "static_call",
	[KSPLICE_SITE_SMP_LOCK] = "smp_lock",
};

static const char *const patch_kinds[] = {
	[KSPLICE_PATCH_JUMP] = "jump",
	[KSPLICE_PATCH_ERROR_STUB] = "error_stub",
	[KSPLICE_PATCH_DATA] = "data",
};

static const char *const hook_kinds[] = {
	[KSPLICE_HOOK_PRE_APPLY] = "pre_apply",
	[KSPLICE_HOOK_CHECK_APPLY] = "check_apply",
	[KSPLICE_HOOK_APPLY] = "apply",
	[KSPLICE_HOOK_POST_APPLY] = "post_apply",
	[KSPLICE_HOOK_FAIL_APPLY] = "fail_apply",
	[KSPLICE_HOOK_PRE_REVERSE] = "pre_reverse",
	[KSPLICE_HOOK_CHECK_REVERSE] = "check_reverse",
	[KSPLICE_HOOK_REVERSE] = "reverse",
	[KSPLICE_HOOK_POST_REVERSE] = "post_reverse",
	[KSPLICE_HOOK_FAIL_REVERSE] = "fail_reverse",
};

NAME_FUNCTION(inspect_module_kind_name, module_kinds)
NAME_FUNCTION(inspect_target_kind_name, target_kinds)
NAME_FUNCTION(inspect_site_kind_name, site_kinds)
NAME_FUNCTION(inspect_patch_kind_name, patch_kinds)
NAME_FUNCTION(inspect_hook_kind_name, hook_kinds)

const char *inspect_machine_name(unsigned int machine)
{
	static char buf[16];

	if (machine == EM_X86_64)
		return "x86_64";
	if (machine == EM_386)
		return "i386";
	snprintf(buf, sizeof(buf), "%u", machine);
	return buf;
}

#define R(prefix, name) [R_##prefix##_##name] = "R_" #prefix "_" #name

static const char *const x86_64_types[] = {
	R(X86_64, NONE), R(X86_64, 64), R(X86_64, PC32), R(X86_64, GOT32),
	R(X86_64, PLT32), R(X86_64, COPY), R(X86_64, GLOB_DAT),
	R(X86_64, JUMP_SLOT), R(X86_64, RELATIVE), R(X86_64, GOTPCREL),
	R(X86_64, 32), R(X86_64, 32S), R(X86_64, 16), R(X86_64, PC16),
	R(X86_64, 8), R(X86_64, PC8), R(X86_64, DTPMOD64), R(X86_64, DTPOFF64),
	R(X86_64, TPOFF64), R(X86_64, TLSGD), R(X86_64, TLSLD),
	R(X86_64, DTPOFF32), R(X86_64, GOTTPOFF), R(X86_64, TPOFF32),
	R(X86_64, PC64), R(X86_64, GOTOFF64), R(X86_64, GOTPC32),
	R(X86_64, SIZE32), R(X86_64, SIZE64), R(X86_64, GOTPCRELX),
	R(X86_64, REX_GOTPCRELX),
};

static const char *const i386_types[] = {
	R(386, NONE), R(386, 32), R(386, PC32), R(386, GOT32), R(386, PLT32),
	R(386, COPY), R(386, GLOB_DAT), R(386, JMP_SLOT), R(386, RELATIVE),
	R(386, GOTOFF), R(386, GOTPC), R(386, 32PLT), R(386, 16), R(386, PC16),
	R(386, 8), R(386, PC8), R(386, GOT32X),
};

const char *inspect_reloc_type_name(unsigned int machine, uint32_t type)
{
	static char buf[24];

	if (machine == EM_X86_64)
		return lookup(x86_64_types, ARRAY_SIZE(x86_64_types), type, buf,
			      sizeof(buf));
	if (machine == EM_386)
		return lookup(i386_types, ARRAY_SIZE(i386_types), type, buf,
			      sizeof(buf));
	snprintf(buf, sizeof(buf), "%u", type);
	return buf;
}

struct flag_name {
	unsigned int bit;
	const char *name;
};

static void print_flags(FILE *out, unsigned int flags,
			const struct flag_name *names, size_t n)
{
	const char *sep = "";
	size_t i;

	if (!flags) {
		fputs("none", out);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!(flags & names[i].bit))
			continue;
		fprintf(out, "%s%s", sep, names[i].name);
		flags &= ~names[i].bit;
		sep = ",";
	}
	if (flags)
		fprintf(out, "%s0x%x", sep, flags);
}

void inspect_print_reloc_flags(FILE *out, unsigned int flags)
{
	static const struct flag_name names[] = {
		{ KSPLICE_RELOC_PCREL, "pcrel" },
		{ KSPLICE_RELOC_SIGNED, "signed" },
	};

	print_flags(out, flags, names, ARRAY_SIZE(names));
}

void inspect_print_section_flags(FILE *out, unsigned int flags)
{
	static const struct flag_name names[] = {
		{ KSPLICE_SECTION_TEXT, "text" },
		{ KSPLICE_SECTION_DATA, "data" },
		{ KSPLICE_SECTION_RODATA, "rodata" },
		{ KSPLICE_SECTION_STRING, "string" },
		{ KSPLICE_SECTION_EARLY, "early" },
		{ KSPLICE_SECTION_WITNESS, "witness" },
	};

	print_flags(out, flags, names, ARRAY_SIZE(names));
}
