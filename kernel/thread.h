/*
 * kernel/thread.h - threads: tasks that share one process's address
 * space, descriptors, directory and signal actions (kernel/thread.c).
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include "kernel/task.h"

/* clone(2)'s flags (include/uapi/linux/sched.h). */
#define CSIGNAL              0x000000ffUL   /* the signal the parent gets when the child ends */
#define CLONE_VM             0x00000100UL
#define CLONE_FS             0x00000200UL
#define CLONE_FILES          0x00000400UL
#define CLONE_SIGHAND        0x00000800UL
#define CLONE_PIDFD          0x00001000UL
#define CLONE_PTRACE         0x00002000UL
#define CLONE_VFORK          0x00004000UL
#define CLONE_PARENT         0x00008000UL
#define CLONE_THREAD         0x00010000UL
#define CLONE_NEWNS          0x00020000UL
#define CLONE_SYSVSEM        0x00040000UL
#define CLONE_SETTLS         0x00080000UL
#define CLONE_PARENT_SETTID  0x00100000UL
#define CLONE_CHILD_CLEARTID 0x00200000UL
#define CLONE_DETACHED       0x00400000UL
#define CLONE_UNTRACED       0x00800000UL
#define CLONE_CHILD_SETTID   0x01000000UL

/* Never sleep. */
void thread_group_init(struct task *t);
int thread_tables_alloc(struct task *t);
int thread_tables_clone(struct task *child, const struct task *parent, unsigned long flags);
void thread_tables_release(struct task *t);
void thread_fs_release(struct task *t);
int thread_sighand_unshare(struct task *t);
void thread_join(struct task *t, struct task *leader);
bool thread_leave(struct task *t);
struct task *thread_pick_for_signal(struct task *leader, int sig);
void thread_kill_others(void);
void thread_stop_others(void);
bool thread_resume_group(struct task *leader);

/* May sleep. */
int thread_exec_alone(void);

/* Walks leader's live threads: for (struct task *t = thread_first(l); t; t = thread_next(l, t)) */
struct task *thread_first(const struct task *leader);
struct task *thread_next(const struct task *leader, const struct task *t);

#endif
