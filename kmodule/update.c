// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of update modules and the /sys/kernel/ksplice/<id>/
 * directories. A primary or helper module registers its descriptor from
 * its init function; modules with the same update id form one update, one
 * primary and one helper per target. The update's directory exists while
 * any of its modules is loaded.
 *
 * Attributes:
 *   stage        "preparing", "applied" or "reversed". Writing "match"
 *                runs run-pre matching of every target (a dry run: nothing
 *                is written to the kernel); "applied" applies the update and
 *                "reversed" undoes it (apply.c). Each sets abort_cause and
 *                debug.
 *   abort_cause  "ok", or why the last run failed (no_match, code_busy, ...).
 *   conflicts    "comm pid symbol" per task found in the way by the last
 *                apply or undo.
 *   debug        the first page of the log of the last run (root only: it
 *                shows addresses).
 *
 * The whole log (bounded: KSPLICE_DEBUG_SIZE) is
 * /sys/kernel/debug/ksplice/<id> when debugfs is there.
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/elf.h>
#include <linux/overflow.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "core/ksplice-api.h"
#include "core/update-validate.h"
#include "shadow.h"
#include "internal.h"

DEFINE_MUTEX(ksplice_mutex);
static LIST_HEAD(ksplice_updates);

#ifdef CONFIG_X86_64
#define KSPLICE_MACHINE EM_X86_64
#else
#define KSPLICE_MACHINE EM_386
#endif

/* Longest string a record may name (symbol names, string literals). */
#define KSPLICE_STRING_MAX 4096

/* --- the debug log ------------------------------------------------------ */

/* Room kept at the end of the buffer for the truncation notice. */
#define KSPLICE_LOG_RESERVE 128

void ksplice_log_reset(struct ksplice_update *u)
{
	u->debug_len = 0;
	u->debug_truncated = false;
	u->debug[0] = '\0';
}

/*
 * Append to the log; once it is full, one "log truncated" line ends it and
 * later messages are dropped (the log's memory is bounded).
 */
void ksplice_log(struct ksplice_update *u, const char *fmt, ...)
{
	size_t room = KSPLICE_DEBUG_SIZE - KSPLICE_LOG_RESERVE - u->debug_len;
	va_list ap;
	int want;

	if (u->debug_truncated)
		return;
	va_start(ap, fmt);
	want = vsnprintf(u->debug + u->debug_len, room, fmt, ap);
	va_end(ap);
	if (want >= 0 && want < room) {
		u->debug_len += want;
		return;
	}
	u->debug_len = KSPLICE_DEBUG_SIZE - KSPLICE_LOG_RESERVE - 1;
	u->debug_len += scnprintf(u->debug + u->debug_len, KSPLICE_DEBUG_SIZE - u->debug_len,
				  "\n... log truncated (it is capped at %u KiB)\n",
				  KSPLICE_DEBUG_SIZE / 1024);
	u->debug_truncated = true;
}

/* /sys/kernel/debug/ksplice/<id>: the whole log of the last run. */
static int log_show(struct seq_file *sf, void *unused)
{
	struct ksplice_update *u = sf->private;

	mutex_lock(&ksplice_mutex);
	seq_write(sf, u->debug, u->debug_len);
	mutex_unlock(&ksplice_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(log);

/* --- validating what a module registers --------------------------------- */

/*
 * A pointer field that fits this machine and points into @mod's core (not
 * its init sections, which are freed once the module's init has run).
 */
static bool ptr_in(u64 raw, const struct module *mod)
{
	return raw == (unsigned long)raw && within_module_core((unsigned long)raw, mod);
}

/* @n records of @size bytes at @raw, all inside @mod (no wrap-around). */
static bool array_in(u64 raw, u64 n, size_t size, const struct module *mod)
{
	u64 bytes, last;

	if (!n)
		return true;
	if (check_mul_overflow(n, (u64)size, &bytes) || check_add_overflow(raw, bytes - 1, &last))
		return false;
	return ptr_in(raw, mod) && ptr_in(last, mod);
}

/* A NUL-terminated string inside @mod. */
static bool string_in(u64 raw, const struct module *mod)
{
	const char *s = (const char *)(unsigned long)raw;
	size_t i;

	for (i = 0; i < KSPLICE_STRING_MAX; i++) {
		if (!ptr_in(raw + i, mod))
			return false;
		if (!s[i])
			return true;
	}
	return false;
}

static bool valid_id(const char *id)
{
	size_t i, len = strlen(id);

	if (!len || len > KSPLICE_ID_MAX || !strcmp(id, ".") || !strcmp(id, ".."))
		return false;
	/* ASCII only: the kernel's isalnum() takes Latin-1 letters (0xc0-0xff) too. */
	for (i = 0; i < len; i++)
		if (!(id[i] >= 'a' && id[i] <= 'z') && !(id[i] >= 'A' && id[i] <= 'Z') &&
		    !(id[i] >= '0' && id[i] <= '9') && id[i] != '_' && id[i] != '-' && id[i] != '.')
			return false;
	return true;
}

static const char *check_header(const struct ksplice_module_desc *d, const struct module *mod)
{
	const char *why = ksplice_validate_desc(d);

	if (why)
		return why;
	if (d->machine != KSPLICE_MACHINE)
		return "built for another machine";
	if (!string_in(d->id_raw, mod) || !string_in(d->target_raw, mod))
		return "update id or target name outside the module";
	if (!valid_id(d->id))
		return "update id is not 1-64 of [A-Za-z0-9_.-]";
	if (strlen(d->target) >= MODULE_NAME_LEN || strchr(d->target, '/'))
		return "target name is not a module name";
	if (!array_in(d->relocs_raw, d->nr_relocs, sizeof(*d->relocs), mod) ||
	    !array_in(d->sections_raw, d->nr_sections, sizeof(*d->sections), mod) ||
	    !array_in(d->sites_raw, d->nr_sites, sizeof(*d->sites), mod) ||
	    !array_in(d->patches_raw, d->nr_patches, sizeof(*d->patches), mod) ||
	    !array_in(d->hooks_raw, d->nr_hooks, sizeof(*d->hooks), mod))
		return "record arrays outside the module";
	return NULL;
}

static const char *check_reloc(const struct ksplice_module_desc *d, const struct ksplice_reloc *r,
			       const struct module *mod)
{
	const char *why = ksplice_validate_reloc(r, d->nr_sections);

	if (why)
		return why;
	if (!array_in(r->site_raw, r->size, 1, mod))
		return "relocation field outside the module";
	if (ksplice_reloc_is_btf(r) && d->kind != KSPLICE_PRIMARY)
		return "BTF ID relocation in a helper";
	if (r->target_kind == KSPLICE_TARGET_BTF_SET &&
	    !array_in(r->site_raw, (u64)r->addend + 1, r->len, mod))
		return "BTF ID set outside the module";
	if (r->target_kind == KSPLICE_TARGET_CONST) {
		if (!array_in(r->name_raw, r->len, 1, mod))
			return "relocation target constant outside the module";
	} else if (r->target_kind != KSPLICE_TARGET_SECTION && !string_in(r->name_raw, mod)) {
		return "relocation target name outside the module";
	}
	return NULL;
}

static const char *check_section(const struct ksplice_section *s, const struct module *mod)
{
	if (!s->size || !array_in(s->address_raw, s->size, 1, mod))
		return "section empty or outside the module";
	if (!string_in(s->symbol_raw, mod))
		return "section symbol outside the module";
	return NULL;
}

static const char *check_site(const struct ksplice_site *s, const struct module *mod)
{
	const char *why = ksplice_validate_site(s);

	if (why)
		return why;
	if (!array_in(s->address_raw, s->len, 1, mod) ||
	    !array_in(s->replacement_raw, s->replacement_len, 1, mod))
		return "rewritten site outside the module";
	return NULL;
}

static const char *check_patch(const struct ksplice_module_desc *d, const struct ksplice_patch *p,
			       const struct module *mod)
{
	const char *why = ksplice_validate_patch(p);

	if (why)
		return why;
	if (!string_in(p->old_name_raw, mod))
		return "patch name outside the module";
	if (p->kind != KSPLICE_PATCH_ERROR_STUB && !ptr_in(p->new_address_raw, mod))
		return "replacement code or data outside the module";
	return NULL;
}

static const char *check_hook(const struct ksplice_hook *h, const struct module *mod)
{
	const char *why = ksplice_validate_hook(h);

	if (why)
		return why;
	if (!ptr_in(h->fn_raw, mod))
		return "hook function outside the module";
	return NULL;
}

/* NULL if @d (of module @mod) is sound, else what is wrong and @where. */
const char *ksplice_check_module(const struct ksplice_module_desc *d, const struct module *mod,
				 char *where, size_t len)
{
	const char *why;
	u64 i;

	snprintf(where, len, "descriptor");
	if (!array_in((unsigned long)d, 1, sizeof(*d), mod))
		return "descriptor outside the module";
	why = check_header(d, mod);
	if (why)
		return why;
	for (i = 0; i < d->nr_relocs; i++) {
		snprintf(where, len, "relocation %llu", i);
		why = check_reloc(d, &d->relocs[i], mod);
		if (why)
			return why;
	}
	for (i = 0; i < d->nr_sections; i++) {
		snprintf(where, len, "section %llu", i);
		why = check_section(&d->sections[i], mod);
		if (why)
			return why;
	}
	for (i = 0; i < d->nr_sites; i++) {
		snprintf(where, len, "site %llu", i);
		why = check_site(&d->sites[i], mod);
		if (why)
			return why;
	}
	for (i = 0; i < d->nr_patches; i++) {
		snprintf(where, len, "patch %llu", i);
		why = check_patch(d, &d->patches[i], mod);
		if (why)
			return why;
	}
	for (i = 0; i < d->nr_hooks; i++) {
		snprintf(where, len, "hook %llu", i);
		why = check_hook(&d->hooks[i], mod);
		if (why)
			return why;
	}
	return NULL;
}

/* --- sysfs ---------------------------------------------------------------- */

#define to_update(k) container_of(k, struct ksplice_update, kobj)

static ssize_t stage_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct ksplice_update *u = to_update(kobj);
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%s\n", ksplice_stage_name(u));
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static ssize_t stage_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct ksplice_update *u = to_update(kobj);
	ssize_t ret = count;

	void (*run)(struct ksplice_update *u);

	if (sysfs_streq(buf, "match"))
		run = ksplice_match_update;
	else if (sysfs_streq(buf, "applied"))
		run = ksplice_apply_update;
	else if (sysfs_streq(buf, "reversed"))
		run = ksplice_reverse_update;
	else
		return -EINVAL;
	mutex_lock(&ksplice_mutex);
	if (list_empty(&u->list))
		ret = -ENODEV;	/* its last module is being removed */
	else
		run(u);
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static ssize_t abort_cause_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct ksplice_update *u = to_update(kobj);
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%s\n", u->abort_cause);
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static ssize_t conflicts_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct ksplice_update *u = to_update(kobj);
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	ret = sysfs_emit(buf, "%s", u->patch.conflicts);
	mutex_unlock(&ksplice_mutex);
	return ret;
}

/* The log's first page; the whole log is in debugfs. */
static ssize_t debug_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	static const char more[] = "... (first page only: the whole log is in "
				   "/sys/kernel/debug/ksplice/%s)\n";
	struct ksplice_update *u = to_update(kobj);
	size_t head = PAGE_SIZE - sizeof(more) - KSPLICE_ID_MAX;
	ssize_t ret;

	mutex_lock(&ksplice_mutex);
	if (u->debug_len < PAGE_SIZE) {
		ret = sysfs_emit(buf, "%s", u->debug);
	} else {
		memcpy(buf, u->debug, head);
		ret = head + sysfs_emit_at(buf, head, more, u->id);
	}
	mutex_unlock(&ksplice_mutex);
	return ret;
}

static struct kobj_attribute stage_attr = __ATTR_RW(stage);
static struct kobj_attribute abort_cause_attr = __ATTR_RO(abort_cause);
static struct kobj_attribute conflicts_attr = __ATTR_RO(conflicts);
static struct kobj_attribute debug_attr = __ATTR(debug, 0400, debug_show, NULL);

static struct attribute *update_attrs[] = {
	&stage_attr.attr,
	&abort_cause_attr.attr,
	&conflicts_attr.attr,
	&debug_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(update);

static void update_release(struct kobject *kobj)
{
	struct ksplice_update *u = to_update(kobj);

	ksplice_patch_state_free(u);
	kvfree(u->debug);
	kfree(u);
}

static struct kobj_type update_ktype = {
	.release = update_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = update_groups,
};

/* --- updates and targets ----------------------------------------------- */

static struct ksplice_update *find_update(const char *id)
{
	struct ksplice_update *u;

	list_for_each_entry(u, &ksplice_updates, list)
		if (!strcmp(u->id, id))
			return u;
	return NULL;
}

static struct ksplice_update *new_update(const char *id)
{
	struct ksplice_update *u = kzalloc(sizeof(*u), GFP_KERNEL);

	if (!u)
		return NULL;
	u->debug = kvzalloc(KSPLICE_DEBUG_SIZE, GFP_KERNEL);
	if (!u->debug || ksplice_patch_state_init(u)) {
		ksplice_patch_state_free(u);
		kvfree(u->debug);
		kfree(u);
		return NULL;
	}
	strscpy(u->id, id, sizeof(u->id));
	INIT_LIST_HEAD(&u->targets);
	u->abort_cause = "ok";
	if (kobject_init_and_add(&u->kobj, &update_ktype, ksplice_kobj, "%s", id)) {
		kobject_put(&u->kobj);	/* frees it */
		return NULL;
	}
	list_add_tail(&u->list, &ksplice_updates);
	return u;
}

static struct ksplice_target *find_target(struct ksplice_update *u, const char *name)
{
	struct ksplice_target *t;

	list_for_each_entry(t, &u->targets, list)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static struct ksplice_target *get_target(struct ksplice_update *u, const char *name)
{
	struct ksplice_target *t = find_target(u, name);

	if (t)
		return t;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	strscpy(t->name, name, sizeof(t->name));
	list_add_tail(&t->list, &u->targets);
	return t;
}

static void put_target(struct ksplice_target *t)
{
	if (t->primary || t->helper)
		return;
	list_del(&t->list);
	kfree(t);
}

static const char *kind_name(const struct ksplice_module_desc *d)
{
	return d->kind == KSPLICE_PRIMARY ? "primary" : "helper";
}

/* Put @d of @mod into its update's target slot; 0 or -errno. */
static int add_module(const struct ksplice_module_desc *d, struct module *mod)
{
	struct ksplice_update *u = find_update(d->id);
	bool created = !u;
	struct ksplice_target *t;

	if (!u && !(u = new_update(d->id)))
		return -ENOMEM;
	t = get_target(u, d->target);
	if (!t)
		goto nomem;
	if (d->kind == KSPLICE_PRIMARY ? t->primary : t->helper) {
		pr_err("ksplice: %s: update %s already has a %s module for %s\n",
		       mod->name, d->id, kind_name(d), d->target);
		return -EEXIST;
	}
	if (d->kind == KSPLICE_PRIMARY) {
		t->primary = d;
		t->primary_mod = mod;
	} else {
		t->helper = d;
		t->helper_mod = mod;
	}
	u->nr_modules++;
	/*
	 * Only once the update is sure to stay: removing the file waits for its
	 * readers, which take ksplice_mutex (held here). Without debugfs the
	 * log is still in the sysfs attribute (first page).
	 */
	if (created && ksplice_debugfs_dir)
		u->debugfs = debugfs_create_file(u->id, 0400, ksplice_debugfs_dir, u, &log_fops);
	return 0;
nomem:
	if (created) {
		list_del_init(&u->list);
		kobject_put(&u->kobj);
	}
	return -ENOMEM;
}

int ksplice_register_module(const struct ksplice_module_desc *desc, struct module *owner)
{
	char where[32];
	const char *why;
	int ret;

	why = ksplice_check_module(desc, owner, where, sizeof(where));
	if (why) {
		pr_err("ksplice: %s: refused: %s: %s\n", owner->name, where, why);
		return -EINVAL;
	}
	if (desc->kind == KSPLICE_PRIMARY && ksplice_shadow_add_owner(owner))
		return -ENOMEM;
	mutex_lock(&ksplice_mutex);
	ret = add_module(desc, owner);
	mutex_unlock(&ksplice_mutex);
	if (ret && desc->kind == KSPLICE_PRIMARY)
		ksplice_shadow_remove_owner(owner);
	if (!ret)
		pr_info("ksplice: update %s: %s module for %s registered (%s)\n",
			desc->id, kind_name(desc), desc->target, owner->name);
	return ret;
}

void ksplice_unregister_module(const struct ksplice_module_desc *desc, struct module *owner)
{
	struct ksplice_update *u, *dead = NULL;
	struct ksplice_target *t;

	mutex_lock(&ksplice_mutex);
	u = find_update(desc->id);
	t = u ? find_target(u, desc->target) : NULL;
	if (t && t->primary == desc) {
		t->primary = NULL;
		t->primary_mod = NULL;
	} else if (t && t->helper == desc) {
		t->helper = NULL;
		t->helper_mod = NULL;
	} else {
		t = NULL;
	}
	if (t) {
		put_target(t);
		if (!--u->nr_modules) {
			list_del_init(&u->list);
			dead = u;
		}
	}
	mutex_unlock(&ksplice_mutex);
	if (!t)
		pr_err("ksplice: %s: unregistering a module that was not registered\n", owner->name);
	if (desc->kind == KSPLICE_PRIMARY)
		ksplice_shadow_remove_owner(owner);
	/* Outside the mutex: removal waits for sysfs and debugfs users, which take it. */
	if (dead) {
		debugfs_remove(dead->debugfs);
		kobject_put(&dead->kobj);
	}
}
