/*
 * kernel/fs/pipe.c - a pipe: a 4 KiB ring buffer between two open files.
 *
 *   write end --> [ . . . d a t a . . . ] --> read end
 *                       ^tail     ^head
 *
 * A reader sleeps while the pipe is empty and a writer still exists; with
 * no writer left it gets end of file (0). A writer sleeps while the pipe
 * is full; with no reader left it gets -EPIPE and SIGPIPE. The pipe is
 * freed when both ends are closed. pipe(2) itself is in kernel/sys_file.c.
 */
#include "kernel/fs/pipe.h"
#include "kernel/errno.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/wait.h"
#include "kernel/x86.h"
#include "mm/heap.h"

#define PIPE_SIZE 4096

struct pipe {
	char buf[PIPE_SIZE];
	size_t head, count;          /* read position and bytes stored */
	int readers, writers;        /* open ends */
	struct wait_queue can_read, can_write;
};

static long
pipe_read(struct file *f, void *buf, size_t len)
{
	struct pipe *p = f->priv;
	uint64_t flags = irq_save();
	size_t n = 0;

	while (p->count == 0 && p->writers > 0) {
		if (f->flags & O_NONBLOCK) {
			irq_restore(flags);
			return -EAGAIN;
		}
		if (signal_pending(current)) {
			irq_restore(flags);
			return -ERESTARTSYS;
		}
		wait_sleep(&p->can_read);
	}
	while (n < len && p->count > 0) {
		((char *)buf)[n++] = p->buf[p->head];
		p->head = (p->head + 1) % PIPE_SIZE;
		p->count--;
	}
	wait_wake_all(&p->can_write);
	irq_restore(flags);
	return (long)n;
}

static long
pipe_write(struct file *f, const void *buf, size_t len)
{
	struct pipe *p = f->priv;
	uint64_t flags = irq_save();
	size_t n = 0;

	while (n < len) {
		if (p->readers == 0) {
			signal_send(current, SIGPIPE);
			n = n ? n : (size_t)-EPIPE;
			break;
		}
		if (p->count == PIPE_SIZE) {
			if (f->flags & O_NONBLOCK) {
				n = n ? n : (size_t)-EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				n = n ? n : (size_t)-ERESTARTSYS;
				break;
			}
			wait_wake_all(&p->can_read);
			wait_sleep(&p->can_write);
			continue;
		}
		p->buf[(p->head + p->count) % PIPE_SIZE] = ((const char *)buf)[n++];
		p->count++;
	}
	wait_wake_all(&p->can_read);
	irq_restore(flags);
	return (long)n;
}

static void
pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	uint64_t flags = irq_save();
	bool last;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		p->readers--;
	else
		p->writers--;
	wait_wake_all(&p->can_read);
	wait_wake_all(&p->can_write);
	last = p->readers == 0 && p->writers == 0;
	irq_restore(flags);
	if (last)
		kfree(p);
}

/* poll: a read end is readable with bytes or once no writer is left (POLLHUP); a write end with room. */
static unsigned
pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return (p->count ? POLLIN : 0) | (p->writers == 0 ? POLLIN | POLLHUP : 0);
	return p->readers == 0 ? POLLERR : p->count < PIPE_SIZE ? POLLOUT : 0;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
	.poll = pipe_poll,
	.stream = true,
};

/* Creates a pipe. Returns 0 or -ENOMEM. */
int
pipe_create(struct file **read_end, struct file **write_end)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return -ENOMEM;
	wait_init(&p->can_read);
	wait_init(&p->can_write);
	*read_end = file_alloc(&pipe_ops, O_RDONLY, S_IFIFO | 0600);
	*write_end = file_alloc(&pipe_ops, O_WRONLY, S_IFIFO | 0600);
	if (!*read_end || !*write_end) {
		kfree(*read_end);
		kfree(*write_end);
		kfree(p);
		return -ENOMEM;
	}
	(*read_end)->priv = (*write_end)->priv = p;
	p->readers = p->writers = 1;
	return 0;
}
