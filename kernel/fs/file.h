/*
 * kernel/fs/file.h - open files and file descriptors.
 */
#ifndef KERNEL_FS_FILE_H
#define KERNEL_FS_FILE_H

#include "kernel/types.h"
#include "mm/errseq.h"

struct task;
struct file;
struct stat;

/* open() flags and file types, Linux's values. */
#define O_RDONLY    0
#define O_WRONLY    1
#define O_RDWR      2
#define O_ACCMODE   3
#define O_CREAT     0100
#define O_EXCL      0200
#define O_NOCTTY    0400
#define O_TRUNC     01000
#define O_APPEND    02000
#define O_NONBLOCK  04000
#define O_LARGEFILE 0100000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW  0400000
#define O_CLOEXEC   02000000

/* fcntl */
#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1

#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFLNK  0120000

/* What a kind of file can do. Buffers are kernel memory. */
struct file_ops {
	long (*read)(struct file *f, void *buf, size_t len);
	long (*write)(struct file *f, const void *buf, size_t len);
	long (*ioctl)(struct file *f, unsigned long cmd, unsigned long arg);
	void (*release)(struct file *f);
	int (*getdents)(struct file *f, void *kbuf, size_t size);   /* directories only */
	void (*fstat)(struct file *f, struct stat *st);   /* NULL: mode and size of the file */
	int (*truncate)(struct file *f, uint64_t size);   /* NULL: its size cannot be set */
	unsigned (*poll)(struct file *f);   /* POLLIN | POLLOUT ... now; NULL: always both */
	int (*fsync)(struct file *f, bool datasync);   /* NULL: nothing to write back */
	bool stream;     /* a pipe or a terminal: no offset, lseek says ESPIPE (Linux's no_llseek) */
};

/* poll(2)'s events, Linux's values. */
#define POLLIN   0x001
#define POLLPRI  0x002
#define POLLOUT  0x004
#define POLLERR  0x008
#define POLLHUP  0x010
#define POLLNVAL 0x020

struct file {
	const struct file_ops *ops;
	int refcount;
	int flags;            /* O_RDONLY / O_WRONLY / O_RDWR ... */
	uint32_t mode;        /* S_IFREG, S_IFCHR, ... and permissions */
	uint64_t offset;
	uint64_t size;        /* regular files */
	uint64_t ino;         /* inode number on the root file system, or 0 */
	struct address_space *mapping;   /* its page cache (ext2 files), or NULL */
	char path[64];        /* as opened, for /proc/<pid>/maps */
	const void *data;     /* in-memory files: the initrd, /proc */
	void *priv;           /* the file kind's own state */
	errseq_t wb_err;      /* the mapping's writeback error as of the last fsync (mm/errseq.h) */
};

/* struct linux_dirent64, as getdents64 returns it. */
struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
} __packed;

struct file *file_alloc(const struct file_ops *ops, int flags, uint32_t mode);
void file_get(struct file *f);
void file_put(struct file *f);
bool dirent_put(void *kbuf, size_t size, size_t *used, uint64_t ino, int64_t next, uint8_t type,
		const char *name);
long file_read_at(struct file *f, void *buf, size_t len, uint64_t off);
long memfile_read(struct file *f, void *buf, size_t len);
void memfile_write_text(const void *buf, size_t len, char *text, size_t size);

int fd_install(struct task *t, struct file *f);
int fd_install_from(struct task *t, struct file *f, int lowest, bool cloexec);
void files_close_on_exec(struct task *t);
struct fd_table *fd_table_alloc(void);
int fd_table_copy(struct fd_table *dst, const struct fd_table *src);
void fd_table_put(struct fd_table *ft);
int fd_table_unshare(struct task *t);
struct file *fd_get(int fd);
int fd_close(int fd);
int fd_dup(int oldfd, int newfd, bool lowest);

#endif
