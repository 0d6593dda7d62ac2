/*
 * kernel/signal.h - signals, with their default actions only.
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
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGURG  23
#define SIGWINCH 28

struct trap_frame;

int signal_send(struct task *t, int sig);
bool signal_pending(struct task *t);
bool fatal_signal_pending(const struct task *t);
void signal_from_trap(struct trap_frame *tf);
void signal_user_fault(struct trap_frame *tf, int sig, vaddr_t addr, const char *why);
void return_to_user(struct trap_frame *tf);
const char *signal_name(int sig);

#endif
