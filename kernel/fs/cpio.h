/*
 * kernel/fs/cpio.h - reading a "newc" cpio archive (the initrd) in place.
 */
#ifndef KERNEL_FS_CPIO_H
#define KERNEL_FS_CPIO_H

#include "kernel/types.h"

#define CPIO_S_IFMT   0170000   /* file type bits of mode */
#define CPIO_S_IFDIR  0040000
#define CPIO_S_IFREG  0100000

struct cpio_file {
	const char *name;      /* points into the archive; not NUL-terminated necessarily: use namelen */
	size_t namelen;        /* without the trailing NUL */
	const void *data;
	size_t size;
	uint32_t mode;         /* st_mode bits from the header (S_IFREG 0100000, S_IFDIR 0040000, perms) */
	uint32_t ino;          /* the inode number on the host: hard links share it */
	uint32_t nlink;        /* how many names the file has */
};

/*
 * Reads the entry at *offset and advances *offset past it. Returns 0 with
 * *f filled, 1 at the trailer (end), or -EINVAL for a malformed archive
 * (bad magic, non-hex digits, name or data running past len, missing NUL
 * after the name).
 */
int cpio_next(const void *archive, size_t len, size_t *offset, struct cpio_file *f);

/*
 * Finds path in the archive. Leading "/" and "./" in both the path and the
 * archive names are ignored ("/bin/init" matches "bin/init" and
 * "./bin/init"). Returns 0, -ENOENT, or -EINVAL if the archive is
 * malformed before the entry is found. A hard link whose data the archive
 * holds under another of its names (newc stores it once, with the last)
 * is found with that data.
 */
int cpio_find(const void *archive, size_t len, const char *path, struct cpio_file *f);

#endif
