/*
 * cgfile.h - reading and writing cgroup v2 files (memory.max,
 * cgroup.procs, memory.events...) the same way on pagoda, on Linux and in
 * a fake root that is a plain directory (memctl's host test).
 *
 * Why a header of its own: memctl's three commands all read and write
 * these files, and the fake root needs one trick kept in one place: a
 * knob that does not exist yet is created (a plain file), where the real
 * cgroupfs has it already. Every function returns 0 or a negative errno,
 * or a pointer or NULL, and prints nothing: the caller names the file.
 * Header-only, like the other user/lib helpers.
 */
#ifndef USER_CGFILE_H
#define USER_CGFILE_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CG_MAX (-1)             /* the value "max" */

/*
 * Writes text to path, as `echo text > path` would. A missing file is
 * created (only a plain directory lacks it: cgroupfs refuses). Returns 0,
 * or -errno of the open or the write.
 */
static inline int
cg_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0 && errno == ENOENT)
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0) {
		int err = errno;
		close(fd);
		return -err;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/* Writes a byte count, or "max" for CG_MAX. Returns as cg_write. */
static inline int
cg_write_bytes(const char *path, int64_t bytes)
{
	char text[32];

	if (bytes == CG_MAX)
		return cg_write(path, "max\n");
	snprintf(text, sizeof(text), "%lld\n", (long long)bytes);
	return cg_write(path, text);
}

/*
 * Reads the whole file into buf (NUL-terminated). Returns the length, or
 * -errno (buf then holds "").
 */
static inline ssize_t
cg_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r = 0;

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -EIO : (ssize_t)n;
}

/*
 * Reads a one-number file ("1234" or "max") into *value (CG_MAX for
 * "max"). Returns 0, or -errno; -EINVAL if it holds no number.
 */
static inline int
cg_read_value(const char *path, int64_t *value)
{
	char buf[64], *end;
	ssize_t n = cg_read(path, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (strncmp(buf, "max", 3) == 0) {
		*value = CG_MAX;
		return 0;
	}
	*value = strtoll(buf, &end, 10);
	return end == buf ? -EINVAL : 0;
}

/*
 * The number after "key " in a file of "key N" lines (memory.events,
 * memory.stat) or after "key=" in a PSI line; -1 if there is none.
 */
static inline int64_t
cg_key_value(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = text; *p; p++)
		if ((p == text || p[-1] == '\n' || p[-1] == ' ') && strncmp(p, key, len) == 0 &&
		    (p[len] == ' ' || p[len] == '='))
			return strtoll(p + len + 1, NULL, 10);
	return -1;
}

/* Copies the line of text that starts with prefix (without its newline) into
 * line; returns line, or NULL if there is none. */
static inline char *
cg_line(const char *text, const char *prefix, char *line, size_t size)
{
	size_t len = strlen(prefix), n = 0;

	for (const char *p = text; *p; p++) {
		if ((p != text && p[-1] != '\n') || strncmp(p, prefix, len) != 0)
			continue;
		while (p[n] && p[n] != '\n' && n < size - 1) {
			line[n] = p[n];
			n++;
		}
		line[n] = '\0';
		return line;
	}
	return NULL;
}

#endif
