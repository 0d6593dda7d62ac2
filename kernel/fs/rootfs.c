/*
 * kernel/fs/rootfs.c - the file system mounted at "/": ext2 on the root
 * disk (kernel/fs/ext2fs.c), or, when there is no disk, the initial RAM
 * disk, a read-only cpio archive GRUB loaded (kernel/fs/cpio.c).
 *
 * ext2 is mounted read-write, as a Linux distribution's root is after
 * boot (Linux itself mounts it read-only first; init scripts remount it),
 * unless the kernel command line says `ro`; `mount -o remount,ro /` and
 * `remount,rw` switch it. Its operations are kernel/fs/ext2fs_namei.c
 * and ext2fs_file.c. The initrd is read-only: it only opens and stats,
 * and kernel/fs/vfs.c gives Linux's answers for a read-only mount to
 * everything else. The initrd's files are read straight from the
 * module's memory, which mm/pmm.c keeps reserved until a disk makes the
 * initrd unneeded.
 */
#include "kernel/fs/rootfs.h"
#include "drivers/blk.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/vfs.h"
#include "kernel/multiboot.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/uapi.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/writeback.h"

static const void *initrd;
static size_t initrd_size;

/* Finds the module GRUB loaded as "initrd.cpio". */
static void
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
}

/* With the root on a disk the initrd is not needed: its frames go back. */
static void
release_initrd(void)
{
	for (int i = 0; i < boot_info.nmodules && initrd; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		if (strcmp(m->name, "initrd.cpio") == 0) {
			uint64_t n = pmm_release_boot_range(m->start, m->end);
			pr_info("initrd: not needed (root is on a disk): %lu KiB freed\n", n * 4);
			initrd = NULL;
		}
	}
}

static const struct file_ops initrd_file_ops = {
	.read = memfile_read,
};

/* The initrd's files: the archive names them "/bin/sh", so rel gets its '/' back. */
static int
initrd_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	char abs[256];
	struct cpio_file cf;
	struct file *f;
	int err;

	(void)m;
	if (strlen(rel) + 2 > sizeof(abs))
		return -ENAMETOOLONG;
	abs[0] = '/';
	strlcpy(abs + 1, rel, sizeof(abs) - 1);
	err = initrd ? cpio_find(initrd, initrd_size, abs, &cf) : -ENOENT;
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

static const struct fs_type initrd_fs_type = {
	.name = "rootfs",                /* what Linux calls its initramfs in /proc/mounts */
	.open = initrd_open,
	.cannot_write = true,
	.holds_data = true,
};

/* ext2's name for the top directory ("" is ENOENT to it, as to Linux). */
static const char *
ext2_path(const char *rel)
{
	return rel[0] ? rel : "/";
}

static int
ext2_open(struct mount *m, const char *rel, int flags, struct file **out)
{
	return ext2fs_open(ext2_path(rel), flags, !m->read_only, out);
}

/* The changes: the VFS has refused them on a read-only mount. */
static int
ext2_mkdir(struct mount *m, const char *rel)
{
	return ext2fs_mkdir(rel);
}

static int
ext2_rmdir(struct mount *m, const char *rel)
{
	return ext2fs_rmdir(rel);
}

static int
ext2_unlink(struct mount *m, const char *rel)
{
	return ext2fs_unlink(rel);
}

static int
ext2_rename(struct mount *m, const char *old_rel, const char *new_rel)
{
	return ext2fs_rename(old_rel, new_rel);
}

static int
ext2_link(struct mount *m, const char *old_rel, const char *new_rel)
{
	return ext2fs_link(old_rel, new_rel);
}

static int
ext2_symlink(struct mount *m, const char *target, const char *rel)
{
	return ext2fs_symlink(target, rel);
}

static int
ext2_chmod(struct mount *m, const char *rel, uint32_t mode)
{
	return ext2fs_chmod(rel, mode);
}

/* mount -o remount,ro|rw: the superblock's state follows. */
static int
ext2_remount(struct mount *m, bool read_only)
{
	return ext2fs_set_writable(!read_only);
}

/* At power-off: everything on the disk, the disk marked clean, the flusher gone. */
static void
ext2_shutdown(struct mount *m)
{
	if (!m->read_only)
		ext2fs_set_writable(false);
	flusher_stop();
}

static int
ext2_stat(struct mount *m, const char *rel, struct stat *st)
{
	struct inode *inode;
	int err = ext2fs_lookup(ext2fs_root_ino(), ext2_path(rel), &inode);

	(void)m;

	if (!err)
		ext2fs_fill_stat(inode, st);
	return err;
}

static int
root_readlink(struct mount *m, const char *rel, char *buf, size_t size)
{
	(void)m;
	return ext2fs_readlink(ext2_path(rel), buf, size);
}

static int
root_find_link(struct mount *m, const char *rel, bool last, size_t *end, char *buf, size_t size)
{
	(void)m;
	return ext2fs_find_link(rel, last, end, buf, size);
}

/*
 * mount -t ext2 SOURCE DIR: the kernel has one ext2 instance, the root's,
 * so SOURCE must be the root's device ("/dev/vda1"): then DIR shows the
 * same tree, as Linux does when a mounted device is mounted again (one
 * superblock, two mount points). Linux's errors otherwise: no such file
 * ENOENT, not a block device ENOTBLK, a device without ext2's superblock
 * EINVAL. A second ext2 disk is EBUSY here (Linux would mount it).
 */
static int
ext2_setup(struct mount *m, const char *options)
{
	const char *root = ext2fs_root_device();
	struct stat st;

	if (options[0])
		return -EINVAL;
	if (strncmp(m->source, "/dev/", 5) != 0 || !blk_find(m->source + 5))
		return vfs_stat(m->source, &st) == 0 ? -ENOTBLK : -ENOENT;
	if (root && strcmp(m->source + 5, root) == 0)
		return 0;
	if (!ext2fs_device_has_superblock(m->source + 5))
		return -EINVAL;
	pr_warn("ext2: %s: only the root's ext2 (%s) can be mounted\n", m->source, root ? root : "none");
	return -EBUSY;
}

const struct fs_type ext2_fs_type = {
	.name = "ext2",
	.open = ext2_open,
	.stat = ext2_stat,
	.readlink = root_readlink,
	.find_link = root_find_link,
	.mkdir = ext2_mkdir,
	.rmdir = ext2_rmdir,
	.unlink = ext2_unlink,
	.rename = ext2_rename,
	.chmod = ext2_chmod,
	.link = ext2_link,
	.symlink = ext2_symlink,
	.setup = ext2_setup,
	.remount = ext2_remount,
	.empty = ext2_shutdown,
	.holds_data = true,
	.needs_device = true,
};

/* Mounts "/": ext2 from root= or the first disk; else the initrd. */
void
rootfs_mount(void)
{
	char source[24] = "/dev/";

	initrd_init();
	if (ext2fs_mount_root(karg_get("root")) == 0) {
		release_initrd();
		strlcpy(source + 5, ext2fs_root_device(), sizeof(source) - 5);
		/* rw unless `ro`, or unless the disk cannot be written (then read-only, as Linux falls back). */
		bool ro = karg_has("ro") || ext2fs_set_writable(true) != 0;
		mount_add(source, "/", &ext2_fs_type, ro, "");
		return;
	}
	if (initrd)
		pr_info("vfs: no root disk; / is the initrd (read-only)\n");
	else
		pr_warn("vfs: no root disk and no initrd: no programs to run\n");
	mount_add("rootfs", "/", &initrd_fs_type, true, "");
}
