/*
 * kernel/vfs.c - path names to files: /proc/... from procfs, the rest
 * from the initial RAM disk.
 *
 * The initrd is a cpio archive GRUB loaded as a module (tools/mkinitrd.sh
 * builds it); its files are read-only and are read straight from the
 * module's memory, which mm/pmm.c keeps reserved. Every process's working
 * directory is / for now, so a relative path is taken from /.
 */
#include "kernel/vfs.h"
#include "kernel/cpio.h"
#include "kernel/errno.h"
#include "kernel/multiboot.h"
#include "kernel/printk.h"
#include "kernel/procfs.h"
#include "kernel/string.h"
#include "mm/layout.h"

static const void *initrd;
static size_t initrd_size;

/* Finds the module GRUB loaded as "initrd.cpio". */
void
initrd_init(void)
{
	for (int i = 0; i < boot_info.nmodules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		if (strcmp(m->name, "initrd.cpio") == 0) {
			initrd = phys_to_virt(m->start);
			initrd_size = m->end - m->start;
			pr_info("initrd: %lu KiB at %#lx\n", initrd_size >> 10, m->start);
			return;
		}
	}
	pr_warn("initrd: no initrd.cpio module; no programs to run\n");
}

static const struct file_ops initrd_file_ops = {
	.read = memfile_read,
};

static int
initrd_open(const char *path, int flags, struct file **out)
{
	struct cpio_file cf;
	struct file *f;
	int err;

	if (!initrd)
		return -ENOENT;
	err = cpio_find(initrd, initrd_size, path, &cf);
	if (err == -EINVAL) {
		pr_err("initrd: the archive is malformed\n");
		return -EIO;
	}
	if (err)
		return err;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	if ((flags & O_DIRECTORY) && (cf.mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	f = file_alloc(&initrd_file_ops, flags, cf.mode);
	if (!f)
		return -ENOMEM;
	f->data = cf.data;
	f->size = cf.size;
	*out = f;
	return 0;
}

/* Opens path. Returns 0 with *out set, or -ENOENT, -EROFS, -ENOMEM, ... */
int
vfs_open(const char *path, int flags, struct file **out)
{
	if (strncmp(path, "/proc/", 6) == 0)
		return procfs_open(path + 6, flags, out);
	return initrd_open(path, flags, out);
}
