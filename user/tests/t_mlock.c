/*
 * t_mlock - mlock, munlock, mlock2, mlockall, munlockall as on Linux.
 *
 * Runs on the host Linux too (tests/user-host.sh), where every check must
 * pass as well (the machine-wide Mlocked may move a little there, when
 * other programs lock memory meanwhile):
 *   - mlock faults the range in; VmLck (/proc/self/status), Mlocked
 *     (/proc/meminfo) and the region's Locked (smaps, VmFlags "lo") grow by
 *     its size; munlock gives it all back
 *   - mlock2(MLOCK_ONFAULT) locks without faulting in: a touched page is
 *     locked then
 *   - mlockall(MCL_FUTURE) locks a later mmap; munlockall undoes it
 *   - fork's child has no locks (VmLck 0)
 *   - the errors: ENOMEM for an unmapped range, EINVAL for bad flags and a
 *     range that wraps, EINVAL for MADV_DONTNEED and MADV_PAGEOUT on a
 *     locked region
 *   - under memory pressure (with swap: pagoda boots it with 32 MiB of
 *     RAM; a child touches more than all of it) a locked region keeps
 *     every page in RAM (smaps Swap 0, mincore all resident) while an
 *     unlocked one goes to swap; once unlocked it can go too
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "check.h"
#include "procfs.h"
#include "smaps.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif

#define PAGE 4096UL
#define KB(pages) ((long)((pages) * PAGE / 1024))

static bool has_swap;    /* pagoda's boot: exact machine-wide figures, and the pressure test */

static char *
map(size_t pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static long
vmlck(void)
{
	return proc_get("/proc/self/status", "VmLck");
}

static long
mlocked(void)
{
	return proc_get("/proc/meminfo", "Mlocked");
}

/* Is a machine-wide change right? Exact on pagoda; on the host, others may lock a little too. */
static bool
about(long change, long want)
{
	return has_swap ? change == want : change >= want - 64 && change <= want + 1024;
}

static long
resident(void *p, size_t pages)
{
	static unsigned char vec[1024];
	long n = 0;

	if (mincore(p, pages * PAGE, vec) != 0)
		return -1;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static void
lock_and_unlock(void)
{
	char *p = map(64);
	long lck0 = vmlck(), ml0 = mlocked();

	CHECK("mlock_succeeds", mlock(p, 64 * PAGE) == 0, "errno %d", errno);
	long lck1 = vmlck(), ml1 = mlocked();
	CHECK("mlock_faults_range_in", resident(p, 64) == 64, "%ld of 64 resident", resident(p, 64));
	CHECK("vmlck_grows_by_size", lck1 - lck0 == KB(64), "VmLck %ld -> %ld kB", lck0, lck1);
	CHECK("meminfo_mlocked_grows_by_size", about(ml1 - ml0, KB(64)), "Mlocked %ld -> %ld kB", ml0,
	      ml1);
	CHECK("smaps_locked_is_region", smaps_field(p, "Locked") == KB(64), "Locked: %ld kB",
	      smaps_field(p, "Locked"));
	CHECK("smaps_vmflags_lo", strstr(smaps_vmflags(p), " lo ") != NULL, "%s", smaps_vmflags(p));
	CHECK("munlock_succeeds", munlock(p, 64 * PAGE) == 0, "errno %d", errno);
	long lck2 = vmlck(), ml2 = mlocked();
	CHECK("munlock_gives_back", lck2 == lck0 && about(ml2 - ml0, 0), "VmLck %ld, Mlocked %ld -> %ld",
	      lck2, ml0, ml2);
	munmap(p, 64 * PAGE);
}

static void
errors(void)
{
	char *p = map(4), *hole = map(2);

	munmap(hole, 2 * PAGE);
	CHECK("mlock_unmapped_is_enomem", mlock(hole, PAGE) == -1 && errno == ENOMEM, "errno %d", errno);
	CHECK("munlock_unmapped_is_enomem", munlock(hole, PAGE) == -1 && errno == ENOMEM, "errno %d",
	      errno);
	CHECK("mlock_wrapping_range_is_einval", mlock(p, (size_t)0 - 2 * PAGE) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("mlock2_bad_flags_is_einval",
	      syscall(SYS_mlock2, p, PAGE, 2) == -1 && errno == EINVAL, "errno %d", errno);
	CHECK("mlockall_0_is_einval", mlockall(0) == -1 && errno == EINVAL, "errno %d", errno);
	CHECK("mlockall_onfault_alone_is_einval", mlockall(MCL_ONFAULT) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("mlockall_unknown_flag_is_einval", mlockall(8) == -1 && errno == EINVAL, "errno %d",
	      errno);
	mlock(p, 4 * PAGE);
	CHECK("dontneed_on_locked_is_einval",
	      madvise(p, 4 * PAGE, MADV_DONTNEED) == -1 && errno == EINVAL, "errno %d", errno);
	CHECK("pageout_on_locked_is_einval",
	      madvise(p, 4 * PAGE, MADV_PAGEOUT) == -1 && errno == EINVAL, "errno %d", errno);
	munmap(p, 4 * PAGE);
	CHECK("munmap_of_locked_region_unlocks", vmlck() == 0, "VmLck %ld kB", vmlck());
}

static void
lock_on_fault(void)
{
	char *p = map(16);
	long lck0 = vmlck(), ml0 = mlocked();

	CHECK("mlock2_onfault_succeeds", syscall(SYS_mlock2, p, 16 * PAGE, MLOCK_ONFAULT) == 0,
	      "errno %d", errno);
	CHECK("onfault_faults_nothing_in", resident(p, 16) == 0 && vmlck() - lck0 == KB(16),
	      "%ld resident, VmLck %ld -> %ld", resident(p, 16), lck0, vmlck());
	p[0] = 1;
	CHECK("onfault_locks_touched_page", resident(p, 16) == 1 && about(mlocked() - ml0, 4),
	      "%ld resident, Mlocked %ld -> %ld", resident(p, 16), ml0, mlocked());
	munmap(p, 16 * PAGE);
}

static void
lock_future(void)
{
	char *p;

	CHECK("mlockall_future_succeeds", mlockall(MCL_FUTURE) == 0, "errno %d", errno);
	p = map(16);
	long lck = vmlck();
	CHECK("mcl_future_locks_later_mmap", p && resident(p, 16) == 16 && lck >= KB(16) &&
	      smaps_field(p, "Locked") == KB(16), "%ld resident, VmLck %ld", resident(p, 16), lck);
	CHECK("munlockall_unlocks_all", munlockall() == 0 && vmlck() == 0, "VmLck %ld", vmlck());
	munmap(p, 16 * PAGE);
}

static int
child_vmlck(void *unused)
{
	(void)unused;
	return vmlck() == 0 ? 0 : 1;
}

static void
fork_drops_locks(void)
{
	char *p = map(16);

	mlock(p, 16 * PAGE);
	check_exited_with("forked_child_has_no_locks", run_in_child(child_vmlck, NULL), 0);
	CHECK("parent_keeps_its_locks", vmlck() == KB(16), "VmLck %ld", vmlck());
	munmap(p, 16 * PAGE);
}

/* The child: touches more memory than the machine has, so that reclaim swaps. */
static int
squeeze(void *unused)
{
	long kb = proc_get("/proc/meminfo", "MemTotal") * 5 / 4;
	char *m = map((size_t)kb / 4);

	(void)unused;
	if (!m)
		return 2;
	for (long i = 0; i < kb / 4; i++)
		m[i * PAGE] = 1;
	return 0;
}

static void
fill(char *p, size_t pages, char c)
{
	memset(p, c, pages * PAGE);
}

static bool
holds(const char *p, size_t pages, char c)
{
	for (size_t i = 0; i < pages * PAGE; i++)
		if (p[i] != c)
			return false;
	return true;
}

static void
under_pressure(void)
{
	char *locked = map(256), *free_to_go = map(256);

	fill(locked, 256, 'L');
	fill(free_to_go, 256, 'U');
	mlock(locked, 256 * PAGE);
	check_exited_with("child_touches_more_than_ram", run_in_child(squeeze, NULL), 0);
	long lswap = smaps_field(locked, "Swap"), uswap = smaps_field(free_to_go, "Swap");
	say("info: after the squeeze: locked region Swap %ld kB, unlocked region Swap %ld kB of 1024\n",
	    lswap, uswap);
	CHECK("locked_pages_never_swapped", lswap == 0 && resident(locked, 256) == 256,
	      "Swap %ld kB, %ld of 256 resident", lswap, resident(locked, 256));
	CHECK("unlocked_pages_swapped", uswap > 0, "Swap %ld kB", uswap);
	/* Unlocked, the region merges with its neighbour again: mincore tells its pages apart. */
	munlock(locked, 256 * PAGE);
	madvise(locked, 256 * PAGE, MADV_PAGEOUT);
	CHECK("munlocked_pages_can_go", resident(locked, 256) < 256, "%ld of 256 resident",
	      resident(locked, 256));
	CHECK("both_regions_read_back", holds(locked, 256, 'L') && holds(free_to_go, 256, 'U'),
	      "a byte changed");
	munmap(locked, 256 * PAGE);
	munmap(free_to_go, 256 * PAGE);
}

int
main(void)
{
	has_swap = proc_get("/proc/meminfo", "SwapTotal") > 0;
	lock_and_unlock();
	errors();
	lock_on_fault();
	lock_future();
	fork_drops_locks();
	if (has_swap)
		under_pressure();
	return check_exit();
}
