/*
 * t_ext2w - writing files: a tree built with the plain system calls and
 * checked back with stat and read, then a scratch area that exercises
 * the error cases and is deleted again (kernel/fs/ext2fs_file.c,
 * ext2fs_namei.c, and the on-disk writer kernel/fs/ext2_*_write.c).
 *
 * Usage: t_ext2w [--no-fill] [DIR]
 *   DIR  where to work (created if missing; must not hold "tree" or
 *        "scratch" yet). Default: /ext2w on pagoda (its root, ext2), a
 *        new temporary directory on the host.
 *   --no-fill  do not fill the disk (pagoda: the comparison on a disk
 *        copy, whose writes go to a file on the host, slower than an overlay)
 *
 * DIR/tree stays behind, the same on every run: files of many sizes (to
 * double-indirect blocks with 1 KiB blocks), files with holes, a
 * directory of 300 entries, hard links, fast and slow symbolic links,
 * renamed and truncated files. tests/run compares it with the host's:
 * the program runs on pagoda on a copy of the root disk, then e2fsck
 * checks the copy and debugfs's rdump of DIR/tree must equal the tree
 * the same program made on the host. DIR/scratch is made and removed: on
 * pagoda the free blocks and inodes (statfs) must come back to what they
 * were (nothing leaked), an unlinked file open or mapped keeps its
 * data until the last close, and a file written until the disk is full
 * ends in ENOSPC and gives every block back when deleted.
 *
 * Every check holds on Linux too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"

static char dir[200];
static bool pagoda, fill = true;

/* DIR/rel, in one of a few rotating buffers (several may be in use at once). */
static const char *
at(const char *rel)
{
	static char buf[4][512];
	static int n;

	n = (n + 1) % 4;
	snprintf(buf[n], sizeof(buf[n]), "%s/%s", dir, rel);
	return buf[n];
}

static unsigned char
pattern(uint64_t i, unsigned seed)
{
	return (unsigned char)((i * 2654435761u + seed * 40503u) >> 11);
}

/* Writes len pattern bytes at off, in pieces of chunk bytes (pwrite). 0 or errno. */
static int
write_pattern(const char *path, uint64_t off, size_t len, unsigned seed, size_t chunk, int flags)
{
	unsigned char buf[8192];
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644), err = 0;

	if (fd < 0)
		return errno;
	for (size_t done = 0; done < len && !err;) {
		size_t n = len - done < chunk ? len - done : chunk;
		n = n < sizeof(buf) ? n : sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = pattern(off + done + i, seed);
		if (pwrite(fd, buf, n, (off_t)(off + done)) != (ssize_t)n)
			err = errno ? errno : EIO;
		done += n;
	}
	close(fd);
	return err;
}

/* Does [off, off+len) of path hold pattern seed (or zeros for seed 0)? */
static bool
has_pattern(const char *path, uint64_t off, size_t len, unsigned seed)
{
	unsigned char buf[8192];
	int fd = open(path, O_RDONLY);
	bool ok = fd >= 0;

	for (size_t done = 0; ok && done < len;) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ok = pread(fd, buf, n, (off_t)(off + done)) == (ssize_t)n;
		for (size_t i = 0; ok && i < n; i++)
			ok = buf[i] == (seed ? pattern(off + done + i, seed) : 0);
		done += n;
	}
	if (fd >= 0)
		close(fd);
	return ok;
}

static int64_t
size_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (int64_t)st.st_size : -1;
}

static int
links_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (int)st.st_nlink : -1;
}

/* errno of a call that returned -1, or 0. */
static int
err_of(int r)
{
	return r < 0 ? errno : 0;
}

#define ERR(name, call, want) \
	do { int e_ = err_of(call); CHECK(name, e_ == (want), "got %s, want %s", strerror(e_), strerror(want)); } while (0)

/* ---- the tree that stays ---- */

static const uint64_t sizes[] = {
	0, 1, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024, 12 * 1024 + 1,
	(12 + 256) * 1024, (12 + 256) * 1024 + 1, 1 << 20, 3 * 1024 * 1024 + 5,
};

static void
tree_files(void)
{
	char rel[64];
	int bad = 0;

	CHECK("mkdir_tree", mkdir(at("tree"), 0755) == 0 && mkdir(at("tree/files"), 0755) == 0,
	      "%s", strerror(errno));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(rel, sizeof(rel), "tree/files/size_%lu", (unsigned long)sizes[i]);
		/* Odd chunk sizes cross page and block edges. */
		if (write_pattern(at(rel), 0, sizes[i], (unsigned)i + 1, 1000 + 333 * i, O_EXCL) ||
		    size_of(at(rel)) != (int64_t)sizes[i] || !has_pattern(at(rel), 0, sizes[i], (unsigned)i + 1))
			bad++;
	}
	CHECK("files_of_many_sizes_read_back", bad == 0, "%d files differ", bad);
	/* Holes: written past the end, and a block in the middle of nothing. */
	CHECK("hole_file", write_pattern(at("tree/files/holes"), 5 * 1024 * 1024 + 3, 5000, 20, 5000, 0) == 0 &&
	      write_pattern(at("tree/files/holes"), 20000, 100, 21, 100, 0) == 0 &&
	      size_of(at("tree/files/holes")) == 5 * 1024 * 1024 + 5003 &&
	      has_pattern(at("tree/files/holes"), 0, 20000, 0) &&
	      has_pattern(at("tree/files/holes"), 20000, 100, 21) &&
	      has_pattern(at("tree/files/holes"), 20100, 5 * 1024 * 1024 + 3 - 20100, 0),
	      "size %ld", (long)size_of(at("tree/files/holes")));
	struct stat st;
	CHECK("hole_file_is_sparse", stat(at("tree/files/holes"), &st) == 0 && st.st_blocks < 100,
	      "%ld blocks of 512", (long)st.st_blocks);
}

/* O_APPEND, O_TRUNC, overwrite in the middle, truncate down and up. */
static void
tree_changes(void)
{
	const char *f = at("tree/changed");
	int fd;

	CHECK("append", write_pattern(f, 0, 3000, 30, 3000, 0) == 0 &&
	      (fd = open(f, O_WRONLY | O_APPEND)) >= 0 && write(fd, "tail", 4) == 4 &&
	      lseek(fd, 0, SEEK_CUR) == 3004 && close(fd) == 0 && size_of(f) == 3004,
	      "size %ld", (long)size_of(f));
	CHECK("overwrite_middle", write_pattern(f, 1000, 500, 31, 77, 0) == 0 && size_of(f) == 3004 &&
	      has_pattern(f, 0, 1000, 30) && has_pattern(f, 1000, 500, 31) && has_pattern(f, 1500, 1500, 30),
	      "");
	CHECK("truncate_down_inside_a_block", truncate(f, 1100) == 0 && size_of(f) == 1100 &&
	      has_pattern(f, 1000, 100, 31), "%s", strerror(errno));
	CHECK("truncate_up_reads_zeros", truncate(f, 9000) == 0 && size_of(f) == 9000 &&
	      has_pattern(f, 1100, 7900, 0) && has_pattern(f, 0, 1000, 30), "%s", strerror(errno));
	const char *g = at("tree/emptied");
	CHECK("o_trunc_empties", write_pattern(g, 0, 300000, 32, 8192, 0) == 0 &&
	      write_pattern(g, 0, 10, 33, 10, O_TRUNC) == 0 && size_of(g) == 10 && has_pattern(g, 0, 10, 33),
	      "size %ld", (long)size_of(g));
	const char *h = at("tree/shrunk");
	CHECK("ftruncate_from_double_indirect", write_pattern(h, 0, 400000, 34, 4096, 0) == 0 &&
	      (fd = open(h, O_RDWR)) >= 0 && ftruncate(fd, 13 * 1024 + 7) == 0 && close(fd) == 0 &&
	      size_of(h) == 13 * 1024 + 7 && has_pattern(h, 0, 13 * 1024 + 7, 34), "%s", strerror(errno));
}

/* A directory of 300 entries, then every third removed; what is left is listed. */
static void
tree_big_dir(void)
{
	char rel[80];
	int bad = 0;

	CHECK("mkdir_big", mkdir(at("tree/big"), 0755) == 0, "%s", strerror(errno));
	for (int i = 0; i < 320; i++) {
		snprintf(rel, sizeof(rel), "tree/big/entry_with_a_fairly_long_name_%03d", i);
		if (write_pattern(at(rel), 0, (size_t)i, (unsigned)i, 64, O_EXCL))
			bad++;
	}
	for (int i = 0; i < 320; i += 3) {
		snprintf(rel, sizeof(rel), "tree/big/entry_with_a_fairly_long_name_%03d", i);
		if (unlink(at(rel)))
			bad++;
	}
	for (int i = 0; i < 320; i++) {
		snprintf(rel, sizeof(rel), "tree/big/entry_with_a_fairly_long_name_%03d", i);
		if ((size_of(at(rel)) >= 0) != (i % 3 != 0))
			bad++;
	}
	CHECK("big_directory", bad == 0, "%d entries wrong", bad);
	for (int i = 0; i < 20; i++) {
		snprintf(rel, sizeof(rel), "tree/big/d%d", i);
		if (mkdir(at(rel), 0755))
			bad++;
	}
	CHECK("big_directory_subdirs_links", bad == 0 && links_of(at("tree/big")) == 22,
	      "links %d", links_of(at("tree/big")));
}

/* Renames, hard links, symlinks. */
static void
tree_names(void)
{
	char target[300], buf[300];

	CHECK("mkdirs", mkdir(at("tree/a"), 0755) == 0 && mkdir(at("tree/a/b"), 0755) == 0 &&
	      mkdir(at("tree/a/b/c"), 0700) == 0 && mkdir(at("tree/d"), 0755) == 0, "%s", strerror(errno));
	CHECK("rename_file", write_pattern(at("tree/a/f"), 0, 5000, 40, 5000, 0) == 0 &&
	      rename(at("tree/a/f"), at("tree/d/f2")) == 0 && size_of(at("tree/a/f")) < 0 &&
	      has_pattern(at("tree/d/f2"), 0, 5000, 40), "%s", strerror(errno));
	CHECK("rename_replaces", write_pattern(at("tree/d/g"), 0, 10, 41, 10, 0) == 0 &&
	      rename(at("tree/d/f2"), at("tree/d/g")) == 0 && size_of(at("tree/d/g")) == 5000, "%s",
	      strerror(errno));
	CHECK("rename_dir_moves_dotdot", rename(at("tree/a/b"), at("tree/d/b")) == 0 &&
	      links_of(at("tree/a")) == 2 && links_of(at("tree/d")) == 3 &&
	      size_of(at("tree/d/b/c/..")) >= 0 && links_of(at("tree/d/b/..")) == 3, "%s", strerror(errno));
	CHECK("mkdir_then_rename_over_empty_dir", mkdir(at("tree/e"), 0755) == 0 &&
	      rename(at("tree/d/b"), at("tree/e")) == 0 && links_of(at("tree/e")) == 3 &&
	      links_of(at("tree/d")) == 2, "%s", strerror(errno));
	CHECK("hard_links", link(at("tree/d/g"), at("tree/a/g2")) == 0 && link(at("tree/d/g"), at("tree/a/g3")) == 0 &&
	      links_of(at("tree/d/g")) == 3 && unlink(at("tree/a/g3")) == 0 && links_of(at("tree/a/g2")) == 2,
	      "%s", strerror(errno));
	CHECK("fast_symlink", symlink("../d/g", at("tree/a/fast")) == 0 &&
	      readlink(at("tree/a/fast"), buf, sizeof(buf)) == 6 && memcmp(buf, "../d/g", 6) == 0 &&
	      has_pattern(at("tree/a/fast"), 0, 5000, 40), "%s", strerror(errno));
	memset(target, 'x', 200);
	memcpy(target + 190, "/../../d/g", 11);          /* 200 bytes: a slow link */
	CHECK("slow_symlink", symlink(target, at("tree/a/slow")) == 0 &&
	      readlink(at("tree/a/slow"), buf, sizeof(buf)) == 200 && memcmp(buf, target, 200) == 0,
	      "%s", strerror(errno));
	CHECK("chmod", write_pattern(at("tree/a/mode600"), 0, 1, 42, 1, 0) == 0 &&
	      chmod(at("tree/a/mode600"), 0600) == 0, "%s", strerror(errno));
}

/* ---- the scratch area: errors, and nothing leaked ---- */

static void
scratch_errors(void)
{
	char longname[300];

	CHECK("mkdir_scratch", mkdir(at("scratch"), 0755) == 0 && mkdir(at("scratch/d"), 0755) == 0 &&
	      write_pattern(at("scratch/d/f"), 0, 100, 50, 100, 0) == 0 && mkdir(at("scratch/e"), 0755) == 0,
	      "%s", strerror(errno));
	ERR("mkdir_exists_eexist", mkdir(at("scratch/d"), 0755), EEXIST);
	ERR("open_excl_exists_eexist", open(at("scratch/d/f"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	ERR("rmdir_not_empty_enotempty", rmdir(at("scratch/d")), ENOTEMPTY);
	ERR("rmdir_file_enotdir", rmdir(at("scratch/d/f")), ENOTDIR);
	ERR("unlink_dir_eisdir", unlink(at("scratch/d")), EISDIR);
	ERR("open_dir_for_writing_eisdir", open(at("scratch/d"), O_WRONLY), EISDIR);
	ERR("rename_file_over_dir_eisdir", rename(at("scratch/d/f"), at("scratch/e")), EISDIR);
	ERR("rename_dir_over_file_enotdir", rename(at("scratch/e"), at("scratch/d/f")), ENOTDIR);
	ERR("rename_dir_over_full_dir_enotempty", rename(at("scratch/e"), at("scratch/d")), ENOTEMPTY);
	ERR("rename_dir_into_itself_einval", rename(at("scratch/d"), at("scratch/d/sub")), EINVAL);
	ERR("rename_missing_enoent", rename(at("scratch/nothing"), at("scratch/x")), ENOENT);
	ERR("rename_to_proc_exdev", rename(at("scratch/d/f"), "/proc/x"), EXDEV);
	ERR("link_dir_eperm", link(at("scratch/d"), at("scratch/dlink")), EPERM);
	ERR("create_under_file_enotdir", open(at("scratch/d/f/x"), O_CREAT | O_WRONLY, 0644), ENOTDIR);
	ERR("mkdir_missing_parent_enoent", mkdir(at("scratch/no/x"), 0755), ENOENT);
	memset(longname, 'n', sizeof(longname));
	memcpy(longname, "scratch/", 8);
	longname[8 + 256] = '\0';
	ERR("create_256_byte_name_enametoolong", open(at(longname), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	/* pagoda's VFS takes absolute paths of at most 255 bytes (kernel/fs/vfs.h's
	 * PATH_ABS), so the longest name ext2 takes, 255 bytes, is tried on the host only. */
	longname[8 + (pagoda ? 200 : 255)] = '\0';
	ERR("create_long_name", close(open(at(longname), O_CREAT | O_WRONLY, 0644)), 0);
	ERR("unlink_long_name", unlink(at(longname)), 0);
	ERR("symlink_exists_eexist", symlink("x", at("scratch/d/f")), EEXIST);
}

/* An unlinked file keeps its data while open, and while mapped. */
static void
scratch_orphans(void)
{
	const char *f = at("scratch/orphan");
	char buf[5] = { 0 };
	unsigned char old[100];
	int fd;

	CHECK("unlinked_open_file_still_reads", write_pattern(f, 0, 300000, 60, 4096, 0) == 0 &&
	      (fd = open(f, O_RDWR)) >= 0 && unlink(f) == 0 && size_of(f) < 0 &&
	      pread(fd, old, 100, 250000) == 100 && old[7] == pattern(250007, 60) &&
	      old[99] == pattern(250099, 60) && pwrite(fd, "abcd", 4, 299000) == 4 &&
	      pread(fd, buf, 4, 299000) == 4 && strcmp(buf, "abcd") == 0 && close(fd) == 0,
	      "%s", strerror(errno));
	unsigned char *p = MAP_FAILED;
	CHECK("write_seen_by_mmap", write_pattern(f, 0, 8192, 61, 8192, 0) == 0 && (fd = open(f, O_RDWR)) >= 0 &&
	      (p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0)) != MAP_FAILED &&
	      pwrite(fd, "wxyz", 4, 5000) == 4 && memcmp(p + 5000, "wxyz", 4) == 0 && close(fd) == 0 &&
	      unlink(f) == 0 && p[100] == pattern(100, 61), "%s", strerror(errno));
	if (p != MAP_FAILED)
		munmap(p, 8192);
}

/* Renames in one directory and across, over files, with links: then everything goes. */
static void
scratch_churn(void)
{
	char a[64], b[64];
	int bad = 0;

	for (int i = 0; i < 100; i++) {
		snprintf(a, sizeof(a), "scratch/d/n%d", i);
		snprintf(b, sizeof(b), "scratch/e/m%d", i % 7);
		if (write_pattern(at(a), 0, (size_t)(i * 137), (unsigned)i, 500, 0) || rename(at(a), at(b)))
			bad++;
	}
	CHECK("renames_over_files", bad == 0 && size_of(at("scratch/e/m1")) == 99 * 137, "size %ld",
	      (long)size_of(at("scratch/e/m1")));
}

static void
scratch_remove(void)
{
	char p[64];
	int bad = 0;

	for (int i = 0; i < 7; i++) {
		snprintf(p, sizeof(p), "scratch/e/m%d", i);
		bad += unlink(at(p)) != 0;
	}
	bad += unlink(at("scratch/d/f")) != 0;
	CHECK("scratch_removed", bad == 0 && rmdir(at("scratch/d")) == 0 && rmdir(at("scratch/e")) == 0 &&
	      rmdir(at("scratch")) == 0, "%d, %s", bad, strerror(errno));
}

/*
 * pagoda only (the host's disk is not ours to fill): one file written
 * until the disk is full. The write that finds no block is short (or
 * ENOSPC), no block is left free, and deleting the file gives all back.
 */
static void
scratch_fill_disk(void)
{
	static char buf[65536];
	struct statfs before, full, after;
	const char *f = at("fill");
	int64_t total = 0, n = 0;
	int fd, err = 0;

	statfs(dir, &before);
	fd = open(f, O_WRONLY | O_CREAT | O_EXCL, 0644);
	memset(buf, 'f', sizeof(buf));
	while (fd >= 0 && (n = write(fd, buf, sizeof(buf))) == (int64_t)sizeof(buf))
		total += n;
	err = errno;
	if (n > 0) {                    /* the short write; the next one finds nothing */
		total += n;
		n = write(fd, buf, sizeof(buf));
		err = errno;
	}
	statfs(dir, &full);
	CHECK("fill_disk_enospc", fd >= 0 && n < 0 && err == ENOSPC && size_of(f) == total &&
	      full.f_bfree == 0, "write %ld, %s, file %ld of %ld written, %ld blocks free", (long)n,
	      strerror(err), (long)size_of(f), (long)total, (long)full.f_bfree);
	ERR("full_disk_mkdir_enospc", mkdir(at("fill.d"), 0755), ENOSPC);
	rmdir(at("fill.d"));
	CHECK("full_file_reads_back", has_pattern(f, 0, 0, 1) && fd >= 0 && close(fd) == 0 && unlink(f) == 0,
	      "%s", strerror(errno));
	statfs(dir, &after);
	CHECK("full_disk_emptied", after.f_bfree == before.f_bfree && after.f_ffree == before.f_ffree,
	      "free blocks %ld -> %ld", (long)before.f_bfree, (long)after.f_bfree);
	say("# filled the disk with %ld KiB\n", (long)(total >> 10));
}

static void
statfs_of(struct statfs *s)
{
	sync();
	if (statfs(dir, s) != 0)
		memset(s, 0, sizeof(*s));
}

int
main(int argc, char **argv)
{
	struct statfs before, after;

	pagoda = running_on_pagoda();
	if (argc > 1 && strcmp(argv[1], "--no-fill") == 0) {
		fill = false;
		argc--, argv++;
	}
	if (argc > 1)
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	else if (pagoda)
		snprintf(dir, sizeof(dir), "/ext2w");
	else if (!mkdtemp(strcpy(dir, "/tmp/t_ext2w.XXXXXX")))
		return 2;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return 2;
	struct statfs empty;
	statfs_of(&empty);
	tree_files();
	tree_changes();
	tree_big_dir();
	tree_names();

	statfs_of(&before);
	scratch_errors();
	scratch_orphans();
	scratch_churn();
	scratch_remove();
	if (pagoda && fill)
		scratch_fill_disk();
	statfs_of(&after);
	/* Only pagoda's disk is ours alone: the host's may be busy. */
	if (pagoda)
		CHECK("nothing_leaked", after.f_bfree == before.f_bfree && after.f_ffree == before.f_ffree,
		      "free blocks %ld -> %ld, inodes %ld -> %ld", (long)before.f_bfree, (long)after.f_bfree,
		      (long)before.f_ffree, (long)after.f_ffree);
	say("# %s/tree takes %ld blocks of %ld bytes and %ld inodes\n", dir,
	    (long)(empty.f_bfree - before.f_bfree), (long)before.f_bsize, (long)(empty.f_ffree - before.f_ffree));
	return check_exit();
}
