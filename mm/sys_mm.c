/*
 * mm/sys_mm.c - brk, mmap, munmap, mprotect: a process asks for memory.
 * (mremap is mm/mremap.c, mlock mm/mlock.c.)
 *
 * None of these touches a frame: they only change regions (mm/vma.c),
 * except munmap and madvise(MADV_DONTNEED), which give pages back.
 * Frames come later, one page at a time, when the program touches them
 * (mm/fault.c) - and munmap gives back whatever was touched. (A locked
 * region's come at once: mlockall(MCL_FUTURE), MAP_LOCKED.) Each holds
 * the address space's lock to write while it changes the regions, so that
 * a fault in another thread never finds them half changed.
 */
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/syscall.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/layout.h"
#include "mm/mlock.h"
#include "mm/mm.h"
#include "mm/pagecache.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"

static bool
range_ok(vaddr_t addr, size_t len)
{
	return addr >= MMAP_MIN_ADDR && addr + len > addr && addr + len <= USER_TOP;
}

/*
 * Moves the end of the heap. Returns the new end, or the old one when the
 * request cannot be met (Linux's brk never returns an error code).
 */
static long
move_brk(struct mm *mm, unsigned long addr)
{
	vaddr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end = ALIGN_UP(addr, PAGE_SIZE);

	if (addr < mm->brk_start || addr >= USER_MMAP_BASE)
		return (long)mm->brk;
	if (new_end > old_end) {
		if (vma_find_intersection(mm, old_end, new_end + STACK_GUARD_GAP) ||
		    vma_insert(mm, old_end, new_end, VMA_READ | VMA_WRITE,
			       VMA_ANON | VMA_HEAP | mm->def_flags))
			return (long)mm->brk;
	} else if (new_end < old_end) {
		mm_unmap_range(mm, new_end, old_end);
	}
	mm->brk = addr;
	return (long)mm->brk;
}

/* After mmap or brk: a locked region's pages come in at once (mlockall MCL_FUTURE, MAP_LOCKED). */
static void
populate_if_locked(struct mm *mm, vaddr_t start, vaddr_t end)
{
	struct vma *v;

	down_read(&mm->mmap_lock);
	v = vma_find(mm, start);
	bool wanted = v && (v->flags & VMA_LOCK_MASK) == VMA_LOCKED;
	up_read(&mm->mmap_lock);
	if (wanted)
		mm_populate(mm, start, end);   /* as Linux, a shortage is not mmap's failure */
}

long
sys_brk(unsigned long addr)
{
	struct mm *mm = current->mm;
	vaddr_t old_end = ALIGN_UP(mm->brk, PAGE_SIZE);
	long ret;

	down_write(&mm->mmap_lock);
	ret = move_brk(mm, addr);
	up_write(&mm->mmap_lock);
	if (ALIGN_UP((vaddr_t)ret, PAGE_SIZE) > old_end)
		populate_if_locked(mm, old_end, ALIGN_UP((vaddr_t)ret, PAGE_SIZE));
	return ret;
}

/*
 * The region a mapping of fd at off would be: private, with the file's
 * pages on demand; or MAP_SHARED, the file's very pages (a tmpfs file's:
 * mm/shmem.c), writable if the file was opened for reading and writing. A private
 * mapping of a tmpfs file would need copy-on-write from shmem pages, which
 * is not done: ENODEV. Returns 0 or -EBADF, -EACCES, -ENODEV, -EINVAL.
 */
static int
file_region(struct vma *tmpl, int fd, int64_t off, size_t len, bool shared)
{
	struct file *f = fd_get(fd);
	bool shmem;

	if (!f)
		return -EBADF;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	if (!f->mapping)
		return -ENODEV;             /* not a regular file on the disk or in tmpfs */
	if (off < 0 || (off & (PAGE_SIZE - 1)))
		return -EINVAL;
	shmem = shmem_of_mapping(f->mapping) != NULL;
	if (shmem && !shared)
		return -ENODEV;
	/* A shared writable mapping writes the file: it must be open for that (Linux: EACCES). */
	if (shared && (tmpl->prot & VMA_WRITE) && (f->flags & O_ACCMODE) != O_RDWR)
		return -EACCES;
	tmpl->file = f;
	tmpl->pgoff = (uint64_t)off / PAGE_SIZE;
	if (shared && !shmem)
		tmpl->flags = VMA_SHARED;    /* the page cache's pages, written back (mm/fault_shared.c) */
	if (shmem) {                 /* past the end: shmem itself says SIGBUS, as the file grows */
		tmpl->flags = VMA_SHARED;
		tmpl->file_end = len;
		return 0;
	}
	/* Where the file's data ends, as an address: pages wholly past it raise SIGBUS. */
	tmpl->file_end = (uint64_t)off >= f->size ? 0 : MIN(len, f->size - (uint64_t)off);
	return 0;
}

/*
 * Adds the region tmpl, which a new shared memory object of its size backs
 * (MAP_SHARED | MAP_ANONYMOUS; mm/shmem.c): the region holds the object
 * through a file, as Linux's shmem_zero_setup(). Returns 0 or -ENOMEM.
 */
static int
add_shared_anon(struct mm *mm, struct vma *tmpl)
{
	struct file *f = shmem_anon_file(tmpl->end - tmpl->start);
	int err;

	if (!f)
		return -ENOMEM;
	tmpl->file = f;
	tmpl->pgoff = 0;
	tmpl->file_end = tmpl->end;
	tmpl->flags = VMA_SHARED;
	err = vma_add(mm, tmpl);              /* takes a reference of its own */
	file_put(f);
	return err;
}

/*
 * Anonymous memory, or a file's pages, private to this process (a write
 * makes a copy); or shared anonymous memory, which parent and children
 * share after fork (mm/shmem.c); or a file's page-cache pages shared,
 * whose stores reach the file (written back: mm/fault_shared.c).
 */
static long
map_region(struct mm *mm, unsigned long addr, size_t len, int prot, int flags, int fd, int64_t off)
{
	struct vma tmpl = { .prot = (unsigned)prot & (VMA_READ | VMA_WRITE | VMA_EXEC) };
	bool shared_anon = (flags & (MAP_SHARED | MAP_PRIVATE)) == MAP_SHARED && (flags & MAP_ANONYMOUS);
	int err;

	/* The offset must be page-aligned even where it is unused (anonymous: Linux's sys_mmap). */
	if (len == 0 || (addr & (PAGE_SIZE - 1)) || (off & (PAGE_SIZE - 1)) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return -ENOMEM;
	switch (flags & (MAP_SHARED | MAP_PRIVATE)) {
	case MAP_PRIVATE:
		break;
	case MAP_SHARED:
		break;
	default:
		return -EINVAL;
	}
	if (flags & MAP_ANONYMOUS)
		tmpl.flags = VMA_ANON | VMA_MMAP;
	else if ((err = file_region(&tmpl, fd, off, len, flags & MAP_SHARED)) != 0)
		return err;
	tmpl.flags |= mm->def_flags | (flags & MAP_LOCKED ? VMA_LOCKED : 0);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!range_ok(addr, len))
			return -ENOMEM;
		if (vma_find_intersection(mm, addr, addr + len)) {
			if (flags & MAP_FIXED_NOREPLACE)
				return -EEXIST;
			err = mm_unmap_range(mm, addr, addr + len);
			if (err)
				return err;
		}
	} else if (!addr || !range_ok(addr, len) || vma_find_intersection(mm, addr, addr + len)) {
		addr = vma_find_free(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	tmpl.start = addr;
	tmpl.end = addr + len;
	if (tmpl.file)
		tmpl.file_end += addr;
	err = shared_anon ? add_shared_anon(mm, &tmpl) : vma_add(mm, &tmpl);
	return err ? err : (long)addr;
}

long
sys_mmap(unsigned long addr, size_t len, int prot, int flags, int fd, int64_t off)
{
	struct mm *mm = current->mm;
	long ret;

	down_write(&mm->mmap_lock);
	ret = map_region(mm, addr, len, prot, flags, fd, off);
	up_write(&mm->mmap_lock);
	if (ret > 0)
		populate_if_locked(mm, (vaddr_t)ret, (vaddr_t)ret + ALIGN_UP(len, PAGE_SIZE));
	return ret;
}

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

/*
 * msync(2) of [start, end): for MS_SYNC, each shared file region's file
 * is written back and waited for (fsync of the region's open file
 * description: its EIO once, mm/errseq.h), with the address space
 * unlocked meanwhile, as Linux does. MS_ASYNC does nothing: a store
 * dirties its page at once here (mm/fault_shared.c), as in Linux since
 * 2.6.19. MS_INVALIDATE: nothing to drop, the mapping is the cache; a
 * locked region refuses it (EBUSY). Gaps give ENOMEM after the rest is done.
 */
static long
msync_range(struct mm *mm, vaddr_t start, vaddr_t end, int flags)
{
	long err = 0, unmapped = 0;

	down_read(&mm->mmap_lock);
	while (start < end && !err) {
		struct vma *v = vma_find(mm, start);
		if (!v && !(v = vma_find_intersection(mm, start, end)))
			break;
		if (v->start > start)
			unmapped = -ENOMEM;
		start = v->end;
		if ((flags & MS_INVALIDATE) && (v->flags & VMA_LOCKED)) {
			err = -EBUSY;
		} else if ((flags & MS_SYNC) && v->file && (v->flags & VMA_SHARED) && v->file->ops->fsync) {
			struct file *f = v->file;
			file_get(f);
			up_read(&mm->mmap_lock);
			err = f->ops->fsync(f, true);
			file_put(f);
			down_read(&mm->mmap_lock);
		}
	}
	if (start < end && !err)
		unmapped = -ENOMEM;               /* the range ends in a gap */
	up_read(&mm->mmap_lock);
	return err ? err : unmapped;
}

long
sys_msync(unsigned long start, size_t len, int flags)
{
	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (start & (PAGE_SIZE - 1)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (start + len < start)
		return -ENOMEM;
	return len ? msync_range(current->mm, start, start + len, flags) : 0;
}

/* One byte per page: 1 if it is in memory (mapped, or cached for a file region). */
long
sys_mincore(unsigned long addr, size_t len, unsigned char *uvec)
{
	struct mm *mm = current->mm;
	unsigned char chunk[256];
	size_t npages, done = 0;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	npages = ALIGN_UP(len, PAGE_SIZE) / PAGE_SIZE;
	while (done < npages) {
		size_t n = MIN(npages - done, sizeof(chunk));
		for (size_t i = 0; i < n; i++) {
			vaddr_t va = addr + (done + i) * PAGE_SIZE;
			struct vma *v = vma_find(mm, va);
			if (!v)
				return -ENOMEM;
			chunk[i] = vmm_translate(mm->pml4, va, NULL, NULL) ||
				   (v->file && va < v->file_end &&
				    pagecache_find(v->file->mapping, v->pgoff + (va - v->start) / PAGE_SIZE));
		}
		if (copy_to_user(uvec + done, chunk, n))
			return -EFAULT;
		done += n;
	}
	return 0;
}

#define MADV_DONTNEED 4
#define MADV_PAGEOUT 21

/*
 * MADV_DONTNEED: drop the pages; anonymous ones read as zero, file ones
 * are read again, shared memory ones are found in their object again. MADV_PAGEOUT: evict them now (to swap, or dropped if
 * clean file pages), as reclaim would; they read back as they were.
 * Other advice is only advice: accepted, ignored.
 */
static long
advise(struct mm *mm, unsigned long addr, size_t len, int advice)
{
	for (vaddr_t a = addr; a < addr + len;) {
		struct vma *v = vma_find(mm, a);
		if (!v)
			return -ENOMEM;
		if (v->flags & VMA_LOCKED)
			return -EINVAL;           /* as Linux: locked pages are neither dropped nor paged out */
		vaddr_t end = MIN(v->end, addr + len);
		if (advice == MADV_DONTNEED)
			mm_unmap_pages(mm, a, end);
		else
			reclaim_pageout(mm, a, end);
		a = end;
	}
	return 0;
}

long
sys_madvise(unsigned long addr, size_t len, int advice)
{
	struct mm *mm = current->mm;
	long ret;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (advice != MADV_DONTNEED && advice != MADV_PAGEOUT)
		return 0;
	down_write(&mm->mmap_lock);
	ret = advise(mm, addr, len, advice);
	up_write(&mm->mmap_lock);
	return ret;
}

long
sys_munmap(unsigned long addr, size_t len)
{
	int err;

	if ((addr & (PAGE_SIZE - 1)) || len == 0)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	down_write(&current->mm->mmap_lock);
	err = mm_unmap_range(current->mm, addr, addr + len);
	up_write(&current->mm->mmap_lock);
	return err;
}

long
sys_mprotect(unsigned long addr, size_t len, int prot)
{
	int err;

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (len == 0)
		return 0;
	if (addr + len < addr || addr + len > USER_TOP)
		return -ENOMEM;
	down_write(&current->mm->mmap_lock);
	err = mm_protect(current->mm, addr, addr + len, (unsigned)prot);
	up_write(&current->mm->mmap_lock);
	return err;
}
