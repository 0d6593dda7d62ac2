/*
 * kernel/fs/mount.c - the mount table: which file system answers for a path.
 *
 * Every path kernel/fs/vfs.c is given is first made absolute ("/proc/1/
 * status"); the mount whose directory is the longest prefix of it answers,
 * with the rest of the path ("1/status"). That is all a mount is here: a
 * directory name and a file system type. Linux keeps a tree of mounts and
 * crosses into one while walking each name of the path; with no symbolic
 * links and ".." resolved by name first, the longest prefix finds the same
 * mount, and students can read the whole table in /proc/mounts.
 *
 *   /               ext2 on the root disk, or the initrd (kernel/fs/rootfs.c)
 *   /proc           procfs (kernel/fs/procfs.c)
 *   /sys/fs/cgroup  cgroup2 (kernel/fs/cgroupfs.c)
 *   /dev            the device files (kernel/fs/devfs.c)
 *   /tmp, /dev/shm  tmpfs: files in swap-backed memory (kernel/fs/tmpfs.c)
 *
 * mount(2) and umount2(2) (kernel/sys_mount.c) add and remove entries.
 */
#include "kernel/fs/mount.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#define MAX_MOUNTS 16

static struct mount mounts[MAX_MOUNTS];
static int nr_mounts;
static int nr_boot_mounts;          /* the first ones, made by the kernel at boot */

/* The file system types mount(2) knows, by name (each file system defines its own). */
extern const struct fs_type ext2_fs_type, proc_fs_type, cgroup2_fs_type, devfs_fs_type,
	tmpfs_fs_type;

static const struct fs_type *const fs_types[] = {
	&ext2_fs_type, &proc_fs_type, &cgroup2_fs_type, &devfs_fs_type, &tmpfs_fs_type,
};

const struct fs_type *
mount_fs_type(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(fs_types); i++)
		if (strcmp(fs_types[i]->name, name) == 0)
			return fs_types[i];
	return NULL;
}

static struct mount *
find_exact(const char *dir)
{
	for (int i = 0; i < nr_mounts; i++)
		if (strcmp(mounts[i].dir, dir) == 0)
			return &mounts[i];
	return NULL;
}

/*
 * Mounts fs at dir (absolute, normalized) with mount(2)'s options (""
 * for none). -EBUSY if something is mounted there, -EINVAL for options a
 * file system without any was given, or what its setup() says.
 */
int
mount_add(const char *source, const char *dir, const struct fs_type *fs, bool read_only,
	  const char *options)
{
	struct mount *m;
	int err;

	if (find_exact(dir))
		return -EBUSY;
	if (nr_mounts == MAX_MOUNTS || strlen(dir) >= MOUNT_DIR_LEN)
		return -ENOMEM;
	m = &mounts[nr_mounts];
	*m = (struct mount){ .fs = fs, .read_only = read_only };
	strlcpy(m->dir, dir, sizeof(m->dir));
	strlcpy(m->source, source, sizeof(m->source));
	err = fs->setup ? fs->setup(m, options) : 0;       /* the source's errors first, as Linux */
	if (!err && fs->cannot_write && !read_only) {
		err = -EROFS;
		if (fs->teardown)
			fs->teardown(m);
	}
	if (err)
		return err;
	nr_mounts++;
	return 0;
}

/*
 * Unmounts what is at dir: -EINVAL if nothing is, -EBUSY for the root, a
 * mount with another below it, or one whose file system is still in use.
 */
int
mount_remove(const char *dir)
{
	struct mount *m = find_exact(dir);
	size_t len = strlen(dir);
	int err;

	if (!m)
		return -EINVAL;
	if (strcmp(dir, "/") == 0)
		return -EBUSY;
	for (int i = 0; i < nr_mounts; i++)
		if (strncmp(mounts[i].dir, dir, len) == 0 && mounts[i].dir[len] == '/')
			return -EBUSY;
	err = m->fs->teardown ? m->fs->teardown(m) : 0;
	if (err)
		return err;
	/* The table stays in mount order, the boot's mounts first (mount_shutdown()). */
	if (m - mounts < nr_boot_mounts)
		nr_boot_mounts--;
	memmove(m, m + 1, (size_t)(&mounts[nr_mounts] - (m + 1)) * sizeof(*m));
	nr_mounts--;
	return 0;
}

/*
 * mount -o remount,ro or rw: -EINVAL if dir is no mount point, -EROFS for
 * rw on a file system that cannot write, or what its remount() says.
 */
int
mount_set_read_only(const char *dir, bool read_only)
{
	struct mount *m = find_exact(dir);
	int err;

	if (!m)
		return -EINVAL;
	if (!read_only && m->fs->cannot_write)
		return -EROFS;
	if (m->fs->remount && m->read_only != read_only && (err = m->fs->remount(m, read_only)))
		return err;
	m->read_only = read_only;
	return 0;
}

/*
 * /proc/filesystems: the types mount(2) knows, "nodev" before those that
 * need no device (what `mount` without -t reads to try each disk type).
 */
int
mount_show_types(char *buf, size_t size)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(fs_types) && (size_t)n < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s\t%s\n",
			      fs_types[i]->needs_device ? "" : "nodev",
			      fs_types[i]->name);
	return (size_t)n < size ? n : (int)size - 1;        /* what fits */
}

/* Does dir (a mount's directory) contain abs? Then *rel is what is below it. */
static bool
contains(const char *dir, const char *abs, const char **rel)
{
	size_t len = strlen(dir);

	if (strcmp(dir, "/") == 0) {
		*rel = abs + 1;
		return true;
	}
	if (strncmp(abs, dir, len) != 0 || (abs[len] != '\0' && abs[len] != '/'))
		return false;
	*rel = abs[len] ? abs + len + 1 : abs + len;
	return true;
}

/* The mount that answers for abs (absolute, normalized), and the path inside it. */
struct mount *
mount_find(const char *abs, const char **rel)
{
	struct mount *best = NULL;
	const char *r;

	for (int i = 0; i < nr_mounts; i++)
		if (contains(mounts[i].dir, abs, &r) && (!best || strlen(mounts[i].dir) > strlen(best->dir))) {
			best = &mounts[i];
			*rel = r;
		}
	return best;
}

void
mount_boot_done(void)
{
	nr_boot_mounts = nr_mounts;
}

/*
 * After init: what tmpfs holds is memory in use, not leaked, so before the
 * kernel counts its frames the mounts made since boot go and the boot ones
 * are emptied, as a shutdown unmounts everything. Nothing runs any more.
 */
void
mount_shutdown(void)
{
	while (nr_mounts > nr_boot_mounts && mount_remove(mounts[nr_mounts - 1].dir) == 0)
		;
	for (int i = 0; i < nr_mounts; i++)
		if (mounts[i].fs->empty)
			mounts[i].fs->empty(&mounts[i]);
}

/* Is abs the directory of a mount (which cannot be removed or renamed)? */
bool
mount_is_top(const char *abs)
{
	return find_exact(abs) != NULL;
}

/* /proc/mounts: "SOURCE DIR TYPE OPTIONS 0 0" per mount, in mount order, as Linux. */
int
mount_show(char *buf, size_t size)
{
	int n = 0;

	for (int i = 0; i < nr_mounts && (size_t)n < size; i++)
		n += snprintf(buf + n, size - (size_t)n, "%s %s %s %s 0 0\n", mounts[i].source,
			      mounts[i].dir, mounts[i].fs->name, mounts[i].read_only ? "ro" : "rw");
	return (size_t)n < size ? n : (int)size - 1;        /* what fits */
}
