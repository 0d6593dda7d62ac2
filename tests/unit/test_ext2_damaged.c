/*
 * tests/unit/test_ext2_damaged.c - kernel/fs/ext2.c and ext2_dir.c on
 * copies of the 1 KiB mke2fs image (and one of the 4 KiB image) with one
 * thing damaged: the superblock, a group descriptor, the root inode,
 * block pointers, directory entries and sizes, i_size, and read errors.
 *
 * Each case checks that the bad value is refused with the right errno,
 * that dev.report got one line saying why, and that nothing loops or
 * reads out of bounds (ASan would say so). Report lines are echoed as
 * "# ext2: ..." so a reader can judge them. The images are made by
 * main in test_ext2.c, which runs these cases after its own; the two
 * files build one binary, test_ext2, so the names stay unit/ext2/NAME.
 */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "ext2_image.h"
#include "kernel/errno.h"

/* A device over a fresh copy of the 1 KiB image, and the inode of path in it. */
static struct memdev *
damaged(struct ext2_fs *fs, const char *path, uint32_t *ino, uint64_t *ino_off)
{
	struct memdev *d = dev_new(&img1k);

	CHECK(mount_dev(fs, d) == 0);
	if (path) {
		CHECK(ext2_namei(fs, EXT2_ROOT_INO, path, ino) == 0);
		*ino_off = inode_offset(d, fs, *ino);
	}
	return d;
}

/* Damages one superblock field; mount must fail with want and a report. */
static void
sb_case(const char *what, uint64_t off, int width, uint32_t value, int want)
{
	struct ext2_fs fs;
	struct memdev *d = damaged(&fs, NULL, NULL, NULL);

	if (width == 2)
		put16(d, 1024 + off, value);
	else
		put32(d, 1024 + off, value);
	int r = mount_dev(&fs, d);
	if ((r != want || !reported_since(d, 0)) && !unit_case_failed) {
		printf("not ok %s: %s: got %d want %d, %d reports\n", unit_case, what, r, want, d->reports);
		unit_case_failed = 1;
	}
	dev_free(d);
}

static void
bad_superblocks(void)
{
	sb_case("bad magic", 56, 2, 0xef54, -EUCLEAN);
	sb_case("block size 8 KiB", 24, 4, 3, -EUCLEAN);
	sb_case("block size 2^31", 24, 4, 21, -EUCLEAN);
	sb_case("first data block 0", 20, 4, 0, -EUCLEAN);
	sb_case("inodes per group 0", 40, 4, 0, -EUCLEAN);
	sb_case("blocks per group 0", 32, 4, 0, -EUCLEAN);
	sb_case("blocks per group > bitmap", 32, 4, 8193, -EUCLEAN);
	sb_case("inodes count off by one", 0, 4, get32(&(struct memdev){ .img = img1k }, 1024) + 1,
		-EUCLEAN);
	sb_case("blocks count 1", 4, 4, 1, -EUCLEAN);
	sb_case("inode size 100", 88, 2, 100, -EUCLEAN);
	sb_case("inode size 2048", 88, 2, 2048, -EUCLEAN);
	sb_case("revision 2", 76, 4, 2, -EINVAL);
	sb_case("extents feature", 96, 4, 0x2 | 0x40, -EINVAL);
	sb_case("journal dev feature", 96, 4, 0x8, -EINVAL);
	sb_case("meta_bg feature", 96, 4, 0x12, -EINVAL);
}

/* Group 1's inode table (or bitmap) past the end: mount refuses. */
static void
bad_group_descriptor(void)
{
	struct ext2_fs fs;
	struct memdev *d = damaged(&fs, NULL, NULL, NULL);

	CHECK(fs.groups > 1);
	put32(d, fs.gdt_offset + 32 + 8, fs.blocks_count - 1);   /* table runs past the end */
	CHECK(mount_dev(&fs, d) == -EUCLEAN && reported_since(d, 0));
	put32(d, fs.gdt_offset + 32 + 8, 0xfffffff0);
	CHECK(mount_dev(&fs, d) == -EUCLEAN);
	dev_free(d);

	d = damaged(&fs, NULL, NULL, NULL);
	put32(d, fs.gdt_offset + 0, fs.blocks_count);           /* group 0's block bitmap */
	CHECK(mount_dev(&fs, d) == -EUCLEAN && reported_since(d, 0));
	dev_free(d);
}

/* The root inode must be a directory; inode numbers must be in range. */
static void
bad_root_and_inode_numbers(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info ino;
	struct memdev *d = damaged(&fs, NULL, NULL, NULL);

	CHECK(ext2_read_inode(&fs, 0, &ino) == -EUCLEAN && reported_since(d, 0));
	CHECK(ext2_read_inode(&fs, fs.inodes_count, &ino) == 0);
	CHECK(ext2_read_inode(&fs, fs.inodes_count + 1, &ino) == -EUCLEAN);
	put16(d, inode_offset(d, &fs, EXT2_ROOT_INO), 0100644);
	int n = d->reports;
	CHECK(mount_dev(&fs, d) == -EUCLEAN && reported_since(d, n));
	dev_free(d);
}

static void
bad_block_pointers(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info ino;
	uint32_t i;
	uint64_t at;
	unsigned char buf[4096];
	struct memdev *d = damaged(&fs, "/size_4097", &i, &at);

	/* A direct pointer past the end: the blocks before it still read. */
	put32(d, at + 40 + 4 * 2, fs.blocks_count + 5);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	CHECK(ext2_read_data(&fs, &ino, 0, buf, 2048) == 2048);
	CHECK(ext2_read_data(&fs, &ino, 0, buf, 4096) == -EUCLEAN && reported_since(d, 0));
	CHECK(strstr(d->last, "inode") && strstr(d->last, "file block 2"));
	CHECK(ext2_bmap(&fs, &ino, 2) == -EUCLEAN);
	CHECK(ext2_bmap(&fs, &ino, 3) > 0);
	put32(d, at + 40 + 4 * 2, fs.blocks_count);             /* the first bad number */
	CHECK(ext2_read_inode(&fs, i, &ino) == 0 && ext2_bmap(&fs, &ino, 2) == -EUCLEAN);
	put32(d, at + 40 + 4 * 2, fs.blocks_count - 1);         /* the last good one */
	CHECK(ext2_read_inode(&fs, i, &ino) == 0 && ext2_bmap(&fs, &ino, 2) == fs.blocks_count - 1);
	dev_free(d);

	/* The indirect block pointer itself, then an entry inside it, then a
	 * double-indirect entry: each refused where it is used. */
	d = damaged(&fs, "/size_1048576", &i, &at);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	uint32_t ind = ino.block[12], dind = ino.block[13];
	put32(d, at + 40 + 4 * 12, 0x7fffffff);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	CHECK(ext2_read_data(&fs, &ino, 11 * 1024, buf, 1024) == 1024);
	CHECK(ext2_read_data(&fs, &ino, 12 * 1024 + 5, buf, 10) == -EUCLEAN && reported_since(d, 0));
	CHECK(strstr(d->last, "indirect") != NULL);
	put32(d, at + 40 + 4 * 12, ind);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	put32(d, (uint64_t)ind * 1024 + 4 * 7, fs.blocks_count + 1);
	int n = d->reports;
	CHECK(ext2_read_data(&fs, &ino, (12 + 6) * 1024, buf, 1024) == 1024);
	CHECK(ext2_read_data(&fs, &ino, (12 + 7) * 1024, buf, 1024) == -EUCLEAN && reported_since(d, n));
	uint32_t l2 = get32(d, (uint64_t)dind * 1024 + 4 * 1);  /* file blocks 12+256+256.. */
	put32(d, (uint64_t)l2 * 1024 + 4 * 3, 0xffffffff);
	n = d->reports;
	CHECK(ext2_read_data(&fs, &ino, (12 + 256 + 256 + 3) * 1024ull, buf, 1) == -EUCLEAN &&
	      reported_since(d, n));
	CHECK(ext2_read_data(&fs, &ino, (12 + 256 + 256 + 4) * 1024ull, buf, 1) == 1);
	dev_free(d);
}

/* One directory entry field damaged at a time: readdir and lookup refuse. */
static void
bad_dir_entries(void)
{
	static const struct { const char *what; int field; uint32_t value; } cases[] = {
		/* field: 4 rec_len of the 2nd entry (".."), 6 its name_len, 0 its inode */
		{ "rec_len 0", 4, 0 }, { "rec_len 4", 4, 4 }, { "rec_len 13", 4, 13 },
		{ "rec_len crosses the block", 4, 1024 }, { "rec_len 0xfffc", 4, 0xfffc },
		{ "name_len > rec_len - 8", 6, 5 }, { "inode past inodes_count", 0, 0x7fffffff },
		{ "first entry rec_len 0", -4, 0 }, { "first entry rec_len 1020", -4, 1020 },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		struct ext2_fs fs;
		struct ext2_inode_info dir;
		struct listing l = { 0 };
		uint32_t i, got;
		uint64_t at, pos = 0;
		struct memdev *d = damaged(&fs, "/dir100", &i, &at);

		CHECK(ext2_read_inode(&fs, i, &dir) == 0);
		uint64_t blk = (uint64_t)ext2_bmap(&fs, &dir, 0) * fs.block_size;
		uint64_t second = blk + (get32(d, blk + 4) & 0xffff);   /* "." then ".." */
		if (cases[k].field == 4)
			put16(d, second + 4, cases[k].value);
		else if (cases[k].field == 6)
			d->img.data[d->img.base + second + 6] = (get32(d, second + 4) & 0xffff) - 8 + 1;
		else if (cases[k].field == 0)
			put32(d, second, cases[k].value);
		else
			put16(d, blk + 4, cases[k].value);
		int r1 = ext2_readdir(&fs, &dir, &pos, collect, &l);
		int r2 = ext2_lookup(&fs, &dir, "file_050", 8, &got);
		int r3 = ext2_namei(&fs, EXT2_ROOT_INO, "/dir100/file_001", &got);
		if ((r1 != -EUCLEAN || r2 != -EUCLEAN || r3 != -EUCLEAN || !reported_since(d, 0)) &&
		    !unit_case_failed) {
			printf("not ok bad_dir_entries: %s: readdir %d lookup %d namei %d\n",
			       cases[k].what, r1, r2, r3);
			unit_case_failed = 1;
		}
		free(l.e);
		dev_free(d);
	}
}

/* A directory whose size is not whole allocated blocks, or has a hole. */
static void
bad_dir_sizes(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info dir;
	uint32_t i, got;
	uint64_t at;
	struct memdev *d = damaged(&fs, "/a", &i, &at);

	put32(d, at + 4, 0x80000000);                   /* i_size 2 GiB */
	CHECK(ext2_read_inode(&fs, i, &dir) == 0);
	CHECK(ext2_lookup(&fs, &dir, "b", 1, &got) == -EUCLEAN && reported_since(d, 0));
	put32(d, at + 4, 1000);                         /* not a whole block */
	CHECK(ext2_read_inode(&fs, i, &dir) == 0);
	CHECK(ext2_lookup(&fs, &dir, "b", 1, &got) == -EUCLEAN);
	put32(d, at + 4, 2048);                         /* a second block... */
	put32(d, at + 28, 8);                           /* ...allocated, says i_blocks */
	CHECK(ext2_read_inode(&fs, i, &dir) == 0);
	CHECK(ext2_lookup(&fs, &dir, "b", 1, &got) == 0);      /* found in block 0 */
	int n = d->reports;
	CHECK(ext2_lookup(&fs, &dir, "zz", 2, &got) == -EUCLEAN && reported_since(d, n));
	CHECK(strstr(d->last, "hole") != NULL);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/size_1", &got) == 0);   /* others unharmed */
	dev_free(d);
}

/*
 * Huge i_size on a 2-block file. Plausible (<= what i_block maps, <= 2^40):
 * the missing blocks are holes and read as zeros. Implausible: reading a
 * missing block is -EUCLEAN, reading the real blocks still works.
 */
static void
huge_sizes(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info ino;
	uint32_t i;
	uint64_t at;
	unsigned char buf[2048], zero[2048] = { 0 };
	struct memdev *d = damaged(&fs, "/size_1025", &i, &at);

	put32(d, at + 4, 100 * MIB);                    /* 100 MiB: plausible */
	CHECK(ext2_read_inode(&fs, i, &ino) == 0 && ino.size == 100 * MIB);
	CHECK(ext2_read_data(&fs, &ino, 50 * MIB, buf, sizeof(buf)) == sizeof(buf));
	CHECK(memcmp(buf, zero, sizeof(buf)) == 0);
	CHECK(ext2_read_data(&fs, &ino, 100 * MIB - 1, buf, sizeof(buf)) == 1);
	CHECK(d->reports == 0);

	put32(d, at + 108, 8);                          /* 32 GiB + 100 MiB: past the map */
	CHECK(ext2_read_inode(&fs, i, &ino) == 0 && ino.size == (8ull << 32) + 100 * MIB);
	CHECK(ext2_read_data(&fs, &ino, 0, buf, 1025) == 1025);
	CHECK(ext2_read_data(&fs, &ino, 4096, buf, 10) == -EUCLEAN && reported_since(d, 0));
	int n = d->reports;
	CHECK(ext2_read_data(&fs, &ino, 20ull << 30, buf, 10) == -EUCLEAN && reported_since(d, n));
	CHECK(strstr(d->last, "map") != NULL);

	put32(d, at + 108, 0xffffffff);                 /* ~2^64 */
	put32(d, at + 4, 0xffffffff);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0 && ino.size == UINT64_MAX);
	CHECK(ext2_read_data(&fs, &ino, 0, buf, 1025) == 1025);
	CHECK(ext2_read_data(&fs, &ino, 1ull << 40, buf, sizeof(buf)) == -EUCLEAN);
	CHECK(ext2_read_data(&fs, &ino, UINT64_MAX - 10, buf, sizeof(buf)) == -EUCLEAN);
	dev_free(d);

	/* With 4 KiB blocks i_block maps ~4 TiB: the 2^40 bound decides. */
	d = dev_new(&img4k);
	CHECK(mount_dev(&fs, d) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/size_4097", &i) == 0);
	at = inode_offset(d, &fs, i);
	put32(d, at + 108, 256);                        /* 2^40 + 4097 */
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	CHECK(ext2_read_data(&fs, &ino, 0, buf, 2048) == 2048);
	CHECK(ext2_read_data(&fs, &ino, 1ull << 30, buf, 1) == -EUCLEAN && reported_since(d, 0));
	put32(d, at + 108, 255);                        /* just under 2^40: holes */
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	CHECK(ext2_read_data(&fs, &ino, 1ull << 30, buf, 1) == 1 && buf[0] == 0);
	dev_free(d);
}

/* A read error anywhere comes back as -EIO with a report. */
static void
io_errors(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info ino;
	uint32_t i, got;
	uint64_t at;
	unsigned char buf[8192];
	struct memdev *d = damaged(&fs, "/size_4097", &i, &at);

	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	uint64_t blk = (uint64_t)ext2_bmap(&fs, &ino, 1);
	d->fail_lo = blk * 1024;
	d->fail_hi = d->fail_lo + 1024;
	CHECK(ext2_read_data(&fs, &ino, 0, buf, 1024) == 1024);
	CHECK(ext2_read_data(&fs, &ino, 0, buf, sizeof(buf)) == -EIO && reported_since(d, 0));
	CHECK(strstr(d->last, "read") != NULL);

	d->fail_lo = at;                                /* the inode itself */
	d->fail_hi = at + 1;
	CHECK(ext2_read_inode(&fs, i, &ino) == -EIO);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/size_4097", &got) == -EIO);

	d->fail_lo = fs.gdt_offset;                     /* the group descriptors */
	d->fail_hi = fs.gdt_offset + 1;
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/a", &got) == -EIO);
	CHECK(mount_dev(&fs, d) == -EIO);

	d->fail_lo = 1024;                              /* the superblock */
	d->fail_hi = 2048;
	CHECK(mount_dev(&fs, d) == -EIO);

	/* A directory block, and an indirect block. */
	dev_free(d);
	d = damaged(&fs, "/dir100", &i, &at);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	d->fail_lo = (uint64_t)ext2_bmap(&fs, &ino, 1) * 1024 + 500;
	d->fail_hi = d->fail_lo + 1;
	uint64_t pos = 0;
	struct listing l = { 0 };
	CHECK(ext2_readdir(&fs, &ino, &pos, collect, &l) == -EIO && l.n > 0);
	CHECK(pos > 0 && pos <= 1024 + 500);
	free(l.e);
	dev_free(d);

	d = damaged(&fs, "/size_1048576", &i, &at);
	CHECK(ext2_read_inode(&fs, i, &ino) == 0);
	d->fail_lo = (uint64_t)ino.block[13] * 1024;
	d->fail_hi = d->fail_lo + 1024;
	CHECK(ext2_read_data(&fs, &ino, 0, buf, sizeof(buf)) == sizeof(buf));
	CHECK(ext2_read_data(&fs, &ino, 300 * 1024, buf, 10) == -EIO);
	dev_free(d);
}

/* With no report callback nothing breaks. */
static void
report_may_be_null(void)
{
	struct memdev *d = dev_new(&img1k);
	struct ext2_dev dev = { .ctx = d, .read = mem_read, .report = NULL };
	struct ext2_fs fs;

	put16(d, 1024 + 56, 0);
	CHECK(ext2_mount(&fs, &dev) == -EUCLEAN);
	dev_free(d);
}

/* Runs the cases above, in order; main calls it once the images exist. */
void
run_damaged_image_tests(void)
{
	RUN(bad_superblocks);
	RUN(bad_group_descriptor);
	RUN(bad_root_and_inode_numbers);
	RUN(bad_block_pointers);
	RUN(bad_dir_entries);
	RUN(bad_dir_sizes);
	RUN(huge_sizes);
	RUN(io_errors);
	RUN(report_may_be_null);
}
