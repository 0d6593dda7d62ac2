/*
 * tests/unit/test_cpio.c - kernel/fs/cpio.c: archives written here, one from
 * the host's `cpio -o -H newc`, lookups, and malformed archives.
 *
 * Every archive is handed to the parser in a heap buffer of exactly its
 * length, so AddressSanitizer reports any read past the end.
 */
#include <stdint.h>
#include <stdbool.h>
#include <unistd.h>
#include "unit.h"
#include "kernel/errno.h"
#include "kernel/fs/cpio.h"

/* An archive being written: newc headers, names and data, padded. */
struct ar {
	char buf[16384];
	size_t len;
};

static void
pad4(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = '\0';
}

/* Appends one entry the way cpio -H newc does. */
static void
add(struct ar *a, const char *name, uint32_t mode, const void *data, size_t size)
{
	size_t namesize = strlen(name) + 1;

	a->len += sprintf(a->buf + a->len,
			  "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
			  1u, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u, 0u, 0u, 0u,
			  (unsigned)namesize, 0u);
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	pad4(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void
add_trailer(struct ar *a)
{
	add(a, "TRAILER!!!", 0, "", 0);
}

/* A heap copy of exactly len bytes, so overruns are caught. */
static void *
exact(const void *p, size_t len)
{
	void *q = malloc(len ? len : 1);
	memcpy(q, p, len);
	return q;
}

static bool
name_is(const struct cpio_file *f, const char *name)
{
	return f->namelen == strlen(name) && memcmp(f->name, name, f->namelen) == 0;
}

static bool
data_is(const struct cpio_file *f, const char *data)
{
	return f->size == strlen(data) && memcmp(f->data, data, f->size) == 0;
}

/* The archive used by most cases: a directory, three files, the trailer. */
static struct ar sample;

static void
make_sample(void)
{
	sample.len = 0;
	add(&sample, ".", 0040755, "", 0);
	add(&sample, "./bin", 0040755, "", 0);
	add(&sample, "./bin/init", 0100755, "init!", 5);
	add(&sample, "./etc/motd", 0100644, "hello, pagoda\n", 14);
	add(&sample, "./empty", 0100600, "", 0);
	add_trailer(&sample);
}

static void
walk_written_archive(void)
{
	char *ar = exact(sample.buf, sample.len);
	struct cpio_file f;
	size_t off = 0;

	CHECK(cpio_next(ar, sample.len, &off, &f) == 0 && name_is(&f, "."));
	CHECK((f.mode & CPIO_S_IFMT) == CPIO_S_IFDIR && f.size == 0);
	CHECK(cpio_next(ar, sample.len, &off, &f) == 0 && name_is(&f, "./bin"));
	CHECK(cpio_next(ar, sample.len, &off, &f) == 0 && name_is(&f, "./bin/init"));
	CHECK(f.mode == 0100755 && data_is(&f, "init!"));
	CHECK(off % 4 == 0);
	CHECK(cpio_next(ar, sample.len, &off, &f) == 0 && name_is(&f, "./etc/motd"));
	CHECK(f.mode == 0100644 && data_is(&f, "hello, pagoda\n"));
	CHECK(cpio_next(ar, sample.len, &off, &f) == 0 && name_is(&f, "./empty"));
	CHECK(f.size == 0 && (f.mode & CPIO_S_IFMT) == CPIO_S_IFREG);
	CHECK(cpio_next(ar, sample.len, &off, &f) == 1);
	CHECK(off == sample.len);
	free(ar);
}

static void
find_with_and_without_prefixes(void)
{
	char *ar = exact(sample.buf, sample.len);
	struct cpio_file f;

	CHECK(cpio_find(ar, sample.len, "/bin/init", &f) == 0 && data_is(&f, "init!"));
	CHECK(cpio_find(ar, sample.len, "bin/init", &f) == 0 && data_is(&f, "init!"));
	CHECK(cpio_find(ar, sample.len, "./bin/init", &f) == 0 && data_is(&f, "init!"));
	CHECK(cpio_find(ar, sample.len, "//./bin/init", &f) == 0 && data_is(&f, "init!"));
	CHECK(cpio_find(ar, sample.len, "/etc/motd", &f) == 0 && f.size == 14);
	CHECK(cpio_find(ar, sample.len, "/bin", &f) == 0 &&
	      (f.mode & CPIO_S_IFMT) == CPIO_S_IFDIR);
	CHECK(cpio_find(ar, sample.len, "/", &f) == 0 && name_is(&f, "."));
	free(ar);
}

static void
find_missing(void)
{
	char *ar = exact(sample.buf, sample.len);
	struct cpio_file f;

	CHECK(cpio_find(ar, sample.len, "/bin/sh", &f) == -ENOENT);
	CHECK(cpio_find(ar, sample.len, "/bin/ini", &f) == -ENOENT);     /* a prefix */
	CHECK(cpio_find(ar, sample.len, "/bin/init2", &f) == -ENOENT);   /* longer */
	CHECK(cpio_find(ar, sample.len, "init", &f) == -ENOENT);         /* basename */
	CHECK(cpio_find(ar, sample.len, "TRAILER!!!", &f) == -ENOENT);
	free(ar);
}

/* Archive names written without "./", or with "/", are found too. */
static void
find_other_archive_names(void)
{
	struct ar a = { .len = 0 };
	struct cpio_file f;

	add(&a, "bin/init", 0100755, "A", 1);
	add(&a, "/sbin/init", 0100755, "B", 1);
	add_trailer(&a);
	char *ar = exact(a.buf, a.len);
	CHECK(cpio_find(ar, a.len, "/bin/init", &f) == 0 && data_is(&f, "A"));
	CHECK(cpio_find(ar, a.len, "./bin/init", &f) == 0 && data_is(&f, "A"));
	CHECK(cpio_find(ar, a.len, "sbin/init", &f) == 0 && data_is(&f, "B"));
	CHECK(cpio_find(ar, a.len, "/sbin/init", &f) == 0 && data_is(&f, "B"));
	free(ar);
}

/* Runs cpio_next over a copy of a whole archive; returns the first non-0. */
static int
walk(const void *buf, size_t len)
{
	char *ar = exact(buf, len);
	struct cpio_file f;
	size_t off = 0;
	int r, n = 0;

	while ((r = cpio_next(ar, len, &off, &f)) == 0 && n++ < 100)
		;
	free(ar);
	return r;
}

/* cpio_next on the first entry of a copy of buf. */
static int
first_entry(const void *buf, size_t len)
{
	char *ar = exact(buf, len);
	struct cpio_file f;
	size_t off = 0;
	int r = cpio_next(ar, len, &off, &f);

	free(ar);
	return r;
}

static void
bad_magic(void)
{
	struct ar a = sample;

	a.buf[5] = '2';                 /* 070702 is the crc format, not newc */
	CHECK(walk(a.buf, a.len) == -EINVAL);
	a.buf[5] = '1';
	a.buf[0] = 'x';
	CHECK(walk(a.buf, a.len) == -EINVAL);
}

static void
truncated_header(void)
{
	CHECK(walk(sample.buf, 0) == -EINVAL);
	CHECK(walk(sample.buf, 109) == -EINVAL);
	/* The first entry ("." at 0..112) is whole; the second header is cut. */
	CHECK(walk(sample.buf, 112 + 50) == -EINVAL);
}

static void
name_past_the_end(void)
{
	struct ar a = { .len = 0 };

	add(&a, "./a-long-name", 0100644, "", 0);
	CHECK(walk(a.buf, 110 + 5) == -EINVAL);           /* name cut off */
	/* namesize claims more than there is. */
	memcpy(a.buf + 6 + 8 * 11, "0000FFFF", 8);
	CHECK(walk(a.buf, a.len) == -EINVAL);
	memcpy(a.buf + 6 + 8 * 11, "FFFFFFFF", 8);
	CHECK(walk(a.buf, a.len) == -EINVAL);
}

static void
data_past_the_end(void)
{
	struct ar a = { .len = 0 };
	struct cpio_file f;
	size_t off = 0;

	add(&a, "f", 0100644, "0123456789", 10);
	/* Header (110) + "f\0" = 112, data at 112..122. */
	CHECK(first_entry(a.buf, 121) == -EINVAL);
	CHECK(first_entry(a.buf, 122) == 0);
	memcpy(a.buf + 6 + 8 * 6, "FFFFFFFF", 8);          /* c_filesize */
	CHECK(first_entry(a.buf, a.len) == -EINVAL);
	memcpy(a.buf + 6 + 8 * 6, "0000000D", 8);          /* 13: into the padding */
	CHECK(first_entry(a.buf, a.len) == -EINVAL);

	/* Only the padding after the data is missing: the entry is whole. */
	memcpy(a.buf + 6 + 8 * 6, "0000000A", 8);
	char *ar = exact(a.buf, 122);
	CHECK(cpio_next(ar, 122, &off, &f) == 0 && data_is(&f, "0123456789"));
	CHECK(off == 122);
	CHECK(cpio_next(ar, 122, &off, &f) == -EINVAL);
	free(ar);
}

static void
non_hex_digit(void)
{
	static const int fields[] = { 1, 6, 11 };   /* mode, filesize, namesize */

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct ar a = sample;
		a.buf[6 + 8 * fields[i] + 3] = 'g';
		CHECK(walk(a.buf, a.len) == -EINVAL);
		a.buf[6 + 8 * fields[i] + 3] = ' ';
		CHECK(walk(a.buf, a.len) == -EINVAL);
	}
	/* Lowercase hex is fine (newc does not say which case). */
	struct ar a = { .len = 0 };
	struct cpio_file f;
	add(&a, "x", 0100644, "0123456789abcdef", 16);
	add_trailer(&a);
	memcpy(a.buf + 6 + 8 * 1, "000081a4", 8);
	char *ar = exact(a.buf, a.len);
	CHECK(cpio_find(ar, a.len, "x", &f) == 0 && f.mode == 0100644);
	free(ar);
}

static void
missing_nul_after_name(void)
{
	struct ar a = { .len = 0 };

	add(&a, "abc", 0100644, "", 0);
	add_trailer(&a);
	a.buf[110 + 3] = 'd';            /* "abcd" with no NUL */
	CHECK(walk(a.buf, a.len) == -EINVAL);
	memcpy(a.buf + 6 + 8 * 11, "00000000", 8);   /* namesize 0 */
	CHECK(walk(a.buf, a.len) == -EINVAL);
}

/* Without a trailer the walk stops at the end with -EINVAL, not past it. */
static void
no_trailer(void)
{
	struct ar a = sample;
	struct cpio_file f;

	a.len -= 124;                  /* the trailer: 110 + 11, padded to 124 */
	CHECK(walk(a.buf, a.len) == -EINVAL);
	char *ar = exact(a.buf, a.len);
	CHECK(cpio_find(ar, a.len, "/bin/init", &f) == 0);
	CHECK(cpio_find(ar, a.len, "/nothing", &f) == -EINVAL);
	free(ar);
}

/* An error before the entry is found wins; one after it is not seen. */
static void
find_in_a_broken_archive(void)
{
	struct ar a = sample;
	struct cpio_file f;

	memcpy(a.buf + 112 + 2, "XX", 2);      /* the magic of "./bin" */
	char *ar = exact(a.buf, a.len);
	CHECK(cpio_find(ar, a.len, "/", &f) == 0);
	CHECK(cpio_find(ar, a.len, "/bin/init", &f) == -EINVAL);
	free(ar);
}

/*
 * The real thing: files in a temporary directory, archived by the host's
 * cpio exactly as the initrd will be, then every file read back.
 */
static const struct {
	const char *path;
	size_t size;
} host_files[] = {
	{ "init", 1 }, { "bin/sh", 4097 }, { "bin/hello", 13 }, { "etc/empty", 0 },
	{ "etc/a-rather-long-file-name-to-shift-the-padding", 3 },
};

static unsigned char
byte_of(size_t file, size_t i)
{
	return (unsigned char)(file * 31 + i * 7 + 1);
}

static bool
write_file(const char *dir, size_t k)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/root/%s", dir, host_files[k].path);
	if (!(fp = fopen(path, "wb")))
		return false;
	for (size_t i = 0; i < host_files[k].size; i++)
		fputc(byte_of(k, i), fp);
	return fclose(fp) == 0;
}

static char *
read_whole(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	*len = ftell(fp);
	rewind(fp);
	buf = malloc(*len ? *len : 1);
	if (fread(buf, 1, *len, fp) != *len) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

static bool
file_matches(const struct cpio_file *f, size_t k)
{
	const unsigned char *d = f->data;

	if (f->size != host_files[k].size || (f->mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return false;
	for (size_t i = 0; i < f->size; i++)
		if (d[i] != byte_of(k, i))
			return false;
	return true;
}

static void
check_host_archive(const char *ar, size_t len)
{
	struct cpio_file f;
	size_t off = 0, nfiles = 0, nentries = 0;
	int r;

	while ((r = cpio_next(ar, len, &off, &f)) == 0 && nentries++ < 100) {
		if ((f.mode & CPIO_S_IFMT) != CPIO_S_IFREG)
			continue;
		nfiles++;
		for (size_t k = 0; k < sizeof(host_files) / sizeof(host_files[0]); k++) {
			char want[256];
			snprintf(want, sizeof(want), "./%s", host_files[k].path);
			if (name_is(&f, want))
				CHECK(file_matches(&f, k));
		}
	}
	CHECK(r == 1);
	CHECK(nfiles == sizeof(host_files) / sizeof(host_files[0]));
	for (size_t k = 0; k < sizeof(host_files) / sizeof(host_files[0]); k++) {
		char abs[256];
		snprintf(abs, sizeof(abs), "/%s", host_files[k].path);
		CHECK(cpio_find(ar, len, abs, &f) == 0 && file_matches(&f, k));
		CHECK(cpio_find(ar, len, host_files[k].path, &f) == 0 && file_matches(&f, k));
	}
	CHECK(cpio_find(ar, len, "/bin", &f) == 0 && (f.mode & CPIO_S_IFMT) == CPIO_S_IFDIR);
	CHECK(cpio_find(ar, len, "/bin/missing", &f) == -ENOENT);
}

static void
host_cpio_archive(void)
{
	char dir[] = "/tmp/pagoda-cpio-XXXXXX";
	char cmd[1024], path[600];
	size_t len = 0;
	char *ar;

	CHECK(mkdtemp(dir) != NULL);
	if (unit_case_failed)
		return;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/root/bin %s/root/etc", dir, dir);
	CHECK(system(cmd) == 0);
	for (size_t k = 0; k < sizeof(host_files) / sizeof(host_files[0]); k++)
		CHECK(write_file(dir, k));
	snprintf(cmd, sizeof(cmd),
		 "cd %s/root && find . | cpio -o -H newc --quiet > ../initrd.cpio", dir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof(path), "%s/initrd.cpio", dir);
	ar = read_whole(path, &len);
	CHECK(ar != NULL && len > 0);
	if (ar && !unit_case_failed)
		check_host_archive(ar, len);
	free(ar);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

/*
 * Hard links as the host's cpio writes them (busybox and its applets in
 * the initrd): every name finds the data, stored only once.
 */
static void
host_cpio_hard_links(void)
{
	char dir[] = "/tmp/pagoda-cpio-XXXXXX";
	char cmd[1024], path[600];
	static const char *names[] = { "/bin/box", "/bin/ls", "/bin/cat" };
	struct cpio_file f;
	size_t len = 0, off = 0, empty = 0;
	const void *data = NULL;
	char *ar;

	CHECK(mkdtemp(dir) != NULL);
	if (unit_case_failed)
		return;
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/root/bin && cd %s/root/bin && head -c 5000 /dev/urandom > box"
		 " && ln box ls && ln box cat && cd .. && find . | cpio -o -H newc --quiet > ../initrd.cpio",
		 dir, dir);
	CHECK(system(cmd) == 0);
	snprintf(path, sizeof(path), "%s/initrd.cpio", dir);
	ar = read_whole(path, &len);
	CHECK(ar != NULL && len > 0);
	while (ar && cpio_next(ar, len, &off, &f) == 0)
		if ((f.mode & CPIO_S_IFMT) == CPIO_S_IFREG && f.nlink == 3 && f.size == 0)
			empty++;
	CHECK(empty == 2);                  /* the data once, with one name */
	for (size_t i = 0; ar && i < 3; i++) {
		CHECK(cpio_find(ar, len, names[i], &f) == 0 && f.size == 5000 && f.nlink == 3);
		CHECK(i == 0 || f.data == data);
		data = f.data;
	}
	free(ar);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
}

int
main(void)
{
	make_sample();
	RUN(walk_written_archive);
	RUN(find_with_and_without_prefixes);
	RUN(find_missing);
	RUN(find_other_archive_names);
	RUN(bad_magic);
	RUN(truncated_header);
	RUN(name_past_the_end);
	RUN(data_past_the_end);
	RUN(non_hex_digit);
	RUN(missing_nul_after_name);
	RUN(no_trailer);
	RUN(find_in_a_broken_archive);
	RUN(host_cpio_archive);
	RUN(host_cpio_hard_links);
	UNIT_EXIT();
}
