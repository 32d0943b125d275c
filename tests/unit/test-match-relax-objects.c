// SPDX-License-Identifier: GPL-2.0
/*
 * Jump relaxation with real compiler output: one C file built twice by the
 * host gcc, with -ffunction-sections (the helper's pre code, as
 * ksplice-create builds it) and without (the "running kernel", as Debian's
 * vmlinux is built: the assembler shortens f's tail calls to g and h to
 * `jmp rel8`). The matcher must accept f and bind g and h where the
 * running object has them, and refuse when kallsyms puts g elsewhere.
 */
#include <elf.h>

#include "core/match.h"
#include "create/elf-object.h"
#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

#define BASE 0x100000ULL

static const char source[] =
	"#define NOCLONE __attribute__((noinline, noclone))\n"
	"static NOCLONE int g(int x) { return x * 3 + 1; }\n"
	"static NOCLONE int h(int x) { return (x ^ 0x55) * x; }\n"
	"int f(int x)\n"
	"{\n"
	"	if (x > 10)\n"
	"		return g(x);\n"
	"	if (x < -3)\n"
	"		return h(x - 1);\n"
	"	return 7 * x;\n"
	"}\n";

static const struct elf_section *running_text;
static s64 g_shift;	/* moves g in the fake kallsyms */

static int fake_read(void *ctx, u64 addr, void *buf, size_t len)
{
	if (addr < BASE || addr + len > BASE + running_text->size)
		return -1;
	memcpy(buf, running_text->data + (addr - BASE), len);
	return 0;
}

static size_t fake_lookup(void *ctx, const char *name, u64 *addrs, size_t max)
{
	const struct elf_object *run = ctx;
	const struct elf_symbol *sym = elf_object_find_symbol(run, name);

	if (!sym || !sym->sec)
		return 0;
	if (max)
		addrs[0] = BASE + sym->value + (strcmp(name, "g") ? 0 : g_shift);
	return 1;
}

static const struct ksplice_match_ops ops = { fake_read, fake_lookup };

/* A reloc target's function name: a symbol's, or .text.NAME's for a section symbol. */
static const char *target_name(const struct elf_symbol *sym)
{
	if (sym->type == STT_SECTION && sym->sec && !strncmp(sym->sec->name, ".text.", 6))
		return sym->sec->name + 6;
	return sym->name;
}

/* The helper record of pre's f: its bytes and pc-relative relocations. */
static bool helper_of(const struct elf_object *pre, struct ksplice_section *sec,
		      struct ksplice_reloc *relocs, size_t *nr)
{
	const struct elf_section *s = elf_object_find_section(pre, ".text.f");
	size_t i;

	if (!s || s->nr_relocs > 8)
		return false;
	sec->address_raw = (u64)(uintptr_t)s->data;
	sec->size = s->size;
	sec->symbol = "f";
	sec->flags = KSPLICE_SECTION_TEXT;
	for (i = 0; i < s->nr_relocs; i++) {
		const struct elf_reloc *r = &s->relocs[i];

		if (r->size != 4)
			return false;
		relocs[i].site_raw = (u64)(uintptr_t)(s->data + r->offset);
		relocs[i].name = target_name(r->sym);
		relocs[i].addend = r->addend;
		relocs[i].size = 4;
		relocs[i].target_kind = KSPLICE_TARGET_SYMBOL;
		relocs[i].flags = KSPLICE_RELOC_PCREL | KSPLICE_RELOC_SIGNED;
	}
	*nr = s->nr_relocs;
	return true;
}

/* The matcher's verdict on f; @pre_size / @run_size: f's sizes in both. */
static int match(const char *flags, u16 machine, u64 *pre_size, u64 *run_size, u64 *g)
{
	char pre_flags[128], run_flags[128];
	struct elf_object *pre, *run;
	struct ksplice_section sec = { 0 };
	struct ksplice_reloc relocs[8];
	struct ksplice_module_desc d = {
		.magic = KSPLICE_MAGIC, .version = KSPLICE_FORMAT_VERSION,
		.kind = KSPLICE_HELPER, .machine = machine, .desc_size = sizeof(d),
		.sections = &sec, .nr_sections = 1, .relocs = relocs,
	};
	struct ksplice_matcher m;
	size_t nr = 0;
	int status = -1;

	memset(relocs, 0, sizeof(relocs));
	snprintf(pre_flags, sizeof(pre_flags), "%s", flags);
	snprintf(run_flags, sizeof(run_flags), "%s -fno-function-sections", flags);
	pre = snippet_object(source, pre_flags);
	run = snippet_object(source, run_flags);
	running_text = run ? elf_object_find_section(run, ".text") : NULL;
	if (pre && running_text && helper_of(pre, &sec, relocs, &nr) &&
	    elf_object_find_symbol(run, "f")) {
		d.nr_relocs = nr;
		*pre_size = sec.size;
		*run_size = elf_object_find_symbol(run, "f")->size;
		if (!ksplice_match_init(&m, &d, &ops, run)) {
			status = ksplice_match_run(&m);
			if (status != KSPLICE_MATCH_OK)
				printf("  %s%s: %s at +0x%llx\n", flags, g_shift ? " (g moved)" : "",
				       m.mismatch.reason, (unsigned long long)m.mismatch.offset);
			if (status == KSPLICE_MATCH_OK) {
				*run_size = ksplice_match_run_size(&m, 0);
				ksplice_match_symbol(&m, "g", g);
			}
			ksplice_match_free(&m);
		}
	}
	elf_object_free(pre);
	elf_object_free(run);
	return status;
}

static void check_relaxed(const char *flags, u16 machine)
{
	u64 pre_size = 0, run_size = 0, g = 0, want_size;

	g_shift = 0;
	CHECK_INT_EQ(match(flags, machine, &pre_size, &run_size, &g), KSPLICE_MATCH_OK);
	/* The two tail calls are 3 bytes shorter each, less alignment padding. */
	CHECK(run_size < pre_size);
	want_size = run_size;
	CHECK(g == BASE);	/* g is first in the running .text */
	g_shift = 1;
	CHECK_INT_EQ(match(flags, machine, &pre_size, &run_size, &g), KSPLICE_MATCH_NO_MATCH);
	CHECK_INT_EQ(run_size, want_size);
}

static void test_gcc_x86_64(void)
{
	check_relaxed("", 62);
}

static void test_gcc_i386(void)
{
	if (system("echo 'int x;' | gcc -m32 -x c -c -o /dev/null - 2>/dev/null"))
		return (void)SKIP("gcc cannot build -m32 objects");
	check_relaxed("-m32", 3);
}

int main(void)
{
	RUN(test_gcc_x86_64);
	RUN(test_gcc_i386);
	return check_done();
}
