/*
 * vmstat - memory, swap and paging activity over time, like procps vmstat(8).
 *
 * Usage: vmstat [DELAY [COUNT]]   (seconds between lines; number of lines,
 *                                  default forever; no DELAY: one line)
 *
 * Prints procps's two header lines, then one line per DELAY seconds. The
 * first line averages since boot, later ones cover the last DELAY seconds:
 *
 *   swpd    swap in use, KiB (SwapTotal - SwapFree)
 *   free, buff, cache     MemFree, Buffers, Cached + SReclaimable, KiB
 *   si, so  KiB swapped in/out per second (pswpin, pswpout pages x 4)
 *   bi, bo  KiB read from/written to disks per second (pgpgin, pgpgout)
 *   r, b    procs_running, procs_blocked of /proc/stat (b: 0 on pagoda)
 *   in, cs  interrupts and context switches per second (intr, ctxt)
 *   us..st  shares of the CPU ticks of the "cpu" line: user (and nice),
 *           system (and irq, softirq), idle, iowait, steal (wa, st: 0 on
 *           pagoda, whose tick charges only user, system or idle)
 *
 * Fields missing from /proc files read as 0.
 */
#include "workload.h"

struct snap {
	double when;                    /* seconds since boot */
	long swpd, freek, buff, cache;  /* KiB, from /proc/meminfo */
	long pswpin, pswpout, pgpgin, pgpgout;
	long running, blocked, intr, ctxt;
	long cpu[5];                    /* jiffies: user+nice, sys, idle, iowait, steal */
};

static struct snap
take(void)
{
	static char buf[16384];
	struct timespec ts;
	struct snap s;
	unsigned long c[8] = { 0 };
	char *p;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	s.when = ts.tv_sec + ts.tv_nsec / 1e9;
	proc_load("/proc/meminfo", buf, sizeof(buf));
	s.swpd = proc_field(buf, "SwapTotal") - proc_field(buf, "SwapFree");
	s.freek = proc_field(buf, "MemFree");
	s.buff = proc_field(buf, "Buffers");
	s.cache = proc_field(buf, "Cached") + proc_field(buf, "SReclaimable");
	proc_load("/proc/vmstat", buf, sizeof(buf));
	s.pswpin = proc_field(buf, "pswpin");
	s.pswpout = proc_field(buf, "pswpout");
	s.pgpgin = proc_field(buf, "pgpgin");
	s.pgpgout = proc_field(buf, "pgpgout");
	proc_load("/proc/stat", buf, sizeof(buf));
	s.running = proc_field(buf, "procs_running");
	s.blocked = proc_field(buf, "procs_blocked");
	s.intr = proc_field(buf, "intr");
	s.ctxt = proc_field(buf, "ctxt");
	/* "cpu  user nice system idle iowait irq softirq steal" */
	p = strncmp(buf, "cpu ", 4) == 0 ? buf + 4 : NULL;
	for (int i = 0; p && i < 8; i++)
		c[i] = strtoul(p, &p, 10);
	s.cpu[0] = c[0] + c[1];
	s.cpu[1] = c[2] + c[5] + c[6];
	s.cpu[2] = c[3];
	s.cpu[3] = c[4];
	s.cpu[4] = c[7];
	return s;
}

/* Prints the line for the interval from a to b (a all zero: since boot). */
static void
print_line(const struct snap *a, const struct snap *b)
{
	double secs = b->when - a->when > 0 ? b->when - a->when : 1;
	long cpu[5], cpu_total = 0;

	for (int i = 0; i < 5; i++)
		cpu_total += cpu[i] = b->cpu[i] - a->cpu[i];
	if (cpu_total == 0)
		cpu_total = 1;
#define RATE(f) ((long)((b->f - a->f) / secs + 0.5))
#define PCT(i) (cpu[i] * 100 / cpu_total)
	say("%2ld %2ld %6ld %6ld %6ld %6ld %4ld %4ld %5ld %5ld %4ld %4ld %2ld %2ld %2ld %2ld %2ld\n",
	    b->running, b->blocked, b->swpd, b->freek, b->buff, b->cache,
	    RATE(pswpin) * 4, RATE(pswpout) * 4, RATE(pgpgin), RATE(pgpgout),
	    RATE(intr), RATE(ctxt), PCT(0), PCT(1), PCT(2), PCT(3), PCT(4));
#undef RATE
#undef PCT
}

int
main(int argc, char **argv)
{
	const char *usage = "vmstat [DELAY [COUNT]]";
	long delay = wl_arg(argc, argv, 1, 0, usage);
	long count = wl_arg(argc, argv, 2, argc > 1 ? -1 : 1, usage);
	struct snap zero = { 0 }, prev = take(), now;

	if (argc > 3) {
		say("usage: %s\n", usage);
		return 2;
	}
	say("procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n");
	say(" r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n");
	print_line(&zero, &prev);
	for (long n = 1; count < 0 || n < count; n++) {
		sleep(delay);
		now = take();
		print_line(&prev, &now);
		prev = now;
	}
	return 0;
}
