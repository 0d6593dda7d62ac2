/*
 * kernel/fs/procfs_internal.h - what the files of /proc share: the
 * generators that write a file's text, and the tables that list them.
 *
 *   kernel/fs/procfs.c      the door: paths, directories, links, snapshots
 *   kernel/fs/procfs_sys.c  the machine's files (/proc/meminfo, stat, ...)
 *   kernel/fs/procfs_pid.c  a process's files (/proc/PID/stat, cmdline, ...)
 */
#ifndef KERNEL_FS_PROCFS_INTERNAL_H
#define KERNEL_FS_PROCFS_INTERNAL_H

#include "kernel/fs/file.h"
#include "kernel/task.h"

#define PROCFS_BUF 16384

/* A generator writes the file's text into buf and returns its length (snprintf's). */
struct procfs_sys_file {
	const char *name;            /* under /proc */
	int (*generate)(char *buf, size_t size);
};

struct procfs_pid_file {
	const char *name;            /* under /proc/PID */
	int (*generate)(const struct task *t, char *buf, size_t size);
};

extern const struct procfs_sys_file procfs_sys_files[];
extern const size_t procfs_nr_sys_files;
extern const struct procfs_pid_file procfs_pid_files[];
extern const size_t procfs_nr_pid_files;

int procfs_open_oom_score_adj(struct task *t, int flags, struct file **out);
int procfs_open_comm(struct task *t, int flags, struct file **out);

#endif
