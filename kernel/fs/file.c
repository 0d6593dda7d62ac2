/*
 * kernel/fs/file.c - open files and each task's table of file descriptors.
 *
 *   task->files->fd[fd] ---> struct file (refcount, offset, ops) ---> console,
 *                                                                  pipe, initrd file...
 *
 * fork() copies the table, so parent and child share each struct file
 * (and its offset), as POSIX says; the threads of a process share one
 * table (clone's CLONE_FILES: kernel/thread.c), counted by refs. A file is released when its last
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
		if (!t->files->fd[fd]) {
			t->files->fd[fd] = f;
			t->files->cloexec = cloexec ? t->files->cloexec | (1U << fd) :
						      t->files->cloexec & ~(1U << fd);
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
	return current->files->fd[fd];
}

int
fd_close(int fd)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	current->files->fd[fd] = NULL;
	current->files->cloexec &= ~(1U << fd);
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
	if (current->files->fd[newfd])
		fd_close(newfd);
	file_get(f);
	current->files->fd[newfd] = f;
	current->files->cloexec &= ~(1U << newfd);     /* a duplicate is not close-on-exec */
	return newfd;
}

/* An empty descriptor table, or NULL. */
struct fd_table *
fd_table_alloc(void)
{
	struct fd_table *ft = kzalloc(sizeof(*ft));

	if (ft)
		ft->refs = 1;
	return ft;
}

/* fork(): dst (empty) gets every descriptor of src, each file with one more reference. */
int
fd_table_copy(struct fd_table *dst, const struct fd_table *src)
{
	for (int fd = 0; fd < TASK_MAX_FILES; fd++) {
		dst->fd[fd] = src->fd[fd];
		if (dst->fd[fd])
			file_get(dst->fd[fd]);
	}
	dst->cloexec = src->cloexec;
	return 0;
}

/* execve: a table shared with another process (CLONE_FILES) becomes t's own copy. Returns 0 or -ENOMEM. */
int
fd_table_unshare(struct task *t)
{
	struct fd_table *own;

	if (t->files->refs == 1)
		return 0;
	if ((own = fd_table_alloc()) == NULL)
		return -ENOMEM;
	fd_table_copy(own, t->files);
	t->files->refs--;
	t->files = own;
	return 0;
}

/* execve: the descriptors marked FD_CLOEXEC are closed. */
void
files_close_on_exec(struct task *t)
{
	struct fd_table *ft = t->files;

	for (int fd = 0; fd < TASK_MAX_FILES; fd++) {
		if ((ft->cloexec & (1U << fd)) && ft->fd[fd]) {
			struct file *f = ft->fd[fd];
			ft->fd[fd] = NULL;
			file_put(f);
		}
	}
	ft->cloexec = 0;
}

/* One user fewer (a thread or process exits); the last closes every file. NULL is fine. */
void
fd_table_put(struct fd_table *ft)
{
	if (!ft || --ft->refs > 0)
		return;
	for (int fd = 0; fd < TASK_MAX_FILES; fd++) {
		if (ft->fd[fd]) {
			struct file *f = ft->fd[fd];
			ft->fd[fd] = NULL;
			file_put(f);
		}
	}
	kfree(ft);
}

/*
 * Adds one struct dirent64 for getdents64 at *used in kbuf (size bytes),
 * aligned to 8 as Linux packs them. false if it does not fit.
 */
bool
dirent_put(void *kbuf, size_t size, size_t *used, uint64_t ino, int64_t next, uint8_t type,
	   const char *name)
{
	size_t len = strlen(name), reclen = ALIGN_UP(sizeof(struct dirent64) + len + 1, 8);
	struct dirent64 *d = (struct dirent64 *)((char *)kbuf + *used);

	if (*used + reclen > size)
		return false;
	d->d_ino = ino;
	d->d_off = next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = type;
	memcpy(d->d_name, name, len + 1);
	*used += reclen;
	return true;
}
