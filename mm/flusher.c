/*
 * mm/flusher.c - the flusher: a kernel thread that writes dirty file
 * pages back in the background (Linux's per-device writeback worker,
 * "kworker/u:flush-8:0", running wb_workfn; we have one disk, so one
 * thread). It keeps write(2) fast - the writer only dirties pages - and
 * bounds how old unwritten data gets.
 *
 *   sleep dirty_writeback_centisecs (5 s), or until woken
 *     |  (a writer above the background threshold, reclaim meeting dirty pages)
 *     v
 *   reclaim asked:                         a round of 1024 pages, oldest mappings first
 *   while Dirty > background threshold:   write back oldest mappings first
 *   mappings dirty > dirty_expire_centisecs (30 s):   write them back
 *   metadata (ext2's block cache) dirty > dirty_expire_centisecs:  write it
 *
 * It only starts writes (the disk completes them); it does not wait for
 * them. With dirty_writeback_centisecs 0 the periodic wake-up is off, as
 * in Linux; a wake-up from a writer or reclaim still works.
 *
 * The thread starts when the first page is dirtied (flusher_start, from a
 * writer or a store through a shared mapping), as Linux's writeback
 * workers are kworkers its workqueues start on demand. So a boot that
 * writes no file has the kernel threads it had before - kswapd pid 2, the
 * reaper pid 3 - and its processes keep their pids (docs, lab graders).
 * At power-off it ends (flusher_stop), so the reaper's frame count is exact.
 */
#include "drivers/timer.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/vmstat.h"
#include "mm/writeback.h"

/* Pages started per round before looking at the thresholds again (Linux's MAX_WRITEBACK_PAGES). */
#define FLUSH_ROUND_PAGES 1024

static struct task *volatile flusher_task;
static volatile bool flusher_wanted;
static volatile bool flusher_stopping;     /* power-off: flusher_stop() */
static volatile bool reclaim_wants_pages;  /* reclaim met dirty pages: write some, whatever the thresholds */

/* Asks the flusher to look now. Any context; never sleeps. */
void
flusher_wake(void)
{
	if (flusher_task && !flusher_wanted) {
		flusher_wanted = true;
		task_wake(flusher_task);
	}
}

/*
 * Reclaim met dirty pages it cannot free (mm/reclaim.c): the flusher
 * writes a round of them even below the background threshold, as Linux's
 * wakeup_flusher_threads(WB_REASON_VMSCAN). Any context; never sleeps.
 */
void
flusher_wake_for_reclaim(void)
{
	reclaim_wants_pages = true;
	flusher_wake();
}

/* Sleeps until woken, or the periodic interval (if on) has passed. */
static void
flusher_sleep(void)
{
	uint64_t flags = irq_save();
	uint64_t ticks = (uint64_t)vm_dirty_writeback_centisecs * HZ / 100;

	if (!flusher_wanted) {
		if (vm_dirty_writeback_centisecs == 0)
			sched_sleep(0);
		else
			sched_sleep_until(jiffies + (ticks ? ticks : 1));
	}
	flusher_wanted = false;
	irq_restore(flags);
}

/* One wake-up's work (Linux's wb_do_writeback: background, then kupdate-style old data). */
static void
flusher_work(void)
{
	if (reclaim_wants_pages) {
		reclaim_wants_pages = false;
		writeback_some(FLUSH_ROUND_PAGES, false);
	}
	while (writeback_over_background())
		if (writeback_some(FLUSH_ROUND_PAGES, false) == 0)
			break;          /* all of it is being written already */
	writeback_some(UINT64_MAX, true);
	if (writeback_metadata(true) != 0)
		pr_err("flusher: writing metadata failed\n");
}

static void
flusher(void *unused)
{
	for (;;) {
		flusher_sleep();
		if (flusher_stopping)
			break;
		flusher_work();
	}
	cli();
	flusher_task = NULL;
	task_exit_dead();         /* freed by the next task to run: no parent collects a kernel thread */
}

/*
 * At power-off, after the last sync (kernel/fs/rootfs.c): the flusher
 * ends and its stack and task are freed, so the reaper's count of frames
 * finds what it had before init started (the thread may have started
 * since). Sleeps until it is gone.
 */
void
flusher_stop(void)
{
	if (!flusher_task)
		return;
	flusher_stopping = true;
	flusher_wake();           /* asleep: it wakes; at work: it will not sleep again */
	while (flusher_task)
		schedule();
	schedule();               /* whoever runs next frees it: make sure someone has */
	flusher_stopping = false;
}

/*
 * Starts the flusher if it is not running yet. Process context: it may
 * sleep (a stack for the thread); if there is no memory for one, the next
 * dirtied page tries again, and fsync, sync and throttled writers write
 * meanwhile.
 */
void
flusher_start(void)
{
	if (!flusher_task)
		flusher_task = task_create_kernel("flusher", flusher, NULL);
}
