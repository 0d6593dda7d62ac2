/*
 * tests/unit/ext2_image.h - what the two files of the ext2 unit test
 * share (test_ext2.c: well-formed images, and main; test_ext2_damaged.c:
 * damaged copies): the host tree and the mke2fs images made of it, a
 * memory-backed struct ext2_dev over a private copy of an image, byte
 * pokes to damage that copy, and a directory listing collector.
 * tests/unit/build.sh links ext2_image.c into test_ext2.
 */
#ifndef TESTS_UNIT_EXT2_IMAGE_H
#define TESTS_UNIT_EXT2_IMAGE_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/fs/ext2.h"

#define MIB (1024ul * 1024)
#define SPARSE_SIZE (70 * MIB + 123)

extern char tmpdir[];             /* the temporary directory of everything below */
extern char tree[600];            /* the host tree the images are made from */
extern char long_name[256];       /* 255 'n's: the longest name ext2 allows */

/* ---- a file system image in memory, and the device that reads it ---- */

struct image {
	unsigned char *data;    /* the file, mapped privately (load_image) */
	size_t len;
	uint64_t base;          /* where the file system starts in data */
	char path[700];
};

struct memdev {
	struct image img;       /* our own mapping, free to damage */
	uint64_t fail_lo, fail_hi;   /* reads touching [lo, hi) of the fs fail */
	int reports;
	bool bad_line;          /* a report was empty or had a newline */
	char last[256];
};

/* Made by main with mke2fs: 1 KiB blocks, 4 KiB blocks, revision 0. */
extern struct image img1k, img4k, imgrev0;

/* struct ext2_dev's read: from the copy, failing in [fail_lo, fail_hi). */
int mem_read(void *ctx, uint64_t off, void *buf, size_t len);
/* A device over a private copy of img (a mapping of its own). */
struct memdev *dev_new(const struct image *img);
void dev_free(struct memdev *d);
/* ext2_mount through d, with reports counted and echoed as "# ext2: ...". */
int mount_dev(struct ext2_fs *fs, struct memdev *d);
/* One clean line was reported since the count was n. */
bool reported_since(const struct memdev *d, int n);
/* Little-endian pokes and peeks at byte off of d's file system. */
void put16(struct memdev *d, uint64_t off, uint16_t v);
void put32(struct memdev *d, uint64_t off, uint32_t v);
uint32_t get32(const struct memdev *d, uint64_t off);
/* Byte offset of inode ino in the file system, computed the long way. */
uint64_t inode_offset(const struct memdev *d, const struct ext2_fs *fs, uint32_t ino);
/* Maps the file at path (privately) as *img, the file system starting at byte base. */
bool load_image(const char *path, uint64_t base, struct image *img);
void unload_image(struct image *img);

/* ---- the host tree and its images ---- */

/* Writes the tree (see test_ext2.c's header) under tmpdir. */
bool make_tree(void);
/* mke2fs with opts makes tmpdir/name from the tree, loaded into *img. */
bool make_image(const char *opts, const char *name, struct image *img);
/* A host file's bytes (*len of them, mapped read-only), or NULL; host_unmap frees them. */
unsigned char *host_map(const char *path, size_t *len);
void host_unmap(unsigned char *p, size_t len);

/* ---- directory listings ---- */

struct entry {
	char name[256];
	uint32_t ino;
	uint8_t type;
};

struct listing {
	struct entry *e;
	size_t n, cap;
	size_t quota;            /* collect_some: stop after this many */
};

/* An ext2_readdir callback: appends every entry to the struct listing arg. */
int collect(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t type);

/* The damaged-image cases (test_ext2_damaged.c), run by main after the others. */
void run_damaged_image_tests(void);

#endif
