/*
 * tests/unit/test_ext2.c - kernel/fs/ext2.c and ext2_dir.c on real images
 * made by the host's mke2fs; main, which also runs the cases on damaged
 * copies of them (test_ext2_damaged.c).
 *
 * At start a tree is written to a temporary directory (files around the
 * 1 KiB and 4 KiB block edges, a 1 MiB file that needs double-indirect
 * blocks with 1 KiB blocks, a sparse ~70 MiB file that needs triple-
 * indirect ones, a directory of 100 entries, symlinks, a fifo), and
 * `mke2fs -d` turns it into images with 1 KiB and 4 KiB blocks and one of
 * revision 0 (ext2_image.c). Every image is read through a memory-backed
 * struct ext2_dev, and every byte is compared with the host's copy of the
 * tree. The project's root disk (build/disk.img, file system at 1 MiB) is
 * checked against build/rootfs the same way when it exists.
 * Run from the repository root.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "ext2_image.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2.h"

/* ---- reading whole trees ---- */

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
	size_t len = 0;
	unsigned char *want = host_map(host, &len);
	unsigned char *got = malloc(len + 100);
	bool ok = want && ino->size == len &&
		  ext2_read_data(fs, ino, 0, got, len + 100) == (int64_t)len &&
		  memcmp(got, want, len) == 0;

	if (!ok)
		printf("# %s differs\n", host);
	host_unmap(want, len);
	free(got);
	return ok;
}

/*
 * A host file with several names is one inode in the image too (mke2fs -d
 * keeps hard links). Its bytes are compared at the first name met; every
 * other name must lead to the same inode of the image. (The root disk's
 * busybox has 260-odd names: reading it again for each took seconds.)
 * One table per tree compared: same_tree() empties it at the root.
 */
static struct { dev_t dev; ino_t host_ino; uint32_t ino; } linked[64];
static size_t nlinked;

/* For host file st, named in the image by inode ino: 1 if an earlier name
 * of it led to ino, -1 if to another inode, 0 if none was met (and now is). */
static int
seen_link(const struct stat *st, uint32_t ino)
{
	for (size_t i = 0; i < nlinked; i++)
		if (linked[i].dev == st->st_dev && linked[i].host_ino == st->st_ino)
			return linked[i].ino == ino ? 1 : -1;
	if (nlinked < sizeof(linked) / sizeof(linked[0])) {
		linked[nlinked].dev = st->st_dev;
		linked[nlinked].host_ino = st->st_ino;
		linked[nlinked++].ino = ino;
	}
	return 0;
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

	if (dir_ino == EXT2_ROOT_INO)
		nlinked = 0;
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
			int seen = st.st_nlink > 1 ? seen_link(&st, e->ino) : 0;
			if (seen < 0)
				printf("# %s: its hard links lead to different inodes\n", path);
			ok = seen > 0 || (seen == 0 && same_file(fs, &ino, path));
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
		size_t len = 0;
		uint32_t ino = 0;
		struct ext2_inode_info inode;

		snprintf(path, sizeof(path), "%s/%s", tree, files[f]);
		unsigned char *want = host_map(path, &len);
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
		host_unmap(want, len);
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

/* ext2_find_link: the first symbolic link along a path, for the VFS to follow (kernel/fs/vfs_lookup.c). */
static void
find_link_cases(void)
{
	static const struct { const char *path; bool last; int want; size_t end; } cases[] = {
		{ "link_dir/c.txt", false, 1, 8 }, { "link_dir", false, 0, 0 }, { "link_dir", true, 1, 8 },
		{ "dir100/lnk_a/b", false, 1, 12 }, { "dir100/lnk", true, 1, 10 }, { "dir100/lnk", false, 0, 0 },
		{ "a/b/c.txt", true, 0, 0 }, { "missing/link_dir", true, 0, 0 }, { "size_1/link_dir", true, 0, 0 },
		{ "", true, 0, 0 }, { "a//b/../../link_short", true, 1, 21 },
	};
	struct ext2_fs fs;
	struct memdev *d = dev_new(cur);
	struct ext2_inode_info ino;
	uint32_t got, want_ino;
	char target[16];

	CHECK(mount_dev(&fs, d) == 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t end = 0;
		int r = ext2_find_link(&fs, cases[i].path, cases[i].last, &end, &got);
		if ((r != cases[i].want || (r == 1 && end != cases[i].end)) && !unit_case_failed) {
			printf("not ok find_link_cases: \"%s\" last %d: got %d end %zu\n", cases[i].path,
			       cases[i].last, r, end);
			unit_case_failed = 1;
		}
	}
	/* What it finds is the link's own inode, whose data is the target. */
	CHECK(ext2_find_link(&fs, "link_dir/c.txt", false, &(size_t){ 0 }, &got) == 1);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/link_dir", &want_ino) == 0 && got == want_ino);
	CHECK(ext2_read_inode(&fs, got, &ino) == 0 && ext2_read_data(&fs, &ino, 0, target, sizeof(target)) == 3 &&
	      memcmp(target, "a/b", 3) == 0);
	/* No link: the inode the whole path names, or 0 where it stops existing. */
	CHECK(ext2_find_link(&fs, "a/b/c.txt", true, &(size_t){ 0 }, &got) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/a/b/c.txt", &want_ino) == 0 && got == want_ino);
	CHECK(ext2_find_link(&fs, "link_short", false, &(size_t){ 0 }, &got) == 0);
	CHECK(ext2_namei(&fs, EXT2_ROOT_INO, "/link_short", &want_ino) == 0 && got == want_ino);
	CHECK(ext2_find_link(&fs, "", true, &(size_t){ 0 }, &got) == 0 && got == EXT2_ROOT_INO);
	CHECK(ext2_find_link(&fs, "a/missing", true, &(size_t){ 0 }, &got) == 0 && got == 0);
	CHECK(ext2_find_link(&fs, "size_1/x", true, &(size_t){ 0 }, &got) == 0 && got == 0);
	CHECK(d->reports == 0);
	dev_free(d);
}

static void
find_link_1k(void) { cur = &img1k; find_link_cases(); }
static void
find_link_4k(void) { cur = &img4k; find_link_cases(); }

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
	struct memdev d = { 0 };     /* over the mapping itself: nothing here writes */

	snprintf(path, sizeof(path), "%s/disk.img", build);
	if (!load_image(path, MIB, &d.img)) {
		printf("# %s missing: run make first (skipped)\n", path);
		return;
	}
	CHECK(mount_dev(&fs, &d) == 0);
	CHECK_STR(fs.volume_name, "pagoda-root");
	CHECK(fs.block_size == 1024);
	snprintf(path, sizeof(path), "%s/rootfs", build);
	CHECK(same_tree(&fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, true));
	CHECK(d.reports == 0);
	unload_image(&d.img);
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
	RUN(find_link_1k);
	RUN(find_link_4k);
	RUN(root_disk);
	run_damaged_image_tests();        /* test_ext2_damaged.c */

	unload_image(&img1k);
	unload_image(&img4k);
	unload_image(&imgrev0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	UNIT_EXIT();
}
