/*
 * tests/unit/test_ext2_write.c - the ext2 writer (kernel/fs/ext2_write.h)
 * on images made by the host's mke2fs, judged by e2fsprogs.
 *
 * Every operation is done twice: through our code on the image, and with
 * the same system call on a directory of the host (the "mirror"); the
 * error codes must agree. After each case the image must pass
 * `e2fsck -fn` with nothing to say, and `debugfs -R 'rdump / DIR'` must
 * give back a tree equal to the mirror (diff -r: names, contents,
 * symlink targets; modes by a find listing). Both 1 KiB and 4 KiB
 * blocks; the files reach double-indirect blocks with 1 KiB blocks.
 * Small file systems are filled until ENOSPC (blocks, then inodes), and
 * the free counts must come back to where they were once all is deleted.
 * Run from the repository root; needs mke2fs, e2fsck and debugfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "kernel/fs/ext2.h"
#include "kernel/fs/ext2_write.h"

#define E2 "PATH=$PATH:/sbin:/usr/sbin "

static char tmpdir[] = "/tmp/pagoda-ext2w-XXXXXX";
static char image[300], mirror[300];
static int image_fd;
static struct ext2_fs fs;
static int reports;

static int
file_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	return pread(image_fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static int
file_write(void *ctx, uint64_t off, const void *buf, size_t len)
{
	return pwrite(image_fd, buf, len, (off_t)off) == (ssize_t)len ? 0 : -EIO;
}

static void
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

static void
run(const char *fmt, const char *a, const char *b, int *status)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), fmt, a, b);
	*status = system(cmd);
}

/* A fresh image (mke2fs opts, size in KiB), mounted read-write, and an empty mirror. */
static bool
setup(const char *opts, unsigned kib)
{
	char cmd[1000];
	struct ext2_dev dev = { .read = file_read, .write = file_write, .report = report, .now = now };

	snprintf(image, sizeof(image), "%s/fs.img", tmpdir);
	snprintf(mirror, sizeof(mirror), "%s/mirror", tmpdir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s && mkdir -p %s/lost+found && chmod 700 %s/lost+found && "
		 E2 "mke2fs -q -F -t ext2 %s %s %uk > /dev/null", image, mirror, mirror, mirror, opts, image, kib);
	if (system(cmd) != 0)
		return false;
	image_fd = open(image, O_RDWR);
	reports = 0;
	return image_fd >= 0 && ext2_mount(&fs, &dev) == 0 && ext2_mount_rw(&fs) == 0;
}

/* Marks the image clean, closes it; e2fsck -fn must be silent and rdump equal the mirror. */
static void
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
static int
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

static int
e_mkdir(const char *p)
{
	uint32_t dir, ino;
	const char *name;
	int err = split(p, &dir, &name);

	return err ? err : ext2_mkdir(&fs, dir, name, strlen(name), 0755, &ino);
}

static void
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

static void
do_create(const char *p)
{
	int fd = open(host(p), O_CREAT | O_EXCL | O_WRONLY, 0644);

	SAME(e_create(p), fd, p);
	if (fd >= 0)
		close(fd);
}

static unsigned char
pattern(uint64_t i, unsigned seed)
{
	return (unsigned char)((i * 2654435761u + seed) >> 13);
}

/* Writes len bytes of pattern seed at off, in pieces of chunk, to both. */
static void
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
static void
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

static void
do_truncate(const char *p, uint64_t size)
{
	struct ext2_inode_info inode;
	uint32_t ino;

	CHECK(truncate(host(p), (off_t)size) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, p, &ino) == 0 && ext2_read_inode(&fs, ino, &inode) == 0);
	CHECK(ext2_truncate(&fs, &inode, size) == 0);
}

/* Deletes ino if its last link went (nobody has files open here). */
static int
reap(int err, uint32_t ino)
{
	struct ext2_inode_info inode;

	if (!err && ino && ext2_read_inode(&fs, ino, &inode) == 0 && inode.links == 0)
		err = ext2_delete_inode(&fs, &inode);
	return err;
}

static void
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

static void
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

static void
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

static void
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

static void
do_symlink(const char *target, const char *p)
{
	uint32_t dir, ino;
	const char *name;
	int err = split(p, &dir, &name);

	if (!err)
		err = ext2_symlink(&fs, dir, name, strlen(name), target, strlen(target), &ino);
	SAME(err, symlink(target, host(p)), p);
}

static uint16_t
links_of(const char *p)
{
	struct ext2_inode_info inode;
	uint32_t ino;

	return ext2_namei(&fs, EXT2_ROOT_INO, p, &ino) == 0 && ext2_read_inode(&fs, ino, &inode) == 0
	       ? inode.links : 0;
}

/* ---- the cases ---- */

/* Files around the block edges, to double-indirect blocks, in odd pieces; holes. */
static void
files(void)
{
	static const uint64_t sizes[] = { 0, 1, 1023, 1024, 1025, 4096, 12 * 1024 + 1,
					  (12 + 256) * 1024 + 5, 300 * 1024 + 77 };
	char p[64];

	do_mkdir("files");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(p, sizeof(p), "files/size_%lu", (unsigned long)sizes[i]);
		do_create(p);
		if (sizes[i])
			do_write(p, 0, sizes[i], (unsigned)i, 1000 + 7 * i);
		check_same_data(p);
	}
	do_create("files/holes");
	do_write("files/holes", 5 * 1024 * 1024 + 3, 5000, 9, 5000);
	do_write("files/holes", 20000, 100, 10, 100);
	check_same_data("files/holes");
	do_write("files/size_1024", 512, 2000, 11, 333);       /* overwrite and extend */
	check_same_data("files/size_1024");
	do_create("files/size_0");                              /* exists */
	do_mkdir("files/size_1/x");                             /* a file as a directory */
	do_mkdir("nowhere/x");
}

static void
files_1k(void)
{
	CHECK(setup("-b 1024", 16384));
	files();
	finish(true);
}

static void
files_4k(void)
{
	CHECK(setup("-b 4096", 16384));
	files();
	finish(true);
}

/* Truncates: inside a block (the tail reads as zeros when the file grows again), to 0, from double-indirect. */
static void
truncates(void)
{
	do_create("t");
	do_write("t", 0, 300 * 1024 + 77, 1, 4096);
	do_truncate("t", 13 * 1024 + 100);
	check_same_data("t");
	do_truncate("t", 20000);
	check_same_data("t");
	do_truncate("t", 5);
	do_truncate("t", 3000);
	check_same_data("t");
	do_truncate("t", 0);
	check_same_data("t");
	do_create("u");
	do_write("u", 6000000, 10, 2, 10);
	do_truncate("u", 100);
	check_same_data("u");
}

static void
truncate_1k(void)
{
	CHECK(setup("-b 1024", 16384));
	truncates();
	finish(true);
}

static void
truncate_4k(void)
{
	CHECK(setup("-b 4096", 16384));
	truncates();
	finish(true);
}

/* A directory of 300 entries, half removed, some added into the slack; the listing matches. */
static void
big_dir(void)
{
	char p[300];

	do_mkdir("big");
	for (int i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "big/entry_with_a_longish_name_%03d", i);
		do_create(p);
	}
	for (int i = 0; i < 300; i += 2) {
		snprintf(p, sizeof(p), "big/entry_with_a_longish_name_%03d", i);
		do_unlink(p);
	}
	for (int i = 0; i < 40; i++) {
		snprintf(p, sizeof(p), "big/n%d", i);
		do_mkdir(p);
	}
	memset(p, 'n', 255);
	memcpy(p, "big/", 4);
	p[259] = '\0';
	do_create(p);                                 /* a 255-byte name */
	CHECK(links_of("big") == 42);
	do_rmdir("big");                              /* ENOTEMPTY */
}

static void
big_dir_1k(void)
{
	CHECK(setup("-b 1024", 16384));
	big_dir();
	finish(true);
}

static void
big_dir_4k(void)
{
	CHECK(setup("-b 4096", 16384));
	big_dir();
	finish(true);
}

/* Renames, links, symlinks, unlinks, rmdirs and their errors, with link counts. */
static void
names(void)
{
	char slow[300];

	do_mkdir("a");
	do_mkdir("a/b");
	do_mkdir("a/b/c");
	do_mkdir("d");
	do_create("a/f");
	do_write("a/f", 0, 5000, 3, 5000);
	do_create("d/g");
	do_rename("a/f", "a/f2");                     /* same directory */
	do_rename("a/f2", "d/f3");                    /* another one */
	do_rename("d/f3", "d/g");                     /* replaces g */
	do_rename("a/b", "d/b");                      /* a directory moves: ".." and counts */
	CHECK(links_of("a") == 2 && links_of("d") == 3);
	do_rename("d/b", "d/b/c/x");                  /* into itself: EINVAL */
	do_rename("d", "d/b/c");                      /* EINVAL */
	do_mkdir("e");
	do_rename("d/b", "e");                        /* over an empty directory */
	CHECK(links_of("e") == 3 && links_of(".") == 6);
	do_rename("a", "e");                          /* over a non-empty one: ENOTEMPTY */
	do_rename("d/g", "e");                        /* file over directory: EISDIR */
	do_rename("e", "d/g");                        /* directory over file: ENOTDIR */
	do_rename("missing", "x");                    /* ENOENT */
	do_link("d/g", "a/g2");
	do_link("d/g", "a/g3");
	CHECK(links_of("d/g") == 3);
	do_link("e", "a/e2");                         /* a directory: EPERM */
	do_link("d/g", "a/g2");                       /* EEXIST */
	do_rename("a/g2", "d/g");                     /* two names of one file: nothing */
	do_unlink("a/g3");
	CHECK(links_of("d/g") == 2);
	do_symlink("d/g", "fast");
	memset(slow, 's', 200);
	slow[200] = '\0';
	do_symlink(slow, "slow");
	do_symlink("x", "fast");                      /* EEXIST */
	do_unlink("e");                               /* EISDIR */
	do_rmdir("d/g");                              /* ENOTDIR */
	do_rmdir("e/c");
	do_unlink("slow");
	do_symlink(slow, "slow2");
	do_rmdir("a");                                /* ENOTEMPTY */
	do_rename("fast", "e/fast");
}

static void
names_1k(void)
{
	CHECK(setup("-b 1024", 8192));
	names();
	finish(true);
}

static void
names_4k(void)
{
	CHECK(setup("-b 4096", 8192));
	names();
	finish(true);
}

/* Fills a small file system until ENOSPC, then deletes all: counts back to baseline. */
static void
full_disk(const char *opts, unsigned kib)
{
	struct ext2_usage before, full, after;
	char p[64];
	int i, err = 0;
	uint32_t dir, ino;

	CHECK(setup(opts, kib));
	CHECK(ext2_statfs(&fs, &before) == 0);
	do_mkdir("fill");
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "fill", &dir) == 0);
	/* Blocks: files of 37 KiB until one write fails. */
	static unsigned char buf[37 * 1024];
	for (i = 0; err == 0; i++) {
		struct ext2_inode_info inode;
		snprintf(p, sizeof(p), "f%d", i);
		if ((err = ext2_create(&fs, dir, p, strlen(p), EXT2_S_IFREG | 0644, &ino)))
			break;
		CHECK(ext2_read_inode(&fs, ino, &inode) == 0);
		int64_t n = ext2_write_data(&fs, &inode, 0, buf, sizeof(buf));
		err = n == (int64_t)sizeof(buf) ? 0 : n < 0 ? (int)n : -ENOSPC;
	}
	CHECK(err == -ENOSPC);
	CHECK(ext2_statfs(&fs, &full) == 0);
	if (full.free_blocks)
		printf("# %lu blocks free after ENOSPC, %d files\n", (unsigned long)full.free_blocks, i);
	CHECK(full.free_blocks == 0);
	/* Inodes: empty files until none is left (or the directory cannot grow). */
	for (err = 0; err == 0; i++) {
		snprintf(p, sizeof(p), "e%d", i);
		err = ext2_create(&fs, dir, p, strlen(p), EXT2_S_IFREG | 0644, &ino);
	}
	CHECK(err == -ENOSPC);
	CHECK(e_mkdir("fill/newdir") == -ENOSPC);
	ext2_unmount_clean(&fs);
	run(E2 "e2fsck -fn %s > %s.fsck 2>&1", image, image, &err);
	CHECK(err == 0);
	/* Everything goes: the counts return to where they were. */
	for (int j = 0; j < i; j++) {
		uint32_t gone;
		snprintf(p, sizeof(p), "f%d", j);
		if (ext2_unlink(&fs, dir, p, strlen(p), &gone) == 0)
			CHECK(reap(0, gone) == 0);
		snprintf(p, sizeof(p), "e%d", j);
		if (ext2_unlink(&fs, dir, p, strlen(p), &gone) == 0)
			CHECK(reap(0, gone) == 0);
	}
	do_rmdir("fill");
	CHECK(ext2_statfs(&fs, &after) == 0);
	CHECK(after.free_blocks == before.free_blocks && after.free_inodes == before.free_inodes);
	if (after.free_blocks != before.free_blocks || after.free_inodes != before.free_inodes)
		printf("# free blocks %lu -> %lu, inodes %lu -> %lu\n", (unsigned long)before.free_blocks,
		       (unsigned long)after.free_blocks, (unsigned long)before.free_inodes,
		       (unsigned long)after.free_inodes);
	finish(true);
}

static void
enospc_1k(void)
{
	full_disk("-b 1024 -N 64", 1024);
}

static void
enospc_4k(void)
{
	full_disk("-b 4096 -N 128", 2048);
}

/* mount_rw marks the superblock "not clean"; unmount_clean marks it clean. */
static void
mount_state(void)
{
	int st;

	CHECK(setup("-b 1024", 4096));
	run(E2 "dumpe2fs -h %s 2>/dev/null | grep -q 'state: *not clean'%s", image, "", &st);
	CHECK(st == 0);
	finish(false);
	run(E2 "dumpe2fs -h %s 2>/dev/null | grep -q 'state: *clean$'%s", image, "", &st);
	CHECK(st == 0);
}

/* A device without write is refused read-write. */
static void
read_only_device(void)
{
	struct ext2_dev dev = { .read = file_read, .report = report };

	CHECK(setup("-b 1024", 4096));
	finish(false);
	image_fd = open(image, O_RDONLY);
	CHECK(ext2_mount(&fs, &dev) == 0 && ext2_mount_rw(&fs) == -EROFS);
	CHECK(e_mkdir("x") == -EROFS);
	close(image_fd);
}

int
main(void)
{
	char cmd[400];

	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	if (!mkdtemp(tmpdir)) {
		printf("not ok setup: mkdtemp failed\n");
		return 1;
	}
	RUN(mount_state);
	RUN(read_only_device);
	RUN(files_1k);
	RUN(files_4k);
	RUN(truncate_1k);
	RUN(truncate_4k);
	RUN(big_dir_1k);
	RUN(big_dir_4k);
	RUN(names_1k);
	RUN(names_4k);
	RUN(enospc_1k);
	RUN(enospc_4k);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	UNIT_EXIT();
}
