// SPDX-License-Identifier: GPL-2.0
/*
 * bpf-lsm-load HOOK: load (not attach) a BPF LSM program for HOOK (e.g.
 * bpf_lsm_file_open) and print "loaded", or "refused: " and the
 * verifier's log. A guest test tool: the corpus checks use it to see what
 * the running kernel's bpf_lsm_verify_prog decides (its BTF ID sets).
 * The hook's BTF ID comes from /sys/kernel/btf/vmlinux.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char *read_btf(size_t *len)
{
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY);
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	ssize_t got;

	if (fd < 0 || !buf)
		return NULL;
	while ((got = read(fd, buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			return NULL;
	}
	close(fd);
	*len = n;
	return got < 0 ? NULL : buf;
}

/* Bytes that follow a struct btf_type of this kind (uapi linux/btf.h). */
static size_t extra_bytes(const struct btf_type *t)
{
	unsigned int vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	default:
		return 0;
	}
}

/* The ID of the BTF_KIND_FUNC called @name, or 0. */
static uint32_t func_id(const char *btf, size_t len, const char *name)
{
	const struct btf_header *h = (const void *)btf;
	const char *types = btf + h->hdr_len + h->type_off;
	const char *strs = btf + h->hdr_len + h->str_off;
	size_t off = 0;
	uint32_t id = 1;

	if (len < sizeof(*h) || h->magic != BTF_MAGIC)
		return 0;
	while (off + sizeof(struct btf_type) <= h->type_len) {
		const struct btf_type *t = (const void *)(types + off);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_FUNC && t->name_off < h->str_len &&
		    !strcmp(strs + t->name_off, name))
			return id;
		off += sizeof(*t) + extra_bytes(t);
		id++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static char log[4096];
	union bpf_attr attr;
	size_t len;
	char *btf;
	uint32_t id;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: bpf-lsm-load HOOK\n");
		return 2;
	}
	btf = read_btf(&len);
	id = btf ? func_id(btf, len, argv[1]) : 0;
	if (!id) {
		printf("error: no BTF function %s\n", argv[1]);
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_LSM;
	attr.expected_attach_type = BPF_LSM_MAC;
	attr.attach_btf_id = id;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = sizeof(insns) / sizeof(insns[0]);
	attr.license = (uintptr_t)"GPL";
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0) {
		printf("loaded\n");
		return 0;
	}
	printf("refused: %s: %s\n", strerror(errno), log);
	return 1;
}
