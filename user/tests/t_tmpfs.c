/*
 * t_tmpfs - files in memory (kernel/fs/tmpfs.c on mm/shmem.c): /tmp as
 * test harnesses use it, memfd_create, a size-limited mount, and a file
 * bigger than RAM.
 *
 * Usage: t_tmpfs [--swap MIB]
 *   Everything happens in a directory mkdtemp() makes in /tmp, with a
 *   tmpfs of 64 KiB mounted on a directory inside it (so the host needs
 *   root, as mount(2) does). --swap MIB (pagoda, booted with little RAM)
 *   also writes a MIB-MiB file into a tmpfs mounted with size= larger
 *   than RAM: /proc/meminfo's SwapFree must fall while it exists (its
 *   pages went to swap), every byte must read back, and after unlink
 *   SwapFree and Shmem come back.
 *
 * The checks hold on Linux too: short write then ENOSPC at the size
 * limit, an unlinked open file keeping its data, EBUSY for umount while a
 * file is open, MAP_SHARED mappings and read/write seeing the same bytes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procfs.h"

static char dir[64];

static const char *
in_dir(const char *name)
{
	static char path[4][128];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* The byte at offset i of a file written by fill(): differs at every offset, never 0. */
static unsigned char
pattern(uint64_t i, int seed)
{
	return (unsigned char)((i * 2654435761u >> 13) + (uint64_t)seed) | 1;
}

static void
fill(unsigned char *buf, size_t len, uint64_t off, int seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(off + i, seed);
}

/* /proc/meminfo's value of name, in kB; -1 if missing. */
static long
meminfo(const char *name)
{
	return proc_get("/proc/meminfo", name);
}

static void
check_files(void)
{
	unsigned char buf[8192], back[8192];
	struct stat st;
	int fd;

	fill(buf, sizeof(buf), 0, 1);
	fd = open(in_dir("a"), O_CREAT | O_WRONLY | O_TRUNC, 0644);
	CHECK("create_and_write", fd >= 0 && write(fd, buf, sizeof(buf)) == sizeof(buf),
	      "%s", strerror(errno));
	close(fd);
	fd = open(in_dir("a"), O_RDONLY);
	CHECK("read_back", fd >= 0 && read(fd, back, sizeof(back)) == sizeof(back) &&
	      memcmp(buf, back, sizeof(buf)) == 0, "%s", strerror(errno));
	close(fd);
	CHECK("stat_size", stat(in_dir("a"), &st) == 0 && st.st_size == sizeof(buf) && S_ISREG(st.st_mode),
	      "size %lld", (long long)st.st_size);
	CHECK("mtime_is_now", llabs((long long)st.st_mtime - (long long)time(NULL)) <= 5,
	      "mtime %lld, now %lld", (long long)st.st_mtime, (long long)time(NULL));
	CHECK("chmod_sets_mode", chmod(in_dir("a"), 0600) == 0 && stat(in_dir("a"), &st) == 0 &&
	      (st.st_mode & 07777) == 0600, "mode %o (%s)", st.st_mode, strerror(errno));
	fd = open(in_dir("a"), O_WRONLY | O_APPEND);
	CHECK("append", fd >= 0 && write(fd, "xyz", 3) == 3 && fstat(fd, &st) == 0 &&
	      st.st_size == sizeof(buf) + 3, "size %lld", (long long)st.st_size);
	close(fd);
	fd = open(in_dir("a"), O_WRONLY | O_TRUNC);
	CHECK("o_trunc_empties", fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0,
	      "size %lld", (long long)st.st_size);
	close(fd);
	errno = 0;
	CHECK("o_excl_on_existing_is_eexist", open(in_dir("a"), O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 &&
	      errno == EEXIST, "%s", strerror(errno));
	errno = 0;
	CHECK("create_in_missing_dir_is_enoent", open(in_dir("no/such"), O_CREAT | O_WRONLY, 0644) == -1 &&
	      errno == ENOENT, "%s", strerror(errno));
	unlink(in_dir("a"));
}

static void
check_unlink_while_open(void)
{
	char back[6] = "";
	struct stat st;
	int fd = open(in_dir("u"), O_CREAT | O_RDWR, 0644);

	write(fd, "kept!", 5);
	CHECK("unlink_open_file", unlink(in_dir("u")) == 0 && stat(in_dir("u"), &st) == -1 && errno == ENOENT,
	      "%s", strerror(errno));
	CHECK("unlinked_file_keeps_data", pread(fd, back, 5, 0) == 5 && strcmp(back, "kept!") == 0 &&
	      fstat(fd, &st) == 0 && st.st_nlink == 0, "read \"%s\", nlink %ld", back, (long)st.st_nlink);
	close(fd);
}

static void
check_directories(void)
{
	DIR *d;
	struct dirent *e;
	int seen = 0;

	CHECK("mkdir", mkdir(in_dir("d"), 0755) == 0, "%s", strerror(errno));
	close(open(in_dir("d/f1"), O_CREAT | O_WRONLY, 0644));
	close(open(in_dir("d/f2"), O_CREAT | O_WRONLY, 0644));
	errno = 0;
	CHECK("mkdir_existing_is_eexist", mkdir(in_dir("d"), 0755) == -1 && errno == EEXIST, "%s", strerror(errno));
	errno = 0;
	CHECK("rmdir_not_empty_is_enotempty", rmdir(in_dir("d")) == -1 && errno == ENOTEMPTY,
	      "%s", strerror(errno));
	errno = 0;
	CHECK("unlink_dir_is_eisdir", unlink(in_dir("d")) == -1 && errno == EISDIR, "%s", strerror(errno));
	errno = 0;
	CHECK("rmdir_file_is_enotdir", rmdir(in_dir("d/f1")) == -1 && errno == ENOTDIR, "%s", strerror(errno));
	d = opendir(in_dir("d"));
	while (d && (e = readdir(d)) != NULL)
		seen |= (strcmp(e->d_name, "f1") == 0) | (strcmp(e->d_name, "f2") == 0) << 1 |
			(strcmp(e->d_name, "..") == 0) << 2;
	if (d)
		closedir(d);
	CHECK("readdir_lists_entries", seen == 7, "seen %#x", seen);
	unlink(in_dir("d/f1"));
	unlink(in_dir("d/f2"));
	CHECK("rmdir_empty", rmdir(in_dir("d")) == 0, "%s", strerror(errno));
}

/* A MAP_SHARED mapping and read/write see the same bytes, across fork too. */
static void
check_shared_mapping(void)
{
	int fd = open(in_dir("m"), O_CREAT | O_RDWR | O_TRUNC, 0644);
	char buf[16] = "";
	char *p;
	int status;

	ftruncate(fd, 8192);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap_shared_file", p != MAP_FAILED, "%s", strerror(errno));
	if (p == MAP_FAILED)
		return;
	memcpy(p + 4096, "via map", 8);
	CHECK("read_sees_mapping", pread(fd, buf, 8, 4096) == 8 && strcmp(buf, "via map") == 0, "\"%s\"", buf);
	pwrite(fd, "via write", 10, 100);
	CHECK("mapping_sees_write", strcmp(p + 100, "via write") == 0, "\"%s\"", p + 100);
	if (fork() == 0) {
		memcpy(p, "child", 6);
		_exit(0);
	}
	wait(&status);
	CHECK("child_writes_reach_the_file", pread(fd, buf, 6, 0) == 6 && strcmp(buf, "child") == 0,
	      "\"%s\"", buf);
	munmap(p, 8192);
	close(fd);
	unlink(in_dir("m"));
}

/* /proc/self/maps has a line containing text. */
static int
maps_has(const char *text)
{
	static char buf[16384];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/* memfd_create: a tmpfs file without a name, shared with a child through a mapping. */
static void
check_memfd(void)
{
	char name[300], buf[8] = "";
	int fd = memfd_create("t_tmpfs", MFD_CLOEXEC), status;
	char *p;

	CHECK("memfd_create", fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC), "%s", strerror(errno));
	CHECK("memfd_write_truncate", write(fd, "memfd", 6) == 6 && ftruncate(fd, 8192) == 0,
	      "%s", strerror(errno));
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("memfd_mmap_shared", p != MAP_FAILED && strcmp(p, "memfd") == 0 &&
	      maps_has("/memfd:t_tmpfs (deleted)"), "%s", strerror(errno));
	if (p != MAP_FAILED) {
		if (fork() == 0) {
			memcpy(p + 4096, "child", 6);
			_exit(0);
		}
		wait(&status);
		CHECK("memfd_child_writes_seen", pread(fd, buf, 6, 4096) == 6 && strcmp(buf, "child") == 0,
		      "\"%s\"", buf);
		munmap(p, 8192);
	}
	close(fd);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	errno = 0;
	CHECK("memfd_long_name_is_einval", memfd_create(name, 0) == -1 && errno == EINVAL, "%s", strerror(errno));
	errno = 0;
	CHECK("memfd_bad_flags_is_einval", memfd_create("x", 0x100) == -1 && errno == EINVAL,
	      "%s", strerror(errno));
}

/* A 64 KiB tmpfs: a write past it writes what fits, then ENOSPC; nothing written is lost. */
static void
check_size_limit(void)
{
	static unsigned char buf[100 * 1024], back[64 * 1024];
	const char *mnt = in_dir("small"), *file = in_dir("small/f");
	int fd;
	ssize_t n;

	mkdir(mnt, 0755);
	CHECK("mount_tmpfs_size_64k", mount("none", mnt, "tmpfs", 0, "size=64k") == 0, "%s", strerror(errno));
	fill(buf, sizeof(buf), 0, 2);
	fd = open(file, O_CREAT | O_RDWR, 0644);
	n = write(fd, buf, sizeof(buf));
	CHECK("write_past_size_is_short", n == 64 * 1024, "wrote %zd", n);
	errno = 0;
	CHECK("then_enospc", write(fd, buf, 1) == -1 && errno == ENOSPC, "%s", strerror(errno));
	CHECK("what_fit_is_intact", pread(fd, back, sizeof(back), 0) == sizeof(back) &&
	      memcmp(buf, back, sizeof(back)) == 0, "differs");
	errno = 0;
	CHECK("umount_with_open_file_is_ebusy", umount(mnt) == -1 && errno == EBUSY, "%s", strerror(errno));
	close(fd);
	unlink(file);
	fd = open(file, O_CREAT | O_RDWR, 0644);
	CHECK("space_back_after_unlink", write(fd, buf, 64 * 1024) == 64 * 1024, "%s", strerror(errno));
	close(fd);
	CHECK("umount", umount(mnt) == 0, "%s", strerror(errno));
	rmdir(mnt);
}

/* A file bigger than RAM in a tmpfs that allows it: it must go to swap and come back whole. */
static void
check_bigger_than_ram(long mib)
{
	static unsigned char buf[65536], back[65536];
	const char *mnt = in_dir("big"), *file = in_dir("big/f");
	long swap0 = meminfo("SwapFree"), shmem0 = meminfo("Shmem"), swap_mid, shmem_mid;
	uint64_t size = (uint64_t)mib << 20, bad = 0;
	char opt[32];
	int fd;

	snprintf(opt, sizeof(opt), "size=%ldm", mib + 1);
	mkdir(mnt, 0755);
	CHECK("mount_bigger_than_ram", mount("none", mnt, "tmpfs", 0, opt) == 0, "%s", strerror(errno));
	fd = open(file, O_CREAT | O_RDWR, 0644);
	for (uint64_t off = 0; off < size; off += sizeof(buf)) {
		fill(buf, sizeof(buf), off, 3);
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			bad++;
	}
	CHECK("big_file_written", bad == 0, "%lu short writes (%s)", (unsigned long)bad, strerror(errno));
	swap_mid = meminfo("SwapFree");
	shmem_mid = meminfo("Shmem");
	CHECK("big_file_went_to_swap", swap_mid < swap0 - mib * 1024 / 4,
	      "SwapFree %ld kB before, %ld kB with the file", swap0, swap_mid);
	for (uint64_t off = 0; off < size; off += sizeof(buf)) {
		fill(buf, sizeof(buf), off, 3);
		if (pread(fd, back, sizeof(back), (off_t)off) != sizeof(back) || memcmp(buf, back, sizeof(buf)))
			bad++;
	}
	CHECK("big_file_reads_back", bad == 0, "%lu of %ld chunks differ", (unsigned long)bad, mib * 16);
	close(fd);
	unlink(file);
	CHECK("swap_back_after_unlink", meminfo("SwapFree") >= swap0 - 1024,
	      "SwapFree %ld kB before, %ld kB after", swap0, meminfo("SwapFree"));
	CHECK("shmem_back_after_unlink", meminfo("Shmem") <= shmem0 + 64 && shmem_mid > shmem0,
	      "Shmem %ld kB before, %ld kB with the file, %ld kB after", shmem0, shmem_mid, meminfo("Shmem"));
	CHECK("umount_big", umount(mnt) == 0, "%s", strerror(errno));
	rmdir(mnt);
}

int
main(int argc, char **argv)
{
	strcpy(dir, "/tmp/t_tmpfs.XXXXXX");
	CHECK("mkdtemp_in_tmp", mkdtemp(dir) != NULL, "%s", strerror(errno));
	check_files();
	check_unlink_while_open();
	check_directories();
	check_shared_mapping();
	check_memfd();
	check_size_limit();
	if (argc > 2 && strcmp(argv[1], "--swap") == 0)
		check_bigger_than_ram(atol(argv[2]));
	CHECK("rmdir_the_temporary_dir", rmdir(dir) == 0, "%s", strerror(errno));
	return check_exit();
}
