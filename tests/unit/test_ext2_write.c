/*
 * tests/unit/test_ext2_write.c - the ext2 writer (kernel/fs/ext2_write.h)
 * on images made by the host's mke2fs, judged by e2fsprogs.
 *
 * Every operation is done twice: through our code on the image, and with
 * the same system call on a directory of the host (the "mirror"); the
 * error codes must agree. After each case the image must pass
 * `e2fsck -fn` with nothing to say, and `debugfs -R 'rdump / DIR'` must
 * give back a tree equal to the mirror (diff -r: names, contents,
 * symlink targets; modes by a find listing). 1 KiB and 4 KiB blocks,
 * and revision 0 (no file types in entries); the files reach
 * double-indirect blocks with 1 KiB blocks.
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
#include "ext2_mirror.h"

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

/*
 * A directory e2fsck -D gave an htree index: entries added into its index
 * blocks (which read as empty entries) and removed; the writer drops the
 * index flag, as Linux's ext2, and the directory stays a valid linear one.
 */
static void
indexed_dir(void)
{
	char p[80];
	int st;

	CHECK(setup("-b 1024", 8192));
	do_mkdir("idx");
	for (int i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "idx/a_file_with_a_rather_long_name_%03d", i);
		do_create(p);
	}
	finish(true);
	run(E2 "e2fsck -fyD %s > /dev/null 2>&1; " E2 "debugfs -R 'htree /idx' %s 2>&1 | grep -q 'Root node'",
	    image, image, &st);
	CHECK(st == 0);                         /* indexed now */
	CHECK(reopen());
	for (int i = 0; i < 200; i += 2) {
		snprintf(p, sizeof(p), "idx/a_file_with_a_rather_long_name_%03d", i);
		do_unlink(p);
	}
	for (int i = 0; i < 80; i++) {
		snprintf(p, sizeof(p), "idx/new_%d", i);
		do_create(p);
	}
	do_rename("idx/new_3", "idx/a_file_with_a_rather_long_name_001");
	finish(true);
}

/* Revision 0: 128-byte inodes, no file_type in directory entries. */
static void
names_rev0(void)
{
	CHECK(setup("-b 1024 -r 0", 8192));
	names();
	files();
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
	RUN(names_rev0);
	RUN(indexed_dir);
	RUN(enospc_1k);
	RUN(enospc_4k);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	UNIT_EXIT();
}
