/*
 * mm/vma.c - the regions of an address space (Linux's vm_area_struct).
 *
 * An address space is a sorted list of non-overlapping regions, each with
 * its rights (read/write/exec) and its backing (anonymous, later files):
 *
 *   0x400000 [text r-x] [data rw-] [bss/heap rw-]  ...  [mmap rw-]  ...  [stack rw-] 0x7ffffffde000
 *
 * A region is anonymous (zero-filled on first touch) or backed by a file
 * (its pages come from the page cache). A page fault looks its address
 * up here first (mm/fault.c): no region means SIGSEGV. mmap/munmap/mprotect split regions at page boundaries and
 * merge neighbours that have become identical again. A plain sorted list
 * is enough for the handful of regions a teaching program has.
 */
#include "mm/mm.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "mm/heap.h"
#include "mm/pagecache.h"

/* Returns the region containing addr, or NULL. */
struct vma *
vma_find(struct mm *mm, vaddr_t addr)
{
	struct list_head *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (addr < v->start)
			return NULL;
		if (addr < v->end)
			return v;
	}
	return NULL;
}

/* Returns the first region that overlaps [start, end), or NULL. */
struct vma *
vma_find_intersection(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct list_head *pos;

	list_for_each(pos, &mm->vmas) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (v->start >= end)
			return NULL;
		if (v->end > start)
			return v;
	}
	return NULL;
}

/*
 * Adds a region like tmpl (which may name a file: the region takes a
 * reference to it). It must not overlap any other. Returns 0, -EEXIST or
 * -ENOMEM. Neighbours that are alike are merged with it.
 */
int
vma_add(struct mm *mm, const struct vma *tmpl)
{
	struct list_head *pos;
	struct vma *v;

	if (vma_find_intersection(mm, tmpl->start, tmpl->end))
		return -EEXIST;
	v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	*v = *tmpl;
	v->mm = mm;
	list_init(&v->mapping_link);
	if (v->file) {
		file_get(v->file);
		if (v->file->mapping)
			list_add(&v->mapping_link, &v->file->mapping->i_mmap);
	}
	list_for_each(pos, &mm->vmas)
		if (list_entry(pos, struct vma, link)->start > v->start)
			break;
	list_add_tail(&v->link, pos);      /* before the first one that starts later */
	mm->nvmas++;
	vma_merge_neighbours(mm, v);
	return 0;
}

/* Adds an anonymous region. */
int
vma_insert(struct mm *mm, vaddr_t start, vaddr_t end, unsigned prot, unsigned flags)
{
	struct vma tmpl = { .start = start, .end = end, .prot = prot, .flags = flags };

	return vma_add(mm, &tmpl);
}

/* Cuts vma in two at the page boundary `at` (start < at < end). */
int
vma_split(struct mm *mm, struct vma *vma, vaddr_t at)
{
	struct vma *upper = kzalloc(sizeof(*upper));

	if (!upper)
		return -ENOMEM;
	*upper = *vma;
	upper->start = at;
	upper->pgoff += (at - vma->start) / PAGE_SIZE;
	list_init(&upper->mapping_link);
	if (upper->file) {
		file_get(upper->file);
		if (upper->file->mapping)
			list_add(&upper->mapping_link, &upper->file->mapping->i_mmap);
	}
	vma->end = at;
	list_add(&upper->link, &vma->link);
	mm->nvmas++;
	return 0;
}

void
vma_remove(struct mm *mm, struct vma *vma)
{
	list_del(&vma->link);
	list_del(&vma->mapping_link);
	mm->nvmas--;
	if (vma->file)
		file_put(vma->file);
	kfree(vma);
}

/*
 * Can b continue a? Same rights, same backing, and for a file the next
 * pages; their anonymous pages indexed alike (moved by mremap as far).
 */
static bool
same_kind(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->file != b->file ||
	    a->moved_by != b->moved_by)
		return false;
	return !a->file || (a->pgoff + (a->end - a->start) / PAGE_SIZE == b->pgoff &&
			    a->file_end == b->file_end);
}

/* Joins vma with the regions right before and after it when they are alike. */
void
vma_merge_neighbours(struct mm *mm, struct vma *vma)
{
	if (vma->link.next != &mm->vmas) {
		struct vma *next = list_entry(vma->link.next, struct vma, link);
		if (same_kind(vma, next)) {
			vma->end = next->end;
			vma_remove(mm, next);
		}
	}
	if (vma->link.prev != &mm->vmas) {
		struct vma *prev = list_entry(vma->link.prev, struct vma, link);
		if (same_kind(prev, vma)) {
			prev->end = vma->end;
			vma_remove(mm, vma);
		}
	}
}

/*
 * Finds len bytes of free address space for mmap(), searching down from
 * mm->mmap_base (top-down, as Linux does). Returns the start, or 0.
 */
vaddr_t
vma_find_free(struct mm *mm, size_t len)
{
	vaddr_t candidate = mm->mmap_base - len;
	struct list_head *pos;

	if (len > mm->mmap_base)
		return 0;
	/* Walk regions from the highest down, sliding the candidate below each overlap. */
	for (pos = mm->vmas.prev; pos != &mm->vmas; pos = pos->prev) {
		struct vma *v = list_entry(pos, struct vma, link);
		if (v->start >= candidate + len)
			continue;
		if (v->end <= candidate)
			break;
		if (v->start < len)
			return 0;
		candidate = v->start - len;
	}
	return candidate >= 0x10000 ? candidate : 0;
}
