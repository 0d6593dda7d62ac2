/*
 * kernel/sys_proc.c - system calls about processes: exit, wait4, pids.
 * (fork and clone: kernel/clone.c; signals: kernel/sys_signal.c.)
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"

/* exit: the calling thread ends (the process with its last thread); exit_group: the whole process. */
long
sys_exit(int code)
{
	proc_exit(W_EXITCODE(code));
}

long
sys_exit_group(int code)
{
	proc_exit_group(W_EXITCODE(code));
}

long
sys_wait4(int pid, int *ustatus, int options, void *urusage)
{
	int status;
	int ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return -EINVAL;
	if (ustatus && !access_ok((vaddr_t)ustatus, sizeof(int)))
		return -EFAULT;
	ret = proc_wait(pid, &status, options);
	if (ret > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	return ret;
}

/* The process's pid is its leader's (Linux's tgid); each thread has its own tid. */
long
sys_getpid(void)
{
	return current->leader->pid;
}

long
sys_gettid(void)
{
	return current->pid;
}

long
sys_getppid(void)
{
	return current->leader->parent ? current->leader->parent->pid : 0;
}

long
sys_getuid(void)
{
	return 0;
}

long
sys_sched_yield(void)
{
	schedule();
	return 0;
}

long
sys_set_tid_address(int *utid)
{
	current->clear_child_tid = (vaddr_t)utid;
	return current->pid;
}
