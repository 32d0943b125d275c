// SPDX-License-Identifier: GPL-2.0
#include <elf.h>

#include "create/reloc-types.h"

static int x86_64_field_size(uint32_t type)
{
	switch (type) {
	case R_X86_64_NONE:
		return 0;
	case R_X86_64_8:
	case R_X86_64_PC8:
		return 1;
	case R_X86_64_16:
	case R_X86_64_PC16:
		return 2;
	case R_X86_64_PC32:
	case R_X86_64_GOT32:
	case R_X86_64_PLT32:
	case R_X86_64_GOTPCREL:
	case R_X86_64_32:
	case R_X86_64_32S:
	case R_X86_64_DTPOFF32:
	case R_X86_64_TPOFF32:
	case R_X86_64_GOTPC32:
	case R_X86_64_SIZE32:
	case R_X86_64_GOTPCRELX:
	case R_X86_64_REX_GOTPCRELX:
		return 4;
	case R_X86_64_64:
	case R_X86_64_PC64:
	case R_X86_64_GOTOFF64:
	case R_X86_64_SIZE64:
		return 8;
	default:
		return -1;
	}
}

static int i386_field_size(uint32_t type)
{
	switch (type) {
	case R_386_NONE:
		return 0;
	case R_386_8:
	case R_386_PC8:
		return 1;
	case R_386_16:
	case R_386_PC16:
		return 2;
	case R_386_32:
	case R_386_PC32:
	case R_386_GOT32:
	case R_386_PLT32:
	case R_386_GOTOFF:
	case R_386_GOTPC:
	case R_386_GOT32X:
		return 4;
	default:
		return -1;
	}
}

int reloc_field_size(uint16_t machine, uint32_t type)
{
	if (machine == EM_X86_64)
		return x86_64_field_size(type);
	if (machine == EM_386)
		return i386_field_size(type);
	return -1;
}

bool reloc_is_pc_relative(uint16_t machine, uint32_t type)
{
	if (machine == EM_X86_64)
		return type == R_X86_64_PC8 || type == R_X86_64_PC16 ||
		       type == R_X86_64_PC32 || type == R_X86_64_PLT32 ||
		       type == R_X86_64_GOTPCREL || type == R_X86_64_PC64 ||
		       type == R_X86_64_GOTPC32 ||
		       type == R_X86_64_GOTPCRELX ||
		       type == R_X86_64_REX_GOTPCRELX;
	if (machine == EM_386)
		return type == R_386_PC8 || type == R_386_PC16 ||
		       type == R_386_PC32 || type == R_386_PLT32 ||
		       type == R_386_GOTPC;
	return false;
}
