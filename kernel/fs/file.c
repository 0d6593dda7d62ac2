/*
 * kernel/fs/file.c - open files and each task's table of file descriptors.
 *
 *   task->files[fd] ---> struct file (refcount, offset, ops) ---> console,
 *                                                              pipe, initrd file...
 *
 * fork() copies the table, so parent and child share each struct file
 * (and its offset), as POSIX says. A file is released when its last
 * descriptor in any process is closed. Every file system in kernel/fs/
 * (and the console, kernel/tty.c) fills in a struct file; the system
 * calls on descriptors are kernel/sys_file.c.
 */
#include "kernel/fs/file.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "kernel/x86.h"
#include "mm/heap.h"

/* A new open file with one reference, or NULL. */
struct file *
file_alloc(const struct file_ops *ops, int flags, uint32_t mode)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f) {
		f->ops = ops;
		f->refcount = 1;
		f->flags = flags;
		f->mode = mode;
	}
	return f;
}

void
file_get(struct file *f)
{
	uint64_t flags = irq_save();

	f->refcount++;
	irq_restore(flags);
}

void
file_put(struct file *f)
{
	uint64_t flags = irq_save();
	bool last = --f->refcount == 0;

	irq_restore(flags);
	if (last) {
		if (f->ops->release)
			f->ops->release(f);
		kfree(f);
	}
}

/* Reads at an offset without moving the file's own (exec uses it). */
long
file_read_at(struct file *f, void *buf, size_t len, uint64_t off)
{
	uint64_t saved = f->offset;
	long n;

	f->offset = off;
	n = f->ops->read ? f->ops->read(f, buf, len) : -EINVAL;
	f->offset = saved;
	return n;
}

/* read() for files whose contents sit in memory at f->data. */
long
memfile_read(struct file *f, void *buf, size_t len)
{
	size_t n;

	if (f->offset >= f->size)
		return 0;
	n = MIN(len, f->size - f->offset);
	memcpy(buf, (const char *)f->data + f->offset, n);
	f->offset += n;
	return (long)n;
}

/*
 * What a write() to a knob file (/proc/sys/vm/..., oom_score_adj) says:
 * its first size - 1 bytes as a string in text, without the trailing
 * newlines and blanks that `echo 3 > FILE` adds.
 */
void
memfile_write_text(const void *buf, size_t len, char *text, size_t size)
{
	size_t n = MIN(len, size - 1);

	memcpy(text, buf, n);
	text[n] = '\0';
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
}

/* Puts f in t's lowest free descriptor. Returns it, or -EMFILE. */
int
fd_install(struct task *t, struct file *f)
{
	return fd_install_from(t, f, 0, false);
}

/* Puts f in t's lowest free descriptor from lowest on, FD_CLOEXEC if asked. Returns it, or -EMFILE. */
int
fd_install_from(struct task *t, struct file *f, int lowest, bool cloexec)
{
	for (int fd = MAX(lowest, 0); fd < TASK_MAX_FILES; fd++) {
		if (!t->files[fd]) {
			t->files[fd] = f;
			t->cloexec_fds = cloexec ? t->cloexec_fds | (1U << fd) : t->cloexec_fds & ~(1U << fd);
			return fd;
		}
	}
	return -EMFILE;
}

/* The current task's file for fd, or NULL. */
struct file *
fd_get(int fd)
{
	if (fd < 0 || fd >= TASK_MAX_FILES)
		return NULL;
	return current->files[fd];
}

int
fd_close(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	current->files[fd] = NULL;
	current->cloexec_fds &= ~(1U << fd);
	file_put(f);
	return 0;
}

/*
 * dup (lowest: the lowest free descriptor) or dup2 (newfd exactly,
 * closing what was there). Returns the new descriptor or -EBADF/-EMFILE.
 */
int
fd_dup(int oldfd, int newfd, bool lowest)
{
	struct file *f = fd_get(oldfd);

	if (!f)
		return -EBADF;
	if (lowest) {
		int fd = fd_install(current, f);
		if (fd >= 0)
			file_get(f);
		return fd;
	}
	if (newfd < 0 || newfd >= TASK_MAX_FILES)
		return -EBADF;
	if (newfd == oldfd)
		return newfd;
	if (current->files[newfd])
		fd_close(newfd);
	file_get(f);
	current->files[newfd] = f;
	current->cloexec_fds &= ~(1U << newfd);     /* a duplicate is not close-on-exec */
	return newfd;
}

void
files_dup_all(struct task *child, struct task *parent)
{
	for (int fd = 0; fd < TASK_MAX_FILES; fd++) {
		child->files[fd] = parent->files[fd];
		if (child->files[fd])
			file_get(child->files[fd]);
	}
	child->cloexec_fds = parent->cloexec_fds;
}

/* execve: the descriptors marked FD_CLOEXEC are closed. */
void
files_close_on_exec(struct task *t)
{
	for (int fd = 0; fd < TASK_MAX_FILES; fd++) {
		if ((t->cloexec_fds & (1U << fd)) && t->files[fd]) {
			struct file *f = t->files[fd];
			t->files[fd] = NULL;
			file_put(f);
		}
	}
	t->cloexec_fds = 0;
}

void
files_close_all(struct task *t)
{
	for (int fd = 0; fd < TASK_MAX_FILES; fd++) {
		if (t->files[fd]) {
			struct file *f = t->files[fd];
			t->files[fd] = NULL;
			file_put(f);
		}
	}
}
