/*
 * t_writeback - dirty pages, writeback, fsync and shared file mappings
 * behave as on Linux.
 *
 *   t_writeback DIR [--mb N]    the checks below, in directory DIR
 *   t_writeback DIR --mapped    the file a shared mapping wrote in an earlier
 *                               boot is intact (a second boot on the same disk)
 *   t_writeback DIR --crash     writes files, fsyncs some and prints
 *                               "fsynced NAME" for each, then writes on until
 *                               killed (tests/run kills QEMU and checks the disk)
 *   t_writeback DIR --crash-check  on the host: the fsynced files, dumped
 *                               from the image into DIR, are intact
 *
 * The checks: /proc/sys/vm's dirty knobs (Linux's defaults, pagoda only:
 * a host may be tuned); fsync, fdatasync, syncfs and sync (0, and EBADF,
 * EINVAL for a pipe); a file of twice the RAM (or what the disk holds: N
 * MiB with --mb) written while a second process samples /proc/meminfo
 * every 2 ms - Dirty never goes above dirty_ratio of the dirtyable memory
 * - then read back and compared; MAP_SHARED stores reach the file (read(2)
 * after munmap, msync, holes filled at the store) and msync's errors; on
 * pagoda, injected write errors (/proc/fault-injection) give EIO at fsync
 * once per open file description (Linux's errseq rule), then 0; and with
 * the disk full, a store to a hole through a shared mapping is SIGBUS.
 *
 * Runs on the host too (tests/user-host.sh, a smaller file), where every
 * check must pass as well, except those marked pagoda only.
 */
#define _GNU_SOURCE             /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "check.h"
#include "procfs.h"

#define CHUNK (64 * 1024)
#define MAPPED_PAGES 5

static bool on_pagoda;
static char dir[200];

static void
path_of(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

/* The byte at offset off of the test files: a pattern no two nearby pages share. */
static unsigned char
pattern(uint64_t off, unsigned seed)
{
	return (unsigned char)((off / 4096) * 131 + (off % 4096) * 7 + seed);
}

static void
fill(unsigned char *buf, size_t len, uint64_t off, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pattern(off + i, seed);
}

/* How many bytes at off differ from the pattern (0: all equal). */
static size_t
differ(const unsigned char *buf, size_t len, uint64_t off, unsigned seed)
{
	size_t bad = 0;

	for (size_t i = 0; i < len; i++)
		bad += buf[i] != pattern(off + i, seed);
	return bad;
}

static long
read_number(const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

static int
write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = fd >= 0 ? write(fd, text, strlen(text)) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void
check_knobs(void)
{
	static const struct { const char *name; long value; } knobs[] = {
		{ "dirty_background_ratio", 10 }, { "dirty_ratio", 20 },
		{ "dirty_expire_centisecs", 3000 }, { "dirty_writeback_centisecs", 500 },
		{ "dirty_background_bytes", 0 }, { "dirty_bytes", 0 },
	};
	char path[96];

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(path, sizeof(path), "/proc/sys/vm/%s", knobs[i].name);
		long v = read_number(path);
		if (on_pagoda)
			CHECK(knobs[i].name, v == knobs[i].value, "%s is %ld, Linux's default %ld", path, v,
			      knobs[i].value);
		else
			CHECK(knobs[i].name, v >= 0, "%s: %ld", path, v);
	}
	if (!on_pagoda)
		return;
	/* A byte count replaces the ratio and the ratio the byte count, as in Linux. */
	CHECK("dirty_bytes_clears_ratio", write_text("/proc/sys/vm/dirty_bytes", "8388608") == 0 &&
	      read_number("/proc/sys/vm/dirty_ratio") == 0, "dirty_ratio %ld",
	      read_number("/proc/sys/vm/dirty_ratio"));
	CHECK("dirty_ratio_clears_bytes", write_text("/proc/sys/vm/dirty_ratio", "20") == 0 &&
	      read_number("/proc/sys/vm/dirty_bytes") == 0, "dirty_bytes %ld",
	      read_number("/proc/sys/vm/dirty_bytes"));
	CHECK("dirty_bytes_below_two_pages_einval", write_text("/proc/sys/vm/dirty_bytes", "4096") != 0,
	      "accepted");
	CHECK("dirty_ratio_above_100_einval", write_text("/proc/sys/vm/dirty_ratio", "101") != 0,
	      "accepted");
}

static void
check_sync_calls(void)
{
	char path[256];
	int p[2], fd;

	path_of(path, sizeof(path), "synced");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("sync_file_created", fd >= 0, "open %s: %s", path, strerror(errno));
	CHECK("sync_write", write(fd, "hello, disk\n", 12) == 12, "%s", strerror(errno));
	CHECK("fsync_is_0", fsync(fd) == 0, "%s", strerror(errno));
	CHECK("fdatasync_is_0", fdatasync(fd) == 0, "%s", strerror(errno));
	CHECK("syncfs_is_0", syncfs(fd) == 0, "%s", strerror(errno));
	sync();
	close(fd);
	errno = 0;
	CHECK("fsync_bad_fd_ebadf", fsync(fd) == -1 && errno == EBADF, "errno %d", errno);
	errno = 0;
	CHECK("fdatasync_bad_fd_ebadf", fdatasync(-1) == -1 && errno == EBADF, "errno %d", errno);
	errno = 0;
	CHECK("syncfs_bad_fd_ebadf", syncfs(999) == -1 && errno == EBADF, "errno %d", errno);
	CHECK("pipe", pipe(p) == 0, "%s", strerror(errno));
	errno = 0;
	CHECK("fsync_pipe_einval", fsync(p[0]) == -1 && errno == EINVAL, "errno %d", errno);
	close(p[0]);
	close(p[1]);
}

/* Dirty, MemFree and Cached (KiB) from /proc/meminfo. */
static void
meminfo(long *dirty, long *free_kib, long *cached)
{
	char buf[4096];

	proc_load("/proc/meminfo", buf, sizeof(buf));
	*dirty = proc_field(buf, "Dirty");
	*free_kib = proc_field(buf, "MemFree");
	*cached = proc_field(buf, "Cached");
}

/*
 * The sampler: until stop closes, reads /proc/meminfo every 2 ms; Dirty
 * must stay within dirty_ratio of the dirtyable memory. Linux counts free
 * pages plus the file LRU, less a reserve; MemFree + Cached is never less,
 * so the bound here is a little loose. Slack: 64 pages - a writer checks
 * the limit after each page it dirties (Linux: after up to 32 pages, its
 * ratelimit), and another process may dirty a few meanwhile.
 */
static int
sampler(int stop)
{
	long ratio = read_number("/proc/sys/vm/dirty_ratio"), max_dirty = 0, worst_limit = 0;
	long slack = 64 * 4, over = 0, samples = 0;
	char c;

	fcntl(stop, F_SETFL, O_NONBLOCK);
	while (read(stop, &c, 1) < 0 && errno == EAGAIN) {
		long dirty, free_kib, cached;
		meminfo(&dirty, &free_kib, &cached);
		long limit = ratio * (free_kib + cached) / 100 + slack;
		samples++;
		if (dirty > max_dirty) {
			max_dirty = dirty;
			worst_limit = limit;
		}
		over += dirty > limit;
		usleep(2000);
	}
	say("# sampler: %ld samples, highest Dirty %ld kB (limit then %ld kB)\n", samples, max_dirty,
	    worst_limit);
	CHECK("dirty_within_dirty_ratio", over == 0, "%ld samples above the limit, highest Dirty %ld kB",
	      over, max_dirty);
	if (on_pagoda)
		CHECK("dirty_pages_seen", max_dirty > 0, "Dirty was always 0: write(2) wrote through?");
	return check_exit();
}

static uint64_t
big_file_size(long mb)
{
	char buf[4096];
	struct statvfs sv;
	uint64_t want, room;

	if (mb > 0)
		return (uint64_t)mb << 20;
	want = 2 * (uint64_t)proc_field(proc_load("/proc/meminfo", buf, sizeof(buf)), "MemTotal") * 1024;
	want = (want + CHUNK - 1) & ~(uint64_t)(CHUNK - 1);   /* whole chunks: at least twice the RAM */
	if (statvfs(dir, &sv) != 0)
		return want;
	room = (uint64_t)sv.f_bavail * sv.f_frsize / 4 * 3;
	if (room < want) {
		say("# the disk has room for %lu MiB, not twice the RAM (%lu MiB)\n",
		    (unsigned long)(room >> 20), (unsigned long)(want >> 20));
		want = room & ~(uint64_t)(CHUNK - 1);
	}
	return want;
}

static void
check_big_file(long mb)
{
	static unsigned char buf[CHUNK];
	uint64_t size = big_file_size(mb), off, bad = 0;
	long written0 = proc_get("/proc/vmstat", "nr_written");
	char path[256];
	int stop[2], status;
	pid_t pid;

	path_of(path, sizeof(path), "big");
	say("# writing %lu MiB\n", (unsigned long)(size >> 20));
	CHECK("sampler_pipe", pipe(stop) == 0, "%s", strerror(errno));
	pid = fork();
	if (pid == 0) {
		close(stop[1]);
		check_failures = 0;        /* the parent's count so far is the parent's */
		_exit(sampler(stop[0]));
	}
	close(stop[0]);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("big_created", fd >= 0, "open %s: %s", path, strerror(errno));
	for (off = 0; off < size; off += CHUNK) {
		fill(buf, CHUNK, off, 1);
		if (write(fd, buf, CHUNK) != CHUNK)
			break;
	}
	CHECK("big_written", off == size, "stopped at %lu of %lu: %s", (unsigned long)off,
	      (unsigned long)size, strerror(errno));
	close(stop[1]);
	status = -1;
	pid_t got = waitpid(pid, &status, 0);
	CHECK("sampler_passed", got == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "waitpid %d (%s), status 0x%x", (int)got, got < 0 ? strerror(errno) : "-", status);
	for (off = 0; lseek(fd, 0, SEEK_SET) == 0 && off < size; off += CHUNK) {
		if (pread(fd, buf, CHUNK, (off_t)off) != CHUNK) {
			bad++;
			break;
		}
		bad += differ(buf, CHUNK, off, 1);
	}
	CHECK("big_reads_back_equal", bad == 0, "%lu bytes differ", (unsigned long)bad);
	if (on_pagoda)
		CHECK("nr_written_grew", proc_get("/proc/vmstat", "nr_written") > written0,
		      "nr_written %ld -> %ld", written0, proc_get("/proc/vmstat", "nr_written"));
	close(fd);
	CHECK("big_unlinked", unlink(path) == 0, "%s", strerror(errno));
}

/* Maps path shared, stores the pattern (seed) into every page, unmaps. */
static int
store_through_mapping(const char *path, size_t len, unsigned seed, bool use_msync)
{
	int fd = open(path, O_RDWR);
	unsigned char *m = fd < 0 ? MAP_FAILED :
		mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (m == MAP_FAILED) {
		say("# mmap %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fill(m, len, 0, seed);
	if (use_msync && msync(m, len, MS_SYNC) != 0)
		say("# msync: %s\n", strerror(errno));
	munmap(m, len);
	close(fd);
	return 0;
}

static size_t
file_differs(const char *path, size_t len, unsigned seed)
{
	static unsigned char buf[MAPPED_PAGES * 4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len) : -1;

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len ? differ(buf, len, 0, seed) : len + 1;
}

static void
check_msync_errors(const char *path)
{
	int fd = open(path, O_RDWR);
	char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	CHECK("msync_map", m != MAP_FAILED, "%s", strerror(errno));
	if (m == MAP_FAILED)
		return;
	m[1] = 'x';
	CHECK("msync_async_is_0", msync(m, 4096, MS_ASYNC) == 0, "%s", strerror(errno));
	CHECK("msync_invalidate_is_0", msync(m, 4096, MS_INVALIDATE) == 0, "%s", strerror(errno));
	errno = 0;
	CHECK("msync_unaligned_einval", msync(m + 1, 4096, MS_SYNC) == -1 && errno == EINVAL,
	      "errno %d", errno);
	errno = 0;
	CHECK("msync_sync_and_async_einval", msync(m, 4096, MS_SYNC | MS_ASYNC) == -1 &&
	      errno == EINVAL, "errno %d", errno);
	errno = 0;
	CHECK("msync_bad_flag_einval", msync(m, 4096, 0x100) == -1 && errno == EINVAL, "errno %d",
	      errno);
	munmap(m, 2 * 4096);
	errno = 0;
	CHECK("msync_unmapped_enomem", msync(m, 4096, MS_SYNC) == -1 && errno == ENOMEM, "errno %d",
	      errno);
	close(fd);
}

/* MAP_SHARED stores reach the file: one file written first, one with holes (ftruncate). */
static void
check_shared_mapping(void)
{
	size_t len = MAPPED_PAGES * 4096;
	static unsigned char zeros[MAPPED_PAGES * 4096];
	char path[256], holes[256];
	int fd;

	path_of(path, sizeof(path), "mapped");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("mapped_written_first", fd >= 0 && write(fd, zeros, len) == (ssize_t)len, "%s",
	      strerror(errno));
	close(fd);
	CHECK("mapped_stores", store_through_mapping(path, len, 7, false) == 0, "mmap failed");
	CHECK("mapped_stores_read_back", file_differs(path, len, 7) == 0, "%zu bytes differ",
	      file_differs(path, len, 7));
	CHECK("mapped_msync_sync", store_through_mapping(path, len, 9, true) == 0, "mmap failed");
	CHECK("mapped_msync_read_back", file_differs(path, len, 9) == 0, "%zu bytes differ",
	      file_differs(path, len, 9));

	path_of(holes, sizeof(holes), "holes");
	fd = open(holes, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("holes_truncated", fd >= 0 && ftruncate(fd, (off_t)len) == 0, "%s", strerror(errno));
	close(fd);
	CHECK("holes_stores", store_through_mapping(holes, len, 3, false) == 0, "mmap failed");
	sync();
	CHECK("holes_read_back", file_differs(holes, len, 3) == 0, "%zu bytes differ",
	      file_differs(holes, len, 3));
	struct stat st;
	CHECK("holes_filled", stat(holes, &st) == 0 && st.st_blocks * 512 >= (long)len,
	      "%ld blocks of 512 bytes", (long)st.st_blocks);
	check_msync_errors(holes);
	unlink(holes);
	/* "mapped" stays, with seed 9: the second boot checks it (--mapped). */
	sync();
}

/* A child's store into the first page of a shared mapping of path (it should die of SIGBUS). */
static int
store_first_page(void *arg)
{
	int fd = open(arg, O_RDWR);
	volatile char *m = fd < 0 ? MAP_FAILED :
		mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	if (m == MAP_FAILED)
		return 2;
	m[0] = 'x';                   /* page_mkwrite finds no block: SIGBUS */
	return 0;
}

/*
 * With the disk full, the first store to a hole through a shared mapping
 * has no block to go to: SIGBUS, as Linux's block_page_mkwrite gives
 * (pagoda only: filling the host's disk is not a test's business). The
 * file with the hole is made before the disk is filled.
 */
static void
check_full_disk_store(void)
{
	static unsigned char buf[CHUNK];
	char holes[256], fill[256];
	uint64_t filled = 0;
	ssize_t n;
	int fd;

	if (!on_pagoda)
		return;
	path_of(holes, sizeof(holes), "hole-full");
	path_of(fill, sizeof(fill), "fill");
	fd = open(holes, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("full_hole_file", fd >= 0 && ftruncate(fd, 4096) == 0, "%s", strerror(errno));
	close(fd);
	fd = open(fill, O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(buf, 0x5a, sizeof(buf));
	while (fd >= 0 && (n = write(fd, buf, sizeof(buf))) > 0)
		filled += (uint64_t)n;
	CHECK("full_disk_enospc", errno == ENOSPC, "the fill stopped after %lu bytes: %s",
	      (unsigned long)filled, strerror(errno));
	say("# filled the disk with %lu MiB\n", (unsigned long)(filled >> 20));
	int status = run_in_child(store_first_page, holes);
	CHECK("full_disk_store_sigbus", WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS,
	      "the child's status is 0x%x", status);
	close(fd);
	CHECK("full_disk_freed", unlink(fill) == 0 && unlink(holes) == 0, "%s", strerror(errno));
}

/* The root file system's device, from /proc/mounts ("/dev/vda1 / ext2 ..."). */
static bool
root_device(char *name, size_t size)
{
	char buf[2048], dev[64], mnt[64];

	proc_load("/proc/mounts", buf, sizeof(buf));
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (sscanf(line, "%63s %63s", dev, mnt) == 2 && strcmp(mnt, "/") == 0 &&
		    strncmp(dev, "/dev/", 5) == 0) {
			snprintf(name, size, "%s", dev + 5);
			return true;
		}
	return false;
}

/* Root disk writes fail (on) or not (off), through /proc/fault-injection. */
static bool
inject_write_errors(const char *dev, bool on)
{
	char text[80];

	snprintf(text, sizeof(text), "%s %s", dev, on ? "write" : "0");
	return write_text("/proc/fault-injection/fail_make_request/probability", on ? "100" : "0") == 0 &&
	       write_text("/proc/fault-injection/fail_make_request/times", "-1") == 0 &&
	       write_text("/proc/fault-injection/fail_make_request/verbose", "0") == 0 &&
	       write_text("/proc/fault-injection/make-it-fail", text) == 0;
}

/*
 * Linux's errseq rule (pagoda only: the host has no injection here):
 * a writeback error makes fsync fail with EIO once in each open file
 * description that was open when it happened; the next fsync says 0; a
 * description opened after someone saw the error does not see it.
 */
static void
check_write_errors(void)
{
	static unsigned char buf[8192];
	char path[256], dev[64];
	int a, b, c;

	if (!on_pagoda || !root_device(dev, sizeof(dev))) {
		say("# write errors: pagoda only (fault injection)\n");
		return;
	}
	path_of(path, sizeof(path), "eio");
	a = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	b = open(path, O_RDWR);
	fill(buf, sizeof(buf), 0, 5);
	CHECK("eio_write", write(a, buf, sizeof(buf)) == (ssize_t)sizeof(buf), "%s", strerror(errno));
	CHECK("eio_injection_on", inject_write_errors(dev, true), "cannot arm fail_make_request");
	errno = 0;
	CHECK("eio_fsync_fails", fsync(a) == -1 && errno == EIO, "fsync: %d, errno %d", -1, errno);
	inject_write_errors(dev, false);
	CHECK("eio_second_fsync_is_0", fsync(a) == 0, "%s", strerror(errno));
	errno = 0;
	CHECK("eio_other_description_sees_it", fsync(b) == -1 && errno == EIO, "errno %d", errno);
	CHECK("eio_other_description_once", fsync(b) == 0, "%s", strerror(errno));
	c = open(path, O_RDWR);
	CHECK("eio_new_description_clean", fsync(c) == 0, "%s", strerror(errno));
	CHECK("eio_data_still_readable", pread(c, buf, sizeof(buf), 0) == (ssize_t)sizeof(buf) &&
	      differ(buf, sizeof(buf), 0, 5) == 0, "read back differs");
	close(a);
	close(b);
	close(c);
	unlink(path);
}

/* The file the first boot's mapping wrote (check_shared_mapping) is on the disk. */
static int
check_mapped_after_reboot(void)
{
	char path[256];

	path_of(path, sizeof(path), "mapped");
	CHECK("mapped_survives_reboot", file_differs(path, MAPPED_PAGES * 4096, 9) == 0,
	      "%zu bytes differ", file_differs(path, MAPPED_PAGES * 4096, 9));
	return check_exit();
}

/*
 * The crash test's writer: crash-N files of 256 KiB; the even ones are
 * fsynced and announced, the odd ones only written; forever, until QEMU
 * is killed. Never returns.
 */
static void
crash_writer(void)
{
	static unsigned char buf[CHUNK];
	char path[256];

	for (unsigned n = 0;; n = (n + 1) % 64) {
		path_of(path, sizeof(path), "crash-");
		snprintf(path + strlen(path), 8, "%u", n);
		int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		for (uint64_t off = 0; fd >= 0 && off < 4 * CHUNK; off += CHUNK) {
			fill(buf, CHUNK, off, n);
			if (write(fd, buf, CHUNK) != CHUNK)
				break;
		}
		if (fd >= 0 && n % 2 == 0 && n < 16 && fsync(fd) == 0)
			say("fsynced %s\n", path);
		if (fd >= 0)
			close(fd);
		if (n >= 16 && n % 2 == 0)
			n = 15;        /* the fsynced files stay as they are from now on */
	}
}

/*
 * On the host, after the crash: the fsynced files (all announced before
 * the kill) as debugfs dumped them into DIR are there and intact.
 */
static int
check_crash_survivors(void)
{
	static unsigned char buf[4 * CHUNK];
	char path[256];

	for (unsigned n = 0; n < 16; n += 2) {
		path_of(path, sizeof(path), "crash-");
		snprintf(path + strlen(path), 8, "%u", n);
		int fd = open(path, O_RDONLY);
		ssize_t got = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
		if (fd >= 0)
			close(fd);
		CHECK(path + strlen(dir) + 1, got == (ssize_t)sizeof(buf) &&
		      differ(buf, sizeof(buf), 0, n) == 0, "%zd bytes read, content differs", got);
	}
	return check_exit();
}

int
main(int argc, char **argv)
{
	long mb = 0;

	on_pagoda = access("/proc/memsnap", F_OK) == 0;
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "/wb");
	mkdir(dir, 0755);
	if (argc > 2 && strcmp(argv[2], "--mapped") == 0)
		return check_mapped_after_reboot();
	if (argc > 2 && strcmp(argv[2], "--crash") == 0)
		crash_writer();
	if (argc > 2 && strcmp(argv[2], "--crash-check") == 0)
		return check_crash_survivors();
	if (argc > 3 && strcmp(argv[2], "--mb") == 0)
		mb = atol(argv[3]);
	check_knobs();
	check_sync_calls();
	check_shared_mapping();
	check_write_errors();
	check_big_file(mb);
	check_full_disk_store();
	return check_exit();
}
