/*
 * kernel/sys_proc.c - system calls about processes: exit, wait4, pids,
 * prctl's name.
 * (fork and clone: kernel/clone.c; signals: kernel/sys_signal.c.)
 */
#include "drivers/timer.h"
#include "kernel/errno.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/uapi.h"
#include "mm/uaccess.h"

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
	struct task_acct usage;
	int status;
	int ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return -EINVAL;
	if (ustatus && !access_ok((vaddr_t)ustatus, sizeof(int)))
		return -EFAULT;
	ret = proc_wait(pid, &status, options, &usage);
	if (ret > 0 && ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (ret > 0 && urusage && rusage_to_user(&usage, urusage))
		return -EFAULT;        /* the child's times, its reaped children's included (Linux's too) */
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

#define PR_SET_NAME 15
#define PR_GET_NAME 16

/*
 * prctl(2), only its name options: PR_SET_NAME gives the calling thread
 * a new name (the first 15 bytes: /proc/PID/comm, ps; busybox names
 * itself after the applet it runs), PR_GET_NAME reads it (16 bytes with
 * the NUL). Any other option is -EINVAL, as Linux answers an unknown one.
 */
long
sys_prctl(int option, unsigned long arg2)
{
	char name[TASK_NAME_LEN];
	long n;

	switch (option) {
	case PR_SET_NAME:
		n = strncpy_from_user(name, (const char *)arg2, sizeof(name));
		if (n == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';     /* longer names are cut, as Linux */
		strlcpy(current->name, name, sizeof(current->name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user((void *)arg2, current->name, sizeof(current->name)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}
