/*
 * kernel/fs/vfs.c - path names to files: the door into kernel/fs/.
 *
 * A path is made absolute first (relative ones start at the task's working
 * directory; kernel/fs/vfs_lookup.c follows the symbolic links on the way
 * and resolves "." and ".."), then the mount table
 * (kernel/fs/mount.c) says which file system answers for it:
 *
 *   /               ext2 on the root disk, or the initrd (kernel/fs/rootfs.c)
 *   /proc           procfs (kernel/fs/procfs.c)
 *   /sys/fs/cgroup  cgroup2 (kernel/fs/cgroupfs.c; its mkdir and rmdir:
 *                   kernel/cgroup.c)
 *   /dev            the device files (kernel/fs/devfs.c)
 *   /tmp, /dev/shm  tmpfs: files in swap-backed memory (kernel/fs/tmpfs.c)
 *
 * and whatever mount(2) adds (kernel/sys_mount.c). What a file system cannot do (a NULL operation) gets Linux's answers for
 * a read-only mount, in Linux's order: a missing path or parent is ENOENT,
 * a parent that is a file ENOTDIR, mkdir of what exists EEXIST, unlink of
 * a directory EISDIR, rmdir of a mount point EBUSY, and only then EROFS.
 */
#include "kernel/fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/fs/rootfs.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/uapi.h"


extern const struct fs_type proc_fs_type, cgroup2_fs_type, devfs_fs_type, tmpfs_fs_type;

/* Mounts the root, then /proc, /sys/fs/cgroup, /dev, /tmp and /dev/shm, as a Linux init would. */
void
vfs_init(void)
{
	rootfs_mount();
	mount_add("proc", "/proc", &proc_fs_type, false, "");
	mount_add("cgroup2", "/sys/fs/cgroup", &cgroup2_fs_type, false, "");
	mount_add("devtmpfs", "/dev", &devfs_fs_type, false, "");
	mount_add("tmpfs", "/tmp", &tmpfs_fs_type, false, "");
	mount_add("tmpfs", "/dev/shm", &tmpfs_fs_type, false, "");
	mount_boot_done();
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

/*
 * The mount that answers for path, and the path inside it (*rel); abs
 * (PATH_ABS bytes) gets the absolute path, its links followed (the last
 * name's as how says: kernel/fs/vfs_lookup.c). -ENOENT for "",
 * -ELOOP, -ENAMETOOLONG.
 */
static int
resolve(const char *path, int how, char *abs, struct mount **m, const char **rel)
{
	int err = vfs_resolve(current->fs->cwd, path, how, abs);

	if (err)
		return err;
	*m = mount_find(abs, rel);
	return *m ? 0 : -ENOENT;
}

/* Is rel (resolved, its last name not followed) a symbolic link? */
static bool
is_link(struct mount *m, const char *rel)
{
	char c;

	return m->fs->readlink && m->fs->readlink(m, rel, &c, 1) >= 0;
}

/*
 * Opens path. Its last name is followed unless O_NOFOLLOW (a link there is
 * then -ELOOP) or O_CREAT|O_EXCL (a link there exists: -EEXIST, from the
 * file system), as Linux. Returns 0 with *out set, or -ENOENT, -ENOTDIR,
 * -EROFS, -ELOOP, ...
 */
int
vfs_open(const char *path, int flags, struct file **out)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	bool excl = (flags & O_CREAT) && (flags & O_EXCL);
	int how = (flags & O_NOFOLLOW) || excl ? LOOKUP_NOFOLLOW : LOOKUP_FOLLOW;
	int err = resolve(path, how, abs, &m, &rel);

	if (!err && (flags & O_NOFOLLOW) && !excl && is_link(m, rel))
		err = -ELOOP;
	if (!err)
		err = m->fs->open(m, rel, flags, out);
	if (!err && !(*out)->path[0])       /* the path it was reached by, links followed */
		strlcpy((*out)->path, abs, sizeof((*out)->path));
	return err;
}

static int
stat_in(struct mount *m, const char *rel, struct stat *st)
{
	struct file *f;
	int err;

	if (m->fs->stat)
		return m->fs->stat(m, rel, st);
	err = m->fs->open(m, rel, O_RDONLY, &f);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->st_mode = f->mode;
	st->st_size = (int64_t)f->size;
	st->st_nlink = 1;
	file_put(f);
	return 0;
}

/* stat(): what fstat() would say of the opened file (links followed). */
int
vfs_stat(const char *path, struct stat *st)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	int err = resolve(path, LOOKUP_FOLLOW, abs, &m, &rel);

	return err ? err : stat_in(m, rel, st);
}

/*
 * lstat(): as stat(), but a symbolic link as the last name is not
 * followed (a trailing '/' follows it, as in Linux). A file system that
 * stats its own links (tmpfs, ext2) says what it has; for the others
 * (/proc: self, PID/exe) a link is S_IFLNK, 0777, its target's length.
 */
int
vfs_lstat(const char *path, struct stat *st)
{
	char abs[PATH_ABS], target[PATH_ABS];
	struct mount *m;
	const char *rel;
	int err = resolve(path, LOOKUP_NOFOLLOW, abs, &m, &rel), n;

	if (err)
		return err;
	if (m->fs->stat || !m->fs->readlink || (n = m->fs->readlink(m, rel, target, sizeof(target))) < 0)
		return stat_in(m, rel, st);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFLNK | 0777;
	st->st_size = n;
	st->st_nlink = 1;
	return 0;
}

/*
 * readlink(): the target of the link at path into buf (size bytes, no NUL
 * added) and its length, cut to size; -EINVAL if path is not a link,
 * -ENOENT and the like if it does not exist.
 */
int
vfs_readlink(const char *path, char *buf, size_t size)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	struct stat st;
	int err = resolve(path, LOOKUP_NOFOLLOW, abs, &m, &rel), n;

	if (err)
		return err;
	n = m->fs->readlink ? m->fs->readlink(m, rel, buf, size) : -EINVAL;
	if (n == -EINVAL && (err = stat_in(m, rel, &st)) != 0)
		return err;
	return n < 0 ? n : MIN(n, (int)size);       /* silently cut, as Linux's readlink */
}

/* The S_IFMT bits of path's file (links followed), or -errno. */
static int
file_type(const char *path)
{
	struct stat st;
	int err = vfs_stat(path, &st);

	return err ? err : (int)(st.st_mode & S_IFMT);
}

/* The same of the name itself: a link there is S_IFLNK. */
static int
name_type(const char *path)
{
	struct stat st;
	int err = vfs_lstat(path, &st);

	return err ? err : (int)(st.st_mode & S_IFMT);
}

/* Changes the working directory (links followed: getcwd() then names the real one). */
int
vfs_chdir(const char *path)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	int err = resolve(path, LOOKUP_FOLLOW, abs, &m, &rel), type;

	if (err)
		return err;
	if ((type = file_type(abs)) < 0)
		return type;
	if (type != S_IFDIR)
		return -ENOTDIR;
	if (strlen(abs) >= sizeof(current->fs->cwd))
		return -ENAMETOOLONG;
	strlcpy(current->fs->cwd, abs, sizeof(current->fs->cwd));
	return 0;
}

/*
 * 0 if the directory a name abs would be made in exists ("/" has none to
 * lack), else -ENOENT or -ENOTDIR: what mkdir and every call that creates
 * a name (kernel/fs/vfs_readonly.c) check first, as Linux's lookup does.
 */
int
vfs_parent_is_dir(const char *abs)
{
	char parent[PATH_ABS];
	size_t cut = 0;
	int type;

	for (size_t i = 0; abs[i]; i++)      /* the parent: up to the last '/' */
		if (abs[i] == '/')
			cut = i;
	memcpy(parent, abs, cut);
	parent[cut] = '\0';
	type = file_type(cut ? parent : "/");
	return type < 0 ? type : type == S_IFDIR ? 0 : -ENOTDIR;
}

/* mkdir(2): a link as the last name is not followed: it exists (-EEXIST). */
int
vfs_mkdir(const char *path)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	int err = resolve(path, LOOKUP_NAME, abs, &m, &rel);

	if (err)
		return err;
	if (name_type(abs) >= 0)
		return -EEXIST;
	if ((err = vfs_parent_is_dir(abs)) != 0)
		return err;
	return m->fs->mkdir && !m->read_only ? m->fs->mkdir(m, rel) : -EROFS;
}

/* rmdir(2): a link as the last name is not followed (-ENOTDIR). */
int
vfs_rmdir(const char *path)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	int err = resolve(path, LOOKUP_NAME, abs, &m, &rel), type;

	if (err)
		return err;
	if ((type = name_type(abs)) < 0)
		return type;
	if (type != S_IFDIR)
		return -ENOTDIR;
	if (mount_is_top(abs))
		return -EBUSY;
	return m->fs->rmdir && !m->read_only ? m->fs->rmdir(m, rel) : -EROFS;
}

/* unlink(2) of a file, or of a link itself (cgroupfs: EPERM, as Linux). */
int
vfs_unlink(const char *path)
{
	char abs[PATH_ABS];
	struct mount *m;
	const char *rel;
	int err = resolve(path, LOOKUP_NAME, abs, &m, &rel), type;

	if (err)
		return err;
	if ((type = name_type(abs)) < 0)
		return type;
	if (type == S_IFDIR)
		return -EISDIR;
	if (vfs_wants_dir(path))
		return -ENOTDIR;                 /* "file/" or "link/": Linux's answer */
	return m->fs->unlink && !m->read_only ? m->fs->unlink(m, rel) : -EROFS;
}

/* The mount point target as an absolute path in abs (links followed); it must be a directory. */
static int
mount_point(const char *target, char *abs)
{
	struct mount *m;
	const char *rel;
	int err = resolve(target, LOOKUP_FOLLOW, abs, &m, &rel), type;

	if (err)
		return err;
	if ((type = file_type(abs)) < 0)
		return type;
	return type == S_IFDIR ? 0 : -ENOTDIR;
}

/* mount(2): the file system type named type at the directory target. */
int
vfs_mount(const char *source, const char *target, const char *type, bool read_only,
	  const char *options)
{
	char abs[PATH_ABS];
	const struct fs_type *fs = mount_fs_type(type);
	int err = mount_point(target, abs);

	if (err)
		return err;
	return fs ? mount_add(source, abs, fs, read_only, options) : -ENODEV;
}

/* umount2(2): -EINVAL if target is not where something is mounted. */
int
vfs_umount(const char *target)
{
	char abs[PATH_ABS];
	int err = mount_point(target, abs);

	return err ? err : mount_remove(abs);
}

/* mount(2) with MS_REMOUNT: read-only or not. */
int
vfs_remount(const char *target, bool read_only)
{
	char abs[PATH_ABS];
	int err = mount_point(target, abs);

	return err ? err : mount_set_read_only(abs, read_only);
}
