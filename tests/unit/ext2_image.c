/*
 * tests/unit/ext2_image.c - the images the ext2 unit test reads, and the
 * memory device it reads them through (see ext2_image.h). The tree
 * written here and the image kinds are described at the top of
 * test_ext2.c. Nothing here is a test case: test_ext2.c and
 * test_ext2_damaged.c hold those.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "ext2_image.h"
#include "kernel/errno.h"

#define MKE2FS "PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F"

char tmpdir[] = "/tmp/pagoda-ext2-XXXXXX";
char tree[600];
char long_name[256];
struct image img1k, img4k, imgrev0;

/* ---- a file system image in memory, and the device that reads it ---- */

int
mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	struct memdev *d = ctx;

	if (off > d->img.len - d->img.base || len > d->img.len - d->img.base - off)
		return -EIO;
	if (off < d->fail_hi && off + len > d->fail_lo)
		return -EIO;
	memcpy(buf, d->img.data + d->img.base + off, len);
	return 0;
}

static void
mem_report(void *ctx, const char *msg)
{
	struct memdev *d = ctx;

	d->reports++;
	if (msg[0] == '\0' || strchr(msg, '\n'))
		d->bad_line = true;
	snprintf(d->last, sizeof(d->last), "%s", msg);
	printf("# ext2: %s\n", msg);
}

/*
 * A device over a private copy of img: the file mapped again, so that a
 * damage test's writes copy only the pages they touch (a memcpy of the
 * 40 MiB image per test was most of this test's time).
 */
struct memdev *
dev_new(const struct image *img)
{
	struct memdev *d = calloc(1, sizeof(*d));

	if (!load_image(img->path, img->base, &d->img)) {
		printf("# could not map %s again\n", img->path);
		abort();
	}
	return d;
}

void
dev_free(struct memdev *d)
{
	unload_image(&d->img);
	free(d);
}

int
mount_dev(struct ext2_fs *fs, struct memdev *d)
{
	struct ext2_dev dev = { .ctx = d, .read = mem_read, .report = mem_report };

	return ext2_mount(fs, &dev);
}

/* One clean line was reported since the count was n. */
bool
reported_since(const struct memdev *d, int n)
{
	return d->reports > n && !d->bad_line;
}

void
put16(struct memdev *d, uint64_t off, uint16_t v)
{
	unsigned char *p = d->img.data + d->img.base + off;

	p[0] = v & 0xff;
	p[1] = v >> 8;
}

void
put32(struct memdev *d, uint64_t off, uint32_t v)
{
	put16(d, off, v & 0xffff);
	put16(d, off + 2, v >> 16);
}

uint32_t
get32(const struct memdev *d, uint64_t off)
{
	const unsigned char *p = d->img.data + d->img.base + off;

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Byte offset of inode ino in the file system, computed the long way. */
uint64_t
inode_offset(const struct memdev *d, const struct ext2_fs *fs, uint32_t ino)
{
	uint32_t g = (ino - 1) / fs->inodes_per_group, i = (ino - 1) % fs->inodes_per_group;
	uint32_t itable = get32(d, fs->gdt_offset + 32ull * g + 8);

	return (uint64_t)itable * fs->block_size + (uint64_t)i * fs->inode_size;
}

/*
 * Maps the file privately: pages are read as they are touched and a
 * write (a damage test's) copies only its page, so the 256 MiB root disk,
 * mostly holes, costs what its files hold and not a read of all of it.
 */
bool
load_image(const char *path, uint64_t base, struct image *img)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	void *p;

	if (fd < 0)
		return false;
	p = fstat(fd, &st) == 0 && st.st_size > 0 ?
	    mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (p == MAP_FAILED)
		return false;
	img->data = p;
	img->len = st.st_size;
	img->base = base;
	snprintf(img->path, sizeof(img->path), "%s", path);
	return true;
}

void
unload_image(struct image *img)
{
	munmap(img->data, img->len);
	img->data = NULL;
}

/* ---- the host tree ---- */

static unsigned char
pattern(uint64_t i, unsigned seed)
{
	return (unsigned char)(((uint32_t)(i * 2654435761u) >> 24) ^ seed);
}

static void
write_file(const char *rel, uint64_t size, unsigned seed)
{
	char path[800];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	fp = fopen(path, "wb");
	for (uint64_t i = 0; i < size; i++)
		fputc(pattern(i, seed), fp);
	fclose(fp);
}

/* A 70 MiB file that is mostly holes: data at the start, around the
 * direct/indirect edge, in the middle and at the very end. */
static void
write_sparse(const char *rel)
{
	static const uint64_t at[][2] = {
		{ 0, 5000 }, { 12 * 1024 - 100, 300 }, { 5 * MIB + 17, 2000 },
		{ 66 * MIB, 8192 }, { SPARSE_SIZE - 50, 50 },
	};
	unsigned char buf[8192];
	char path[800];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	for (size_t k = 0; k < sizeof(at) / sizeof(at[0]); k++) {
		for (uint64_t i = 0; i < at[k][1]; i++)
			buf[i] = pattern(at[k][0] + i, 77) | 1;   /* never a zero block */
		if (pwrite(fd, buf, at[k][1], at[k][0]) != (ssize_t)at[k][1])
			printf("# short write in %s\n", path);
	}
	if (ftruncate(fd, SPARSE_SIZE) != 0)
		printf("# ftruncate failed\n");
	close(fd);
}

bool
make_tree(void)
{
	static const uint64_t sizes[] = { 0, 1, 1023, 1024, 1025, 4095, 4096, 4097, MIB };
	char cmd[2048], name[300];

	snprintf(tree, sizeof(tree), "%s/tree", tmpdir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/dir100/sub %s/a/b", tree, tree);
	if (system(cmd) != 0)
		return false;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(name, sizeof(name), "size_%lu", (unsigned long)sizes[i]);
		write_file(name, sizes[i], (unsigned)i);
	}
	write_sparse("sparse");
	write_file("a/b/c.txt", 33, 5);
	memset(long_name, 'n', 255);
	/* dir100: 94 files, a directory, 2 symlinks, a fifo, plus . and .. */
	for (int i = 0; i < 93; i++) {
		snprintf(name, sizeof(name), "dir100/file_%03d%.*s", i, i % 7 * 20,
			 "_padding_padding_padding_padding_padding_padding_padding_padding_"
			 "padding_padding_padding_padding_padding_padding_padding_padding_");
		write_file(name, i * 37, 9);
	}
	snprintf(name, sizeof(name), "dir100/%s", long_name);
	write_file(name, 7, 3);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && ln -s size_1 link_short && ln -s a/b link_dir && "
		 "ln -s %.*s link_long && ln -s file_001 dir100/lnk && "
		 "ln -s ../a dir100/lnk_a && mkfifo dir100/fifo",
		 tree, 120, "/this/target/is/long/enough/to/need/a/data/block/because/sixty/"
		 "bytes/do/not/fit/in/i_block/of/the/inode/at/all/xxxxxxxxxxxxxxxx");
	return system(cmd) == 0;
}

bool
make_image(const char *opts, const char *name, struct image *img)
{
	char cmd[1500], path[700];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	snprintf(cmd, sizeof(cmd), "%s -t ext2 %s -d %s %s 40M >/dev/null", MKE2FS, opts, tree, path);
	if (system(cmd) != 0)
		return false;
	snprintf(cmd, sizeof(cmd), "PATH=$PATH:/sbin:/usr/sbin dumpe2fs -h %s 2>/dev/null | "
		 "sed -n 's/^Filesystem features: */# %s features: /p'", path, name);
	if (system(cmd) != 0)
		return false;
	return load_image(path, 0, img);
}

unsigned char *
host_map(const char *path, size_t *len)
{
	static unsigned char empty[1];
	int fd = open(path, O_RDONLY);
	struct stat st;
	void *p = MAP_FAILED;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) == 0) {
		*len = st.st_size;
		p = *len == 0 ? empty : mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

void
host_unmap(unsigned char *p, size_t len)
{
	if (p && len)
		munmap(p, len);
}

/* ---- directory listings ---- */

int
collect(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t type)
{
	struct listing *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
	}
	memcpy(l->e[l->n].name, name, namelen);
	l->e[l->n].name[namelen] = '\0';
	if (strlen(name) != namelen)
		l->e[l->n].name[0] = '?';        /* name must be NUL-terminated at namelen */
	l->e[l->n].ino = ino;
	l->e[l->n].type = type;
	l->n++;
	return 0;
}
