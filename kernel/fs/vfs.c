/*
 * kernel/fs/vfs.c - path names to files: the door into kernel/fs/.
 *
 *   "/proc/..."      -> procfs (kernel/fs/procfs.c), whose links (self,
 *                       PID/exe) only lstat and readlink see as links
 *   "/sys/fs/cgroup/..."  -> cgroupfs (kernel/fs/cgroupfs.c; its mkdir
 *                       and rmdir: kernel/cgroup.c)
 *   anything else    -> the root file system: ext2 on the root disk
 *                       (kernel/fs/ext2fs.c), or, when there is no disk, the
 *                       initial RAM disk (a read-only cpio archive GRUB loaded,
 *                       kernel/fs/cpio.c)
 *
 * A relative path starts at the task's working directory (chdir). The
 * initrd files are read straight from the module's memory, which mm/pmm.c
 * keeps reserved.
 */
#include "kernel/fs/vfs.h"
#include "kernel/cgroup.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/cgroupfs.h"
#include "kernel/fs/cpio.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/procfs.h"
#include "kernel/multiboot.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/uapi.h"
#include "mm/layout.h"
#include "mm/pmm.h"

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

/* Mounts the root: ext2 from root= or the first disk; else the initrd. */
void
vfs_init(void)
{
	initrd_init();
	if (ext2fs_mount_root(karg_get("root")) == 0) {
		release_initrd();
		return;
	}
	if (initrd)
		pr_info("vfs: no root disk; / is the initrd (read-only)\n");
	else
		pr_warn("vfs: no root disk and no initrd: no programs to run\n");
}

/*
 * Writes the absolute form of path (relative to cwd unless it starts with
 * '/') into out, with "." and ".." resolved by name. Returns 0 or
 * -ENAMETOOLONG.
 */
int
path_normalize(const char *cwd, const char *path, char *out, size_t size)
{
	size_t len = 0;

	for (int pass = path[0] == '/'; pass < 2; pass++) {
		const char *p = pass == 0 ? cwd : path;
		while (*p) {
			size_t n = 0;
			while (*p == '/')
				p++;
			while (p[n] && p[n] != '/')
				n++;
			if (n == 0 || (n == 1 && p[0] == '.')) {
			} else if (n == 2 && p[0] == '.' && p[1] == '.') {
				while (len > 0 && out[--len] != '/')
					;
			} else {
				if (len + 1 + n + 1 > size)
					return -ENAMETOOLONG;
				out[len++] = '/';
				memcpy(out + len, p, n);
				len += n;
			}
			p += n;
		}
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

static const struct file_ops initrd_file_ops = {
	.read = memfile_read,
};

static int
initrd_open(const char *path, int flags, struct file **out)
{
	char abs[256];
	struct cpio_file cf;
	struct file *f;
	int err = path_normalize(current->fs->cwd, path, abs, sizeof(abs));

	if (!err)
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

static uint32_t
start_ino(const char *path)
{
	return path[0] == '/' || current->fs->cwd_ino == 0 ? ext2fs_root_ino() : current->fs->cwd_ino;
}

static int open_path(const char *path, int flags, struct file **out);

#define CGROUP_MOUNT "/sys/fs/cgroup"

#define PROC_MOUNT "/proc"

/*
 * If path (relative to the working directory) is the mount point or below
 * it: the rest after it ("" for the mount point itself), else NULL. abs
 * (PATH_ABS bytes) holds the absolute path.
 */
#define PATH_ABS 256

static const char *
mount_part(const char *path, const char *mount, char *abs)
{
	size_t n = strlen(mount);

	if (path_normalize(current->fs->cwd, path, abs, PATH_ABS) != 0 || strncmp(abs, mount, n))
		return NULL;
	if (abs[n] == '\0')
		return abs + n;
	return abs[n] == '/' ? abs + n + 1 : NULL;
}

static const char *
cgroupfs_part(const char *path, char *abs)
{
	return mount_part(path, CGROUP_MOUNT, abs);
}

static const char *
procfs_part(const char *path, char *abs)
{
	return mount_part(path, PROC_MOUNT, abs);
}

/* Opens path. Returns 0 with *out set, or -ENOENT, -ENOTDIR, -EROFS, ... */
int
vfs_open(const char *path, int flags, struct file **out)
{
	int err = open_path(path, flags, out);

	if (err || (*out)->path[0])
		return err;        /* a link in /proc (exe) already named the file it reached */
	if (path_normalize(current->fs->cwd, path, (*out)->path, sizeof((*out)->path)))
		strlcpy((*out)->path, path, sizeof((*out)->path));
	return 0;
}

static int
open_path(const char *path, int flags, struct file **out)
{
	struct inode *inode;
	int err;

	char abs[PATH_ABS];
	const char *cg;

	if (path[0] == '\0')
		return -ENOENT;
	if ((cg = procfs_part(path, abs)) != NULL)
		return procfs_open(cg, flags, out);
	if ((cg = cgroupfs_part(path, abs)) != NULL)
		return cgroupfs_open(cg, flags, out);
	if (!ext2fs_mounted())
		return initrd_open(path, flags, out);
	err = ext2fs_lookup(start_ino(path), path, &inode);
	if (err == 0 && (flags & O_CREAT) && (flags & 0200))      /* O_EXCL */
		return -EEXIST;
	if (err == -ENOENT && (flags & O_CREAT))
		return -EROFS;
	return err ? err : ext2fs_open_inode(inode, flags, out);
}

/* stat(): what fstat() would say of the opened file. */
int
vfs_stat(const char *path, struct stat *st)
{
	char abs[PATH_ABS];
	struct inode *inode;
	int err;

	if (path[0] == '\0')
		return -ENOENT;
	if (ext2fs_mounted() && !procfs_part(path, abs) && !cgroupfs_part(path, abs)) {
		err = ext2fs_lookup(start_ino(path), path, &inode);
		if (!err)
			ext2fs_fill_stat(inode, st);
		return err;
	}
	struct file *f;
	err = vfs_open(path, O_RDONLY, &f);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->st_mode = f->mode;
	st->st_size = (int64_t)f->size;
	st->st_nlink = 1;
	file_put(f);
	return 0;
}

/* The /proc name of path if it could be a link: under /proc, without a trailing '/' (which follows). */
static const char *
link_candidate(const char *path, char *abs)
{
	size_t len = strlen(path);

	return len && path[len - 1] != '/' ? procfs_part(path, abs) : NULL;
}

/*
 * lstat(): as stat(), but a link is not followed: the links of /proc
 * (self, PID/exe) are links themselves, of their target's length.
 */
int
vfs_lstat(const char *path, struct stat *st)
{
	char abs[PATH_ABS], target[PATH_ABS];
	const char *name = link_candidate(path, abs);
	int n = name ? procfs_readlink(name, target, sizeof(target)) : -EINVAL;

	if (n < 0)
		return vfs_stat(path, st);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFLNK | 0777;
	st->st_size = n;
	st->st_nlink = 1;
	return 0;
}

/*
 * readlink(): the target of the link at path into buf (size bytes, no
 * NUL added), and its length. -EINVAL if path is not a link (only /proc
 * has links here), -ENOENT and the like if it does not exist.
 */
int
vfs_readlink(const char *path, char *buf, size_t size)
{
	char abs[PATH_ABS], target[PATH_ABS];
	const char *name = link_candidate(path, abs);
	struct stat st;
	int n, err;

	if (!name) {
		err = vfs_stat(path, &st);
		return err ? err : -EINVAL;
	}
	n = procfs_readlink(name, target, sizeof(target));
	if (n < 0)
		return n;
	n = MIN(n, (int)size);
	memcpy(buf, target, (size_t)n);
	return n;
}

/* Changes the working directory. Returns 0, -ENOENT, -ENOTDIR, ... */
int
vfs_chdir(const char *path)
{
	char abs[sizeof(current->fs->cwd)];
	struct inode *inode;
	int err = path_normalize(current->fs->cwd, path, abs, sizeof(abs));

	if (err)
		return err;
	if (!ext2fs_mounted())
		return strcmp(abs, "/") == 0 ? 0 : -ENOENT;
	err = ext2fs_lookup(start_ino(path), path, &inode);
	if (err)
		return err;
	if ((inode->e2.mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	current->fs->cwd_ino = inode->e2.ino;
	strlcpy(current->fs->cwd, abs, sizeof(current->fs->cwd));
	return 0;
}

/*
 * mkdir or rmdir on the read-only root: Linux's answers without changing
 * anything. EEXIST for mkdir of what exists, ENOENT and ENOTDIR for a
 * missing or non-directory path, EBUSY for rmdir of "/", else EROFS.
 */
static int
readonly_dir_change(const char *abs, bool mkdir)
{
	char parent[PATH_ABS];
	struct inode *inode;
	size_t cut = 0;
	int err;

	if (!ext2fs_mounted())
		return mkdir && strcmp(abs, "/") == 0 ? -EEXIST : -EROFS;
	err = ext2fs_lookup(ext2fs_root_ino(), abs, &inode);
	if (err == 0 && mkdir)
		return -EEXIST;
	if (err == 0 && (inode->e2.mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	if (err == 0)
		return strcmp(abs, "/") == 0 ? -EBUSY : -EROFS;
	if (err != -ENOENT || !mkdir)
		return err;
	for (size_t i = 0; abs[i]; i++)      /* the parent: up to the last '/' */
		if (abs[i] == '/')
			cut = i;
	memcpy(parent, abs, cut);
	parent[cut] = '\0';
	err = ext2fs_lookup(ext2fs_root_ino(), parent[0] ? parent : "/", &inode);
	if (err)
		return err;
	return (inode->e2.mode & S_IFMT) == S_IFDIR ? -EROFS : -ENOTDIR;
}

/*
 * mkdir(2) (make) or rmdir(2): a control group made under /sys/fs/cgroup,
 * or an empty one removed (the root itself: EEXIST, EBUSY); elsewhere the
 * root is read-only.
 */
static int
dir_change(const char *path, bool make)
{
	char abs[PATH_ABS];
	const char *cg = cgroupfs_part(path, abs);
	int err;

	if (cg && !cg[0])
		return make ? -EEXIST : -EBUSY;
	if (cg)
		return make ? cgroup_mkdir(cg) : cgroup_rmdir(cg);
	if ((err = path_normalize(current->fs->cwd, path, abs, sizeof(abs))) != 0)
		return err;
	return readonly_dir_change(abs, make);
}

int
vfs_mkdir(const char *path)
{
	return dir_change(path, true);
}

int
vfs_rmdir(const char *path)
{
	return dir_change(path, false);
}

/* unlink(2) of a file: nothing can be removed (cgroupfs: EPERM, as Linux; elsewhere EROFS). */
int
vfs_unlink(const char *path)
{
	struct stat st;
	char abs[PATH_ABS];
	int err;

	if (cgroupfs_part(path, abs))
		return vfs_stat(path, &st) ? -ENOENT : -EPERM;
	if ((err = vfs_stat(path, &st)) != 0)
		return err;
	return (st.st_mode & S_IFMT) == S_IFDIR ? -EISDIR : -EROFS;
}
