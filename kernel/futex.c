/*
 * kernel/futex.c - futex(2): sleeping on a word of user memory.
 *
 * A futex is any aligned 32-bit word in user memory. Threads agree on what
 * its values mean (musl: a mutex's lock word, a condition variable's
 * sequence, a thread's tid); the kernel knows nothing of that and offers
 * two operations only:
 *
 *   FUTEX_WAIT(addr, val)  sleep - but only if *addr still holds val, checked
 *                          without any other thread running in between, so a
 *                          wake-up that follows a change cannot be missed
 *   FUTEX_WAKE(addr, n)    wake up to n of the threads sleeping on addr
 *
 * Everything else (locking without a system call while there is no
 * contention) happens in user space with atomic instructions. Sleepers
 * wait in one list, each with its key - the address space and the address
 * - on its own kernel stack; waking walks the list. FUTEX_REQUEUE moves
 * sleepers to another word instead of waking them all (a condition
 * variable's broadcast hands them to the mutex one by one). The _BITSET
 * forms wake only sleepers whose bits overlap.
 *
 * The key names the word, as Linux's get_futex_key(): (address space,
 * address) for a private futex (FUTEX_PRIVATE_FLAG, or a word in private
 * memory); (object, offset into it) for a word in a shared region
 * (MAP_SHARED | MAP_ANONYMOUS: mm/shmem.c) - there two processes see the
 * same word at different addresses, and must meet on one key. One CPU and
 * no kernel preemption make reading the word and joining the list one
 * step: nothing else runs between them.
 */
#include "kernel/futex.h"
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/list.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"
#include "kernel/x86.h"
#include "kernel/fs/file.h"
#include "mm/mm.h"
#include "mm/uaccess.h"

#define FUTEX_WAIT            0
#define FUTEX_WAKE            1
#define FUTEX_REQUEUE         3
#define FUTEX_CMP_REQUEUE     4
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAKE_BITSET     10
#define FUTEX_PRIVATE_FLAG    128
#define FUTEX_CLOCK_REALTIME  256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffU

#define TICK_NS (1000000000UL / HZ)

/* Which word: the address space or the shared object, and the address or the offset in it. */
struct futex_key {
	const void *space;
	uint64_t offset;
};

struct futex_waiter {
	struct futex_key key;
	uint32_t bitset;
	struct task *task;
	bool woken;
	struct list_head link;
};

static struct list_head waiters = LIST_HEAD_INIT(waiters);

/*
 * The key of the word at uaddr in mm: by its object and offset if it lies
 * in a shared region and the futex is not private, else by (mm, uaddr).
 * Never sleeps (the regions cannot change under it: nothing else runs).
 */
static struct futex_key
futex_key(struct mm *mm, vaddr_t uaddr, bool private)
{
	struct vma *v = private ? NULL : vma_find(mm, uaddr);

	if (v && (v->flags & VMA_SHARED) && v->file && v->file->mapping)
		return (struct futex_key){ v->file->mapping, (v->pgoff << PAGE_SHIFT) + (uaddr - v->start) };
	return (struct futex_key){ mm, uaddr };
}

static bool
same_key(struct futex_key a, struct futex_key b)
{
	return a.space == b.space && a.offset == b.offset;
}

/* Wakes up to n sleepers on key whose bitset overlaps bitset. Returns how many. */
static int
wake_key(struct futex_key key, int n, uint32_t bitset)
{
	uint64_t flags = irq_save();
	struct list_head *pos, *tmp;
	int woken = 0;

	list_for_each_safe(pos, tmp, &waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, link);
		if (woken >= n)
			break;
		if (!same_key(w->key, key) || !(w->bitset & bitset))
			continue;
		list_del(&w->link);
		w->woken = true;
		task_wake(w->task);
		woken++;
	}
	irq_restore(flags);
	return woken;
}

/*
 * Wakes up to n sleepers on the word at uaddr in mm (a shared futex, as
 * Linux's thread exit wakes clear_child_tid) whose bitset overlaps bitset.
 * Returns how many it woke. Any context.
 */
int
futex_wake_bits(struct mm *mm, vaddr_t uaddr, int n, uint32_t bitset)
{
	return wake_key(futex_key(mm, uaddr, false), n, bitset);
}

int
futex_wake(struct mm *mm, vaddr_t uaddr, int n)
{
	return futex_wake_bits(mm, uaddr, n, FUTEX_BITSET_MATCH_ANY);
}

/* The jiffy to wake at for an uptime deadline (ns); 0 for none. */
static uint64_t
deadline_jiffy(uint64_t deadline)
{
	uint64_t now = timer_uptime_ns();

	if (!deadline)
		return 0;
	return jiffies + (deadline > now ? (deadline - now + TICK_NS - 1) / TICK_NS : 1);
}

/*
 * Sleeps on uaddr if it holds val, until a wake, a signal or the uptime
 * deadline (ns; 0: none). Returns 0 (woken), -EAGAIN (the value differed),
 * -ETIMEDOUT, -EFAULT, or for a signal -ERESTARTSYS (no timeout: Linux
 * restarts it) or -EINTR.
 */
static long
futex_wait(vaddr_t uaddr, bool private, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	struct futex_waiter w = { futex_key(current->mm, uaddr, private), bitset, current, false,
				  LIST_HEAD_INIT(w.link) };
	uint32_t now_val;
	uint64_t flags;

	if (copy_from_user(&now_val, (const void *)uaddr, sizeof(now_val)))
		return -EFAULT;
	flags = irq_save();                 /* nothing has run since the read: it is still true */
	if (now_val != val) {
		irq_restore(flags);
		return -EAGAIN;
	}
	list_add_tail(&w.link, &waiters);
	while (!w.woken && !signal_pending(current) &&
	       (!deadline || timer_uptime_ns() < deadline))
		sched_sleep(deadline_jiffy(deadline));
	if (!w.woken)
		list_del(&w.link);
	irq_restore(flags);
	if (w.woken)
		return 0;
	if (signal_pending(current))
		return deadline ? -EINTR : -ERESTARTSYS;
	return -ETIMEDOUT;
}

/*
 * FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (only if *uaddr holds val): wakes
 * up to nwake sleepers on uaddr and moves up to nmove others to uaddr2.
 * Returns how many it woke and moved.
 */
static long
futex_requeue(vaddr_t uaddr, vaddr_t uaddr2, bool private, int nwake, int nmove, bool cmp, uint32_t val)
{
	struct futex_key key = futex_key(current->mm, uaddr, private);
	struct futex_key key2 = futex_key(current->mm, uaddr2, private);
	struct list_head *pos, *tmp;
	uint32_t now_val;
	uint64_t flags;
	int done;

	if (cmp && copy_from_user(&now_val, (const void *)uaddr, sizeof(now_val)))
		return -EFAULT;
	if (cmp && now_val != val)
		return -EAGAIN;
	done = wake_key(key, nwake, FUTEX_BITSET_MATCH_ANY);
	flags = irq_save();
	list_for_each_safe(pos, tmp, &waiters) {
		struct futex_waiter *w = list_entry(pos, struct futex_waiter, link);
		if (nmove <= 0)
			break;
		if (same_key(w->key, key)) {
			w->key = key2;
			nmove--;
			done++;
		}
	}
	irq_restore(flags);
	return done;
}

/* FUTEX_WAIT's timeout is relative; FUTEX_WAIT_BITSET's is absolute on its clock. Returns the uptime deadline. */
static long
timeout_deadline(const struct timespec *uts, bool absolute, bool realtime, uint64_t *deadline)
{
	uint64_t ns, now;
	long err;

	*deadline = 0;
	if (!uts)
		return 0;
	if ((err = timespec_from_user(uts, &ns)) != 0)
		return err;
	now = timer_uptime_ns();
	if (!absolute)
		*deadline = now + ns;
	else if (realtime)
		*deadline = now + (ns > timer_realtime_ns() ? ns - timer_realtime_ns() : 0);
	else
		*deadline = ns;
	if (*deadline == 0)
		*deadline = 1;                  /* already passed: still a deadline */
	return 0;
}

long
sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *uts, uint32_t *uaddr2,
	  uint32_t val3)
{
	int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool realtime = op & FUTEX_CLOCK_REALTIME, private = op & FUTEX_PRIVATE_FLAG;
	vaddr_t addr = (vaddr_t)uaddr;
	uint64_t deadline;
	long err;

	if (addr & 3)
		return -EINVAL;
	if (realtime && cmd != FUTEX_WAIT_BITSET)
		return -ENOSYS;                 /* as Linux: only the _BITSET wait takes a clock */
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (!val3)
			return -EINVAL;
		err = timeout_deadline(uts, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
		return err ? err : futex_wait(addr, private, val, deadline, val3);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		if (!val3)
			return -EINVAL;
		return wake_key(futex_key(current->mm, addr, private), (int)MIN(val, 0x7fffffffU), val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		/* The fourth argument is a number here, not a timeout. */
		if ((vaddr_t)uaddr2 & 3 || (int)val < 0 || (long)uts < 0)
			return -EINVAL;
		return futex_requeue(addr, (vaddr_t)uaddr2, private, (int)val, (int)(long)uts,
				     cmd == FUTEX_CMP_REQUEUE, val3);
	default:
		return -ENOSYS;
	}
}

/* set_robust_list: kept, as Linux; the list is not walked when the thread exits (see docs). */
long
sys_set_robust_list(void *uhead, size_t len)
{
	if (len != 3 * sizeof(long))
		return -EINVAL;
	current->robust_list = (vaddr_t)uhead;
	return 0;
}
