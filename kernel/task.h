/*
 * kernel/task.h - a task: one thread of execution, a process or a kernel
 * thread (Linux's task_struct, much smaller).
 */
#ifndef KERNEL_TASK_H
#define KERNEL_TASK_H

#include "kernel/list.h"
#include "kernel/rlimit.h"
#include "kernel/types.h"
#include "kernel/wait.h"

#define TASK_NAME_LEN 16
#define TASK_MAX_FILES 32
#define NSIG 65

/* struct k_sigaction and struct ksiginfo: kernel/signal.h */
struct k_sigaction {
	uint64_t handler, flags, restorer, mask;
};

struct ksiginfo {
	int code;
	int pid;            /* the sender (kill), the child (SIGCHLD) */
	int status;         /* SIGCHLD: exit code or signal */
	vaddr_t addr;       /* faults: the address */
};

/*
 * What the threads of a process share, each counted (clone(2)'s flags):
 * the descriptor table (CLONE_FILES), the working directory (CLONE_FS)
 * and the signal actions (CLONE_SIGHAND). fork() gives the child copies.
 */
struct fd_table {
	int refs;
	struct file *fd[TASK_MAX_FILES];
	uint32_t cloexec;              /* bit fd: closed by execve (FD_CLOEXEC) */
};

struct fs_struct {
	int refs;
	char cwd[128];                 /* working directory, absolute (kernel/fs/vfs.c) */
	unsigned umask;                /* umask(2): permission bits file creation clears (0777 bits) */
};

#define UMASK_DEFAULT 0022             /* init's, as Linux's (init_fs) */

struct sighand {
	int refs;
	struct k_sigaction action[NSIG];   /* rt_sigaction; [0] unused */
};

/*
 * What a task has used (kernel/cputime.c): CPU time in ticks of HZ, faults
 * (mm/fault.c), context switches, the largest resident set seen (KiB).
 */
struct task_acct {
	uint64_t utime, stime;         /* ticks in user mode, in the kernel */
	uint64_t min_flt, maj_flt;     /* faults served from memory, from a disk */
	uint64_t nvcsw, nivcsw;        /* gave up the CPU (slept), was preempted */
	uint64_t maxrss_kib;
};

struct blk_plug;
struct cgroup;
struct mm;
struct file;
struct trap_frame;

enum task_state {
	TASK_RUNNABLE,   /* on the run queue, or running */
	TASK_SLEEPING,   /* on a wait queue */
	TASK_STOPPED,    /* stopped by SIGSTOP and friends, until SIGCONT or SIGKILL */
	TASK_ZOMBIE,     /* exited; the parent has not collected the status yet */
	TASK_DEAD,       /* an exited thread: freed once another task runs (kernel/sched.c) */
};

struct task {
	int pid;                       /* the thread's id (gettid); the process's is leader->pid */
	char name[TASK_NAME_LEN];
	enum task_state state;
	bool is_kernel_thread;

	vaddr_t kstack_top;            /* from kstack_alloc() */
	vaddr_t saved_rsp;             /* while switched out (kernel/switch.asm) */
	struct trap_frame *user_frame; /* user registers, at the top of the kstack */
	uint64_t fs_base;              /* user TLS pointer (arch_prctl) */
	void *fpu;                     /* x87/SSE registers while switched out (512 bytes) */

	struct mm *mm;                 /* NULL for kernel threads; shared by threads */
	struct fd_table *files;
	struct fs_struct *fs;
	struct sighand *sighand;

	/* The thread group (kernel/thread.c): the leader stands for the process. */
	struct task *leader;           /* itself in a single-threaded process */
	struct list_head threads;      /* leader only: every live thread, through thread_link */
	struct list_head thread_link;
	int nr_threads;                /* leader only: live threads, itself included */
	bool group_exiting;            /* leader only: exit_group or a fatal signal is under way */
	bool stop_requested;           /* another thread took a stop signal: stop too */
	int exit_signal;               /* sent to the parent when the process ends (clone's CSIGNAL) */
	struct task *vfork_parent;     /* CLONE_VFORK: waits until we exec or exit */
	bool vfork_done;
	struct wait_queue vfork_wait;  /* ... sleeping here */

	/* Leader only: the process's family. A thread's fork() makes a child of the leader. */
	struct task *parent;
	struct list_head children;     /* my children, through their sibling */
	struct list_head sibling;
	struct wait_queue child_exited;/* wait4() sleeps here */
	int exit_status;               /* as wait4 reports it: exit << 8 | signal */

	struct list_head run_link;     /* run queue or a wait queue */
	struct list_head all_link;     /* every task */
	uint64_t wake_at;              /* jiffies; nanosleep */
	unsigned ticks_left;           /* of the time slice */

	/* Signals (kernel/signal.c); sets as Linux's sigset_t: bit n - 1 is signal n. */
	uint64_t pending_signals;      /* sent, not yet acted on */
	uint64_t blocked_signals;      /* rt_sigprocmask */
	uint64_t saved_blocked;        /* rt_sigsuspend's mask, put back after the handler */
	bool restore_blocked;          /* ... when set */
	struct ksiginfo siginfo[NSIG];        /* what each pending signal carries */
	uint64_t shared_pending;       /* leader: sent to the process, for any thread not blocking it */
	struct ksiginfo shared_siginfo[NSIG];
	struct { vaddr_t sp; size_t size; int flags; } altstack;   /* sigaltstack */
	int pgid, sid;                 /* process group and session (kernel/pgrp.c); every thread */
	int stop_report;               /* leader: wait4: stopped by this signal, not yet reported (WUNTRACED) */
	bool continued_report;         /* leader: wait4: continued, not yet reported (WCONTINUED) */
	uint64_t alarm_at;             /* leader: ITIMER_REAL: uptime (ns) it expires at; 0: off (kernel/sys_time.c) */
	uint64_t alarm_every;          /* ... and its interval (ns) */
	/* Per process, kept equal in every thread by whoever changes them. */
	int oom_score_adj;
	struct rlimit rlim[RLIM_NLIMITS];   /* getrlimit(2): inherited by fork, kept by exec */
	vaddr_t clear_child_tid;       /* set_tid_address, CLONE_CHILD_CLEARTID: 0 and a futex wake at exit */
	vaddr_t robust_list;           /* set_robust_list: kept, not walked at exit */
	struct blk_plug *plug;         /* requests held back from the disks (drivers/blk.h) */
	struct cgroup *cgroup;         /* its control group (every thread); NULL: the root (kernel/cgroup.c) */
	uint8_t psi_flags;             /* how kernel/psi.c counts it: runnable, stalled on memory */
	/* Accounting (kernel/cputime.c): this thread's, and the leader's sums for the process. */
	struct task_acct acct;         /* this thread's own */
	struct task_acct acct_gone;    /* leader: its threads that have exited */
	struct task_acct acct_children;/* leader: reaped children, with their reaped children */
	uint64_t start_time;           /* jiffies at creation (/proc/PID/stat's starttime) */
};

extern struct task *current;

#endif
