/*
 * kernel/procfs.c - /proc files, in Linux's formats (DESIGN.md section 8).
 *
 * A file's text is generated when it is opened, into a buffer the open
 * file owns; reads then come from that snapshot, as with an in-memory file.
 *
 *   /proc/meminfo   MemTotal, MemFree, MemAvailable, AnonPages, ...
 *   /proc/vmstat    one "name value" line per counter (mm/vmstat.c)
 */
#include "kernel/procfs.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/heap.h"
#include "mm/pagecache.h"
#include "mm/pmm.h"
#include "mm/vmstat.h"

#define PROCFS_BUF 4096

static int
gen_meminfo(char *buf, size_t size)
{
	uint64_t kib = PAGE_SIZE / 1024;

	return snprintf(buf, size,
			"MemTotal:       %8lu kB\n"
			"MemFree:        %8lu kB\n"
			"MemAvailable:   %8lu kB\n"
			"Cached:         %8lu kB\n"
			"AnonPages:      %8lu kB\n"
			"SwapTotal:      %8lu kB\n"
			"SwapFree:       %8lu kB\n",
			pmm_stats.usable * kib, pmm_free_frames() * kib,
			(pmm_free_frames() + nr_pagecache_pages) * kib,
			nr_pagecache_pages * kib, vmstat[NR_ANON_PAGES] * kib, 0UL, 0UL);
}

static int
gen_vmstat(char *buf, size_t size)
{
	int n = 0;

	for (int i = 0; i < NR_VMSTAT_ITEMS; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s %lu\n", vmstat_names[i], vmstat[i]);
	return n;
}

static void
procfs_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops procfs_ops = {
	.read = memfile_read,
	.release = procfs_release,
};

static const struct {
	const char *name;
	int (*generate)(char *buf, size_t size);
} files[] = {
	{ "meminfo", gen_meminfo },
	{ "vmstat", gen_vmstat },
};

/* Opens /proc/name read-only. Returns 0, -ENOENT, -EACCES or -ENOMEM. */
int
procfs_open(const char *name, int flags, struct file **out)
{
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (strcmp(name, files[i].name) != 0)
			continue;
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EACCES;
		char *buf = kmalloc(PROCFS_BUF);
		struct file *f = buf ? file_alloc(&procfs_ops, flags, S_IFREG | 0444) : NULL;
		if (!f) {
			kfree(buf);
			return -ENOMEM;
		}
		int n = files[i].generate(buf, PROCFS_BUF);
		f->priv = buf;
		f->data = buf;
		f->size = (uint64_t)MIN(n, PROCFS_BUF - 1);
		*out = f;
		return 0;
	}
	return -ENOENT;
}
