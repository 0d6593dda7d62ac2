/*
 * kernel/sys_poll.c - waiting for one of several files: poll, ppoll,
 * select, pselect6, with Linux's arguments and errors.
 *
 * Each kind of file says what it could do now (file_ops.poll: pipes and
 * the console; other files are always ready). A call looks at all of its
 * descriptors; if none is ready it sleeps a tick and looks again, until
 * one is, the timeout passes, or a signal arrives (EINTR). Looking every
 * tick (10 ms) rather than sleeping on every file's wait queue at once
 * keeps the tasks' wait-queue links simple (a task is on one list at a
 * time: kernel/wait.h); a pipe that becomes readable is seen within a tick.
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"
#include "mm/heap.h"
#include "mm/uaccess.h"

#define NO_TIMEOUT UINT64_MAX

struct pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* What fd could do now, of what was asked (POLLERR, POLLHUP, POLLNVAL always count). */
static unsigned
fd_ready(int fd, unsigned events)
{
	struct file *f = fd_get(fd);
	unsigned now;

	if (!f)
		return POLLNVAL;
	now = f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
	return now & (events | POLLERR | POLLHUP);
}

/* One look at every entry: fills revents, returns how many are ready. */
static int
poll_once(struct pollfd *p, unsigned n)
{
	int ready = 0;

	for (unsigned i = 0; i < n; i++) {
		p[i].revents = p[i].fd < 0 ? 0 : (int16_t)fd_ready(p[i].fd, (uint16_t)p[i].events);
		ready += p[i].revents != 0;
	}
	return ready;
}

/* Until the uptime clock reads deadline (NO_TIMEOUT: for ever) or a signal: one tick of sleep. */
static bool
wait_a_tick(uint64_t deadline)
{
	if (signal_pending(current) || (deadline != NO_TIMEOUT && timer_uptime_ns() >= deadline))
		return false;
	sched_sleep_until(jiffies + 1);
	return true;
}

/* The shared loop: p[0..n) looked at until ready, timeout or signal. Returns the count or -errno. */
static long
do_poll(struct pollfd *p, unsigned n, uint64_t deadline)
{
	int ready;

	while ((ready = poll_once(p, n)) == 0)
		if (!wait_a_tick(deadline))
			return signal_pending(current) ? -ERESTARTNOHAND : 0;
	return ready;
}

static uint64_t
deadline_after_ns(uint64_t ns)
{
	return timer_uptime_ns() + ns;
}

/* poll and ppoll: copy the array in, wait, copy revents out. */
static long
poll_user(struct pollfd *ufds, unsigned n, uint64_t deadline)
{
	struct pollfd *p;
	long ret;

	if (n > TASK_MAX_FILES * 4)
		return -EINVAL;
	p = kmalloc(n * sizeof(*p) + 1);
	if (!p)
		return -ENOMEM;
	if (copy_from_user(p, ufds, n * sizeof(*p))) {
		kfree(p);
		return -EFAULT;
	}
	ret = do_poll(p, n, deadline);
	if (ret >= 0 && copy_to_user(ufds, p, n * sizeof(*p)))
		ret = -EFAULT;
	kfree(p);
	return ret;
}

long
sys_poll(struct pollfd *ufds, unsigned n, int timeout_ms)
{
	return poll_user(ufds, n, timeout_ms < 0 ? NO_TIMEOUT :
			 deadline_after_ns((uint64_t)timeout_ms * 1000000));
}

/* The mask a ppoll or pselect6 waits with, if it gives one (kernel/sys_signal.c). */
static long
wait_with_mask(const void *umask, size_t sigsetsize)
{
	return umask ? signal_wait_mask(umask, sigsetsize) : 0;
}

/* The deadline a timeout at uts gives (none: NO_TIMEOUT). Returns 0, -EFAULT or -EINVAL. */
static long
timespec_deadline(const struct timespec *uts, uint64_t *deadline)
{
	uint64_t ns;
	long err;

	if (!uts) {
		*deadline = NO_TIMEOUT;
		return 0;
	}
	if ((err = timespec_from_user(uts, &ns)) != 0)
		return err;
	*deadline = deadline_after_ns(ns);
	return 0;
}

long
sys_ppoll(struct pollfd *ufds, unsigned n, const struct timespec *uts, const void *umask,
	  size_t sigsetsize)
{
	uint64_t deadline;
	long err = timespec_deadline(uts, &deadline);

	if (err || (err = wait_with_mask(umask, sigsetsize)) != 0)
		return err;
	return poll_user(ufds, n, deadline);
}

/*
 * select's three bit sets, as pollfd entries: fd i of readfds is POLLIN,
 * of writefds POLLOUT, of exceptfds POLLPRI (nothing here has any).
 * Counts set bits, as select returns them. -EBADF for a closed fd.
 */
static long
select_user(int nfds, uint64_t *ufds[3], uint64_t deadline)
{
	uint64_t in[3] = { 0 }, out[3] = { 0 };
	struct pollfd p[TASK_MAX_FILES];
	static const unsigned kind[3] = { POLLIN, POLLOUT, POLLPRI };
	unsigned n = 0;
	long ready, count = 0;

	if (nfds < 0)
		return -EINVAL;
	nfds = nfds > TASK_MAX_FILES ? TASK_MAX_FILES : nfds;
	for (int k = 0; k < 3; k++)
		if (ufds[k] && copy_from_user(&in[k], ufds[k], sizeof(in[k])))
			return -EFAULT;
	for (int fd = 0; fd < nfds; fd++) {
		unsigned ev = 0;
		for (int k = 0; k < 3; k++)
			ev |= (in[k] >> fd) & 1 ? kind[k] : 0;
		if (ev && !fd_get(fd))
			return -EBADF;
		if (ev)
			p[n++] = (struct pollfd){ .fd = fd, .events = (int16_t)ev };
	}
	if ((ready = do_poll(p, n, deadline)) < 0)
		return ready;
	for (unsigned i = 0; i < n; i++)
		for (int k = 0; k < 3; k++)
			if ((p[i].events & kind[k]) &&
			    (p[i].revents & (kind[k] | (k == 0 ? POLLHUP | POLLERR : k == 1 ? POLLERR : 0)))) {
				out[k] |= 1UL << p[i].fd;
				count++;
			}
	for (int k = 0; k < 3; k++)
		if (ufds[k] && copy_to_user(ufds[k], &out[k], sizeof(out[k])))
			return -EFAULT;
	return count;
}

long
sys_select(int nfds, void *ur, void *uw, void *ue, struct timeval *utv)
{
	uint64_t *sets[3] = { ur, uw, ue }, deadline = NO_TIMEOUT, ns;
	struct timeval tv;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (timeval_to_ns(&tv, &ns))
			return -EINVAL;
		deadline = deadline_after_ns(ns);
	}
	return select_user(nfds, sets, deadline);
}

/* pselect6's sixth argument: { const sigset_t *mask; size_t size; }. */
long
sys_pselect6(int nfds, void *ur, void *uw, void *ue, const struct timespec *uts, const void *usig)
{
	uint64_t *sets[3] = { ur, uw, ue }, deadline, sig[2] = { 0, 0 };
	long err = timespec_deadline(uts, &deadline);

	if (err)
		return err;
	if (usig && copy_from_user(sig, usig, sizeof(sig)))
		return -EFAULT;
	if ((err = wait_with_mask((const void *)sig[0], sig[1])) != 0)
		return err;
	return select_user(nfds, sets, deadline);
}
