// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow data (core/ksplice-patch.h): extra fields that a patch attaches to
 * existing kernel objects, kept in one hash table keyed by the object's
 * address and the field's name, under a spinlock taken with interrupts
 * off, so any context may use them (also a hook inside stop_machine).
 *
 * Every shadow remembers which primary module's code created it (the
 * caller's address, among the primaries registered here), so ksplice.ko
 * frees an update's shadows when it is undone or its apply fails.
 */
#include <linux/hashtable.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/stringhash.h>

#include "core/ksplice-api.h"
#include "core/ksplice-patch.h"	/* the compiler checks both declare the same */
#include "shadow.h"

#define SHADOW_HASH_BITS 10

struct shadow {
	struct hlist_node node;
	const void *obj;
	struct module *owner;	/* the primary that created it, or NULL */
	const char *field;	/* points behind data[] */
	size_t size;
	u64 data[];		/* zeroed, then the field name */
};

/* A primary module whose code may create shadows. */
struct shadow_owner {
	struct list_head list;
	struct module *mod;
};

static DEFINE_SPINLOCK(shadow_lock);
static DEFINE_HASHTABLE(shadows, SHADOW_HASH_BITS);
static LIST_HEAD(owners);
static unsigned long nr_shadows;

static u32 shadow_hash(const void *obj, const char *field)
{
	return hash_ptr(obj, 32) ^ full_name_hash(NULL, field, strlen(field));
}

/* Under shadow_lock. */
static struct shadow *find(const void *obj, const char *field)
{
	struct shadow *s;

	hash_for_each_possible(shadows, s, node, shadow_hash(obj, field))
		if (s->obj == obj && !strcmp(s->field, field))
			return s;
	return NULL;
}

/* Under shadow_lock: the registered primary holding @addr. */
static struct module *owner_of(unsigned long addr)
{
	struct shadow_owner *o;

	list_for_each_entry(o, &owners, list)
		if (within_module(addr, o->mod))
			return o->mod;
	return NULL;
}

/* Under shadow_lock. */
static void release(struct shadow *s, struct hlist_head *dead)
{
	hash_del(&s->node);
	hlist_add_head(&s->node, dead);
	nr_shadows--;
}

static void free_released(struct hlist_head *dead)
{
	struct hlist_node *tmp;
	struct shadow *s;

	hlist_for_each_entry_safe(s, tmp, dead, node)
		kfree(s);
}

static void *get_or_create(const void *obj, const char *field, size_t size, gfp_t gfp,
			   bool want_new, unsigned long caller)
{
	size_t name_len = strlen(field) + 1, data_len = ALIGN(size, sizeof(u64));
	struct shadow *s, *old;
	unsigned long flags;

	s = kzalloc(sizeof(*s) + data_len + name_len, gfp);
	if (!s)
		return NULL;
	s->obj = obj;
	s->size = size;
	s->field = (char *)s->data + data_len;
	memcpy((char *)s->field, field, name_len);
	spin_lock_irqsave(&shadow_lock, flags);
	old = find(obj, field);
	if (!old) {
		s->owner = owner_of(caller);
		hash_add(shadows, &s->node, shadow_hash(obj, field));
		nr_shadows++;
	}
	spin_unlock_irqrestore(&shadow_lock, flags);
	if (!old)
		return s->data;
	kfree(s);
	if (want_new || old->size != size)
		return NULL;
	return old->data;
}

void *ksplice_shadow_create(const void *obj, const char *field, size_t size, gfp_t gfp)
{
	return get_or_create(obj, field, size, gfp, true, _RET_IP_);
}

void *ksplice_shadow_get_or_create(const void *obj, const char *field, size_t size, gfp_t gfp)
{
	unsigned long flags;
	struct shadow *s;

	spin_lock_irqsave(&shadow_lock, flags);
	s = find(obj, field);
	spin_unlock_irqrestore(&shadow_lock, flags);
	/* Another size under the same name is another field: never hand it out. */
	if (s)
		return s->size == size ? s->data : NULL;
	return get_or_create(obj, field, size, gfp, false, _RET_IP_);
}

void *ksplice_shadow_get(const void *obj, const char *field)
{
	unsigned long flags;
	struct shadow *s;

	spin_lock_irqsave(&shadow_lock, flags);
	s = find(obj, field);
	spin_unlock_irqrestore(&shadow_lock, flags);
	return s ? s->data : NULL;
}

void ksplice_shadow_free(const void *obj, const char *field)
{
	HLIST_HEAD(dead);
	unsigned long flags;
	struct shadow *s;

	spin_lock_irqsave(&shadow_lock, flags);
	s = find(obj, field);
	if (s)
		release(s, &dead);
	spin_unlock_irqrestore(&shadow_lock, flags);
	free_released(&dead);
}

/* Free every shadow @match accepts; returns how many. */
static unsigned long free_matching(bool (*match)(const struct shadow *s, const void *arg),
				   const void *arg)
{
	unsigned long flags, n = 0;
	struct hlist_node *tmp;
	HLIST_HEAD(dead);
	struct shadow *s;
	int bkt;

	spin_lock_irqsave(&shadow_lock, flags);
	hash_for_each_safe(shadows, bkt, tmp, s, node) {
		if (match(s, arg)) {
			release(s, &dead);
			n++;
		}
	}
	spin_unlock_irqrestore(&shadow_lock, flags);
	free_released(&dead);
	return n;
}

static bool field_is(const struct shadow *s, const void *field)
{
	return !strcmp(s->field, field);
}

void ksplice_shadow_free_all(const char *field)
{
	free_matching(field_is, field);
}

static bool owned_by(const struct shadow *s, const void *mod)
{
	return s->owner == mod;
}

static bool any(const struct shadow *s, const void *arg)
{
	return true;
}

unsigned long ksplice_shadow_free_owned(struct module *mod)
{
	return free_matching(owned_by, mod);
}

void ksplice_shadow_free_everything(void)
{
	free_matching(any, NULL);
}

unsigned long ksplice_shadow_count(void)
{
	unsigned long flags, n;

	spin_lock_irqsave(&shadow_lock, flags);
	n = nr_shadows;
	spin_unlock_irqrestore(&shadow_lock, flags);
	return n;
}

int ksplice_shadow_add_owner(struct module *mod)
{
	struct shadow_owner *o = kzalloc(sizeof(*o), GFP_KERNEL);
	unsigned long flags;

	if (!o)
		return -ENOMEM;
	o->mod = mod;
	spin_lock_irqsave(&shadow_lock, flags);
	list_add(&o->list, &owners);
	spin_unlock_irqrestore(&shadow_lock, flags);
	return 0;
}

void ksplice_shadow_remove_owner(struct module *mod)
{
	struct shadow_owner *o, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&shadow_lock, flags);
	list_for_each_entry(o, &owners, list) {
		if (o->mod == mod) {
			list_del(&o->list);
			found = o;
			break;
		}
	}
	spin_unlock_irqrestore(&shadow_lock, flags);
	kfree(found);
	/* Its code is going away: nothing may point at its shadows now. */
	ksplice_shadow_free_owned(mod);
}

/*
 * /sys/module/ksplice/parameters/live_shadows (read-only): how many shadows
 * exist, so tests can prove an undo frees them all.
 */
static int live_shadows_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n", ksplice_shadow_count());
}

static const struct kernel_param_ops live_shadows_ops = {
	.get = live_shadows_get,
};
module_param_cb(live_shadows, &live_shadows_ops, NULL, 0444);
MODULE_PARM_DESC(live_shadows, "shadow data objects that exist now");
