/*
 * t_rlimit - getrlimit, setrlimit and prlimit64 behave as on Linux.
 *
 * Runs on the host too (tests/user-host.sh), where every check must
 * pass as well: the limits' defaults, the errors (EINVAL for a soft limit
 * above the hard one or an unknown resource, EFAULT for a bad pointer,
 * ESRCH for a process that does not exist), that a limit set is the
 * limit read back through all three calls and in /proc/self/limits, and
 * that fork inherits it.
 * Whether RLIMIT_RSS is enforced is t_policy's business (pagoda only:
 * Linux ignores it).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "check.h"

/* The raw system calls: musl's wrappers would not pass a bad pointer through. */
static long
raw(long nr, long a, long b, long c, long d)
{
	long r = syscall(nr, a, b, c, d);

	return r < 0 ? -errno : r;
}

static void
defaults(void)
{
	struct rlimit rl = { 0, 0 };

	CHECK("rss_unlimited_by_default", getrlimit(RLIMIT_RSS, &rl) == 0 &&
	      rl.rlim_cur == RLIM_INFINITY && rl.rlim_max == RLIM_INFINITY,
	      "RLIMIT_RSS is %lu/%lu", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
	CHECK("nofile_is_finite", getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 3 &&
	      rl.rlim_cur <= rl.rlim_max && rl.rlim_max != RLIM_INFINITY,
	      "RLIMIT_NOFILE is %lu/%lu", (unsigned long)rl.rlim_cur, (unsigned long)rl.rlim_max);
}

static void
errors(void)
{
	struct rlimit rl = { 2, 1 };

	CHECK("soft_above_hard_is_einval", raw(SYS_setrlimit, RLIMIT_RSS, (long)&rl, 0, 0) == -EINVAL,
	      "setrlimit(soft 2, hard 1) did not fail with EINVAL");
	CHECK("unknown_resource_is_einval", raw(SYS_getrlimit, 99, (long)&rl, 0, 0) == -EINVAL,
	      "getrlimit(99) did not fail with EINVAL");
	CHECK("prlimit_unknown_resource_is_einval",
	      raw(SYS_prlimit64, 0, 99, 0, (long)&rl) == -EINVAL, "prlimit64(99) did not fail");
	CHECK("getrlimit_bad_pointer_is_efault", raw(SYS_getrlimit, RLIMIT_RSS, 8, 0, 0) == -EFAULT,
	      "getrlimit into address 8 did not fail with EFAULT");
	CHECK("setrlimit_bad_pointer_is_efault", raw(SYS_setrlimit, RLIMIT_RSS, 8, 0, 0) == -EFAULT,
	      "setrlimit from address 8 did not fail with EFAULT");
	CHECK("prlimit_no_such_process_is_esrch",
	      raw(SYS_prlimit64, 0x3fffffff, RLIMIT_RSS, 0, (long)&rl) == -ESRCH,
	      "prlimit64 on pid 0x3fffffff did not fail with ESRCH");
}

/* Whether /proc/self/limits has a line that starts with prefix. */
static int
limits_line_has(const char *prefix)
{
	static char buf[4096];
	int fd = open("/proc/self/limits", O_RDONLY), n;

	n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	for (char *line = buf; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (strncmp(line, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static int
child_sees_limit(void *want)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_RSS, &rl) == 0 && rl.rlim_cur == *(rlim_t *)want ? 0 : 1;
}

static void
set_and_read_back(void)
{
	struct rlimit rl = { 100 * 4096, RLIM_INFINITY }, got, old;
	rlim_t want = rl.rlim_cur;

	CHECK("setrlimit_rss", setrlimit(RLIMIT_RSS, &rl) == 0, "setrlimit failed: errno %d", errno);
	CHECK("getrlimit_reads_it_back", getrlimit(RLIMIT_RSS, &got) == 0 &&
	      got.rlim_cur == want && got.rlim_max == RLIM_INFINITY,
	      "read %lu/%lu", (unsigned long)got.rlim_cur, (unsigned long)got.rlim_max);
	CHECK("proc_limits_shows_it", limits_line_has("Max resident set          409600 "),
	      "no \"Max resident set\" line with 409600 in /proc/self/limits");
	CHECK("prlimit_by_pid_reads_it_back",
	      raw(SYS_prlimit64, getpid(), RLIMIT_RSS, 0, (long)&got) == 0 && got.rlim_cur == want,
	      "prlimit64(getpid()) read %lu", (unsigned long)got.rlim_cur);
	rl.rlim_cur = 200 * 4096;
	CHECK("prlimit_sets_and_returns_old",
	      raw(SYS_prlimit64, 0, RLIMIT_RSS, (long)&rl, (long)&old) == 0 && old.rlim_cur == want,
	      "old value %lu", (unsigned long)old.rlim_cur);
	want = rl.rlim_cur;
	check_exited_with("fork_inherits_the_limit", run_in_child(child_sees_limit, &want), 0);
	rl.rlim_cur = RLIM_INFINITY;
	CHECK("back_to_unlimited", setrlimit(RLIMIT_RSS, &rl) == 0, "errno %d", errno);
}

int
main(void)
{
	defaults();
	errors();
	set_and_read_back();
	return check_exit();
}
