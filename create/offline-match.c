// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "create/offline-match.h"

int offline_kernel_init(struct offline_kernel *k, const struct vmlinux_image *image,
			const struct kallsyms_dump *kallsyms, struct ks_error *err)
{
	u64 image_text = image->etext - image->text;
	u64 running_text = kallsyms->etext_addr - kallsyms->text_addr;

	k->image = image;
	k->kallsyms = kallsyms;
	k->displacement = kallsyms->text_addr - image->text;
	if (k->displacement & 0xfff)
		return ks_fail(err, "the kallsyms dump is not of a kernel booted from this vmlinux: _text is at 0x%" PRIx64 " there and 0x%" PRIx64 " in the image (not a page-aligned displacement)",
			       kallsyms->text_addr, image->text);
	if (kallsyms->etext_addr && image->etext && running_text != image_text)
		return ks_fail(err, "the kallsyms dump is not of a kernel booted from this vmlinux: its text is 0x%" PRIx64 " bytes, the image's 0x%" PRIx64,
			       running_text, image_text);
	return 0;
}

u64 offline_to_link(const struct offline_kernel *k, u64 running)
{
	return running >= k->kallsyms->text_addr ? running - k->displacement : running;
}

u64 offline_to_running(const struct offline_kernel *k, u64 link)
{
	return link >= k->image->text ? link + k->displacement : link;
}

static int read_image(void *ctx, u64 addr, void *buf, size_t len)
{
	const struct offline_kernel *k = ctx;

	return vmlinux_read(k->image, addr, buf, len);
}

static size_t lookup_kallsyms(void *ctx, const char *name, u64 *addrs, size_t max)
{
	const struct offline_kernel *k = ctx;
	size_t n = kallsyms_lookup(k->kallsyms, name, addrs, max), i;

	for (i = 0; i < n && i < max; i++)
		addrs[i] = offline_to_link(k, addrs[i]);
	return n;
}

const struct ksplice_match_ops offline_match_ops = {
	.read = read_image,
	.lookup = lookup_kallsyms,
};
