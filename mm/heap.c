/*
 * mm/heap.c - kmalloc and kfree: size classes over whole pages (a small
 * slab allocator) for objects up to 1 KiB, the buddy allocator for more.
 *
 * A slab is one page of objects of one size class (16, 32, ... 1024
 * bytes), with a header at its start:
 *
 *   +--------------+-------+-------+-------+-- ... --+-------+
 *   | struct slab  | obj 0 | obj 1 | obj 2 |         | obj n |
 *   +--------------+-------+-------+-------+-- ... --+-------+
 *   magic, size, free count, free list, bitmap of objects in use
 *
 * kfree() finds the slab from any object pointer by rounding down to the
 * page; struct page (PG_SLAB or PG_KMALLOC) says what the page is. That
 * makes mistakes detectable, and they are reported with a backtrace
 * (then ignored, so nothing is corrupted):
 *   - double free: the object's bit in the bitmap is already clear;
 *   - foreign pointer: not the start of an object, not a heap page, or
 *     not in the direct map at all (a stack or static address).
 * Freed objects are filled with POISON; kmalloc() checks the poison and
 * reports a write after free. Slabs that become empty go back to the
 * buddy allocator, so the free-frame count returns to its baseline.
 * Interrupts are disabled inside (handlers may allocate).
 */
#include "mm/heap.h"
#include "kernel/backtrace.h"
#include "kernel/errno.h"
#include "kernel/fault_inject.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/x86.h"
#include "mm/pmm.h"

#define SLAB_MAGIC   0x51ab51ab
#define POISON       0x6b          /* Linux's POISON_FREE */
#define NCLASSES     7             /* 16 << 0 .. 16 << 6 = 1024 */
#define MAX_OBJECTS  256

struct slab {
	uint32_t magic;
	uint16_t size;
	uint16_t capacity;
	uint16_t nfree;
	uint16_t first;               /* offset of object 0 in the page */
	struct list_head link;        /* in its class's partial or full list */
	void *freelist;               /* free objects, linked through their first word */
	uint64_t in_use[MAX_OBJECTS / 64];
};

struct size_class {
	struct list_head partial;     /* slabs with a free object */
	struct list_head full;
};

struct heap_stats heap_stats;
static struct size_class classes[NCLASSES];
static bool heap_ready;

static void
heap_init_once(void)
{
	for (int i = 0; i < NCLASSES; i++) {
		list_init(&classes[i].partial);
		list_init(&classes[i].full);
	}
	heap_ready = true;
}

static int
class_of(size_t size)
{
	int c = 0;

	while ((16UL << c) < size)
		c++;
	return c;
}

static void
report(const char *what, const void *ptr)
{
	heap_stats.errors++;
	pr_err("heap: %s %p; ignored\n", what, ptr);
	backtrace_print(0, (vaddr_t)__builtin_frame_address(0));
}

static struct slab *
new_slab(int c)
{
	struct page *p = pmm_alloc_pages(0);
	struct slab *s;
	uint16_t size = (uint16_t)(16 << c);

	if (!p)
		return NULL;
	p->flags |= PG_SLAB;
	s = page_address(p);
	memset(s, POISON, PAGE_SIZE);
	s->magic = SLAB_MAGIC;
	s->size = size;
	s->first = (uint16_t)ALIGN_UP(sizeof(struct slab), MIN(size, 64));
	s->capacity = (uint16_t)((PAGE_SIZE - s->first) / size);
	s->nfree = 0;
	s->freelist = NULL;
	memset(s->in_use, 0, sizeof(s->in_use));
	/* Chain the objects last to first, so the list starts at object 0. */
	for (int i = s->capacity - 1; i >= 0; i--) {
		void **obj = (void **)((char *)s + s->first + i * size);
		*obj = s->freelist;
		s->freelist = obj;
		s->nfree++;
	}
	list_add(&s->link, &classes[c].partial);
	heap_stats.slab_pages++;
	return s;
}

static unsigned
object_index(const struct slab *s, const void *obj)
{
	return (unsigned)(((const char *)obj - (const char *)s - s->first) / s->size);
}

/* Every byte but the free-list link must still be POISON. */
static void
check_poison(const struct slab *s, const void *obj)
{
	if (memchr_inv((const char *)obj + sizeof(void *), POISON, s->size - sizeof(void *)))
		report("object was written after it was freed:", obj);
}

static void *
alloc_small(size_t size)
{
	int c = class_of(size);
	struct slab *s;
	void **obj;
	unsigned idx;

	if (list_empty(&classes[c].partial) && !new_slab(c))
		return NULL;
	s = list_first_entry(&classes[c].partial, struct slab, link);
	obj = s->freelist;
	s->freelist = *obj;
	check_poison(s, obj);
	idx = object_index(s, obj);
	s->in_use[idx / 64] |= 1UL << (idx % 64);
	if (--s->nfree == 0) {
		list_del(&s->link);
		list_add(&s->link, &classes[c].full);
	}
	heap_stats.objects++;
	return obj;
}

static void *
alloc_large(size_t size)
{
	unsigned order = 0;
	struct page *p;

	while ((PAGE_SIZE << order) < size)
		order++;
	p = pmm_alloc_pages(order);
	if (!p)
		return NULL;
	p->flags |= PG_KMALLOC;
	heap_stats.large_pages += 1UL << order;
	return page_address(p);
}

/*
 * Returns size bytes of kernel memory (16-byte aligned; page-aligned above
 * 1 KiB), or NULL for size 0 or when memory is exhausted. Any context.
 */
void *
kmalloc(size_t size)
{
	uint64_t flags;
	void *p;

	if (size == 0 || should_fail(&failslab, size))
		return NULL;
	flags = irq_save();
	if (!heap_ready)
		heap_init_once();
	p = size <= KMALLOC_MAX_SMALL ? alloc_small(size) : alloc_large(size);
	irq_restore(flags);
	return p;
}

void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

static void
free_small(struct slab *s, void *ptr)
{
	unsigned idx = object_index(s, ptr);
	int c = class_of(s->size);

	if ((char *)ptr < (char *)s + s->first || idx >= s->capacity ||
	    (char *)ptr != (char *)s + s->first + idx * s->size) {
		report("kfree of a pointer that is not the start of an object:", ptr);
		return;
	}
	if (!(s->in_use[idx / 64] & (1UL << (idx % 64)))) {
		report("double free of", ptr);
		return;
	}
	s->in_use[idx / 64] &= ~(1UL << (idx % 64));
	memset(ptr, POISON, s->size);
	*(void **)ptr = s->freelist;
	s->freelist = ptr;
	heap_stats.objects--;
	if (s->nfree++ == 0) {
		list_del(&s->link);
		list_add(&s->link, &classes[c].partial);
	}
	if (s->nfree == s->capacity) {          /* empty: back to the buddy allocator */
		list_del(&s->link);
		s->magic = 0;
		virt_to_page(s)->flags &= ~PG_SLAB;
		heap_stats.slab_pages--;
		pmm_free_pages(virt_to_page(s), 0);
	}
}

static void
free_large(struct page *p, void *ptr)
{
	if ((vaddr_t)ptr & (PAGE_SIZE - 1)) {
		report("kfree of a pointer inside a large allocation:", ptr);
		return;
	}
	p->flags &= ~PG_KMALLOC;
	heap_stats.large_pages -= 1UL << p->order;
	pmm_free_pages(p, p->order);
}

/* The first frame of the large allocation that holds p, or NULL. */
static struct page *
large_head_of(struct page *p)
{
	pfn_t pfn = page_to_pfn(p);

	for (unsigned o = 1; o <= MAX_ORDER; o++) {
		struct page *head = pfn_to_page(pfn & ~((1UL << o) - 1));
		if ((head->flags & PG_KMALLOC) && pfn < page_to_pfn(head) + (1UL << head->order))
			return head;
	}
	return NULL;
}

/* Frees memory from kmalloc(). NULL is fine; anything else bad is reported. */
void
kfree(void *ptr)
{
	vaddr_t va = (vaddr_t)ptr;
	uint64_t flags;
	struct page *p;

	if (!ptr)
		return;
	if (va < DIRECT_MAP_BASE || va >= DIRECT_MAP_BASE + (max_pfn << PAGE_SHIFT)) {
		report("kfree of a pointer outside the heap:", ptr);
		return;
	}
	flags = irq_save();
	p = virt_to_page(ptr);
	if (p->flags & PG_SLAB)
		free_small(page_address(p), ptr);
	else if (p->flags & PG_KMALLOC)
		free_large(p, ptr);
	else if (large_head_of(p))
		report("kfree of a pointer inside a large allocation:", ptr);
	else if (p->flags & PG_BUDDY || p->refcount == 0)
		report("double free (or free of never-allocated memory) of", ptr);
	else
		report("kfree of a pointer kmalloc never returned:", ptr);
	irq_restore(flags);
}

static int
check_slab(const struct slab *s, int c, bool on_full_list)
{
	unsigned used = 0, listed = 0;

	if (s->magic != SLAB_MAGIC || s->size != (16 << c))
		return -EUCLEAN;
	for (unsigned i = 0; i < MAX_OBJECTS; i++)
		used += (s->in_use[i / 64] >> (i % 64)) & 1;
	if (used + s->nfree != s->capacity || on_full_list != (s->nfree == 0))
		return -EUCLEAN;
	for (void **o = s->freelist; o; o = *o) {
		unsigned idx = object_index(s, o);
		if (++listed > s->nfree || idx >= s->capacity ||
		    (s->in_use[idx / 64] & (1UL << (idx % 64))))
			return -EUCLEAN;
	}
	return listed == s->nfree ? 0 : -EUCLEAN;
}

/*
 * Checks every slab: header, bitmap, free count and free list agree.
 * Returns 0, or -EUCLEAN after printing which slab is damaged.
 */
int
heap_check(void)
{
	uint64_t flags = irq_save();
	struct list_head *pos;
	int err = 0;

	for (int c = 0; c < NCLASSES && heap_ready && !err; c++) {
		for (int full = 0; full <= 1 && !err; full++) {
			list_for_each(pos, full ? &classes[c].full : &classes[c].partial) {
				struct slab *s = list_entry(pos, struct slab, link);
				if ((err = check_slab(s, c, full)) != 0) {
					pr_err("heap: slab %p of %d-byte objects is damaged\n", (void *)s, 16 << c);
					break;
				}
			}
		}
	}
	irq_restore(flags);
	return err;
}
