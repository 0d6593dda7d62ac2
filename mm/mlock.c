/*
 * mm/mlock.c - mlock(2), munlock, mlockall, munlockall, mlock2: memory
 * that reclaim must leave alone.
 *
 * A locked region has VMA_LOCKED (split off its neighbours as mprotect
 * does). Its pages are faulted in at once (not with MLOCK_ONFAULT or
 * MCL_ONFAULT, where only the pages touched later are), and from then on
 * stay in RAM. How reclaim is kept away, the simplest form of Linux's
 * mechanism:
 *
 *   - a page mapped by a locked region is marked PG_MLOCKED and taken off
 *     the eviction policy's lists (mlock_page()): the policy never sees
 *     it, so it is never chosen. Linux keeps such pages on an
 *     "unevictable" list; ours is implicit - off every list - and counted
 *     (NR_MLOCK: meminfo's Mlocked and Unevictable).
 *   - while it is PG_MLOCKED, evict_add() and evict_putback() leave it off
 *     the lists (a swap-in or a failed eviction would put it back).
 *   - try_to_unmap() refuses a PG_MLOCKED page (mm/rmap.c): one that was
 *     on its way out, off the lists already, when it was locked.
 *   - the lock goes when no locked region maps the page any more: munlock,
 *     munmap, exit, a copy-on-write copy replacing it (munlock_page(),
 *     which asks the reverse map), or when the page is freed (put_page).
 *     Then it goes back on the lists, and may be evicted like any other.
 *
 * The mapping's side: a fault in a locked region locks the page it
 * mapped (mlock_fault_done(), from mm/fault.c); mlockall(MCL_FUTURE)
 * gives every later region VMA_LOCKED (mm->def_flags); fork does not
 * pass locks on (the child's regions lose VMA_LOCKED, as in Linux).
 * RLIMIT_MEMLOCK is not enforced: everyone here runs as root, and Linux
 * lets CAP_IPC_LOCK lock without limit.
 */
#include "mm/mlock.h"
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/evict.h"
#include "mm/fault.h"
#include "mm/layout.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/vmstat.h"

#define MLOCK_ONFAULT 1
#define MCL_CURRENT   1
#define MCL_FUTURE    2
#define MCL_ONFAULT   4

#define POPULATE_TRIES 4   /* faults on one page before populate gives up on it */

/* p is mapped by a locked region: off the eviction lists, counted as locked. */
void
mlock_page(struct page *p)
{
	if (p->flags & PG_MLOCKED)
		return;
	p->flags |= PG_MLOCKED;
	vmstat_inc(NR_MLOCK);
	evict_remove(p);
}

/* Unless a locked region still maps p, it is evictable again: back on the lists. */
void
munlock_page(struct page *p)
{
	if (!(p->flags & PG_MLOCKED) || rmap_page_mlocked(p))
		return;
	p->flags &= ~PG_MLOCKED;
	vmstat_dec(NR_MLOCK);
	evict_add(p);
}

/* Calls fn for every page mapped in [start, end) of mm. */
static void
for_each_mapped_page(struct mm *mm, vaddr_t start, vaddr_t end, void (*fn)(struct page *p))
{
	pte_t *pte;

	for (vaddr_t va = vmm_next_entry(mm->pml4, start, end, &pte); va < end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, end, &pte)) {
		struct vmm_entry e = vmm_read(*pte);
		if (e.kind == VMM_PAGE)
			fn(phys_to_page(e.pa));
	}
}

/* v is no longer locked: its pages may be evicted again (munlock, munmap, exit). */
void
munlock_region(struct mm *mm, struct vma *v)
{
	v->flags &= ~VMA_LOCK_MASK;
	for_each_mapped_page(mm, v->start, v->end, munlock_page);
}

/*
 * A fault in a locked region has just been handled at va: the page now
 * mapped there is locked. If it replaced another page (a copy-on-write
 * copy), that one keeps its lock only if another locked region maps it.
 */
void
mlock_fault_done(struct mm *mm, vaddr_t va, const struct vmm_entry *before)
{
	pte_t *pte = vmm_walk(mm->pml4, va, false);
	struct vmm_entry now = pte ? vmm_read(*pte) : (struct vmm_entry){ .kind = VMM_NONE };

	if (now.kind != VMM_PAGE)
		return;
	mlock_page(phys_to_page(now.pa));
	if (before->kind == VMM_PAGE && before->pa != now.pa)
		munlock_page(phys_to_page(before->pa));
}

/* The bytes of mm's locked regions (VmLck in /proc/PID/status). */
uint64_t
mm_locked_vm(const struct mm *mm)
{
	struct list_head *pos;
	uint64_t total = 0;

	list_for_each(pos, &mm->vmas) {
		const struct vma *v = list_entry(pos, struct vma, link);
		if (v->flags & VMA_LOCKED)
			total += v->end - v->start;
	}
	return total;
}

/*
 * Is the page at va of v already there as populate wants it? Then it is
 * locked now. A writable region wants it writable: as Linux, populate
 * writes to break copy-on-write, so the page it locks is the process's own.
 */
static bool
lock_if_present(struct mm *mm, const struct vma *v, vaddr_t va)
{
	pte_t *pte = vmm_walk(mm->pml4, va, false);
	struct vmm_entry e = pte ? vmm_read(*pte) : (struct vmm_entry){ .kind = VMM_NONE };

	if (e.kind != VMM_PAGE || ((v->prot & VMA_WRITE) && !(e.prot & VMM_WRITE)))
		return false;
	mlock_page(phys_to_page(e.pa));
	return true;
}

/*
 * Brings the page at va in, if its region still wants that (locked, not
 * on-fault only). Returns the address to look at next, or 0 when memory
 * ran out. Sleeps.
 */
static vaddr_t
populate_one(struct mm *mm, vaddr_t va, vaddr_t end)
{
	for (int tries = 0; tries < POPULATE_TRIES; tries++) {
		const char *why;
		down_read(&mm->mmap_lock);
		struct vma *v = vma_find_intersection(mm, va, end);
		if (!v) {
			up_read(&mm->mmap_lock);
			return end;
		}
		va = MAX(va, v->start);
		if ((v->flags & VMA_LOCK_MASK) != VMA_LOCKED || lock_if_present(mm, v, va)) {
			vaddr_t next = (v->flags & VMA_LOCK_MASK) != VMA_LOCKED ? v->end : va + PAGE_SIZE;
			up_read(&mm->mmap_lock);
			return next;
		}
		struct fault f = { .addr = va, .write = (v->prot & VMA_WRITE) != 0, .user = true };
		up_read(&mm->mmap_lock);
		enum fault_result r = vm_fault(mm, &f, &why);     /* locks the page: mlock_fault_done() */
		if (r == FAULT_OOM)
			return 0;
		if (r != FAULT_OK)
			break;           /* no access (PROT_NONE), or past the file's end: left out */
	}
	return va + PAGE_SIZE;
}

/*
 * Faults in the pages of the locked regions in [start, end) (not those
 * locked on fault). Returns 0, or -ENOMEM if memory ran out. Sleeps;
 * takes mmap_lock to read for each page, so other threads may run between.
 */
int
mm_populate(struct mm *mm, vaddr_t start, vaddr_t end)
{
	for (vaddr_t va = start; va < end;) {
		va = populate_one(mm, va, end);
		if (va == 0)
			return -ENOMEM;
	}
	return 0;
}

/* One region of set_lock_bits(), already split to the range. */
static void
set_lock(struct mm *mm, struct vma *v, void *arg)
{
	unsigned lock = *(unsigned *)arg;

	if (!lock) {
		munlock_region(mm, v);
	} else {
		v->flags = (v->flags & ~VMA_LOCK_MASK) | lock;
		for_each_mapped_page(mm, v->start, v->end, mlock_page);
	}
}

/*
 * Sets the lock bits of [start, end) to lock (VMA_LOCK_MASK bits),
 * splitting regions at the ends. Pages already there are locked now (also
 * with ONFAULT: Linux locks what is resident); unlocked ones go back to
 * reclaim. Returns 0, or -ENOMEM if part of the range is not mapped or a
 * split found no memory. The caller holds mmap_lock to write.
 */
static int
set_lock_bits(struct mm *mm, vaddr_t start, vaddr_t end, unsigned lock)
{
	return mm_change_regions(mm, start, end, set_lock, &lock);
}

/*
 * mlock, mlock2, munlock: addr is rounded down to its page, the length
 * (plus addr's offset in it) up, as Linux does - so a length that rounds
 * up to 0 locks nothing. EINVAL if the range wraps; ENOMEM if part of it
 * is not mapped; EAGAIN if its pages could not all be brought in.
 */
static long
lock_range(unsigned long addr, size_t len, unsigned lock)
{
	struct mm *mm = current->mm;
	vaddr_t start = ALIGN_DOWN(addr, PAGE_SIZE);
	vaddr_t end = start + ALIGN_UP(len + (addr & (PAGE_SIZE - 1)), PAGE_SIZE);
	int err;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (end > USER_TOP)
		return -ENOMEM;
	down_write(&mm->mmap_lock);
	err = set_lock_bits(mm, start, end, lock);
	up_write(&mm->mmap_lock);
	if (!err && lock == VMA_LOCKED && mm_populate(mm, start, end))
		return -EAGAIN;           /* Linux's answer when the pages cannot be had */
	return err;
}

long
sys_mlock(unsigned long addr, size_t len)
{
	return lock_range(addr, len, VMA_LOCKED);
}

long
sys_mlock2(unsigned long addr, size_t len, int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return lock_range(addr, len, VMA_LOCKED | (flags & MLOCK_ONFAULT ? VMA_LOCKONFAULT : 0));
}

long
sys_munlock(unsigned long addr, size_t len)
{
	return lock_range(addr, len, 0);
}

/*
 * Every region gets the lock bits lock (0: unlocked). The whole address
 * space is mapped region by region, so splits are never needed.
 */
static void
set_all_lock_bits(struct mm *mm, unsigned lock)
{
	struct list_head *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (!lock) {
			munlock_region(mm, v);
		} else {
			v->flags = (v->flags & ~VMA_LOCK_MASK) | lock;
			for_each_mapped_page(mm, v->start, v->end, mlock_page);
		}
	}
}

/*
 * mlockall: MCL_CURRENT locks every region now, MCL_FUTURE every region
 * made later (mmap, brk), MCL_ONFAULT makes either lock on fault. As
 * Linux: MCL_FUTURE alone leaves the current regions as they are, and
 * each call replaces the MCL_FUTURE setting. EINVAL for no flags, unknown
 * ones, or MCL_ONFAULT alone; EAGAIN if the pages could not be had.
 */
long
sys_mlockall(int flags)
{
	struct mm *mm = current->mm;
	unsigned lock = VMA_LOCKED | (flags & MCL_ONFAULT ? VMA_LOCKONFAULT : 0);

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	down_write(&mm->mmap_lock);
	mm->def_flags = flags & MCL_FUTURE ? lock : 0;
	if (flags & MCL_CURRENT)
		set_all_lock_bits(mm, lock);
	up_write(&mm->mmap_lock);
	if ((flags & MCL_CURRENT) && mm_populate(mm, 0, USER_TOP))
		return -EAGAIN;
	return 0;
}

long
sys_munlockall(void)
{
	struct mm *mm = current->mm;

	down_write(&mm->mmap_lock);
	mm->def_flags = 0;
	set_all_lock_bits(mm, 0);
	up_write(&mm->mmap_lock);
	return 0;
}
