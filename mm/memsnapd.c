/*
 * mm/memsnapd.c - when memory snapshots (mm/memsnap.c) are taken, and
 * where they go: a picture of memory over time (docs/viz.md).
 *
 *   memsnap=250ms       one every 250 ms (in whole 10 ms ticks)
 *   memsnap=500faults   one whenever 500 more page faults were handled
 *
 * A kernel thread, memsnapd, takes them: walking every frame is too long
 * for the timer interrupt, and the thread needs no hook in the fault path
 * (it looks at the pgfault counter at every tick). Each snapshot is one
 * line on the second serial port, COM2, which tools/qemu.sh connects to a
 * file when MEMSNAP_OUT= is set: the console stays as it is. There is one
 * when memsnapd starts, and a last one once init has exited and every frame
 * is back (memsnapd_final(), from the reaper): its free frames and slots are
 * the ones the console's leak check prints. /proc/memsnap gives one at any
 * time (kernel/fs/procfs.c).
 *
 * While a snapshot is written, interrupts are off (it shows one instant)
 * and nothing else runs: a few milliseconds for a small machine.
 */
#include "mm/memsnapd.h"
#include "drivers/serial.h"
#include "drivers/timer.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/memsnap.h"
#include "mm/vmstat.h"

static struct {
	bool on;                  /* COM2 is there and memsnap= asked for snapshots */
	uint64_t every;           /* ticks, or faults */
	bool by_faults;
} memsnapd;

/* Sends one snapshot to COM2, through a buffer on the stack. Never sleeps. */
static void
send(const char *why)
{
	char chunk[512];
	struct memsnap_sink sink = { .buf = chunk, .size = sizeof(chunk),
				     .flush = serial_aux_write };

	memsnap_write(&sink, why);
}

static void
memsnapd_thread(void *unused)
{
	uint64_t last_faults = vmstat[PGFAULT];

	send("start");
	for (;;) {
		if (memsnapd.by_faults) {
			sched_sleep_until(jiffies + 1);
			if (vmstat[PGFAULT] - last_faults < memsnapd.every)
				continue;
			last_faults = vmstat[PGFAULT];
			send("faults");
		} else {
			sched_sleep_until(jiffies + memsnapd.every);
			send("timer");
		}
	}
}

/* "250ms" or "500faults": 0 and sets *by_faults, or -1. */
static int
parse_period(const char *s, uint64_t *n, bool *by_faults)
{
	*n = 0;
	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9')
		*n = *n * 10 + (uint64_t)(*s++ - '0');
	*by_faults = strcmp(s, "faults") == 0;
	if (*n && (*by_faults || strcmp(s, "ms") == 0))
		return 0;
	return -1;
}

/* Starts memsnapd if memsnap= asks for it and there is a COM2 to send to. */
void
memsnapd_init(void)
{
	const char *arg = karg_get("memsnap");
	uint64_t n;
	bool by_faults;

	if (!arg)
		return;
	if (parse_period(arg, &n, &by_faults) != 0) {
		pr_warn("memsnap: '%s' is neither N ms nor N faults (memsnap=250ms, memsnap=500faults)\n", arg);
		return;
	}
	if (!serial_aux_init()) {
		pr_warn("memsnap: no second serial port (COM2) to send snapshots to\n");
		return;
	}
	memsnapd.by_faults = by_faults;
	/* Whole ticks, at least one: the timer cannot wake us more often. */
	memsnapd.every = by_faults ? n : (n * HZ + 999) / 1000;
	memsnapd.on = true;
	task_create_kernel("memsnapd", memsnapd_thread, NULL);
	pr_info("memsnap: a snapshot every %lu %s to COM2\n", n, by_faults ? "faults" : "ms");
}

/* The last snapshot, once init has exited and its frames are back (the reaper calls it). */
void
memsnapd_final(void)
{
	if (memsnapd.on)
		send("exit");
}
