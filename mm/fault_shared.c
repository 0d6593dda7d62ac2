/*
 * mm/fault_shared.c - faults in a region that maps a file on the disk
 * MAP_SHARED: stores must reach the file, so the page-cache page itself
 * is mapped (a private mapping gets copies: mm/fault.c's do_file_fault).
 *
 * The page must become dirty when it is first written, and the file
 * system must have blocks for it then - later, in writeback, there would
 * be nobody to tell about ENOSPC. So a page is first mapped read-only,
 * even in a writable region, and the first store faults (Linux's
 * do_shared_fault / do_page_mkwrite):
 *
 *   read fault    the cached page (read from the disk if needed), read-only
 *   write fault   the file system's page_mkwrite gives the page blocks (ENOSPC:
 *                 SIGBUS, as Linux); the page is dirty; mapped writable
 *   writeback     write-protects every PTE again (rmap_mkclean), so the next
 *                 store faults here and dirties the page again
 *
 * munmap, exit and reclaim's unmapping also carry a PTE's dirty bit to the
 * page (mm/mm.c, mm/rmap.c), though with this scheme a writable PTE always
 * belongs to a page already dirty.
 */
#include "mm/fault_shared.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/writeback.h"

/* Is this a shared mapping of a file whose dirty pages are written back? */
bool
fault_is_shared_file(const struct vma *vma)
{
	return (vma->flags & VMA_SHARED) && vma->file && vma->file->mapping &&
	       !shmem_of_mapping(vma->file->mapping) && vma->file->mapping->ops->writepage;
}

/* The page, present already (a store to a write-protected one) or from the cache. */
static struct page *
page_for(struct shared_fault *sf, uint64_t index, enum fault_result *r)
{
	struct vmm_entry e = vmm_read(sf->seen);
	struct page *p;
	int err;

	if (e.kind == VMM_PAGE) {
		p = phys_to_page(e.pa);
		get_page(p);
		return p;
	}
	p = pagecache_get_page(sf->vma->file->mapping, index, &err, &sf->major);   /* may sleep */
	if (!p) {
		sf->why = "the file's data could not be read";
		*r = err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
	}
	return p;
}

/*
 * Before the first store to p: the file system allocates its blocks.
 * FAULT_OK to go on, or with *gone when the page was truncated meanwhile
 * (the access just faults again); SIGBUS for ENOSPC or EIO, OOM for ENOMEM.
 */
static enum fault_result
make_writable(struct shared_fault *sf, struct page *p, bool *gone)
{
	struct address_space *m = sf->vma->file->mapping;
	int err = m->ops->page_mkwrite ? m->ops->page_mkwrite(m, p) : 0;   /* may sleep */

	*gone = err == -EAGAIN;
	if (err == 0 || *gone)
		return FAULT_OK;
	sf->why = err == -ENOSPC ? "no room on the disk for the page's blocks" :
				   "the page's blocks could not be allocated";
	return err == -ENOMEM ? FAULT_OOM : FAULT_SIGBUS;
}

/*
 * Handles a fault in a shared file region: a missing page is mapped
 * (writable only for a store), or a store to a write-protected page
 * makes it writable; either store dirties the page. Sleeps.
 */
enum fault_result
shared_file_fault(struct shared_fault *sf)
{
	struct vma *v = sf->vma;
	uint64_t index = v->pgoff + (sf->va - v->start) / PAGE_SIZE;
	enum fault_result r = FAULT_OK;
	bool present = vmm_read(sf->seen).kind == VMM_PAGE, gone = false;
	unsigned prot = vma_to_vmm_prot(v);
	struct page *p;

	if (sf->va >= v->file_end) {
		sf->why = "the page lies beyond the end of the mapped file";
		return FAULT_SIGBUS;
	}
	if (sf->write)
		flusher_start();                  /* the page will be dirty: someone must write it */
	if ((p = page_for(sf, index, &r)) == NULL)
		return r;
	if (sf->write && ((r = make_writable(sf, p, &gone)) != FAULT_OK || gone)) {
		put_page(p);
		return r;
	}
	/* Slept: if the PTE changed (reclaim, truncate, another fault), fault again. */
	if (vmm_entry_changed(sf->pte, sf->seen)) {
		put_page(p);
		return FAULT_OK;
	}
	if (sf->write)
		set_page_dirty(p);
	else
		prot &= ~VMM_WRITE;               /* the first store must come back here */
	if (present) {
		vmm_set_prot(sf->pte, sf->va, prot);
		put_page(p);
	} else {
		vmm_set_page(sf->pte, sf->va, page_to_phys(p), prot);
		rmap_add_file(p, sf->mm);         /* our reference becomes the mapping's */
	}
	return FAULT_OK;
}
