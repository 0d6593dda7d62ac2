/*
 * mm/kswapd.c - kswapd, the kernel thread that reclaims in the
 * background, so that most allocations find a free frame at once.
 *
 * An allocation that leaves fewer free frames than the low watermark
 * wakes it (wake_kswapd_if_low()); it then reclaims, through the same
 * reclaim_pages() as direct reclaim (mm/reclaim.c), until free frames
 * are back at high or a pass frees nothing. It may take frames below min
 * to make progress (mm/reclaim.c's may_take_freely()). reclaim_quiesce()
 * waits for it to be idle, for whoever counts frames.
 */
#include "mm/kswapd.h"
#include "kernel/sched.h"
#include "kernel/task.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/pmm.h"
#include "mm/reclaim.h"

static struct task *kswapd_task;
static struct wait_queue kswapd_wait = WAIT_QUEUE_INIT(kswapd_wait);
static volatile bool kswapd_wanted;
static volatile bool kswapd_busy;      /* in a pass, maybe asleep on its writes */

/*
 * kswapd: sleeps until free frames drop below low, then reclaims to high.
 * Between passes it lets the other runnable tasks have the CPU: the
 * kernel is not preempted, and a pass may free only what programs fault
 * straight back (their text, when their data cannot go). Without that,
 * a fault that woke kswapd had its task preempted on the way back to
 * user mode, and kswapd's passes took the page the fault had just mapped
 * before the task ran one instruction of it, fault after fault: a
 * thrash that never reached the OOM killer (t_memqos's qos scenario, with
 * disk reads fast enough to need no sleep: VIRTIO_AIO=io_uring). Still
 * runnable while it yields, kswapd is not woken again, so such faults no
 * longer preempt their task.
 */
static void
kswapd(void *unused)
{
	for (;;) {
		uint64_t flags = irq_save();
		while (!kswapd_wanted)
			wait_sleep(&kswapd_wait);
		kswapd_wanted = false;
		kswapd_busy = true;
		irq_restore(flags);
		while (pmm_free_frames() < watermarks.high) {
			if (reclaim_pages(watermarks.high - pmm_free_frames(), false) == 0)
				break;
			schedule();          /* a yield: we stay runnable */
		}
		kswapd_busy = false;
	}
}

void
kswapd_start(void)
{
	kswapd_task = task_create_kernel("kswapd", kswapd, NULL);
}

/* Wakes kswapd when free frames are below low: reclaim in the background. */
void
wake_kswapd_if_low(void)
{
	if (pmm_free_frames() < watermarks.low && !kswapd_wanted && kswapd_task) {
		kswapd_wanted = true;
		wait_wake_all(&kswapd_wait);
	}
}

bool
current_is_kswapd(void)
{
	return current == kswapd_task;
}

/*
 * Waits until kswapd is idle, its writes done and the frames it freed
 * back. Whoever counts frames and swap slots (the reaper, after init)
 * calls it first: pages still on their way to disk would look leaked.
 * Yields the CPU meanwhile; interrupts must be on.
 */
void
reclaim_quiesce(void)
{
	while (kswapd_busy || kswapd_wanted)
		schedule();
}
