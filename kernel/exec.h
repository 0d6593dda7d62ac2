/*
 * kernel/exec.h - replacing a process's program.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include "kernel/task.h"

int exec_first_process(struct task *t, const char *cmdline);
long sys_execve(const char *upath, const char *const *uargv, const char *const *uenvp);

#endif
