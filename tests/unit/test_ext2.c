/*
 * tests/unit/test_ext2.c - kernel/fs/ext2.c on real images made by the
 * host's mke2fs, and on copies of them with one thing damaged.
 *
 * At start a tree is written to a temporary directory (files around the
 * 1 KiB and 4 KiB block edges, a 1 MiB file that needs double-indirect
 * blocks with 1 KiB blocks, a sparse ~70 MiB file that needs triple-
 * indirect ones, a directory of 100 entries, symlinks, a fifo), and
 * `mke2fs -d` turns it into images with 1 KiB and 4 KiB blocks and one of
 * revision 0. Every image is read through a memory-backed struct
 * ext2_dev, and every byte is compared with the host's copy of the tree.
 * The project's root disk (build/disk.img, file system at 1 MiB) is
 * checked against build/rootfs the same way when it exists.
 *
 * The damaged copies check that each bad value is refused with the
 * right errno, that dev.report got one line saying why, and that nothing
 * loops or reads out of bounds (ASan would say so). Report lines are
 * echoed as "# ext2: ..." so a reader can judge them.
 * Run from the repository root.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2.h"

#define MIB (1024ul * 1024)
#define SPARSE_SIZE (70 * MIB + 123)
#define MKE2FS "PATH=$PATH:/sbin:/usr/sbin mke2fs -q -F"

static char tmpdir[] = "/tmp/pagoda-ext2-XXXXXX";
static char tree[600];

/* ---- a file system image in memory, and the device that reads it ---- */

struct image {
	unsigned char *data;
	size_t len;
	uint64_t base;          /* where the file system starts in data */
};

struct memdev {
	struct image img;       /* our own copy, free to damage */
	uint64_t fail_lo, fail_hi;   /* reads touching [lo, hi) of the fs fail */
	int reports;
	bool bad_line;          /* a report was empty or had a newline */
	char last[256];
};

static struct image img1k, img4k, imgrev0, imgdisk;

static int
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

/* A device over a private copy of img. */
static struct memdev *
dev_new(const struct image *img)
{
	struct memdev *d = calloc(1, sizeof(*d));

	d->img = *img;
	d->img.data = malloc(img->len);
	memcpy(d->img.data, img->data, img->len);
	return d;
}

static void
dev_free(struct memdev *d)
{
	free(d->img.data);
	free(d);
}

static int
mount_dev(struct ext2_fs *fs, struct memdev *d)
{
	struct ext2_dev dev = { .ctx = d, .read = mem_read, .report = mem_report };

	return ext2_mount(fs, &dev);
}

/* One clean line was reported since the count was n. */
static bool
reported_since(const struct memdev *d, int n)
{
	return d->reports > n && !d->bad_line;
}

static void
put16(struct memdev *d, uint64_t off, uint16_t v)
{
	unsigned char *p = d->img.data + d->img.base + off;

	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void
put32(struct memdev *d, uint64_t off, uint32_t v)
{
	put16(d, off, v & 0xffff);
	put16(d, off + 2, v >> 16);
}

static uint32_t
get32(const struct memdev *d, uint64_t off)
{
	const unsigned char *p = d->img.data + d->img.base + off;

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Byte offset of inode ino in the file system, computed the long way. */
static uint64_t
inode_offset(const struct memdev *d, const struct ext2_fs *fs, uint32_t ino)
{
	uint32_t g = (ino - 1) / fs->inodes_per_group, i = (ino - 1) % fs->inodes_per_group;
	uint32_t itable = get32(d, fs->gdt_offset + 32ull * g + 8);

	return (uint64_t)itable * fs->block_size + (uint64_t)i * fs->inode_size;
}

static bool
load_image(const char *path, uint64_t base, struct image *img)
{
	FILE *fp = fopen(path, "rb");

	if (!fp)
		return false;
	fseek(fp, 0, SEEK_END);
	img->len = ftell(fp);
	rewind(fp);
	img->data = malloc(img->len);
	img->base = base;
	bool ok = fread(img->data, 1, img->len, fp) == img->len;
	fclose(fp);
	return ok;
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

static char long_name[256];      /* 255 'n's: the longest name ext2 allows */

static bool
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

static bool
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

static unsigned char *
host_read(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	*len = ftell(fp);
	rewind(fp);
	buf = malloc(*len + 1);
	if (fread(buf, 1, *len, fp) != *len) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* ---- reading whole trees ---- */

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

static int
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

static int
collect_some(void *arg, const char *name, size_t namelen, uint32_t ino, uint8_t type)
{
	struct listing *l = arg;

	if (l->quota == 0)
		return 7;
	l->quota--;
	return collect(arg, name, namelen, ino, type);
}

static int
list_dir(struct ext2_fs *fs, uint32_t ino, struct listing *l)
{
	struct ext2_inode_info dir;
	uint64_t pos = 0;
	int err;

	memset(l, 0, sizeof(*l));
	if ((err = ext2_read_inode(fs, ino, &dir)))
		return err;
	return ext2_readdir(fs, &dir, &pos, collect, l);
}

static const struct entry *
find_entry(const struct listing *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->e[i].name, name) == 0)
			return &l->e[i];
	return NULL;
}

static uint8_t
host_type(mode_t m)
{
	return S_ISREG(m) ? EXT2_FT_REG_FILE : S_ISDIR(m) ? EXT2_FT_DIR :
	       S_ISLNK(m) ? EXT2_FT_SYMLINK : S_ISFIFO(m) ? EXT2_FT_FIFO :
	       S_ISCHR(m) ? EXT2_FT_CHRDEV : S_ISBLK(m) ? EXT2_FT_BLKDEV : EXT2_FT_SOCK;
}

/* The whole of an ext2 file, read in one call, equals the host file. */
static bool
same_file(struct ext2_fs *fs, const struct ext2_inode_info *ino, const char *host)
{
	size_t len;
	unsigned char *want = host_read(host, &len);
	unsigned char *got = malloc(len + 100);
	bool ok = want && ino->size == len &&
		  ext2_read_data(fs, ino, 0, got, len + 100) == (int64_t)len &&
		  memcmp(got, want, len) == 0;

	if (!ok)
		printf("# %s differs\n", host);
	free(want);
	free(got);
	return ok;
}

/*
 * Directory dir_ino and the host directory host hold the same names, of
 * the same types, with the same contents (file bytes, link targets), all
 * the way down. typed: the image records file types (FILETYPE feature).
 */
static bool
same_tree(struct ext2_fs *fs, uint32_t dir_ino, uint32_t parent_ino, const char *host, bool typed)
{
	struct listing l;
	struct dirent *de;
	DIR *dp = opendir(host);
	size_t host_n = 0;
	bool ok = dp && list_dir(fs, dir_ino, &l) == 0;

	while (ok && (de = readdir(dp)) != NULL) {
		char path[1200];
		struct stat st;
		struct ext2_inode_info ino;
		const struct entry *e = find_entry(&l, de->d_name);

		host_n++;
		snprintf(path, sizeof(path), "%s/%s", host, de->d_name);
		if (!e || lstat(path, &st) != 0 || ext2_read_inode(fs, e->ino, &ino) != 0) {
			printf("# %s: missing or unreadable\n", path);
			ok = false;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
			/* The host's ".." of the tree's top is outside the tree. */
			ok = e->ino == (de->d_name[1] ? parent_ino : dir_ino) &&
			     e->type == (typed ? EXT2_FT_DIR : 0) &&
			     (ino.mode & EXT2_S_IFMT) == EXT2_S_IFDIR;
		} else if ((typed && e->type != host_type(st.st_mode)) || (!typed && e->type != 0) ||
			   (ino.mode & EXT2_S_IFMT) != (st.st_mode & S_IFMT) ||
			   (ino.mode & 07777) != (st.st_mode & 07777)) {
			printf("# %s: type or mode differs\n", path);
			ok = false;
		} else if (S_ISREG(st.st_mode)) {
			ok = same_file(fs, &ino, path);
		} else if (S_ISDIR(st.st_mode)) {
			ok = same_tree(fs, e->ino, dir_ino, path, typed);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096], got[4096];
			ssize_t n = readlink(path, target, sizeof(target));
			ok = n > 0 && ino.size == (uint64_t)n &&
			     ext2_read_data(fs, &ino, 0, got, sizeof(got)) == n &&
			     memcmp(got, target, n) == 0;
		}
	}
	/* mke2fs adds lost+found at the top. */
	if (dir_ino == EXT2_ROOT_INO && find_entry(&l, "lost+found"))
		host_n++;
	if (ok && host_n != l.n) {
		printf("# %s: %zu entries on the host, %zu in ext2\n", host, host_n, l.n);
		ok = false;
	}
	if (dp)
		closedir(dp);
	free(l.e);
	return ok;
}

/* ---- the tests ---- */

static const struct image *cur;   /* the image the next tree test uses */

/* Mount fields equal what dumpe2fs says about the same image. */
static void
mount_matches_dumpe2fs(void)
{
	static const struct { const char *name; const struct image *img; const char *label; } imgs[] = {
		{ "img1k", &img1k, "unit-1k" }, { "img4k", &img4k, "unit-4k" },
		{ "imgrev0", &imgrev0, "" },
	};
	for (size_t i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
		char cmd[800], line[300];
		struct ext2_fs fs;
		struct memdev *d = dev_new(imgs[i].img);
		unsigned long v;

		CHECK(mount_dev(&fs, d) == 0 && d->reports == 0);
		CHECK_STR(fs.volume_name, imgs[i].label);
		snprintf(cmd, sizeof(cmd), "PATH=$PATH:/sbin:/usr/sbin dumpe2fs -h %s/%s 2>/dev/null",
			 tmpdir, imgs[i].name);
		FILE *p = popen(cmd, "r");
		int seen = 0;
		while (p && fgets(line, sizeof(line), p)) {
#define FIELD(label, field) \
			if (sscanf(line, label ": %lu", &v) == 1) { CHECK(fs.field == v); seen++; }
			FIELD("Inode count", inodes_count)
			FIELD("Block count", blocks_count)
			FIELD("First block", first_data_block)
			FIELD("Block size", block_size)
			FIELD("Blocks per group", blocks_per_group)
			FIELD("Inodes per group", inodes_per_group)
			FIELD("Inode size", inode_size)
#undef FIELD
		}
		if (p)
			pclose(p);
		CHECK(seen == 7 || (seen == 6 && fs.rev_level == 0));   /* rev 0: no "Inode size" */
		CHECK(fs.groups == (fs.blocks_count - fs.first_data_block + fs.blocks_per_group - 1) /
				   fs.blocks_per_group);
		dev_free(d);
	}
}

static void
tree_equal(void)
{
	struct ext2_fs fs;
	struct memdev *d = dev_new(cur);

	CHECK(mount_dev(&fs, d) == 0);
	CHECK(same_tree(&fs, EXT2_ROOT_INO, EXT2_ROOT_INO, tree, cur != &imgrev0));
	CHECK(d->reports == 0);
	dev_free(d);
}

/* Reads from every start in starts, in pieces of chunk bytes, to the end. */
static bool
chunked_equal(struct ext2_fs *fs, const struct ext2_inode_info *ino, const unsigned char *want,
	      size_t len, uint64_t start, size_t chunk)
{
	unsigned char *buf = malloc(chunk);
	uint64_t off = start;
	int64_t n;
	bool ok = true;

	while (ok && (n = ext2_read_data(fs, ino, off, buf, chunk)) > 0) {
		ok = (uint64_t)n == MIN(chunk, len - off) && memcmp(buf, want + off, n) == 0;
		off += n;
	}
	free(buf);
	return ok && n == 0 && off == MAX(start, len);
}

static void
odd_chunks(void)
{
	static const char *const files[] = { "size_1", "size_1023", "size_1024", "size_1025",
		"size_4095", "size_4096", "size_4097", "size_1048576", "sparse" };
	static const size_t chunks[] = { 1, 3, 777, 1024, 4099, 65537 };
	static const uint64_t starts[] = { 0, 1, 13, 1023, 1024, 4097, 12 * 1024 - 1 };
	struct ext2_fs fs;
	struct memdev *d = dev_new(cur);

	CHECK(mount_dev(&fs, d) == 0);
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		char path[700];
		size_t len;
		uint32_t ino = 0;
		struct ext2_inode_info inode;

		snprintf(path, sizeof(path), "%s/%s", tree, files[f]);
		unsigned char *want = host_read(path, &len);
		snprintf(path, sizeof(path), "/%s", files[f]);
		CHECK(want && ext2_namei(&fs, EXT2_ROOT_INO, path, &ino) == 0);
		CHECK(ext2_read_inode(&fs, ino, &inode) == 0 && inode.size == len);
		for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]) && !unit_case_failed; c++) {
			if (len / chunks[c] > 5000)
				continue;      /* keep the run short */
			for (size_t s = 0; s < sizeof(starts) / sizeof(starts[0]); s++)
				CHECK(chunked_equal(&fs, &inode, want, len, starts[s],
						    chunks[c]));
		}
		/* Past the end: nothing, not an error. */
		unsigned char b[4];
		CHECK(ext2_read_data(&fs, &inode, len, b, 4) == 0);
		CHECK(ext2_read_data(&fs, &inode, len + 5000, b, 4) == 0);
		CHECK(ext2_read_data(&fs, &inode, UINT64_MAX, b, 4) == 0);
		free(want);
	}
	CHECK(d->reports == 0);
	dev_free(d);
}

/* The block map: direct, indirect, double- and triple-indirect, holes, -EFBIG. */
static void
bmap_levels(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info big, sparse;
	struct memdev *d = dev_new(cur);
	uint32_t ino;

	CHECK(mount_dev(&fs, d) == 0);
	uint64_t per = fs.block_size / 4;
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/size_1048576", &ino) == 0);
	CHECK(ext2_read_inode(&fs, ino, &big) == 0);
	uint64_t nblocks = MIB / fs.block_size;
	for (uint64_t b = 0; b < nblocks; b++) {
		int64_t blk = ext2_bmap(&fs, &big, b);
		CHECK(blk > 0 && blk < fs.blocks_count);
	}
	if (fs.block_size == 1024)
		CHECK(nblocks > 12 + per && big.block[13] != 0);   /* double-indirect in use */
	CHECK(ext2_bmap(&fs, &big, nblocks) == 0);       /* past the data: a hole */

	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "sparse", &ino) == 0);
	CHECK(ext2_read_inode(&fs, ino, &sparse) == 0);
	CHECK(ext2_bmap(&fs, &sparse, 0) > 0);
	CHECK(ext2_bmap(&fs, &sparse, MIB / fs.block_size) == 0);
	CHECK(ext2_bmap(&fs, &sparse, (SPARSE_SIZE - 1) / fs.block_size) > 0);
	if (fs.block_size == 1024)
		CHECK(sparse.block[14] != 0);             /* 70 MiB: triple-indirect */
	CHECK(sparse.blocks512 < 200 * (fs.block_size / 512));   /* really sparse */
	uint64_t max = 12 + per + per * per + per * per * per;
	CHECK(ext2_bmap(&fs, &sparse, max - 1) == 0);
	CHECK(ext2_bmap(&fs, &sparse, max) == -EFBIG);
	CHECK(ext2_bmap(&fs, &sparse, UINT64_MAX) == -EFBIG);
	CHECK(d->reports == 0);
	dev_free(d);
}

/* The 100-entry directory; and readdir resumed from its cookie. */
static void
readdir_cookie(void)
{
	struct ext2_fs fs;
	struct ext2_inode_info dir;
	struct listing all, part = { 0 };
	struct memdev *d = dev_new(cur);
	uint32_t ino;
	uint64_t pos = 0;
	int r, calls = 0;

	CHECK(mount_dev(&fs, d) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/dir100", &ino) == 0);
	CHECK(ext2_read_inode(&fs, ino, &dir) == 0);
	CHECK(list_dir(&fs, ino, &all) == 0 && all.n == 100);
	CHECK(find_entry(&all, long_name) != NULL);
	/* Five entries per call; a refused entry comes again next time. */
	do {
		part.quota = 5;
		r = ext2_readdir(&fs, &dir, &pos, collect_some, &part);
		CHECK(r == 0 || r == 7);
	} while (r == 7 && ++calls < 1000);
	CHECK(part.n == all.n);
	for (size_t i = 0; i < part.n && i < all.n; i++)
		CHECK(strcmp(part.e[i].name, all.e[i].name) == 0 && part.e[i].ino == all.e[i].ino);
	CHECK(pos == dir.size);
	CHECK(ext2_readdir(&fs, &dir, &pos, collect, &part) == 0);   /* at the end: nothing */
	CHECK(part.n == all.n);
	free(part.e);

	/* Any byte is a usable cookie: the entries that start at or after it. */
	for (uint64_t start = 0; start < dir.size; start += 13) {
		struct listing l = { 0 };
		pos = start;
		CHECK(ext2_readdir(&fs, &dir, &pos, collect, &l) == 0);
		CHECK(l.n <= all.n);
		for (size_t i = 0; i < l.n && l.n <= all.n; i++)
			CHECK(strcmp(l.e[i].name, all.e[all.n - l.n + i].name) == 0);
		free(l.e);
	}
	free(all.e);
	CHECK(d->reports == 0);
	dev_free(d);
}

/* path relative to start, with the result and the path it should equal. */
static void
namei_cases(void)
{
	struct ext2_fs fs;
	struct memdev *d = dev_new(cur);
	uint32_t a = 0, b = 0, c = 0, f, lnk, got;
	struct ext2_inode_info ino;
	char path[600];

	CHECK(mount_dev(&fs, d) == 0);
	struct ext2_inode_info root;
	CHECK(ext2_read_inode(&fs, EXT2_ROOT_INO, &root) == 0);
	CHECK(ext2_lookup(&fs, &root, "a", 1, &a) == 0);
	CHECK(ext2_read_inode(&fs, a, &ino) == 0 && ext2_lookup(&fs, &ino, "b", 1, &b) == 0);
	CHECK(ext2_read_inode(&fs, b, &ino) == 0 && ext2_lookup(&fs, &ino, "c.txt", 5, &c) == 0);
	CHECK(ext2_lookup(&fs, &ino, "c.tx", 4, &got) == -ENOENT);
	CHECK(ext2_lookup(&fs, &ino, "c.txtx", 6, &got) == -ENOENT);
	CHECK(ext2_lookup(&fs, &root, "size_1", 6, &f) == 0);
	CHECK(ext2_read_inode(&fs, f, &ino) == 0 && ext2_lookup(&fs, &ino, "x", 1, &got) == -ENOTDIR);

	static const struct { const char *path; int start; int want; int is; } cases[] = {
		/* start: 0 root, 1 a, 2 b; is: 0 root, 1 a, 2 b, 3 c, 4 size_1 */
		{ "/", 2, 0, 0 }, { ".", 0, 0, 0 }, { "..", 0, 0, 0 }, { "/..", 1, 0, 0 },
		{ "/a", 0, 0, 1 }, { "a", 0, 0, 1 }, { "/a/b", 0, 0, 2 }, { "a/b", 0, 0, 2 },
		{ "b", 1, 0, 2 }, { "..", 2, 0, 1 }, { "../..", 2, 0, 0 }, { ".", 2, 0, 2 },
		{ "/a/../a/b", 0, 0, 2 }, { "/a/./b/.", 0, 0, 2 }, { "//a///b//", 0, 0, 2 },
		{ "/a/b/", 0, 0, 2 }, { "/a/b/c.txt", 0, 0, 3 }, { "c.txt", 2, 0, 3 },
		{ "../b/c.txt", 2, 0, 3 }, { "/size_1", 2, 0, 4 }, { "size_1", 0, 0, 4 },
		{ "/size_1/", 0, -ENOTDIR, 0 }, { "/size_1/x", 0, -ENOTDIR, 0 },
		{ "/size_1/.", 0, -ENOTDIR, 0 }, { "/a/b/c.txt/", 0, -ENOTDIR, 0 },
		{ "/missing", 0, -ENOENT, 0 }, { "/a/missing/x", 0, -ENOENT, 0 },
		{ "missing/", 1, -ENOENT, 0 }, { "", 0, -ENOENT, 0 }, { "b", 0, -ENOENT, 0 },
		{ "/link_dir/c.txt", 0, -ELOOP, 0 }, { "/link_dir/", 0, -ELOOP, 0 },
		{ "/dir100/lnk_a/b", 0, -ELOOP, 0 },
	};
	uint32_t start_ino[] = { EXT2_ROOT_INO, a, b }, is_ino[] = { EXT2_ROOT_INO, a, b, c, f };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = 0;
		int r = ext2_namei(&fs, start_ino[cases[i].start], cases[i].path, &got);
		if ((r != cases[i].want || (r == 0 && got != is_ino[cases[i].is])) && !unit_case_failed) {
			printf("not ok namei_cases: \"%s\" from %d: got %d ino %u\n",
			       cases[i].path, cases[i].start, r, got);
			unit_case_failed = 1;
		}
	}
	/* A symlink as the last component is the link itself. */
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/link_short", &lnk) == 0);
	CHECK(ext2_read_inode(&fs, lnk, &ino) == 0 && (ino.mode & EXT2_S_IFMT) == EXT2_S_IFLNK);
	CHECK(ext2_read_data(&fs, &ino, 0, path, sizeof(path)) == 6 && memcmp(path, "size_1", 6) == 0);
	CHECK(ext2_read_data(&fs, &ino, 4, path, sizeof(path)) == 2 && memcmp(path, "_1", 2) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/link_long", &lnk) == 0);
	CHECK(ext2_read_inode(&fs, lnk, &ino) == 0 && ino.size == 120 && ino.block[0] != 0);
	/* The longest name works; one byte more is -ENAMETOOLONG. */
	snprintf(path, sizeof(path), "/dir100/%s", long_name);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, path, &got) == 0);
	snprintf(path, sizeof(path), "/dir100/%sn", long_name);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, path, &got) == -ENAMETOOLONG);
	snprintf(path, sizeof(path), "/%sn/x", long_name);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, path, &got) == -ENAMETOOLONG);
	CHECK(ext2_lookup(&fs, &root, path + 1, 256, &got) == -ENAMETOOLONG);
	CHECK(ext2_lookup(&fs, &root, "", 0, &got) == -ENOENT);
	CHECK(d->reports == 0);
	dev_free(d);
}

static void
tree_1k(void) { cur = &img1k; tree_equal(); }
static void
tree_4k(void) { cur = &img4k; tree_equal(); }
static void
tree_rev0(void) { cur = &imgrev0; tree_equal(); }
static void
odd_chunks_1k(void) { cur = &img1k; odd_chunks(); }
static void
odd_chunks_4k(void) { cur = &img4k; odd_chunks(); }
static void
bmap_1k(void) { cur = &img1k; bmap_levels(); }
static void
bmap_4k(void) { cur = &img4k; bmap_levels(); }
static void
readdir_1k(void) { cur = &img1k; readdir_cookie(); }
static void
readdir_4k(void) { cur = &img4k; readdir_cookie(); }
static void
namei_1k(void) { cur = &img1k; namei_cases(); }
static void
namei_4k(void) { cur = &img4k; namei_cases(); }

/* The project's root disk against the tree it was made from. */
static void
root_disk(void)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char path[600];
	struct ext2_fs fs;
	struct memdev *d;

	snprintf(path, sizeof(path), "%s/disk.img", build);
	if (!load_image(path, MIB, &imgdisk)) {
		printf("# %s missing: run make first (skipped)\n", path);
		return;
	}
	d = dev_new(&imgdisk);
	CHECK(mount_dev(&fs, d) == 0);
	CHECK_STR(fs.volume_name, "pagoda-root");
	CHECK(fs.block_size == 1024);
	snprintf(path, sizeof(path), "%s/rootfs", build);
	CHECK(same_tree(&fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, true));
	CHECK(d->reports == 0);
	dev_free(d);
	free(imgdisk.data);
}

/* ---- damaged images ---- */

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

int
main(void)
{
	char cmd[600];

	setvbuf(stdout, NULL, _IOLBF, 0);      /* in order with mke2fs's output */
	if (!mkdtemp(tmpdir)) {
		printf("not ok setup: mkdtemp failed\n");
		return 1;
	}
	if (!make_tree() ||
	    !make_image("-b 1024 -L unit-1k", "img1k", &img1k) ||
	    !make_image("-b 4096 -L unit-4k", "img4k", &img4k) ||
	    !make_image("-b 1024 -r 0", "imgrev0", &imgrev0)) {
		printf("not ok setup: could not build the test images with mke2fs in %s\n", tmpdir);
		return 1;
	}
	RUN(mount_matches_dumpe2fs);
	RUN(tree_1k);
	RUN(tree_4k);
	RUN(tree_rev0);
	RUN(odd_chunks_1k);
	RUN(odd_chunks_4k);
	RUN(bmap_1k);
	RUN(bmap_4k);
	RUN(readdir_1k);
	RUN(readdir_4k);
	RUN(namei_1k);
	RUN(namei_4k);
	RUN(root_disk);
	RUN(bad_superblocks);
	RUN(bad_group_descriptor);
	RUN(bad_root_and_inode_numbers);
	RUN(bad_block_pointers);
	RUN(bad_dir_entries);
	RUN(bad_dir_sizes);
	RUN(huge_sizes);
	RUN(io_errors);
	RUN(report_may_be_null);

	free(img1k.data);
	free(img4k.data);
	free(imgrev0.data);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	UNIT_EXIT();
}
