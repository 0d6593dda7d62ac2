/*
 * kernel/proc.h - processes: fork, exit, wait, and the first one.
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include "kernel/task.h"

#define WNOHANG    1
#define WUNTRACED  2     /* wait4: report stopped children too */
#define WCONTINUED 8     /* ... and continued ones */

/* wait4 status encoding, as Linux and the W* macros of libc expect. */
#define W_EXITCODE(code) (((code) & 0xff) << 8)
#define W_SIGNALED(sig)  ((sig) & 0x7f)

void proc_adopt(struct task *parent, struct task *child);
__noreturn void proc_exit(int wait_status);
__noreturn void proc_exit_group(int wait_status);
struct task_acct;
int proc_wait(int pid, int *wait_status, int options, struct task_acct *usage);
int proc_start_init(const char *cmdline);
void proc_user_entry_frame(struct task *t);

#endif
