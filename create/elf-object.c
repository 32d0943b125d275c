// SPDX-License-Identifier: GPL-2.0
/*
 * Loading an ELF relocatable object with libelf. Every index and range read
 * from the file is checked before use: a malformed or truncated object gives
 * an error naming the problem, never a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create/elf-object.h"
#include "create/reloc-types.h"

struct loader {
	struct elf_object *obj;
	Elf *elf;
	uint64_t file_size;
	struct ks_error *err;
};

bool elf_symbol_is_named(const struct elf_symbol *sym)
{
	if (sym->type == STT_SECTION || sym->type == STT_FILE)
		return false;
	return sym->name[0] && strncmp(sym->name, ".L", 2) != 0;
}

static int fail_elf(struct loader *ld, const char *what)
{
	return ks_fail(ld->err, "%s: %s: %s", ld->obj->path, what,
		       elf_errmsg(-1));
}

static int check_header(struct loader *ld)
{
	struct elf_object *obj = ld->obj;
	GElf_Ehdr ehdr;

	if (elf_kind(ld->elf) != ELF_K_ELF)
		return ks_fail(ld->err, "%s: not an ELF file", obj->path);
	if (!gelf_getehdr(ld->elf, &ehdr))
		return fail_elf(ld, "bad ELF header");
	if (ehdr.e_type != ET_REL)
		return ks_fail(ld->err,
			       "%s: not a relocatable object (ELF type %u, expected ET_REL)",
			       obj->path, ehdr.e_type);
	if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
		return ks_fail(ld->err, "%s: not a little-endian object",
			       obj->path);
	if (ehdr.e_shoff > ld->file_size ||
	    (uint64_t)ehdr.e_shnum * ehdr.e_shentsize >
		    ld->file_size - ehdr.e_shoff)
		return ks_fail(ld->err,
			       "%s: truncated: section headers extend past the end of the file",
			       obj->path);
	obj->elf_class = ehdr.e_ident[EI_CLASS];
	obj->machine = ehdr.e_machine;
	if (!(obj->machine == EM_X86_64 && obj->elf_class == ELFCLASS64) &&
	    !(obj->machine == EM_386 && obj->elf_class == ELFCLASS32))
		return ks_fail(ld->err,
			       "%s: unsupported machine %u (class %d); expected x86-64 or i386",
			       obj->path, obj->machine, obj->elf_class);
	return 0;
}

static int load_section(struct loader *ld, size_t index, size_t shstrndx)
{
	struct elf_section *sec = &ld->obj->sections[index];
	Elf_Scn *scn = elf_getscn(ld->elf, index);
	GElf_Shdr shdr;
	Elf_Data *data;

	sec->index = index;
	if (!scn || !gelf_getshdr(scn, &shdr))
		return fail_elf(ld, "bad section header");
	sec->name = index ? elf_strptr(ld->elf, shstrndx, shdr.sh_name) : "";
	if (!sec->name)
		return ks_fail(ld->err, "%s: section %zu has a bad name",
			       ld->obj->path, index);
	sec->type = shdr.sh_type;
	sec->flags = shdr.sh_flags;
	sec->size = shdr.sh_size;
	sec->align = shdr.sh_addralign;
	sec->entsize = shdr.sh_entsize;
	sec->link = shdr.sh_link;
	sec->info = shdr.sh_info;
	if (sec->type == SHT_NOBITS || sec->type == SHT_NULL || !sec->size)
		return 0;
	if (shdr.sh_offset > ld->file_size ||
	    sec->size > ld->file_size - shdr.sh_offset)
		return ks_fail(ld->err,
			       "%s: truncated: section %s extends past the end of the file",
			       ld->obj->path, sec->name);
	data = elf_getdata(scn, NULL);
	if (!data || !data->d_buf)
		return fail_elf(ld, "cannot read section data");
	/* Symbol and relocation tables are read through gelf, not as bytes. */
	if (data->d_size == sec->size)
		sec->data = data->d_buf;
	return 0;
}

static int load_sections(struct loader *ld)
{
	size_t n, shstrndx, i;

	if (elf_getshdrnum(ld->elf, &n) || elf_getshdrstrndx(ld->elf, &shstrndx))
		return fail_elf(ld, "bad section header table");
	if (n == 0)
		return ks_fail(ld->err, "%s: no sections", ld->obj->path);
	if (shstrndx >= n)
		return ks_fail(ld->err, "%s: bad section name table index",
			       ld->obj->path);
	ld->obj->sections = xcalloc(n, sizeof(struct elf_section));
	ld->obj->nr_sections = n;
	for (i = 0; i < n; i++)
		if (load_section(ld, i, shstrndx))
			return -1;
	return 0;
}

static struct elf_section *find_symtab(struct loader *ld)
{
	struct elf_object *obj = ld->obj;
	size_t i;

	for (i = 0; i < obj->nr_sections; i++)
		if (obj->sections[i].type == SHT_SYMTAB)
			return &obj->sections[i];
	return NULL;
}

static Elf_Data *find_shndx_data(struct loader *ld, size_t symtab_index)
{
	struct elf_object *obj = ld->obj;
	size_t i;

	for (i = 0; i < obj->nr_sections; i++)
		if (obj->sections[i].type == SHT_SYMTAB_SHNDX &&
		    obj->sections[i].link == symtab_index)
			return elf_getdata(elf_getscn(ld->elf, i), NULL);
	return NULL;
}

static int resolve_symbol_section(struct loader *ld, struct elf_symbol *sym,
				  const GElf_Sym *gsym, GElf_Word xndx)
{
	struct elf_object *obj = ld->obj;
	uint32_t shndx = gsym->st_shndx;

	sym->shndx = shndx;
	if (shndx == SHN_UNDEF)
		return 0;
	if (shndx == SHN_XINDEX)
		shndx = sym->shndx = xndx;
	else if (shndx >= SHN_LORESERVE)
		return 0;	/* SHN_ABS, SHN_COMMON: no section */
	if (shndx >= obj->nr_sections)
		return ks_fail(ld->err, "%s: symbol %s has bad section index %u",
			       obj->path, sym->name, shndx);
	sym->sec = &obj->sections[shndx];
	if (sym->value > sym->sec->size)
		return ks_fail(ld->err,
			       "%s: symbol %s lies outside its section %s",
			       obj->path, sym->name, sym->sec->name);
	return 0;
}

static int load_symbols(struct loader *ld)
{
	struct elf_object *obj = ld->obj;
	struct elf_section *symtab = find_symtab(ld);
	Elf_Data *data, *shndx_data;
	size_t i, n, entsize;

	if (!symtab)
		return 0;
	entsize = gelf_fsize(ld->elf, ELF_T_SYM, 1, EV_CURRENT);
	if (!entsize || symtab->entsize != entsize || symtab->size % entsize)
		return ks_fail(ld->err, "%s: malformed symbol table", obj->path);
	if (symtab->link >= obj->nr_sections ||
	    obj->sections[symtab->link].type != SHT_STRTAB)
		return ks_fail(ld->err, "%s: symbol table has no string table",
			       obj->path);
	data = elf_getdata(elf_getscn(ld->elf, symtab->index), NULL);
	if (!data)
		return fail_elf(ld, "cannot read the symbol table");
	shndx_data = find_shndx_data(ld, symtab->index);
	n = symtab->size / entsize;
	obj->symbols = xcalloc(n, sizeof(struct elf_symbol));
	obj->nr_symbols = n;
	for (i = 0; i < n; i++) {
		struct elf_symbol *sym = &obj->symbols[i];
		GElf_Word xndx = 0;
		GElf_Sym gsym;

		if (!gelf_getsymshndx(data, shndx_data, i, &gsym, &xndx))
			return fail_elf(ld, "bad symbol");
		sym->index = i;
		sym->name = elf_strptr(ld->elf, symtab->link, gsym.st_name);
		if (!sym->name)
			return ks_fail(ld->err, "%s: symbol %zu has a bad name",
				       obj->path, i);
		sym->bind = GELF_ST_BIND(gsym.st_info);
		sym->type = GELF_ST_TYPE(gsym.st_info);
		sym->value = gsym.st_value;
		sym->size = gsym.st_size;
		if (resolve_symbol_section(ld, sym, &gsym, xndx))
			return -1;
	}
	return 0;
}

/* REL objects keep the addend in the bytes the relocation will patch. */
static int64_t read_implicit_addend(const unsigned char *p, int size)
{
	uint64_t v = 0;
	int i;

	for (i = size - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	switch (size) {
	case 1:
		return (int8_t)v;
	case 2:
		return (int16_t)v;
	case 4:
		return (int32_t)v;
	default:
		return (int64_t)v;
	}
}

static int load_one_reloc(struct loader *ld, struct elf_section *rsec,
			  struct elf_section *target, Elf_Data *data,
			  size_t i, struct elf_reloc *r)
{
	struct elf_object *obj = ld->obj;
	uint64_t info, sym_index;

	if (rsec->type == SHT_RELA) {
		GElf_Rela rela;

		if (!gelf_getrela(data, i, &rela))
			return fail_elf(ld, "bad relocation");
		r->offset = rela.r_offset;
		r->addend = rela.r_addend;
		info = rela.r_info;
	} else {
		GElf_Rel rel;

		if (!gelf_getrel(data, i, &rel))
			return fail_elf(ld, "bad relocation");
		r->offset = rel.r_offset;
		info = rel.r_info;
	}
	/* gelf hands out r_info in the 64-bit layout for both classes. */
	r->type = GELF_R_TYPE(info);
	sym_index = GELF_R_SYM(info);
	if (sym_index >= obj->nr_symbols)
		return ks_fail(ld->err, "%s: relocation %zu in %s has bad symbol index",
			       obj->path, i, rsec->name);
	r->sym = &obj->symbols[sym_index];
	r->size = reloc_field_size(obj->machine, r->type);
	if (r->size < 0)
		return ks_fail(ld->err, "%s: unsupported relocation type %u at %s+0x%llx",
			       obj->path, r->type, target->name,
			       (unsigned long long)r->offset);
	if (r->offset > target->size || (uint64_t)r->size > target->size - r->offset ||
	    (r->size && !target->data))
		return ks_fail(ld->err, "%s: relocation at %s+0x%llx lies outside the section",
			       obj->path, target->name,
			       (unsigned long long)r->offset);
	/* A field-less relocation (R_386_NONE) may sit in a section without data. */
	if (rsec->type == SHT_REL)
		r->addend = r->size ? read_implicit_addend(target->data + r->offset, r->size) : 0;
	return 0;
}

static int compare_relocs(const void *a, const void *b)
{
	const struct elf_reloc *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return 0;
}

static int load_reloc_section(struct loader *ld, struct elf_section *rsec)
{
	struct elf_object *obj = ld->obj;
	struct elf_section *target;
	GElf_Shdr shdr;
	Elf_Data *data;
	size_t entsize, n, i;

	if (rsec->info == 0 || rsec->info >= obj->nr_sections)
		return ks_fail(ld->err, "%s: relocation section %s has bad target",
			       obj->path, rsec->name);
	if (!obj->nr_symbols || rsec->link >= obj->nr_sections ||
	    obj->sections[rsec->link].type != SHT_SYMTAB)
		return ks_fail(ld->err, "%s: relocation section %s has no symbol table",
			       obj->path, rsec->name);
	target = &obj->sections[rsec->info];
	if (target->reloc_section)
		return ks_fail(ld->err, "%s: section %s has two relocation sections",
			       obj->path, target->name);
	entsize = gelf_fsize(ld->elf, rsec->type == SHT_RELA ? ELF_T_RELA
							     : ELF_T_REL,
			     1, EV_CURRENT);
	if (!gelf_getshdr(elf_getscn(ld->elf, rsec->index), &shdr) ||
	    !entsize || rsec->size % entsize)
		return ks_fail(ld->err, "%s: malformed relocation section %s",
			       obj->path, rsec->name);
	n = rsec->size / entsize;
	data = n ? elf_getdata(elf_getscn(ld->elf, rsec->index), NULL) : NULL;
	if (n && !data)
		return fail_elf(ld, "cannot read relocations");
	target->reloc_section = rsec;
	target->relocs = xcalloc(n, sizeof(struct elf_reloc));
	target->nr_relocs = n;
	for (i = 0; i < n; i++)
		if (load_one_reloc(ld, rsec, target, data, i, &target->relocs[i]))
			return -1;
	qsort(target->relocs, n, sizeof(struct elf_reloc), compare_relocs);
	return 0;
}

static int load_relocations(struct loader *ld)
{
	struct elf_object *obj = ld->obj;
	size_t i;

	for (i = 0; i < obj->nr_sections; i++) {
		struct elf_section *sec = &obj->sections[i];

		if ((sec->type == SHT_RELA || sec->type == SHT_REL) &&
		    load_reloc_section(ld, sec))
			return -1;
	}
	return 0;
}

static int compare_symbols_by_value(const void *a, const void *b)
{
	const struct elf_symbol *x = *(struct elf_symbol *const *)a;
	const struct elf_symbol *y = *(struct elf_symbol *const *)b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static void index_section_symbols(struct elf_object *obj)
{
	size_t i;

	for (i = 0; i < obj->nr_symbols; i++) {
		struct elf_symbol *sym = &obj->symbols[i];
		struct elf_section *sec = sym->sec;

		if (!sec)
			continue;
		if (sym->type == STT_SECTION) {
			if (!sec->section_sym)
				sec->section_sym = sym;
			continue;
		}
		if (!elf_symbol_is_named(sym))
			continue;
		sec->syms = xrealloc(sec->syms,
				     (sec->nr_syms + 1) * sizeof(*sec->syms));
		sec->syms[sec->nr_syms++] = sym;
	}
	for (i = 0; i < obj->nr_sections; i++) {
		struct elf_section *sec = &obj->sections[i];

		if (sec->nr_syms > 1)
			qsort(sec->syms, sec->nr_syms, sizeof(*sec->syms),
			      compare_symbols_by_value);
	}
}

struct elf_object *elf_object_load(const char *path, struct ks_error *err)
{
	struct elf_object *obj = xcalloc(1, sizeof(*obj));
	struct loader ld = { .obj = obj, .err = err };
	struct stat st;

	obj->path = xstrdup(path);
	obj->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (obj->fd < 0) {
		ks_fail(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(obj->fd, &st)) {
		ks_fail(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ld.file_size = st.st_size;
	elf_version(EV_CURRENT);
	ld.elf = elf_begin(obj->fd, ELF_C_READ, NULL);
	obj->elf = ld.elf;
	if (!ld.elf) {
		fail_elf(&ld, "cannot read");
		goto fail;
	}
	if (check_header(&ld) || load_sections(&ld) || load_symbols(&ld) ||
	    load_relocations(&ld))
		goto fail;
	index_section_symbols(obj);
	return obj;
fail:
	elf_object_free(obj);
	return NULL;
}

void elf_object_free(struct elf_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = 0; i < obj->nr_sections; i++) {
		free(obj->sections[i].relocs);
		free(obj->sections[i].syms);
	}
	free(obj->sections);
	free(obj->symbols);
	if (obj->elf)
		elf_end(obj->elf);
	if (obj->fd >= 0)
		close(obj->fd);
	free(obj->path);
	free(obj);
}

struct elf_section *elf_object_find_section(const struct elf_object *obj,
					    const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_sections; i++)
		if (!strcmp(obj->sections[i].name, name))
			return &obj->sections[i];
	return NULL;
}

struct elf_symbol *elf_object_find_symbol(const struct elf_object *obj,
					  const char *name)
{
	size_t i;

	for (i = 0; i < obj->nr_symbols; i++)
		if (!strcmp(obj->symbols[i].name, name))
			return &obj->symbols[i];
	return NULL;
}
