/*
 * t_files - reading files and directories, compared with the host.
 *
 * t_files [DIR] (default /test, the test tree tools/mkrootfs.sh puts on
 * the root disk). Prints, for every file DIR/size_*, a line
 *     hash NAME SIZE WHOLE CHUNKED SEEKED
 * with an FNV-1a hash of its bytes read three ways: in one read, in odd
 * 1000-byte chunks, and backwards through lseek in 4097-byte steps. Then
 * the sorted listing of DIR/dir. tests/run runs the same program on the
 * host over the tree the disk was made from: the outputs must be equal.
 * It also checks errors (ENOENT, ENOTDIR, EISDIR, EROFS), stat, chdir and
 * getcwd, with ok/not ok lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#include "check.h"

static uint64_t
fnv(uint64_t h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

#define FNV_START 0xcbf29ce484222325ULL

static char buf[4 << 20];

static uint64_t
hash_whole(int fd, off_t size)
{
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, buf, sizeof(buf));
	return n == size ? fnv(FNV_START, (unsigned char *)buf, (size_t)n) : 0;
}

static uint64_t
hash_chunked(int fd)
{
	uint64_t h = FNV_START;
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, 1000)) > 0)
		h = fnv(h, (unsigned char *)buf, (size_t)n);
	return n == 0 ? h : 0;
}

/* Reads the file back to front in 4097-byte pieces, then hashes in order. */
static uint64_t
hash_seeked(int fd, off_t size)
{
	static char whole[4 << 20];

	for (off_t end = size; end > 0;) {
		off_t start = end > 4097 ? end - 4097 : 0;
		if (lseek(fd, start, SEEK_SET) != start ||
		    read(fd, whole + start, (size_t)(end - start)) != end - start)
			return 0;
		end = start;
	}
	return fnv(FNV_START, (unsigned char *)whole, (size_t)size);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list_sorted(const char *dir)
{
	char *names[256];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		CHECK("opendir", 0, "opendir %s: %s", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL && n < 256)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		say("entry %s\n", names[i]);
		free(names[i]);
	}
}

static int
open_errno(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	return errno;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/test";
	char path[512], cwd[512];
	struct stat st;
	char *names[64];
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL && n < 64)
		if (strncmp(e->d_name, "size_", 5) == 0)
			names[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), by_name);
	CHECK("found_test_files", n >= 10, "only %d size_* files in %s", n, dir);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		int fd = open(path, O_RDONLY);
		if (fd < 0 || fstat(fd, &st) != 0) {
			CHECK(names[i], 0, "open/fstat: %s", strerror(errno));
			continue;
		}
		say("hash %s %ld %016llx %016llx %016llx\n", names[i], (long)st.st_size,
		    (unsigned long long)hash_whole(fd, st.st_size), (unsigned long long)hash_chunked(fd),
		    (unsigned long long)hash_seeked(fd, st.st_size));
		close(fd);
		free(names[i]);
	}
	snprintf(path, sizeof(path), "%s/dir", dir);
	list_sorted(path);

	snprintf(path, sizeof(path), "%s/no_such_file", dir);
	CHECK("missing_file_enoent", open_errno(path, O_RDONLY) == ENOENT, "got %d", open_errno(path, O_RDONLY));
	snprintf(path, sizeof(path), "%s/size_1/x", dir);
	CHECK("path_through_file_enotdir", open_errno(path, O_RDONLY) == ENOTDIR, "got %d",
	      open_errno(path, O_RDONLY));
	snprintf(path, sizeof(path), "%s/dir", dir);
	CHECK("read_of_directory_eisdir", ({
		int fd = open(path, O_RDONLY);
		char c;
		int r = fd >= 0 && read(fd, &c, 1) < 0 && errno == EISDIR;
		if (fd >= 0)
			close(fd);
		r;
	}), "read() of a directory did not fail with EISDIR");
	snprintf(path, sizeof(path), "%s/dir/hello.txt", dir);
	CHECK("stat_size", stat(path, &st) == 0 && st.st_size == 16 && S_ISREG(st.st_mode),
	      "stat of hello.txt");
	snprintf(path, sizeof(path), "%s/dir/sub", dir);
	CHECK("chdir_into_subdir", chdir(path) == 0, "chdir %s: %s", path, strerror(errno));
	CHECK("relative_open_after_chdir", open_errno("deep.txt", O_RDONLY) == 0, "deep.txt");
	CHECK("dotdot_lookup", open_errno("../hello.txt", O_RDONLY) == 0, "../hello.txt");
	CHECK("getcwd_ends_in_sub", getcwd(cwd, sizeof(cwd)) && strlen(cwd) >= 8 &&
	      strcmp(cwd + strlen(cwd) - 8, "/dir/sub") == 0, "getcwd says %s", cwd);
	CHECK("chdir_dotdot", chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) &&
	      strcmp(cwd + strlen(cwd) - 4, "/dir") == 0, "getcwd after .. says %s", cwd);
	CHECK("chdir_to_file_enotdir", chdir("hello.txt") == -1 && errno == ENOTDIR, "errno %d", errno);
	return check_exit();
}
