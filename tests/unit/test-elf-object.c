// SPDX-License-Identifier: GPL-2.0
/* Loading relocatable objects: the model, REL addends, malformed input. */
#include <elf.h>

#include "tests/lib/check.h"
#include "tests/unit/snippet-compile.h"

#define CALLER                                                             \
	"extern int callee(int);\n"                                        \
	"int counter;\n"                                                   \
	"int caller(int x) { counter++; return callee(x) + 1; }\n"

static const struct elf_reloc *find_reloc_to(const struct elf_section *sec,
					     const char *sym_name)
{
	size_t i;

	for (i = 0; sec && i < sec->nr_relocs; i++)
		if (!strcmp(sec->relocs[i].sym->name, sym_name))
			return &sec->relocs[i];
	return NULL;
}

static void check_caller_model(struct elf_object *obj, uint32_t call_type)
{
	const struct elf_section *text = elf_object_find_section(obj, ".text.caller");
	const struct elf_symbol *caller = elf_object_find_symbol(obj, "caller");
	const struct elf_symbol *callee = elf_object_find_symbol(obj, "callee");
	const struct elf_reloc *r = find_reloc_to(text, "callee");

	CHECK(text != NULL && caller != NULL && callee != NULL);
	if (!text || !caller || !callee)
		return;
	CHECK(caller->sec == text);
	CHECK_INT_EQ(caller->type, STT_FUNC);
	CHECK_INT_EQ(caller->bind, STB_GLOBAL);
	CHECK(callee->sec == NULL);
	CHECK_INT_EQ(text->nr_syms, 1);
	CHECK(text->data != NULL);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_INT_EQ(r->type, call_type);
	CHECK_INT_EQ(r->size, 4);
	/* call rel32: the field ends the instruction, so the addend is -4 */
	CHECK_INT_EQ(r->addend, -4);
}

static void test_x86_64_object_model(void)
{
	struct elf_object *obj = snippet_object(CALLER, NULL);

	CHECK(obj != NULL);
	if (!obj)
		return;
	CHECK_INT_EQ(obj->elf_class, ELFCLASS64);
	CHECK_INT_EQ(obj->machine, EM_X86_64);
	check_caller_model(obj, R_X86_64_PLT32);
	elf_object_free(obj);
}

static void test_i386_rel_addends_come_from_section_bytes(void)
{
	struct elf_object *obj = snippet_object(CALLER, "-m32");
	const struct elf_section *text;

	CHECK(obj != NULL);
	if (!obj)
		return;
	CHECK_INT_EQ(obj->elf_class, ELFCLASS32);
	CHECK_INT_EQ(obj->machine, EM_386);
	text = elf_object_find_section(obj, ".text.caller");
	CHECK(text && text->reloc_section &&
	      text->reloc_section->type == SHT_REL);
	check_caller_model(obj, R_386_PC32);
	elf_object_free(obj);
}

static char *write_file(const char *name, const void *bytes, size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", snippet_dir(), name);
	f = fopen(path, "w");
	if (!f || fwrite(bytes, 1, len, f) != len || fclose(f))
		return NULL;
	return path;
}

static void expect_load_error(const char *path, const char *what)
{
	struct ks_error err = { "" };
	struct elf_object *obj = path ? elf_object_load(path, &err) : NULL;

	CHECK(path != NULL);
	CHECK(obj == NULL);
	if (!strstr(err.msg, what)) {
		printf("  message \"%s\" lacks \"%s\"\n", err.msg, what);
		check_case_failed = 1;
	}
	elf_object_free(obj);
}

static void test_not_elf_is_rejected(void)
{
	const char text[] = "this is not an object file\n";

	expect_load_error(write_file("text.o", text, sizeof(text)),
			  "not an ELF file");
	expect_load_error(write_file("empty.o", "", 0), "not an ELF file");
}

static void test_missing_file_is_rejected(void)
{
	expect_load_error("/nonexistent/ksplice/x.o", "No such file");
}

static void test_executable_is_rejected(void)
{
	const char *obj = snippet_build("int main(void) { return 0; }\n", NULL);
	char cmd[600], exe[300];

	CHECK(obj != NULL);
	if (!obj)
		return;
	snprintf(exe, sizeof(exe), "%s.exe", obj);
	snprintf(cmd, sizeof(cmd), "gcc -o '%s' '%s'", exe, obj);
	CHECK(system(cmd) == 0);
	expect_load_error(exe, "not a relocatable object");
}

static void test_truncated_object_is_rejected(void)
{
	const char *path = snippet_build(CALLER "int more(void) { return 5; }\n",
					 NULL);
	unsigned char buf[65536];
	size_t len, cut;
	FILE *f;

	CHECK(path != NULL);
	if (!path)
		return;
	f = fopen(path, "r");
	len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	CHECK(len > 256);
	/* Cut inside the section data (the headers sit at the end). */
	for (cut = 64; cut < len; cut += len / 7) {
		struct ks_error err = { "" };
		struct elf_object *obj;
		const char *p = write_file("cut.o", buf, cut);

		obj = p ? elf_object_load(p, &err) : NULL;
		CHECK(obj == NULL);
		CHECK(err.msg[0] != '\0');
		elf_object_free(obj);
	}
	/* A header claiming more sections than the file holds. */
	expect_load_error(write_file("header-only.o", buf, 64), "truncated");
}

static void test_corrupt_header_fields_are_rejected(void)
{
	const char *path = snippet_build(CALLER, NULL);
	unsigned char buf[65536];
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	size_t len;
	FILE *f;

	CHECK(path != NULL);
	if (!path)
		return;
	f = fopen(path, "r");
	len = f ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f)
		fclose(f);
	CHECK(len > sizeof(*eh));
	eh->e_shstrndx = 999;
	expect_load_error(write_file("bad-shstrndx.o", buf, len), "bad-shstrndx.o");
	eh->e_shstrndx = 1;
	eh->e_shoff = len + 4096;
	expect_load_error(write_file("bad-shoff.o", buf, len), "truncated");
}

int main(void)
{
	RUN(test_x86_64_object_model);
	RUN(test_i386_rel_addends_come_from_section_bytes);
	RUN(test_not_elf_is_rejected);
	RUN(test_missing_file_is_rejected);
	RUN(test_executable_is_rejected);
	RUN(test_truncated_object_is_rejected);
	RUN(test_corrupt_header_fields_are_rejected);
	return check_done();
}
