/*
 * mm/mremap.c - mremap(2): grow, shrink or move a region, pages and all.
 *
 * musl's realloc() calls mremap(MREMAP_MAYMOVE) for large blocks, so a
 * program growing a big array moves it here rather than copying it:
 *
 *   old [addr, addr + old_len)              new [new_addr, new_addr + new_len)
 *   +---+---+---+                            +---+---+---+- - - - -+
 *   | A | B | s |   --- PTEs move --->       | A | B | s |  (new)  |
 *   +---+---+---+                            +---+---+---+- - - - -+
 *   A, B: frames, s: a swap entry             the tail faults in as usual
 *
 * Nothing is copied and nothing is read from swap: each level-1 entry
 * moves whole (vmm_move_entry()), frame or swap entry, with its rights
 * and accessed/dirty bits. The page's counts do not change - the same
 * address space still maps it once. Reverse mapping finds it at the new
 * address without touching the page: the new region records how far it
 * was moved (vma->moved_by), so an anonymous page keeps its index (mm/rmap.c,
 * anon_index()), and a file page keeps its file offset (vma->pgoff).
 *
 * The cases, in Linux's order (man 2 mremap):
 *   shrink            new_len <= old_len: the tail is unmapped, in place
 *   grow in place     the region ends at addr + old_len and the space after it is free
 *   move              MREMAP_MAYMOVE: anywhere free, or at new_addr with MREMAP_FIXED
 *                     (whatever was there is unmapped first)
 *   MREMAP_DONTUNMAP  a move (old_len == new_len) that leaves the old range mapped,
 *                     empty: it faults in zero pages, or its file's pages again.
 *                     Linux >= 5.13's rule: any private mapping (5.7 allowed only
 *                     anonymous ones); ours are all private.
 * To move or grow, the old range must lie inside one region (else EFAULT:
 * Linux before 6.17, which also moves ranges of several regions with
 * MREMAP_FIXED; a shrink only needs a region at addr). Like
 * munmap, it holds the address space's lock to write throughout; a locked
 * region (mm/mlock.c) that grew has its new pages faulted in afterwards.
 */
#include "kernel/errno.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "mm/layout.h"
#include "mm/mlock.h"
#include "mm/mm.h"

#define MREMAP_MAYMOVE   1
#define MREMAP_FIXED     2
#define MREMAP_DONTUNMAP 4

/* Is [start, start + len) inside user space, above the lowest mappable page? */
static bool
range_fits(vaddr_t start, size_t len)
{
	return start >= MMAP_MIN_ADDR && start + len > start && start + len <= USER_TOP;
}

/* The argument checks that need no region (EINVAL), Linux's order. 0 or -EINVAL. */
static int
check_args(unsigned long addr, size_t old_len, size_t new_len, int flags, unsigned long new_addr)
{
	if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	/* DONTUNMAP is always a move, and never a resize. */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return -EINVAL;
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	if (new_len == 0)
		return -EINVAL;
	if (flags & MREMAP_FIXED) {
		if (new_addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (new_addr < addr + old_len && addr < new_addr + new_len)
			return -EINVAL;           /* the two ranges overlap */
	}
	return 0;
}

/*
 * Does v hold the whole old range, as a move or a growth needs? 0, or
 * -EFAULT; old_len 0 asks Linux to duplicate a shared mapping, and ours
 * are private: -EINVAL.
 */
static int
check_old_range(const struct vma *v, vaddr_t addr, size_t old_len)
{
	if (old_len == 0)
		return -EINVAL;
	return old_len > v->end - addr ? -EFAULT : 0;
}

/* Can v grow in place to end at new_end? The space after it must be free. */
static bool
can_grow_in_place(struct mm *mm, struct vma *v, vaddr_t new_end)
{
	return range_fits(v->start, new_end - v->start) &&
	       !vma_find_intersection(mm, v->end, new_end);
}

/*
 * Cuts the region around [start, end) so that the range is one region of
 * its own, and returns it (NULL: no memory for the cut).
 */
static struct vma *
isolate(struct mm *mm, struct vma *v, vaddr_t start, vaddr_t end)
{
	if (v->start < start) {
		if (vma_split(mm, v, start))
			return NULL;
		v = vma_find(mm, start);
	}
	if (v->end > end && vma_split(mm, v, end))
		return NULL;
	return v;
}

/* The region v would be at new_addr, new_len long: the same backing and the same pages. */
static struct vma
moved_copy(const struct vma *v, vaddr_t new_addr, size_t new_len)
{
	struct vma t = *v;

	t.start = new_addr;
	t.end = new_addr + new_len;
	t.moved_by = v->moved_by + ((int64_t)new_addr - (int64_t)v->start) / (int64_t)PAGE_SIZE;
	t.flags &= ~VMA_HEAP;          /* the heap is where brk is; a moved piece is plain memory */
	if (t.file)     /* where the file's data ends moves with it (none left: at the start) */
		t.file_end = v->file_end > v->start ? new_addr + (v->file_end - v->start) : new_addr;
	return t;
}

/*
 * Gives every entry of v a page table at its new address (v->start +
 * delta), so that moving the entries cannot fail half way. 0 or -ENOMEM.
 */
static int
prepare_tables(struct mm *mm, const struct vma *v, vaddr_t new_addr)
{
	pte_t *pte;

	for (vaddr_t va = vmm_next_entry(mm->pml4, v->start, v->end, &pte); va < v->end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, v->end, &pte))
		if (!vmm_walk(mm->pml4, new_addr + (va - v->start), true))
			return -ENOMEM;
	return 0;
}

/* Moves every entry of [v->start, v->end) to new_addr on; the tables are there. */
static void
move_entries(struct mm *mm, const struct vma *v, vaddr_t new_addr)
{
	pte_t *pte;

	for (vaddr_t va = vmm_next_entry(mm->pml4, v->start, v->end, &pte); va < v->end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, v->end, &pte))
		vmm_move_entry(pte, va, vmm_walk(mm->pml4, new_addr + (va - v->start), false));
	vmm_free_empty_tables(mm->pml4, v->start, v->end - v->start);
}

/*
 * Moves the region v (exactly the old range) to [new_addr, new_addr +
 * new_len), which is free: a new region, the entries moved into it, and
 * the old region removed - or, with DONTUNMAP, kept, empty and unlocked.
 * Returns new_addr or -ENOMEM (nothing moved).
 */
static long
move_region(struct mm *mm, struct vma *v, vaddr_t new_addr, size_t new_len, bool dontunmap)
{
	struct vma t = moved_copy(v, new_addr, new_len);
	int err;

	if ((err = vma_add(mm, &t)) != 0)
		return err;
	if ((err = prepare_tables(mm, v, new_addr)) != 0) {
		mm_unmap_range(mm, new_addr, new_addr + new_len);
		return err;
	}
	move_entries(mm, v, new_addr);
	if (!dontunmap)
		vma_remove(mm, v);
	else if (v->flags & VMA_LOCKED)
		munlock_region(mm, v);       /* Linux clears VM_LOCKED on the old range: nothing there */
	return (long)new_addr;
}

/*
 * The move cases: at new_addr (FIXED: what was there goes first, and a
 * longer old range loses its tail), or anywhere free. Returns the new
 * address or -errno.
 */
static long
move(struct mm *mm, struct vma *v, vaddr_t addr, size_t old_len, size_t new_len, int flags,
     vaddr_t new_addr)
{
	int err;

	if (flags & MREMAP_FIXED) {
		if (!range_fits(new_addr, new_len))
			return -EINVAL;
		if ((err = mm_unmap_range(mm, new_addr, new_addr + new_len)) != 0)
			return err;
		if (old_len > new_len) {
			if ((err = mm_unmap_range(mm, addr + new_len, addr + old_len)) != 0)
				return err;
			old_len = new_len;
		}
		v = vma_find(mm, addr);       /* the unmaps may have cut it */
	} else if ((new_addr = vma_find_free(mm, new_len)) == 0) {
		return -ENOMEM;
	}
	if ((v = isolate(mm, v, addr, addr + old_len)) == NULL)
		return -ENOMEM;
	return move_region(mm, v, new_addr, new_len, flags & MREMAP_DONTUNMAP);
}

/*
 * Resizes or moves [addr, addr + old_len); the caller holds mmap_lock to
 * write. Returns the new address or -errno; *grown says which new range
 * a locked region must have faulted in.
 */
static long
remap(struct mm *mm, unsigned long addr, size_t old_len, size_t new_len, int flags,
      unsigned long new_addr, vaddr_t grown[2])
{
	struct vma *v = vma_find(mm, addr);
	int err;

	if (!v)
		return -EFAULT;
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		if ((err = check_old_range(v, addr, old_len)) != 0)
			return err;
		long r = move(mm, v, addr, old_len, new_len, flags, new_addr);
		if (r > 0 && new_len > old_len && (vma_find(mm, (vaddr_t)r)->flags & VMA_LOCKED)) {
			grown[0] = (vaddr_t)r + old_len;
			grown[1] = (vaddr_t)r + new_len;
		}
		return r;
	}
	/* Linux shrinks (or keeps the size) without looking past the first region. */
	if (new_len <= old_len) {
		err = mm_unmap_range(mm, addr + new_len, addr + old_len);
		return err ? err : (long)addr;
	}
	if ((err = check_old_range(v, addr, old_len)) != 0)
		return err;
	if (addr + old_len == v->end && can_grow_in_place(mm, v, addr + new_len)) {
		v->end = addr + new_len;
		vma_merge_neighbours(mm, v);
	} else if (!(flags & MREMAP_MAYMOVE)) {
		return -ENOMEM;
	} else {
		long r = move(mm, v, addr, old_len, new_len, flags, 0);
		if (r < 0)
			return r;
		addr = (unsigned long)r;
	}
	if (vma_find(mm, addr)->flags & VMA_LOCKED) {
		grown[0] = addr + old_len;
		grown[1] = addr + new_len;
	}
	return (long)addr;
}

long
sys_mremap(unsigned long addr, size_t old_len, size_t new_len, int flags, unsigned long new_addr)
{
	struct mm *mm = current->mm;
	vaddr_t grown[2] = { 0, 0 };
	long ret;

	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if ((ret = check_args(addr, old_len, new_len, flags, new_addr)) != 0)
		return ret;
	down_write(&mm->mmap_lock);
	ret = remap(mm, addr, old_len, new_len, flags, new_addr, grown);
	up_write(&mm->mmap_lock);
	if (grown[1] > grown[0])
		mm_populate(mm, grown[0], grown[1]);    /* a locked region's new pages */
	return ret;
}
