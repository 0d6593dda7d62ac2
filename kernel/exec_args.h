/*
 * kernel/exec_args.h - a new program's arguments and environment, gathered
 * in the kernel by execve (kernel/exec.c) and rewritten for a script's
 * interpreter (kernel/exec_script.c).
 */
#ifndef KERNEL_EXEC_ARGS_H
#define KERNEL_EXEC_ARGS_H

#include "kernel/types.h"

#define EXEC_MAX_ARGS     256
#define EXEC_STRINGS_MAX  (32 * 1024)

struct exec_args {
	char strings[EXEC_STRINGS_MAX];   /* argv strings, then envp strings, each NUL-ended */
	size_t used;
	int argc, envc;
};

int exec_args_add(struct exec_args *a, const char *s, size_t len, bool is_env);
int exec_script_resolve(char *path, size_t size, struct exec_args *a);

#endif
