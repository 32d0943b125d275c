// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "create/module-elf-writer.h"
#include "create/reloc-types.h"

/* A string table being built. */
struct strtab {
	char *buf;
	size_t len, cap;
};

static size_t strtab_add(struct strtab *t, const char *s)
{
	size_t n = strlen(s) + 1, at = t->len;

	module_grow((void **)&t->buf, &t->cap, t->len + n, 1);
	memcpy(t->buf + at, s, n);
	t->len += n;
	return at;
}

struct writer {
	const struct module_image *img;
	Elf *elf;
	bool rela;
	struct strtab shstr, str;
	GElf_Sym *syms;
	size_t nr_syms, cap_syms, first_global;
	size_t *sec_ndx;	/* ELF index of image section i */
	size_t *sec_sym;	/* symbol index of section i's STT_SECTION */
	char **undef;		/* undefined symbol names, by symbol index */
	size_t symtab_ndx;
	void **buffers;		/* freed after elf_update */
	size_t nr_buffers, cap_buffers;
};

static void *keep_buffer(struct writer *w, size_t size)
{
	void *p = xcalloc(1, size);

	module_grow((void **)&w->buffers, &w->cap_buffers, w->nr_buffers + 1,
		   sizeof(void *));
	w->buffers[w->nr_buffers++] = p;
	return p;
}

static size_t add_sym(struct writer *w, const char *name, unsigned char bind,
		      unsigned char type, size_t shndx, uint64_t value,
		      uint64_t size)
{
	GElf_Sym *s;

	module_grow((void **)&w->syms, &w->cap_syms, w->nr_syms + 1, sizeof(*s));
	w->undef = xrealloc(w->undef, (w->nr_syms + 1) * sizeof(char *));
	w->undef[w->nr_syms] = NULL;
	s = &w->syms[w->nr_syms];
	memset(s, 0, sizeof(*s));
	s->st_name = name && *name ? strtab_add(&w->str, name) : 0;
	s->st_info = GELF_ST_INFO(bind, type);
	s->st_shndx = shndx;
	s->st_value = value;
	s->st_size = size;
	return w->nr_syms++;
}

static Elf_Scn *new_section(struct writer *w, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = elf_newscn(w->elf);

	sh->sh_name = strtab_add(&w->shstr, name);
	return scn;
}

static void set_data(Elf_Scn *scn, void *buf, size_t size, Elf_Type type,
		     size_t align)
{
	Elf_Data *d = elf_newdata(scn);

	d->d_buf = buf;
	d->d_size = size;
	d->d_type = type;
	d->d_align = align;
	d->d_version = EV_CURRENT;
}

static void write_field(unsigned char *p, int size, int64_t v)
{
	int i;

	for (i = 0; i < size; i++)
		p[i] = (unsigned char)((uint64_t)v >> (8 * i));
}

static void add_image_sections(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->img->nr_secs; i++) {
		const struct image_section *s = &w->img->secs[i];
		GElf_Shdr sh = { 0 };
		Elf_Scn *scn = new_section(w, s->name, &sh);
		void *buf = NULL;

		if (s->type != SHT_NOBITS && s->size) {
			buf = keep_buffer(w, s->size);
			memcpy(buf, s->data, s->size);
		}
		sh.sh_type = s->type;
		sh.sh_flags = s->flags;
		sh.sh_addralign = s->align;
		sh.sh_size = s->size;
		set_data(scn, buf, s->size, ELF_T_BYTE, s->align);
		gelf_update_shdr(scn, &sh);
		w->sec_ndx[i] = elf_ndxscn(scn);
	}
}

/* No executable stack wanted (ld warns about objects without the note). */
static void add_stack_note(struct writer *w)
{
	GElf_Shdr sh = { 0 };
	Elf_Scn *scn = new_section(w, ".note.GNU-stack", &sh);

	sh.sh_type = SHT_PROGBITS;
	sh.sh_addralign = 1;
	gelf_update_shdr(scn, &sh);
}

static void add_symbols(struct writer *w)
{
	const struct module_image *img = w->img;
	size_t i, k;

	add_sym(w, NULL, STB_LOCAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
	for (i = 0; i < img->nr_secs; i++)
		w->sec_sym[i] = add_sym(w, NULL, STB_LOCAL, STT_SECTION,
					w->sec_ndx[i], 0, 0);
	for (i = 0; i < img->nr_secs; i++)
		for (k = 0; k < img->secs[i].nr_syms; k++) {
			const struct image_symbol *s = &img->secs[i].syms[k];

			add_sym(w, s->name, STB_LOCAL, s->type, w->sec_ndx[i],
				s->value, s->size);
		}
	w->first_global = w->nr_syms;
	for (i = 0; i < img->nr_secs; i++)
		add_sym(w, img->secs[i].global, STB_GLOBAL, STT_NOTYPE,
			w->sec_ndx[i], 0, 0);
}

static size_t undefined_symbol(struct writer *w, const char *name)
{
	size_t i;

	for (i = w->first_global; i < w->nr_syms; i++)
		if (w->undef[i] && !strcmp(w->undef[i], name))
			return i;
	i = add_sym(w, name, STB_GLOBAL, STT_NOTYPE, SHN_UNDEF, 0, 0);
	w->undef[i] = (char *)name;
	return i;
}

/* Symbols must all exist before .symtab is written: relocations first. */
static void add_relocations(struct writer *w, size_t sec)
{
	const struct image_section *s = &w->img->secs[sec];
	Elf_Type type = w->rela ? ELF_T_RELA : ELF_T_REL;
	size_t entsize = gelf_fsize(w->elf, type, 1, EV_CURRENT);
	GElf_Shdr sh = { 0 };
	Elf_Scn *scn, *target;
	Elf_Data *d;
	char *name;
	size_t i;

	if (!s->nr_relocs)
		return;
	name = xasprintf("%s%s", w->rela ? ".rela" : ".rel", s->name);
	scn = new_section(w, name, &sh);
	free(name);
	set_data(scn, keep_buffer(w, entsize * s->nr_relocs),
		 entsize * s->nr_relocs, type, 8);
	d = elf_getdata(scn, NULL);
	target = elf_getscn(w->elf, w->sec_ndx[sec]);
	for (i = 0; i < s->nr_relocs; i++) {
		const struct image_reloc *r = &s->relocs[i];
		size_t sym = r->target >= 0 ? w->sec_sym[r->target]
					    : undefined_symbol(w, r->symbol);

		if (w->rela) {
			GElf_Rela rela = { r->offset, GELF_R_INFO(sym, r->type),
					   r->addend };

			gelf_update_rela(d, (int)i, &rela);
		} else {
			GElf_Rel rel = { r->offset, GELF_R_INFO(sym, r->type) };
			Elf_Data *td = elf_getdata(target, NULL);
			int size = reloc_field_size(w->img->machine, r->type);

			gelf_update_rel(d, (int)i, &rel);
			write_field((unsigned char *)td->d_buf + r->offset,
				    size, r->addend);
		}
	}
	sh.sh_type = w->rela ? SHT_RELA : SHT_REL;
	sh.sh_flags = SHF_INFO_LINK;
	sh.sh_entsize = entsize;
	sh.sh_addralign = 8;
	sh.sh_info = w->sec_ndx[sec];
	sh.sh_link = w->symtab_ndx;
	gelf_update_shdr(scn, &sh);
}

static void add_symtab(struct writer *w, Elf_Scn *symtab, size_t strtab_ndx)
{
	size_t entsize = gelf_fsize(w->elf, ELF_T_SYM, 1, EV_CURRENT);
	GElf_Shdr sh;
	Elf_Data *d;
	size_t i;

	set_data(symtab, keep_buffer(w, entsize * w->nr_syms),
		 entsize * w->nr_syms, ELF_T_SYM, 8);
	d = elf_getdata(symtab, NULL);
	for (i = 0; i < w->nr_syms; i++)
		gelf_update_sym(d, (int)i, &w->syms[i]);
	gelf_getshdr(symtab, &sh);
	sh.sh_type = SHT_SYMTAB;
	sh.sh_entsize = entsize;
	sh.sh_addralign = 8;
	sh.sh_link = strtab_ndx;
	sh.sh_info = w->first_global;
	gelf_update_shdr(symtab, &sh);
}

static void add_strtab(Elf_Scn *scn, struct strtab *t)
{
	GElf_Shdr sh;

	set_data(scn, t->buf, t->len, ELF_T_BYTE, 1);
	gelf_getshdr(scn, &sh);
	sh.sh_type = SHT_STRTAB;
	sh.sh_addralign = 1;
	gelf_update_shdr(scn, &sh);
}

static int write_all(struct writer *w, struct ks_error *err)
{
	GElf_Shdr sh = { 0 }, str_sh = { 0 }, shstr_sh = { 0 };
	Elf_Scn *symtab, *strtab, *shstrtab;
	GElf_Ehdr eh;
	size_t i;

	strtab_add(&w->shstr, "");
	strtab_add(&w->str, "");
	add_image_sections(w);
	add_stack_note(w);
	add_symbols(w);
	symtab = new_section(w, ".symtab", &sh);
	gelf_update_shdr(symtab, &sh);
	w->symtab_ndx = elf_ndxscn(symtab);
	for (i = 0; i < w->img->nr_secs; i++)
		add_relocations(w, i);
	strtab = new_section(w, ".strtab", &str_sh);
	gelf_update_shdr(strtab, &str_sh);
	shstrtab = new_section(w, ".shstrtab", &shstr_sh);
	gelf_update_shdr(shstrtab, &shstr_sh);
	add_symtab(w, symtab, elf_ndxscn(strtab));
	add_strtab(strtab, &w->str);
	add_strtab(shstrtab, &w->shstr);
	if (!gelf_getehdr(w->elf, &eh))
		return ks_fail(err, "ELF header: %s", elf_errmsg(-1));
	eh.e_shstrndx = elf_ndxscn(shstrtab);	/* few sections: no escape */
	if (!gelf_update_ehdr(w->elf, &eh) || elf_update(w->elf, ELF_C_WRITE) < 0)
		return ks_fail(err, "writing ELF: %s", elf_errmsg(-1));
	return 0;
}

static int new_header(struct writer *w, struct ks_error *err)
{
	GElf_Ehdr eh;

	if (!gelf_newehdr(w->elf, w->img->elf_class) || !gelf_getehdr(w->elf, &eh))
		return ks_fail(err, "ELF header: %s", elf_errmsg(-1));
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_REL;
	eh.e_machine = w->img->machine;
	eh.e_version = EV_CURRENT;
	gelf_update_ehdr(w->elf, &eh);
	return 0;
}

static void free_writer(struct writer *w)
{
	size_t i;

	for (i = 0; i < w->nr_buffers; i++)
		free(w->buffers[i]);
	free(w->buffers);
	free(w->shstr.buf);
	free(w->str.buf);
	free(w->syms);
	free(w->undef);
	free(w->sec_ndx);
	free(w->sec_sym);
}

int image_write_elf(const struct module_image *img, const char *path,
		    struct ks_error *err)
{
	struct writer w = { .img = img, .rela = img->elf_class == ELFCLASS64 };
	int fd, ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return ks_fail(err, "libelf: %s", elf_errmsg(-1));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return ks_fail(err, "cannot write %s: %s", path, strerror(errno));
	w.elf = elf_begin(fd, ELF_C_WRITE, NULL);
	w.sec_ndx = xcalloc(img->nr_secs + 1, sizeof(size_t));
	w.sec_sym = xcalloc(img->nr_secs + 1, sizeof(size_t));
	ret = !w.elf ? ks_fail(err, "libelf: %s", elf_errmsg(-1))
		     : new_header(&w, err) ?: write_all(&w, err);
	if (w.elf)
		elf_end(w.elf);
	if (close(fd) && !ret)
		ret = ks_fail(err, "writing %s: %s", path, strerror(errno));
	free_writer(&w);
	return ret;
}
