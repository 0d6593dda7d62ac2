/*
 * kernel/signal.h - signals: sending, blocking, default actions, and
 * running a process's handlers (kernel/signal_frame.c builds the frame).
 */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include "kernel/task.h"

#define SIGHUP   1
#define SIGINT   2
#define SIGQUIT  3
#define SIGILL   4
#define SIGTRAP  5
#define SIGABRT  6
#define SIGBUS   7
#define SIGFPE   8
#define SIGKILL  9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG  23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO   29
#define SIGPWR  30
#define SIGSYS  31

#define SIGBIT(sig) (1UL << ((sig) - 1))      /* sigset_t: bit sig - 1, as Linux */
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))
#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))

/* sa_flags (Linux x86-64) */
#define SA_NOCLDSTOP 0x00000001
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

/* sigaltstack's ss_flags */
#define SS_ONSTACK 1
#define SS_DISABLE 2

/* si_code */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_TKILL    (-6)
#define ILL_ILLOPN  2
#define FPE_INTDIV  1
#define FPE_FLTINV  7
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN  1
#define BUS_ADRERR  2
#define TRAP_BRKPT  1
#define TRAP_TRACE  2
#define CLD_EXITED  1
#define CLD_KILLED  2
#define CLD_DUMPED  3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/*
 * struct k_sigaction (the kernel ABI's struct sigaction for rt_sigaction
 * on x86-64) and struct ksiginfo (what a pending signal carries to its
 * handler's siginfo) are in kernel/task.h, which holds one of each per signal.
 */

struct trap_frame;

/* Never sleep. */
int signal_send(struct task *t, int sig);
int signal_each(bool (*match)(const struct task *t, int arg), int arg, int sig,
		const struct ksiginfo *info);
int signal_send_info(struct task *t, int sig, const struct ksiginfo *info);
int signal_send_thread(struct task *t, int sig, const struct ksiginfo *info);
void signal_force(struct task *t, int sig, const struct ksiginfo *info);
bool signal_pending(const struct task *t);
uint64_t signal_pending_set(const struct task *t);
struct ksiginfo signal_dequeue(struct task *t, int sig);
bool fatal_signal_pending(const struct task *t);
void signal_from_trap(struct trap_frame *tf);
void signal_user_fault(struct trap_frame *tf, int sig, int code, vaddr_t addr, const char *why);
void signal_fork(struct task *child, const struct task *parent, bool reset_altstack);
void signal_exec(struct task *t);
void signal_child_exited(struct task *child);
const char *signal_name(int sig);

/* Last thing before ring 3: runs handlers, default actions; may exit. */
void return_to_user(struct trap_frame *tf);

/* kernel/signal_frame.c */
int signal_frame_push(struct trap_frame *tf, int sig, const struct k_sigaction *act,
		      const struct ksiginfo *info);
bool signal_on_altstack(const struct task *t, vaddr_t sp);
int signal_copy_siginfo(void *uaddr, int sig, const struct ksiginfo *info);

/* kernel/sys_signal.c */
long signal_wait_mask(const void *umask, size_t sigsetsize);

#endif
