/*
 * tests/unit/ext2_mirror.c - what the ext2 writer's unit test
 * (test_ext2_write.c) does each operation with: an image file made by
 * mke2fs and opened as a struct ext2_dev, a directory of the host (the
 * "mirror") that gets the same system call, and the judges, e2fsck and
 * debugfs. See ext2_mirror.h. Nothing here is a test case.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "ext2_mirror.h"

char tmpdir[] = "/tmp/pagoda-ext2w-XXXXXX";
char image[300], mirror[300];
int image_fd;
struct ext2_fs fs;
int reports;

int
file_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return pread(image_fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int
file_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return pwrite(image_fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

void
report(void *ctx, const char *msg)
{
	reports++;
	printf("# ext2: %s\n", msg);
}

static uint32_t
now(void *ctx)
{
	return (uint32_t)time(NULL);
}

void
run(const char *fmt, const char *a, const char *b, int *status)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	*status = system(cmd);
}

/* A fresh image (mke2fs opts, size in KiB), mounted read-write, and an empty mirror. */
bool
setup(const char *opts, unsigned kib)
{
	char cmd[1000];

	snprintf(image, sizeof(image), "%s/fs.img", tmpdir);
	snprintf(mirror, sizeof(mirror), "%s/mirror", tmpdir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s && mkdir -p %s/lost+found && chmod 700 %s/lost+found && "
		 E2 "mke2fs -q -F -t ext2 %s %s %uk > /dev/null", image, mirror, mirror, mirror, opts, image, kib);
	if (system(cmd) != 0)
		return false;
	return reopen();
}

/* Opens the image again (after finish()), mounted read-write; the mirror stays. */
bool
reopen(void)
{
	struct ext2_dev dev = { .read = file_read, .write = file_write, .report = report, .now = now };

	image_fd = open(image, O_RDWR);
	reports = 0;
	return image_fd >= 0 && ext2_mount(&fs, &dev) == 0 && ext2_mount_rw(&fs) == 0;
}

/* Marks the image clean, closes it; e2fsck -fn must be silent and rdump equal the mirror. */
void
finish(bool compare)
{
	char out[320];
	int st;

	CHECK(ext2_unmount_clean(&fs) == 0);
	close(image_fd);
	run(E2 "e2fsck -fn %s > %s.fsck 2>&1", image, image, &st);
	if (st != 0) {
		run("sed 's/^/# /' %s.fsck", image, "", &st);
		CHECK(!"e2fsck -fn is clean");
	}
	CHECK(reports == 0);
	if (!compare)
		return;
	snprintf(out, sizeof(out), "%s/rdump", tmpdir);
	run("rm -rf %s && mkdir %s", out, out, &st);
	run(E2 "debugfs -R 'rdump / %s' %s > /dev/null 2>&1", out, image, &st);
	run("diff -r --no-dereference %s %s | sed 's/^/# /' | head -20", out, mirror, &st);
	run("diff -r --no-dereference %s %s > /dev/null", out, mirror, &st);
	CHECK(st == 0);
	/* Modes and sizes too (diff compares only names and contents; a directory's size is the file system's own). */
	run("cd %s && find . -type d -printf '%%p %%M\\n' -o -printf '%%p %%M %%s\\n' | sort > ../rdump.ls; "
	    "cd %s && find . -type d -printf '%%p %%M\\n' -o -printf '%%p %%M %%s\\n' | sort > ../mirror.ls",
	    out, mirror, &st);
	run("diff %s/../rdump.ls %s/../mirror.ls | sed 's/^/# /' | head", out, mirror, &st);
	run("diff %s/../rdump.ls %s/../mirror.ls > /dev/null", out, mirror, &st);
	CHECK(st == 0);
}

/* ---- each operation on the image and on the mirror ---- */

/* The directory inode of path's parent and its last name. -errno. */
int
split(const char *path, uint32_t *dir, const char **name)
{
	char parent[256];
	const char *slash = strrchr(path, '/');

	*name = slash ? slash + 1 : path;
	if (!slash)
		return (*dir = EXT2_ROOT_INO), 0;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	return ext2_namei(&fs, EXT2_ROOT_INO, parent, dir);
}

static const char *
host(const char *path)
{
	static char buf[2][600];
	static int n;

	n ^= 1;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", mirror, path);
	return buf[n];
}

/* The host's answer (0 or -errno) must be ours. */
#define SAME(ours, theirs, what)                                                               \
	do {                                                                                   \
		int o_ = (ours), t_ = (theirs) < 0 ? -errno : 0;                               \
		if (o_ != t_)                                                                  \
			printf("# %s: ext2 %d, host %d\n", (what), o_, t_);                    \
		CHECK(o_ == t_);                                                               \
	} while (0)

int
e_mkdir(const char *p)
{
	uint32_t dir, ino;
	const char *name;
	int err = split(p, &dir, &name);

	return err ? err : ext2_mkdir(&fs, dir, name, strlen(name), 0755, &ino);
}

void
do_mkdir(const char *p)
{
	SAME(e_mkdir(p), mkdir(host(p), 0755), p);
}

static int
e_create(const char *p)
{
	uint32_t dir, ino;
	const char *name;
	int err = split(p, &dir, &name);

	return err ? err : ext2_create(&fs, dir, name, strlen(name), EXT2_S_IFREG | 0644, &ino);
}

void
do_create(const char *p)
{
	int fd = open(host(p), O_CREAT | O_EXCL | O_WRONLY, 0644);

	SAME(e_create(p), fd, p);
	if (fd >= 0)
		close(fd);
}

unsigned char
pattern(uint64_t i, unsigned seed)
{
	return (unsigned char)((i * 2654435761u + seed) >> 13);
}

/* Writes len bytes of pattern seed at off, in pieces of chunk, to both. */
void
do_write(const char *p, uint64_t off, size_t len, unsigned seed, size_t chunk)
{
	unsigned char *buf = malloc(len);
	struct ext2_inode_info inode;
	uint32_t ino;
	int fd = open(host(p), O_WRONLY);

	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(off + i, seed);
	CHECK(fd >= 0 && pwrite(fd, buf, len, (off_t)off) == (ssize_t)len);
	close(fd);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, p, &ino) == 0 && ext2_read_inode(&fs, ino, &inode) == 0);
	for (size_t done = 0; done < len; done += chunk) {
		size_t n = len - done < chunk ? len - done : chunk;
		CHECK(ext2_write_data(&fs, &inode, off + done, buf + done, n) == (int64_t)n);
	}
	free(buf);
}

/* The file reads back as the mirror's copy, through ext2_read_data. */
void
check_same_data(const char *p)
{
	struct ext2_inode_info inode;
	struct stat st;
	uint32_t ino;

	CHECK(stat(host(p), &st) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, p, &ino) == 0 && ext2_read_inode(&fs, ino, &inode) == 0);
	CHECK(inode.size == (uint64_t)st.st_size);
	unsigned char *a = malloc(st.st_size + 1), *b = malloc(st.st_size + 1);
	int fd = open(host(p), O_RDONLY);
	CHECK(read(fd, a, st.st_size) == st.st_size);
	close(fd);
	CHECK(ext2_read_data(&fs, &inode, 0, b, st.st_size) == st.st_size);
	CHECK(memcmp(a, b, st.st_size) == 0);
	free(a);
	free(b);
}

void
do_truncate(const char *p, uint64_t size)
{
	struct ext2_inode_info inode;
	uint32_t ino;

	CHECK(truncate(host(p), (off_t)size) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, p, &ino) == 0 && ext2_read_inode(&fs, ino, &inode) == 0);
	CHECK(ext2_truncate(&fs, &inode, size) == 0);
}

/* Deletes ino if its last link went (nobody has files open here). */
int
reap(int err, uint32_t ino)
{
	struct ext2_inode_info inode;

	if (!err && ino && ext2_read_inode(&fs, ino, &inode) == 0 && inode.links == 0)
		err = ext2_delete_inode(&fs, &inode);
	return err;
}

void
do_unlink(const char *p)
{
	uint32_t dir, ino = 0;
	const char *name;
	int err = split(p, &dir, &name);

	if (!err)
		err = ext2_unlink(&fs, dir, name, strlen(name), &ino);
	err = reap(err, ino);
	SAME(err, unlink(host(p)), p);
}

void
do_rmdir(const char *p)
{
	uint32_t dir, ino = 0;
	const char *name;
	int err = split(p, &dir, &name);

	if (!err)
		err = ext2_rmdir(&fs, dir, name, strlen(name), &ino);
	err = reap(err, ino);
	SAME(err, rmdir(host(p)), p);
}

void
do_rename(const char *a, const char *b)
{
	uint32_t od, nd, gone = 0;
	const char *on, *nn;
	int err = split(a, &od, &on);

	if (!err)
		err = split(b, &nd, &nn);
	if (!err)
		err = ext2_rename(&fs, od, on, strlen(on), nd, nn, strlen(nn), &gone);
	err = reap(err, gone);
	SAME(err, rename(host(a), host(b)), a);
}

void
do_link(const char *a, const char *b)
{
	uint32_t ino, dir;
	const char *name;
	int err = ext2_namei(&fs, EXT2_ROOT_INO, a, &ino);

	if (!err)
		err = split(b, &dir, &name);
	if (!err)
		err = ext2_link(&fs, dir, name, strlen(name), ino);
	SAME(err, link(host(a), host(b)), b);
}

void
do_symlink(const char *target, const char *p)
{
	uint32_t dir, ino;
	const char *name;
	int err = split(p, &dir, &name);

	if (!err)
		err = ext2_symlink(&fs, dir, name, strlen(name), target, strlen(target), &ino);
	SAME(err, symlink(target, host(p)), p);
}

uint16_t
links_of(const char *p)
{
	struct ext2_inode_info inode;
	uint32_t ino;

	return ext2_namei(&fs, EXT2_ROOT_INO, p, &ino) == 0 && ext2_read_inode(&fs, ino, &inode) == 0
	       ? inode.links : 0;
}
