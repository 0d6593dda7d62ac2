/*
 * t_swapon - swap areas at run time: swapon(2), swapoff(2), /proc/swaps.
 *
 * On pagoda (booted with its swap disk as the boot area, /swapfile and
 * /swapfile.holes on the root: tools/mkswapfile.sh), as init or from a shell:
 *   - the error codes: ENOENT, EINVAL (flags, a directory, a file without
 *     the signature, a swap file with holes), EBUSY (twice on, the root
 *     disk), EINVAL for swapoff of what is not an area; EPERM never
 *     happens here: every process is root on pagoda;
 *   - /proc/swaps in Linux's format, with priorities: automatic ones
 *     (-2, -3, ...) and SWAP_FLAG_PREFER's; a higher one is used first;
 *   - a workload of 3x RAM spread over two areas of equal priority (each
 *     area's Used > 0, about half each: they take turns); swapoff of one
 *     while it holds them fails with ENOMEM (the rest of memory cannot
 *     hold its pages) and every page is still right; ENOMEM in the middle
 *     of the walk (fail_page_alloc makes one frame allocation fail): the
 *     area stays, every page right, and a second swapoff completes;
 *   - a workload of 2x RAM; swapoff of one area while it reads its pages
 *     again and again: it completes, every page right;
 *   - free swap and free memory back where they were.
 * On Linux (tests/user-host.sh) the same calls with paths of the host:
 * only error paths that change nothing (ENOENT, EINVAL for flags and for
 * a file without the signature, swapoff of a non-area), or EPERM for all
 * of them without CAP_SYS_ADMIN ("# skip" for the others).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procfs.h"

#define SWAPFILE     "/swapfile"
#define SWAPHOLES    "/swapfile.holes"
#define MAX_AREAS    8
#define PAGE         4096UL

static bool on_pagoda;

/* One line of /proc/swaps. */
struct area_line {
	char name[128], type[16];
	long size, used, prio;
};

/*
 * Reads /proc/swaps into lines[] (at most MAX_AREAS); returns how many, or
 * -1 if its header is not Linux's. The header's exact text is checked once.
 */
static int
read_swaps(struct area_line *lines)
{
	static char buf[4096];
	const char *header = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
	char *p;
	int n = 0;

	proc_load("/proc/swaps", buf, sizeof(buf));
	if (strncmp(buf, header, strlen(header)) != 0)
		return -1;
	for (p = buf + strlen(header); *p && n < MAX_AREAS; n++) {
		struct area_line *l = &lines[n];
		if (sscanf(p, "%127s %15s %ld %ld %ld", l->name, l->type, &l->size, &l->used, &l->prio) != 5)
			return -1;
		char *nl = strchr(p, '\n');
		p = nl ? nl + 1 : p + strlen(p);
	}
	return n;
}

/* The line of /proc/swaps for name, or NULL. */
static struct area_line *
find_line(struct area_line *lines, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(lines[i].name, name) == 0)
			return &lines[i];
	return NULL;
}

/* errno of a call that should fail, 0 if it succeeded. */
static int
err_of(int r)
{
	return r == 0 ? 0 : errno;
}

/* ---- Error codes, on both systems ---- */

/* A regular file without the swap signature: a program on pagoda (its root is read-only), one of ours on the host. */
static const char *
plain_file(void)
{
	static char path[64] = "/tmp/t_swapon.plain";
	int fd;

	if (on_pagoda)
		return "/bin/hello";
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	if (fd >= 0) {
		static char junk[2 * 4096];
		memset(junk, 'x', sizeof(junk));
		(void)!write(fd, junk, sizeof(junk));
		close(fd);
	}
	return path;
}

static void
check_errors_anywhere(void)
{
	const char *plain = plain_file();
	int e = err_of(swapon("/no/such/swap", 0));

	if (!on_pagoda && e == EPERM) {
		say("ok swapon_eperm_without_cap_sys_admin # skip the other error checks: not root\n");
		CHECK("swapoff_eperm_without_cap_sys_admin", err_of(swapoff("/no/such/swap")) == EPERM,
		      "errno %d", errno);
		if (!on_pagoda)
			unlink(plain);
		return;
	}
	CHECK("swapon_missing_is_enoent", e == ENOENT, "errno %d", e);
	e = err_of(swapon(plain, 0x100000));
	CHECK("swapon_unknown_flag_is_einval", e == EINVAL, "errno %d", e);
	e = err_of(swapon(plain, 0));
	CHECK("swapon_no_signature_is_einval", e == EINVAL, "errno %d", e);
	e = err_of(swapoff("/no/such/swap"));
	CHECK("swapoff_missing_is_enoent", e == ENOENT, "errno %d", e);
	e = err_of(swapoff(plain));
	CHECK("swapoff_of_no_area_is_einval", e == EINVAL, "errno %d", e);
	if (!on_pagoda)
		unlink(plain);
}

/* pagoda only: what the host's own disks would make dangerous to try. */
/*
 * An active swap file's blocks are swap I/O's: write(2) and truncate are
 * ETXTBSY, as Linux (IS_SWAPFILE); opening it and reading it are fine.
 */
static void
check_swapfile_busy(void)
{
	char c;
	int fd = open(SWAPFILE, O_RDWR);

	CHECK("open_active_swapfile_rdwr", fd >= 0, "errno %d", errno);
	if (fd < 0)
		return;
	CHECK("read_active_swapfile", read(fd, &c, 1) == 1, "errno %d", errno);
	errno = 0;
	CHECK("write_active_swapfile_is_etxtbsy", pwrite(fd, "x", 1, 0) == -1 && errno == ETXTBSY,
	      "errno %d", errno);
	errno = 0;
	CHECK("truncate_active_swapfile_is_etxtbsy",
	      ftruncate(fd, 4096) == -1 && errno == ETXTBSY, "errno %d", errno);
	close(fd);
}

static void
check_errors_pagoda(const char *bootdev)
{
	int e = err_of(swapon("/proc", 0));

	CHECK("swapon_directory_is_einval", e == EINVAL, "errno %d", e);
	e = err_of(swapon(SWAPHOLES, 0));
	CHECK("swapon_file_with_holes_is_einval", e == EINVAL, "errno %d", e);
	e = err_of(swapon(bootdev, 0));
	CHECK("swapon_area_in_use_is_ebusy", e == EBUSY, "%s: errno %d", bootdev, e);
	e = err_of(swapon(access("/dev/vda1", F_OK) == 0 ? "/dev/vda1" : "/dev/hda1", 0));
	CHECK("swapon_mounted_root_is_ebusy", e == EBUSY, "errno %d", e);
	e = err_of(swapon(SWAPFILE, 0));
	CHECK("swapon_swapfile", e == 0, "errno %d", e);
	e = err_of(swapon(SWAPFILE, 0));
	CHECK("swapon_swapfile_twice_is_ebusy", e == EBUSY, "errno %d", e);
	check_swapfile_busy();
	e = err_of(swapoff(SWAPFILE));
	CHECK("swapoff_swapfile", e == 0, "errno %d", e);
	e = err_of(swapoff(SWAPFILE));
	CHECK("swapoff_twice_is_einval", e == EINVAL, "errno %d", e);
}

/* ---- /proc/swaps and priorities (pagoda) ---- */

/*
 * The boot area is line 1, priority -2 (Linux's first automatic one); a
 * swapon without flags gets -3; a swapoff of the boot area moves it up to
 * -2; SWAP_FLAG_PREFER sets one.
 */
static void
check_priorities(const char *bootdev)
{
	struct area_line l[MAX_AREAS], *f, *b;
	int n = read_swaps(l), e;

	CHECK("proc_swaps_header_and_boot_area", n == 1 && strcmp(l[0].type, "partition") == 0 &&
	      l[0].prio == -2 && l[0].used == 0, "%d lines, %s %s prio %ld used %ld", n,
	      n > 0 ? l[0].name : "-", n > 0 ? l[0].type : "-", n > 0 ? l[0].prio : 0, n > 0 ? l[0].used : 0);
	swapon(SWAPFILE, 0);
	n = read_swaps(l);
	f = find_line(l, n, SWAPFILE);
	CHECK("automatic_priorities_go_down", f && f->prio == -3 && strcmp(f->type, "file") == 0 &&
	      f->size > 60 * 1024 && f->size < 64 * 1024,
	      "%s prio %ld size %ld", f ? f->type : "no line", f ? f->prio : 0, f ? f->size : 0);
	e = err_of(swapoff(bootdev));
	CHECK("swapoff_boot_area", e == 0, "errno %d", e);
	n = read_swaps(l);
	f = find_line(l, n, SWAPFILE);
	CHECK("swapoff_moves_automatic_priorities_up", n == 1 && f && f->prio == -2,
	      "%d lines, prio %ld", n, f ? f->prio : 0);
	swapoff(SWAPFILE);
	e = err_of(swapon(bootdev, SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | 7));
	if (!e)
		e = err_of(swapon(SWAPFILE, SWAP_FLAG_PREFER | 7));
	CHECK("swapon_prefer_discard", e == 0, "errno %d", e);
	n = read_swaps(l);
	f = find_line(l, n, SWAPFILE);
	b = find_line(l, n, bootdev);
	CHECK("prefer_sets_priority", n == 2 && f && b && f->prio == 7 && b->prio == 7,
	      "%d lines, prio %ld and %ld", n, b ? b->prio : 0, f ? f->prio : 0);
}

/* ---- Workloads (pagoda) ---- */

/* The word that page p holds at word w. */
static uint64_t
pattern(size_t p, size_t w)
{
	return (p * 0x9e3779b97f4a7c15ULL) ^ (w << 48) ^ 0x5a5a;
}

/* Page p of the workload: the first half private, the second half shared (mm/shmem.c). */
static uint64_t *
page_of(uint64_t *halves[2], size_t pages, size_t p)
{
	return p < pages / 2 ? halves[0] + p * (PAGE / 8) : halves[1] + (p - pages / 2) * (PAGE / 8);
}

static void
fill(uint64_t *halves[2], size_t pages)
{
	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < PAGE / 8; w += 64)
			page_of(halves, pages, p)[w] = pattern(p, w);
}

/* How many pages are wrong. */
static size_t
verify(uint64_t *halves[2], size_t pages)
{
	size_t bad = 0;

	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < PAGE / 8; w += 64)
			if (page_of(halves, pages, p)[w] != pattern(p, w)) {
				bad++;
				break;
			}
	return bad;
}

/*
 * The child: pages of memory (half anonymous and private, half shared
 * memory, whose swapped pages swapoff finds in the object, not in a PTE),
 * filled; says 'F' on up, then, if busy, verifies again and again until
 * a byte comes on down (verifying while the parent swaps off), else just
 * waits for it; then verifies once more; exits with 0 if every page was
 * always right.
 */
static void
workload(size_t pages, bool busy, int up, int down)
{
	uint64_t *mem[2] = {
		mmap(NULL, pages / 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		mmap(NULL, (pages - pages / 2) * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
	};
	size_t bad = 0;
	char c;

	if (mem[0] == MAP_FAILED || mem[1] == MAP_FAILED)
		_exit(2);
	fill(mem, pages);
	(void)!write(up, "F", 1);
	if (busy)
		fcntl(down, F_SETFL, O_NONBLOCK);
	while (read(down, &c, 1) != 1)
		bad += verify(mem, pages);         /* busy: verify; else read blocks */
	bad += verify(mem, pages);
	_exit(bad ? 1 : 0);
}

struct child {
	pid_t pid;
	int up, down;     /* the parent's ends */
};

static struct child
start_workload(size_t pages, bool busy)
{
	int up[2], down[2];
	struct child c = { -1, -1, -1 };
	char f;

	if (pipe(up) || pipe(down))
		return c;
	c.pid = fork();
	if (c.pid == 0) {
		close(up[0]);
		close(down[1]);
		workload(pages, busy, up[1], down[0]);
	}
	close(up[1]);
	close(down[0]);
	c.up = up[0];
	c.down = down[1];
	if (read(c.up, &f, 1) != 1)
		c.pid = -1;
	return c;
}

/* Tells the child to finish; true if it exited 0 (every page right). */
static bool
finish_workload(struct child c)
{
	int status = -1;

	(void)!write(c.down, "G", 1);
	waitpid(c.pid, &status, 0);
	close(c.up);
	close(c.down);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * A higher priority is used first: with /swapfile at 10 and the boot area
 * at 7, a workload of 1.5x RAM (whose swapped pages fit the file) leaves
 * the boot area unused. Both are at 7 again afterwards.
 */
static void
check_higher_first(const char *bootdev, size_t ram_pages)
{
	struct area_line l[MAX_AREAS], *f, *b;
	struct child c;
	int n, e;

	swapoff(SWAPFILE);
	e = err_of(swapon(SWAPFILE, SWAP_FLAG_PREFER | 10));
	CHECK("swapon_higher_priority", e == 0, "errno %d", e);
	c = start_workload(3 * ram_pages / 2, true);
	n = read_swaps(l);
	f = find_line(l, n, SWAPFILE);
	b = find_line(l, n, bootdev);
	say("# 1.5x RAM: %s (priority 7) used %ld KiB, %s (priority 10) used %ld KiB\n", bootdev,
	    b ? b->used : -1, SWAPFILE, f ? f->used : -1);
	CHECK("higher_priority_used_first", c.pid > 0 && f && b && f->used > 0 && b->used == 0,
	      "used %ld and %ld", b ? b->used : 0, f ? f->used : 0);
	if (c.pid > 0)
		CHECK("higher_priority_loses_no_page", finish_workload(c), "the workload saw a wrong page");
	swapoff(SWAPFILE);
	swapon(SWAPFILE, SWAP_FLAG_PREFER | 7);
}

/*
 * 3x RAM over two areas of equal priority: both used, about equally;
 * swapoff of either cannot fit the rest of memory: ENOMEM, the area is
 * still listed, and the pages are all right afterwards.
 */
static void
check_spread_and_enomem(const char *bootdev, size_t ram_pages)
{
	struct child c = start_workload(3 * ram_pages, true);
	struct area_line l[MAX_AREAS], *f, *b;
	int n, e;

	CHECK("workload_3x_ram_started", c.pid > 0, "fork or fill failed");
	if (c.pid <= 0)
		return;
	n = read_swaps(l);
	f = find_line(l, n, SWAPFILE);
	b = find_line(l, n, bootdev);
	say("# 3x RAM: %s used %ld KiB, %s used %ld KiB\n", bootdev, b ? b->used : -1, SWAPFILE,
	    f ? f->used : -1);
	CHECK("equal_priorities_both_used", f && b && f->used > 0 && b->used > 0, "used %ld and %ld",
	      b ? b->used : 0, f ? f->used : 0);
	CHECK("equal_priorities_take_turns", f && b && f->used * 3 > b->used && b->used * 3 > f->used,
	      "used %ld and %ld", b ? b->used : 0, f ? f->used : 0);
	e = err_of(swapoff(bootdev));
	CHECK("swapoff_without_room_is_enomem", e == ENOMEM, "errno %d", e);
	n = read_swaps(l);
	CHECK("enomem_leaves_the_area_in_use", find_line(l, n, bootdev) != NULL, "%d lines", n);
	CHECK("enomem_loses_no_page", finish_workload(c), "the workload saw a wrong page");
}

/* Writes value to /proc/fault-injection/fail_page_alloc/knob; true if it took. */
static bool
set_page_alloc_fault(const char *knob, const char *value)
{
	char path[96];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/fault-injection/fail_page_alloc/%s", knob);
	if ((fd = open(path, O_WRONLY)) < 0)
		return false;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok;
}

/* Whether the kernel's log (dmesg) holds text. */
static bool
kernel_said(const char *text)
{
	static char buf[1 << 16];
	int n = klogctl(3, buf, sizeof(buf) - 1);      /* SYSLOG_ACTION_READ_ALL */

	if (n < 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/*
 * ENOMEM in the middle of the walk: the next frame allocation fails
 * (fail_page_alloc, once), which is swapoff's first swap-in, while the
 * workload waits in read(). The boot area is the one swapped off: its
 * path is a block device of /dev, whose lookup needs no frame (a file's
 * would read its inode through ext2's bounce page, and take the failure
 * there). swapoff stops with ENOMEM (the kernel says "swapoff stopped":
 * past the check before the walk), the area stays and takes pages again,
 * every page is still right, and a second swapoff then completes. Both
 * areas are on at priority 7 afterwards.
 */
static void
check_enomem_midway(const char *bootdev, size_t ram_pages)
{
	struct child c = start_workload(ram_pages + ram_pages / 2, false);
	struct area_line l[MAX_AREAS];
	char said[160];
	bool armed;
	int n, e;

	CHECK("workload_for_midway_started", c.pid > 0, "fork or fill failed");
	if (c.pid <= 0)
		return;
	/*
	 * Nothing else may take the one failure: our own pages stay in memory,
	 * kswapd is done. Nor may swapoff's own open of bootdev: its struct file
	 * comes from the slab allocator, which takes a new frame when its slabs
	 * of that size are full (and gives a slab back when it is empty). Two
	 * opens, one closed again, leave a free object in a slab that stays.
	 */
	mlockall(MCL_CURRENT);
	sleep(1);
	int keep = open(bootdev, O_RDONLY), spare = open(bootdev, O_RDONLY);
	close(spare);
	armed = set_page_alloc_fault("times", "1") && set_page_alloc_fault("probability", "100");
	e = err_of(swapoff(bootdev));
	close(keep);
	set_page_alloc_fault("probability", "0");
	munlockall();
	snprintf(said, sizeof(said), "%s: swapoff stopped", bootdev);
	CHECK("fail_page_alloc_armed", armed, "cannot write /proc/fault-injection/fail_page_alloc");
	CHECK("swapoff_enomem_midway", e == ENOMEM && kernel_said(said), "errno %d%s", e,
	      kernel_said(said) ? "" : ", the kernel did not say 'swapoff stopped'");
	n = read_swaps(l);
	CHECK("enomem_midway_keeps_the_area", find_line(l, n, bootdev) != NULL, "%d lines", n);
	e = err_of(swapoff(bootdev));
	CHECK("swapoff_after_enomem_completes", e == 0, "errno %d", e);
	CHECK("enomem_midway_loses_no_page", finish_workload(c), "the workload saw a wrong page");
	swapon(bootdev, SWAP_FLAG_PREFER | 7);
}

/* 2x RAM: swapoff of the swap file while the workload reads its pages; it completes. */
static void
check_swapoff_under_load(size_t ram_pages)
{
	struct child c = start_workload(2 * ram_pages, true);
	struct area_line l[MAX_AREAS], *f;
	struct timespec t0;
	long used, ms;
	int n, e;

	CHECK("workload_2x_ram_started", c.pid > 0, "fork or fill failed");
	if (c.pid <= 0)
		return;
	n = read_swaps(l);
	f = find_line(l, n, SWAPFILE);
	used = f ? f->used : -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	e = err_of(swapoff(SWAPFILE));
	CHECK("swapoff_under_load", e == 0, "errno %d", e);
	ms = ms_since(&t0);
	say("# swapoff of %s: %ld KiB in use, back in %ld ms\n", SWAPFILE, used, ms);
	CHECK("swapoff_had_pages_to_bring_back", used > 0, "used %ld", used);
	n = read_swaps(l);
	CHECK("swapoff_removes_the_line", n == 1 && !find_line(l, n, SWAPFILE), "%d lines", n);
	CHECK("swapoff_under_load_loses_no_page", finish_workload(c), "the workload saw a wrong page");
}

int
main(void)
{
	struct area_line l[MAX_AREAS];
	struct sysinfo si0, si1;
	char bootdev[128] = "";
	size_t ram_pages;

	on_pagoda = access("/proc/memsnap", F_OK) == 0;
	check_errors_anywhere();
	if (!on_pagoda)
		return check_exit();
	if (read_swaps(l) >= 1)
		strcpy(bootdev, l[0].name);
	CHECK("proc_swaps_format", bootdev[0] == '/', "no area in /proc/swaps");
	if (!bootdev[0])
		return check_exit();
	check_errors_pagoda(bootdev);
	check_priorities(bootdev);
	sysinfo(&si0);
	ram_pages = si0.totalram * si0.mem_unit / PAGE;
	check_higher_first(bootdev, ram_pages);
	check_spread_and_enomem(bootdev, ram_pages);
	check_enomem_midway(bootdev, ram_pages);
	check_swapoff_under_load(ram_pages);
	sysinfo(&si1);
	/*
	 * Our own pages may have gone to swap meanwhile (VmSwap), and some
	 * of them come back but kept their slot (SwapCached): nothing else
	 * holds a slot.
	 */
	long own = proc_get("/proc/self/status", "VmSwap") * 1024;
	long cached = proc_get("/proc/meminfo", "SwapCached") * 1024;
	long used = (long)(si1.totalswap - si1.freeswap);
	/* (A slot of ours may be counted twice: our PTE holds it, and readahead cached its page.) */
	CHECK("swap_slots_back", used >= own && used <= own + cached,
	      "free %lu of %lu, ours %ld, cached %ld", si1.freeswap, si1.totalswap, own, cached);
	CHECK("frames_back", si1.freeram + 64 * PAGE >= si0.freeram, "free %lu KiB, was %lu KiB",
	      si1.freeram / 1024, si0.freeram / 1024);
	return check_exit();
}
