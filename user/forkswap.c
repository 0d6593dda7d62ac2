/*
 * forkswap - swap benchmark: copy-on-write and swap together.
 *
 * Usage: forkswap [MIB [CHILDREN]]   (working set, default 38 MiB; 2 children)
 *
 * The parent writes every page, then forks the children, which share
 * those frames (and, once evicted, their swap slots). Each child verifies
 * the shared content, rewrites half of the pages with its own content
 * (child c: pages alternating in runs of c/2+1, offset by c, so children
 * 0 and 1 take the even and the odd pages), then verifies all its pages
 * twice: its own writes and the still-shared rest. Meanwhile the parent
 * rewrites every fourth page and verifies its own view. A kernel that
 * swaps a shared page in for one process must not let another see the
 * wrong copy. Children send their error counts through a pipe; the parent
 * prints a line per process, then the summary line (errors = all
 * processes' failed page checks, plus 1 per child that sent no report)
 *   result workload=forkswap mib=N seconds=S pswpin=A pswpout=B pgmajfault=C errors=E
 * and exits 1 on any error. WORKLOAD_CORRUPT=1 tests the verification
 * (see workload.h).
 */
#include "workload.h"

#define PARENT_TAG 2
#define CHILD_TAG(c) (0x100 + (c))

/* Whether child c rewrites page p: half the pages, a different half per child. */
static int
child_owns(long c, size_t p)
{
	return (p / (c / 2 + 1) + c) % 2 == 0;
}

/* The child's whole life: returns its count of corrupt pages. */
static long
child(char *mem, size_t npages, long c)
{
	long errors = 0;
	int reported = 0;

	for (size_t p = 0; p < npages; p++)
		errors += page_check(mem + p * WL_PAGE, p, 1, &reported);
	for (size_t p = 0; p < npages; p++)
		if (child_owns(c, p))
			page_fill(mem + p * WL_PAGE, p, CHILD_TAG(c));
	for (int round = 0; round < 2; round++)
		for (size_t p = 0; p < npages; p++)
			errors += page_check(mem + p * WL_PAGE, p,
					     child_owns(c, p) ? CHILD_TAG(c) : 1, &reported);
	return errors;
}

int
main(int argc, char **argv)
{
	const char *usage = "forkswap [MIB [CHILDREN]]";
	long mib = wl_arg(argc, argv, 1, WL_DEFAULT_MIB, usage);
	long nchildren = wl_arg(argc, argv, 2, 2, usage);
	size_t npages = (size_t)mib << 20 >> 12;
	struct wl_counters start = wl_counters_now();
	double t0 = wl_seconds();
	char *mem = wl_map(npages * WL_PAGE, "forkswap");
	long errors = 0, report[2];
	int reported = 0, fds[2], status;
	long nforked = 0, nreports = 0;

	say("forkswap: %ld MiB, %lu pages, %ld children\n", mib, (unsigned long)npages, nchildren);
	for (size_t p = 0; p < npages; p++)
		page_fill(mem + p * WL_PAGE, p, 1);
	maybe_corrupt(mem, npages);
	if (pipe_retrying(fds) != 0) {
		say("forkswap: pipe failed\n");
		return 1;
	}
	for (long c = 0; c < nchildren; c++) {
		pid_t pid = fork_retrying();     /* ENOMEM for a moment is no error */

		if (pid < 0) {
			say("forkswap: fork of child %ld failed\n", c);
			errors++;
			break;
		}
		if (pid == 0) {
			long r[2] = { c, child(mem, npages, c) };

			(void)!write(fds[1], r, sizeof(r));    /* 16 bytes: one atomic pipe write */
			_exit(r[1] ? 1 : 0);
		}
		nforked++;
	}
	close(fds[1]);

	for (size_t p = 0; p < npages; p += 4)
		page_fill(mem + p * WL_PAGE, p, PARENT_TAG);
	for (size_t p = 0; p < npages; p++)
		errors += page_check(mem + p * WL_PAGE, p, p % 4 ? 1 : PARENT_TAG, &reported);
	say("forkswap: parent: %ld errors\n", errors);

	while (read(fds[0], report, sizeof(report)) == sizeof(report)) {
		say("forkswap: child %ld: %ld errors\n", report[0], report[1]);
		errors += report[1];
		nreports++;
	}
	while (wait(&status) > 0) {
		char why[64];

		if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
			say("forkswap: a child %s\n", describe_status(status, why, sizeof(why)));
	}
	if (nreports < nforked) {               /* a child died before it could report */
		say("forkswap: %ld children sent no report\n", nforked - nreports);
		errors += nforked - nreports;
	}
	return wl_result("forkswap", mib, t0, start, errors);
}
