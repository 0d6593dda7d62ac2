/*
 * kernel/fs/cpio.c - find files in a "newc" cpio archive, in place.
 *
 * The initrd is a cpio archive: GRUB loads it as a multiboot2 module next
 * to the kernel, and the host's `find . | cpio -o -H newc` writes it, so
 * no tool of our own is needed. The format is the simplest one that
 * carries names, sizes and modes: each entry is an ASCII header, the name
 * and the data, one after the other, and the archive ends with an entry
 * named "TRAILER!!!".
 *
 *   offset 0 (a multiple of 4)
 *   +--------+----+----+----+----+-------+----+----+----+----+----+--------+-----+
 *   | 070701 |ino |mode|uid |gid | nlink |mtim|size|dmaj|dmin|rmaj|namesize|check|
 *   +--------+----+----+----+----+-------+----+----+----+----+----+--------+-----+
 *     6 chars, then 13 fields of 8 hex digits each: 110 bytes in all
 *   +--------------------------+---------+
 *   | name, with its NUL       | 0-3 NULs|  header + name padded to a multiple of 4
 *   +--------------------------+---------+
 *   | data: size bytes         | 0-3 NULs|  data padded to a multiple of 4
 *   +--------------------------+---------+
 *   | next header ...
 *
 * Nothing is copied: a struct cpio_file points into the archive, which
 * must stay mapped while the file is used. Names are stored as written,
 * usually "./bin/init", so lookups ignore a leading "./" or "/".
 *
 * This file only parses: no allocation, no printk, no hardware. Every
 * length comes from the archive and is checked against len before use,
 * so a corrupt initrd gives -EINVAL, never a read past its end.
 * kernel/fs/vfs.c serves the root from it when there is no root disk.
 * Tested on the host: tests/unit/test_cpio.c.
 */
#include "kernel/fs/cpio.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define NEWC_MAGIC       "070701"
#define NEWC_MAGIC_LEN   6
#define NEWC_HEADER_LEN  110
#define NEWC_TRAILER     "TRAILER!!!"

/* The 8-hex-digit fields after the magic, in order (field i at 6 + 8 * i). */
enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK };

/* Parses 8 hex digits (either case) into *out. Returns 0, or -EINVAL. */
static int
hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		uint32_t d;
		if (c >= '0' && c <= '9') d = c - '0';
		else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
		else return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static int
field(const char *hdr, int i, uint32_t *out)
{
	return hex8(hdr + NEWC_MAGIC_LEN + 8 * i, out);
}

/* Is [start, start + n) inside an archive of len bytes? Never overflows. */
static bool
fits(size_t start, size_t n, size_t len)
{
	return start <= len && n <= len - start;
}

/*
 * Reads the entry at *offset and advances *offset past it. Returns 0 with
 * *f filled, 1 at the trailer (end), or -EINVAL for a malformed archive.
 * On error *offset is left alone. Pure: any context, no locks.
 */
int
cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_file *f)
{
	const char *base = archive;
	size_t off = *offset;
	uint32_t mode, filesize, namesize;

	if (!fits(off, NEWC_HEADER_LEN, len))
		return -EINVAL;         /* also catches a missing trailer */
	const char *hdr = base + off;
	if (memcmp(hdr, NEWC_MAGIC, NEWC_MAGIC_LEN) != 0)
		return -EINVAL;
	if (field(hdr, F_MODE, &mode) || field(hdr, F_FILESIZE, &filesize) ||
	    field(hdr, F_NAMESIZE, &namesize) || field(hdr, F_INO, &f->ino) ||
	    field(hdr, F_NLINK, &f->nlink))
		return -EINVAL;

	/* The name: namesize counts its NUL, so it is at least 1. */
	size_t name_off = off + NEWC_HEADER_LEN;
	if (namesize == 0 || !fits(name_off, namesize, len))
		return -EINVAL;
	if (base[name_off + namesize - 1] != '\0')
		return -EINVAL;

	/* The data starts at the next multiple of 4 after the name. */
	size_t data_off = ALIGN_UP(name_off + namesize, 4);
	if (!fits(data_off, filesize, len))
		return -EINVAL;

	f->name = base + name_off;
	f->namelen = namesize - 1;
	f->data = base + data_off;
	f->size = filesize;
	f->mode = mode;
	/* The padding after the data may be cut off at the very end. */
	*offset = MIN(ALIGN_UP(data_off + filesize, 4), len);

	if (f->namelen == sizeof(NEWC_TRAILER) - 1 &&
	    memcmp(f->name, NEWC_TRAILER, f->namelen) == 0)
		return 1;
	return 0;
}

/*
 * Drops leading "/" and "./" from the name (s, *len), and turns "." into
 * "", so "/", "." and "./" all name the root of the archive.
 */
static const char *
skip_root(const char *s, size_t *len)
{
	for (;;) {
		if (*len >= 1 && s[0] == '/') {
			s++;
			(*len)--;
		} else if (*len >= 2 && s[0] == '.' && s[1] == '/') {
			s += 2;
			*len -= 2;
		} else {
			break;
		}
	}
	if (*len == 1 && s[0] == '.')
		*len = 0;
	return s;
}

/*
 * A file with several names (hard links: busybox and its applets) is
 * written once: newc gives every name an entry with the same ino, and the
 * data only to the last of them (the others have size 0). Gives *f, an
 * empty entry of such a file, the data of the entry that holds it.
 */
static int
find_link_data(const void *archive, size_t len, struct cpio_file *f)
{
	struct cpio_file other;
	size_t off = 0;
	int r;

	if (f->size != 0 || f->nlink < 2 || (f->mode & CPIO_S_IFMT) != CPIO_S_IFREG)
		return 0;
	while ((r = cpio_next(archive, len, &off, &other)) == 0)
		if (other.ino == f->ino && other.size != 0 &&
		    (other.mode & CPIO_S_IFMT) == CPIO_S_IFREG) {
			f->data = other.data;
			f->size = other.size;
			return 0;
		}
	return r == 1 ? 0 : r;              /* none has data: the file is empty */
}

/*
 * Finds path in the archive, comparing names without their leading "/"
 * or "./". Returns 0 with *f filled, -ENOENT, or -EINVAL if the archive
 * is malformed before the entry is found.
 */
int
cpio_find(const void *archive, size_t len, const char *path, struct cpio_file *f)
{
	size_t want_len = strlen(path);
	const char *want = skip_root(path, &want_len);
	size_t off = 0;
	int r;

	while ((r = cpio_next(archive, len, &off, f)) == 0) {
		size_t namelen = f->namelen;
		const char *name = skip_root(f->name, &namelen);
		if (namelen == want_len && memcmp(name, want, namelen) == 0)
			return find_link_data(archive, len, f);
	}
	return r == 1 ? -ENOENT : r;
}
