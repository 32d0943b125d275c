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

u64 offline_target_running(const struct offline_target *t, u64 addr)
{
	return t->module ? addr : offline_to_running(t->kernel, addr);
}

static int read_target(void *ctx, u64 addr, void *buf, size_t len)
{
	const struct offline_target *t = ctx;

	if (!t->module)
		return vmlinux_read(t->kernel->image, addr, buf, len);
	if (module_place_contains(t->module, addr))
		return module_place_read(t->module, addr, buf, len);
	return vmlinux_read(t->kernel->image, offline_to_link(t->kernel, addr), buf, len);
}

/* Like ksplice.ko: a module's own symbols first, vmlinux for names it lacks. */
static size_t lookup_target(void *ctx, const char *name, u64 *addrs, size_t max)
{
	const struct offline_target *t = ctx;
	const struct kallsyms_dump *ks = t->kernel->kallsyms;
	size_t n, i;

	if (t->module) {
		n = kallsyms_lookup_module(ks, t->module->name, name, addrs, max);
		return n ? n : kallsyms_lookup(ks, name, addrs, max);
	}
	n = kallsyms_lookup(ks, name, addrs, max);
	for (i = 0; i < n && i < max; i++)
		addrs[i] = offline_to_link(t->kernel, addrs[i]);
	return n;
}

const struct ksplice_match_ops offline_match_ops = {
	.read = read_target,
	.lookup = lookup_target,
};
