/*
 * kernel/fs/procfs_smaps.c - /proc/PID/smaps and /proc/PID/smaps_rollup:
 * what each region of a process costs in memory, in Linux's format
 * (Linux 6.x: man 5 proc_pid_smaps).
 *
 *   smaps         per region: its /proc/PID/maps line, then one "Name:  N kB"
 *                 line per figure, THPeligible and VmFlags
 *   smaps_rollup  the same figures summed over all regions, under one
 *                 header line spanning them all, named [rollup]
 *
 * Each figure comes from one walk over the region's page-table entries:
 *   Rss       pages present; Pss divides each by the number of PTEs that
 *             map it (page->mapcount: a page a parent shares with its
 *             forked child counts half to each), kept in 1/4096ths of a
 *             byte as Linux does (PSS_SHIFT) so the sum loses nothing
 *   Shared_*  pages mapped more than once; Private_* the others; Dirty if
 *             the PTE's D bit (or the page's PG_DIRTY) says it was written
 *   Swap      swap entries; SwapPss divides each by the PTEs holding its slot
 *   Locked    the region's Pss if it is locked (mlock, mm/mlock.c)
 * Huge pages, KSM, lazy-free and shared memory do not exist here: 0.
 * Summed over regions, Rss is VmRSS and Swap is VmSwap (/proc/PID/status).
 *
 * The text is made at open, like every /proc file, but into a buffer
 * sized for the process's regions (the common /proc buffer may be too
 * small for a process with many).
 */
#include "kernel/fs/procfs_smaps.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/vsprintf.h"
#include "mm/heap.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "mm/swap.h"

#define PSS_SHIFT 12            /* Pss is summed in 1/4096ths of a byte (as Linux) */
#define REGION_TEXT 1280        /* room for one region's block */

struct mem_size_stats {
	uint64_t resident, shared_clean, shared_dirty, private_clean, private_dirty;
	uint64_t referenced, anonymous, swap;
	uint64_t pss, pss_dirty, pss_anon, pss_file, pss_locked, swap_pss;   /* << PSS_SHIFT */
};

/* Adds one present page, mapped by this PTE among p->mapcount, to *s. */
static void
account_page(struct mem_size_stats *s, const struct vmm_entry *e, const struct vma *v)
{
	struct page *p = phys_to_page(e->pa);
	bool dirty = e->dirty || (p->flags & PG_DIRTY);
	uint64_t mappers = p->mapcount > 1 ? (uint64_t)p->mapcount : 1;
	uint64_t pss = ((uint64_t)PAGE_SIZE << PSS_SHIFT) / mappers;

	s->resident += PAGE_SIZE;
	s->pss += pss;
	if (dirty)
		s->pss_dirty += pss;
	if (p->flags & PG_ANON) {
		s->anonymous += PAGE_SIZE;
		s->pss_anon += pss;
	} else {
		s->pss_file += pss;
	}
	if (v->flags & VMA_LOCKED)
		s->pss_locked += pss;
	if (e->accessed)
		s->referenced += PAGE_SIZE;
	if (mappers > 1)
		*(dirty ? &s->shared_dirty : &s->shared_clean) += PAGE_SIZE;
	else
		*(dirty ? &s->private_dirty : &s->private_clean) += PAGE_SIZE;
}

/* Adds one swap entry, its slot held by swap_count() PTEs, to *s. */
static void
account_swap(struct mem_size_stats *s, swp_entry_t e)
{
	unsigned holders = swap_count(e);

	s->swap += PAGE_SIZE;
	s->swap_pss += ((uint64_t)PAGE_SIZE << PSS_SHIFT) / (holders > 1 ? holders : 1);
}

/* Adds the region's entries to *s. */
static void
account_region(struct mem_size_stats *s, struct mm *mm, const struct vma *v)
{
	pte_t *pte;

	for (vaddr_t va = vmm_next_entry(mm->pml4, v->start, v->end, &pte); va < v->end;
	     va = vmm_next_entry(mm->pml4, va + PAGE_SIZE, v->end, &pte)) {
		struct vmm_entry e = vmm_read(*pte);
		if (e.kind == VMM_PAGE)
			account_page(s, &e, v);
		else if (e.kind == VMM_SWAP)
			account_swap(s, e.swap);
	}
}

/* Appends "Name:   N kB" (name padded to 16, the number to 8: Linux's columns). */
static int
kb_line(char *buf, size_t size, const char *name, uint64_t bytes)
{
	return snprintf(buf, size, "%-16s%8lu kB\n", name, bytes >> 10);
}

/* The figures both files show, from Rss to Locked. rollup adds Pss_Anon/File/Shmem. */
static int
show_figures(char *buf, size_t size, const struct mem_size_stats *s, bool rollup)
{
	int n = 0;

	n += kb_line(buf + n, size - n, "Rss:", s->resident);
	n += kb_line(buf + n, size - n, "Pss:", s->pss >> PSS_SHIFT);
	n += kb_line(buf + n, size - n, "Pss_Dirty:", s->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		n += kb_line(buf + n, size - n, "Pss_Anon:", s->pss_anon >> PSS_SHIFT);
		n += kb_line(buf + n, size - n, "Pss_File:", s->pss_file >> PSS_SHIFT);
		n += kb_line(buf + n, size - n, "Pss_Shmem:", 0);
	}
	n += kb_line(buf + n, size - n, "Shared_Clean:", s->shared_clean);
	n += kb_line(buf + n, size - n, "Shared_Dirty:", s->shared_dirty);
	n += kb_line(buf + n, size - n, "Private_Clean:", s->private_clean);
	n += kb_line(buf + n, size - n, "Private_Dirty:", s->private_dirty);
	n += kb_line(buf + n, size - n, "Referenced:", s->referenced);
	n += kb_line(buf + n, size - n, "Anonymous:", s->anonymous);
	static const char *const absent[] = {
		"KSM:", "LazyFree:", "AnonHugePages:", "ShmemPmdMapped:", "FilePmdMapped:",
		"Shared_Hugetlb:", "Private_Hugetlb:",
	};
	for (size_t i = 0; i < ARRAY_SIZE(absent); i++)
		n += kb_line(buf + n, size - n, absent[i], 0);
	n += kb_line(buf + n, size - n, "Swap:", s->swap);
	n += kb_line(buf + n, size - n, "SwapPss:", s->swap_pss >> PSS_SHIFT);
	n += kb_line(buf + n, size - n, "Locked:", s->pss_locked >> PSS_SHIFT);
	return n;
}

/*
 * "00400000-00401000 r-xp 00000000 08:01 12         /bin/prog": the
 * region's line as /proc/PID/maps prints it (kernel/fs/procfs.c), the
 * name padded to column 73. start and end are given for [rollup]'s sake.
 */
static int
header_line(char *buf, size_t size, const struct vma *v, vaddr_t start, vaddr_t end,
	    const char *name)
{
	int len = snprintf(buf, size, "%08lx-%08lx %c%c%cp %08lx %s %lu", start, end,
			   v && (v->prot & VMA_READ) ? 'r' : '-', v && (v->prot & VMA_WRITE) ? 'w' : '-',
			   v && (v->prot & VMA_EXEC) ? 'x' : '-',
			   v && v->file ? v->pgoff * PAGE_SIZE : 0, v && v->file ? "08:01" : "00:00",
			   v && v->file ? v->file->ino : 0UL);

	return len + snprintf(buf + len, size - len, "%*s%s\n", name[0] ? MAX(1, 73 - len) : 0, "",
			      name);
}

static const char *
region_name(const struct vma *v)
{
	return v->file ? v->file->path : (v->flags & VMA_HEAP) ? "[heap]" :
	       (v->flags & VMA_GROWSDOWN) ? "[stack]" : "";
}

/* "VmFlags: rd wr mr mw me ac ": Linux's two-letter names, in Linux's order. */
static int
vm_flags_line(char *buf, size_t size, const struct vma *v)
{
	bool writable = v->prot & VMA_WRITE;
	int n = snprintf(buf, size, "VmFlags: ");

	/* Every mapping here is private: it may be made readable, writable,
	 * executable (mr mw me); a writable one is charged to memory (ac). */
	n += snprintf(buf + n, size - n, "%s%s%smr mw me %s%s%s\n",
		      v->prot & VMA_READ ? "rd " : "", writable ? "wr " : "",
		      v->prot & VMA_EXEC ? "ex " : "", v->flags & VMA_GROWSDOWN ? "gd " : "",
		      v->flags & VMA_LOCKED ? "lo " : "", writable ? "ac " : "");
	return n;
}

/* One region's block of smaps. */
static int
show_region(char *buf, size_t size, struct mm *mm, const struct vma *v)
{
	struct mem_size_stats s = { 0 };
	int n;

	account_region(&s, mm, v);
	n = header_line(buf, size, v, v->start, v->end, region_name(v));
	n += kb_line(buf + n, size - n, "Size:", v->end - v->start);
	n += kb_line(buf + n, size - n, "KernelPageSize:", PAGE_SIZE);
	n += kb_line(buf + n, size - n, "MMUPageSize:", PAGE_SIZE);
	n += show_figures(buf + n, size - n, &s, false);
	n += snprintf(buf + n, size - n, "%-16s%8d\n", "THPeligible:", 0);
	n += vm_flags_line(buf + n, size - n, v);
	return n;
}

static int
gen_smaps(struct mm *mm, char *buf, size_t size)
{
	struct list_head *pos;
	int n = 0;

	list_for_each(pos, &mm->vmas)
		n += show_region(buf + n, size - n, mm, list_entry(pos, struct vma, link));
	return n;
}

static int
gen_smaps_rollup(struct mm *mm, char *buf, size_t size)
{
	struct mem_size_stats s = { 0 };
	struct list_head *pos;
	int n;

	if (list_empty(&mm->vmas))
		return 0;
	list_for_each(pos, &mm->vmas)
		account_region(&s, mm, list_entry(pos, struct vma, link));
	n = header_line(buf, size, NULL, list_first_entry(&mm->vmas, struct vma, link)->start,
			list_entry(mm->vmas.prev, struct vma, link)->end, "[rollup]");
	return n + show_figures(buf + n, size - n, &s, true);
}

static void
smaps_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops smaps_ops = {
	.read = memfile_read,
	.release = smaps_release,
};

/*
 * Opens t's "smaps" or "smaps_rollup" (name) read-only. Returns 0,
 * -EACCES (for writing) or -ENOMEM. A process without an address space
 * (a kernel thread) has empty files, as in Linux.
 */
int
procfs_smaps_open(struct task *t, const char *name, int flags, struct file **out)
{
	bool rollup = strcmp(name, "smaps_rollup") == 0;
	size_t size = (size_t)((t->mm ? t->mm->nvmas : 0) + 1) * REGION_TEXT;
	struct file *f;
	char *buf;
	int n = 0;

	if ((flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	buf = kmalloc(size);
	f = buf ? file_alloc(&smaps_ops, flags, S_IFREG | 0444) : NULL;
	if (!f) {
		kfree(buf);
		return -ENOMEM;
	}
	if (t->mm)
		n = rollup ? gen_smaps_rollup(t->mm, buf, size) : gen_smaps(t->mm, buf, size);
	f->priv = buf;
	f->data = buf;
	f->size = (uint64_t)MIN((size_t)MAX(n, 0), size - 1);
	*out = f;
	return 0;
}
