// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "create/vmlinux-image.h"

static int map_file(const char *path, struct vmlinux_image *img, struct ks_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *p;

	if (fd < 0)
		return ks_fail(err, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < 64) {
		close(fd);
		return ks_fail(err, "not a vmlinux: not a regular file of ELF size");
	}
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return ks_fail(err, "cannot map: %s", strerror(errno));
	img->map = p;
	img->map_size = st.st_size;
	return 0;
}

static int check_header(Elf *elf, size_t size, struct vmlinux_image *img, struct ks_error *err)
{
	GElf_Ehdr eh;

	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		if (elf_kind(elf) != ELF_K_ELF)
			return ks_fail(err, "not an ELF file (a compressed vmlinuz? extract it first: see docs/tools.md)");
		return ks_fail(err, "bad ELF header: %s", elf_errmsg(-1));
	}
	if (!(eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_machine == EM_X86_64) &&
	    !(eh.e_ident[EI_CLASS] == ELFCLASS32 && eh.e_machine == EM_386))
		return ks_fail(err, "not an x86-64 or i386 kernel image (ELF machine %u, class %u)",
			       eh.e_machine, eh.e_ident[EI_CLASS]);
	img->machine = eh.e_machine;
	if (eh.e_type != ET_EXEC)
		return ks_fail(err, "not a vmlinux: an ELF %s, not an executable",
			       eh.e_type == ET_REL ? "object or module" : "file");
	if (!eh.e_shoff || eh.e_shoff > size ||
	    (u64)eh.e_shnum * eh.e_shentsize > size - eh.e_shoff)
		return ks_fail(err, "the section headers are missing or past the end of the file (truncated?)");
	return 0;
}

/* _text and _etext from the symbol table, if the image has one. */
static void symbols_from_symtab(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh,
				struct vmlinux_image *img)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t i, n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	GElf_Sym sym;
	const char *name;

	for (i = 0; data && i < n; i++) {
		if (!gelf_getsym(data, (int)i, &sym))
			break;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (name && !strcmp(name, "_text"))
			img->text = sym.st_value;
		else if (name && !strcmp(name, "_etext"))
			img->etext = sym.st_value;
	}
}

static int read_sections(Elf *elf, struct vmlinux_image *img, struct ks_error *err)
{
	size_t shstrndx, cap = 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const char *name;
	u64 text_start = 0, text_end = 0;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return ks_fail(err, "no section headers: %s", elf_errmsg(-1));
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return ks_fail(err, "bad section header: %s", elf_errmsg(-1));
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (sh.sh_type == SHT_SYMTAB)
			symbols_from_symtab(elf, scn, &sh, img);
		if (name && !strcmp(name, ".text")) {
			text_start = sh.sh_addr;
			text_end = sh.sh_addr + sh.sh_size;
		}
		if (!(sh.sh_flags & SHF_ALLOC) || !sh.sh_size)
			continue;
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_offset > img->map_size || sh.sh_size > img->map_size - sh.sh_offset))
			return ks_fail(err, "section %s lies outside the file (truncated?)",
				       name ? name : "?");
		if (img->nr_sections == cap) {
			cap = cap * 2 + 32;
			img->sections = xrealloc(img->sections, cap * sizeof(*img->sections));
		}
		img->sections[img->nr_sections++] = (struct vmlinux_section){
			sh.sh_addr, sh.sh_size, sh.sh_offset, sh.sh_type == SHT_NOBITS };
	}
	/* Without symbols (an extracted image): .text starts at _text and ends at _etext. */
	if (!img->text)
		img->text = text_start;
	if (!img->etext)
		img->etext = text_end;
	if (!img->text)
		return ks_fail(err, "no .text section and no _text symbol: not a kernel image");
	return 0;
}

int vmlinux_open(const char *path, struct vmlinux_image *img, struct ks_error *err)
{
	Elf *elf;
	int ret;

	memset(img, 0, sizeof(*img));
	if (map_file(path, img, err))
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)img->map, img->map_size);
	if (!elf)
		return ks_fail(err, "cannot read as ELF: %s", elf_errmsg(-1));
	ret = check_header(elf, img->map_size, img, err);
	if (!ret)
		ret = read_sections(elf, img, err);
	elf_end(elf);
	return ret;
}

void vmlinux_close(struct vmlinux_image *img)
{
	if (img->map)
		munmap(img->map, img->map_size);
	free(img->sections);
	memset(img, 0, sizeof(*img));
}

static const struct vmlinux_section *section_at(const struct vmlinux_image *img, u64 addr)
{
	size_t i;

	for (i = 0; i < img->nr_sections; i++) {
		const struct vmlinux_section *s = &img->sections[i];

		if (s->addr >= img->text && addr >= s->addr && addr - s->addr < s->size)
			return s;
	}
	return NULL;
}

int vmlinux_read(const struct vmlinux_image *img, u64 addr, void *buf, size_t len)
{
	unsigned char *out = buf;

	while (len) {
		const struct vmlinux_section *s = section_at(img, addr);
		u64 n;

		if (!s)
			return -1;
		n = s->addr + s->size - addr;
		if (n > len)
			n = len;
		if (s->nobits)
			memset(out, 0, n);
		else
			memcpy(out, img->map + s->offset + (addr - s->addr), n);
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}
