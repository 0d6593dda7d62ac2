/*
 * drivers/blk_stats.c - what each disk and partition has done, in the
 * format of Linux's /proc/diskstats (Documentation/admin-guide/iostats.rst),
 * so that iostat and students' scripts read it unchanged:
 *
 *   major minor name  reads merged sectors ms  writes merged sectors ms
 *                     in_flight io_ms weighted_ms
 *                     discards merged sectors ms  flushes ms
 *
 * "ms" is the time requests of that kind took from the block layer handing
 * them to the driver to their completion, summed; io_ms is how long at
 * least one request was in flight (busy time: utilisation is its growth
 * over the wall clock's); weighted_ms sums every request's time, so
 * weighted_ms / io_ms is the average queue depth. Every request counts
 * for its partition and for the whole disk, as in Linux. Requests are
 * never merged here and there are no discards: those columns stay 0.
 *
 * drivers/blk.c calls blk_stats_start() before the driver sees a request
 * and blk_stats_done() when it completes (interrupt context), with the
 * uptime clock (the TSC, nanoseconds).
 */
#include "drivers/blk_stats.h"
#include "drivers/timer.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"

void
blk_stats_start(struct blk_request *req)
{
	uint64_t flags = irq_save(), now = timer_uptime_ns();

	req->start_ns = now;
	for_dev_and_disk(d, req->dev)
		if (d->stats.in_flight++ == 0)
			d->stats.busy_since = now;
	irq_restore(flags);
}

/* One step of the busy clock: the time in flight since busy_since, if something was. */
static void
account_busy(struct blk_stats *st, uint64_t now)
{
	if (st->in_flight > 0)
		st->busy_ns += now - st->busy_since;
	st->busy_since = now;
}

/* The driver refused the request: it never was in flight. */
void
blk_stats_cancel(struct blk_request *req)
{
	uint64_t flags = irq_save(), now = timer_uptime_ns();

	for_dev_and_disk(d, req->dev) {
		account_busy(&d->stats, now);
		d->stats.in_flight--;
	}
	irq_restore(flags);
}

void
blk_stats_done(struct blk_request *req)
{
	uint64_t flags = irq_save(), now = timer_uptime_ns();

	for_dev_and_disk(d, req->dev) {
		struct blk_stats *st = &d->stats;
		account_busy(st, now);
		st->in_flight--;
		st->ios[req->op]++;
		st->sectors[req->op] += req->nsectors;
		st->ns[req->op] += now - req->start_ns;
	}
	irq_restore(flags);
}

struct show {
	char *buf;
	size_t size;
	int n;
};

static unsigned long
ms(uint64_t ns)
{
	return (unsigned long)(ns / 1000000);
}

static void
show_one(struct blk_device *d, void *arg)
{
	struct show *sh = arg;
	struct blk_stats st;
	unsigned major, minor;
	uint64_t flags = irq_save();

	account_busy(&d->stats, timer_uptime_ns());   /* busy time up to now */
	st = d->stats;
	irq_restore(flags);
	if ((size_t)sh->n >= sh->size)
		return;
	blk_devt(d, &major, &minor);
	sh->n += snprintf(sh->buf + sh->n, sh->size - (size_t)sh->n,
			  "%4u %7u %s %lu 0 %lu %lu %lu 0 %lu %lu %lu %lu %lu 0 0 0 0 %lu %lu\n",
			  major, minor, d->name, st.ios[BLK_READ], st.sectors[BLK_READ],
			  ms(st.ns[BLK_READ]), st.ios[BLK_WRITE], st.sectors[BLK_WRITE],
			  ms(st.ns[BLK_WRITE]), st.in_flight, ms(st.busy_ns),
			  ms(st.ns[BLK_READ] + st.ns[BLK_WRITE] + st.ns[BLK_FLUSH]),
			  st.ios[BLK_FLUSH], ms(st.ns[BLK_FLUSH]));
}

/* /proc/diskstats: a line per disk and partition, in the order they were found. */
int
blk_diskstats_show(char *buf, size_t size)
{
	struct show sh = { buf, size, 0 };

	blk_for_each(show_one, &sh);
	return sh.n;
}
