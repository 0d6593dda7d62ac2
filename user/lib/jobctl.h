/*
 * jobctl.h - the shell's job control (user/sh.c), as POSIX shells do it:
 * every program runs in a process group of its own, the terminal's
 * foreground group is the program the shell waits for (so Ctrl-C and
 * Ctrl-Z reach it, not the shell), and a program Ctrl-Z stopped, or one
 * started with a final '&', is a job that `jobs`, `fg`, `bg` and `kill %N`
 * name by number. Only on a terminal: with stdin a pipe or a file (the
 * host tests, sh -c) everything stays in the shell's group.
 *
 * The shell ignores SIGINT, SIGQUIT, SIGTSTP, SIGTTIN and SIGTTOU (the
 * last so that it may take the terminal back from the background); its
 * children put the defaults back before they exec.
 */
#ifndef USER_JOBCTL_H
#define USER_JOBCTL_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_JOBS 16

struct job {
	pid_t pid;               /* 0: a free slot; also the job's process group */
	char name[32];
	bool stopped;
};

static struct job jobs[MAX_JOBS];
static bool job_control;
static pid_t shell_pgid;

static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };

/* An interactive shell on a terminal: a group of its own, in the foreground. */
static inline void
jobs_init(void)
{
	if (!isatty(0))
		return;
	job_control = true;
	setpgid(0, 0);                  /* fails for a session leader, which leads its group anyway */
	shell_pgid = getpgrp();
	for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
		signal(job_signals[i], SIG_IGN);
	tcsetpgrp(0, shell_pgid);
}

/* In the child, before exec: a group of its own, the terminal if in the foreground, default signals. */
static inline void
job_child(bool foreground)
{
	if (!job_control)
		return;
	setpgid(0, 0);
	if (foreground)
		tcsetpgrp(0, getpid());
	for (size_t i = 0; i < sizeof(job_signals) / sizeof(job_signals[0]); i++)
		signal(job_signals[i], SIG_DFL);
}

/* In the shell after fork: the same, from its side (whichever runs first, no race). */
static inline void
job_parent(pid_t pid, bool foreground)
{
	if (!job_control)
		return;
	setpgid(pid, pid);
	if (foreground)
		tcsetpgrp(0, pid);
}

/* Records a job. Returns its number (1..MAX_JOBS), or 0 if the table is full. */
static inline int
job_add(pid_t pid, const char *name, bool stopped)
{
	for (int i = 0; i < MAX_JOBS; i++) {
		if (jobs[i].pid == 0 || jobs[i].pid == pid) {
			jobs[i].pid = pid;
			snprintf(jobs[i].name, sizeof(jobs[i].name), "%s", name);
			jobs[i].stopped = stopped;
			return i + 1;
		}
	}
	return 0;
}

static inline void
job_remove(pid_t pid)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid == pid)
			jobs[i].pid = 0;
}

/* "%N", or nothing (the most recent job), or a pid. NULL if there is no such job. */
static inline struct job *
job_find(const char *spec)
{
	int n = -1;

	if (!spec) {
		for (int i = MAX_JOBS - 1; i >= 0 && n < 0; i--)
			if (jobs[i].pid)
				n = i;
	} else if (spec[0] == '%') {
		n = atoi(spec + 1) - 1;
	} else {
		for (int i = 0; i < MAX_JOBS; i++)
			if (jobs[i].pid == atoi(spec))
				n = i;
	}
	return n >= 0 && n < MAX_JOBS && jobs[n].pid ? &jobs[n] : NULL;
}

/*
 * Waits for the foreground program pid, then takes the terminal back. One
 * that was stopped (Ctrl-Z) becomes a job: "[N]+  Stopped  NAME". Returns
 * the wait status.
 */
static inline int
wait_foreground(pid_t pid, const char *name)
{
	int status = 0;

	while (waitpid(pid, &status, job_control ? WUNTRACED : 0) < 0 && errno == EINTR)
		;
	if (job_control)
		tcsetpgrp(0, shell_pgid);
	if (WIFSTOPPED(status))
		printf("[%d]+  Stopped  %s\n", job_add(pid, name, true), name);
	else
		job_remove(pid);
	return status;
}

/* jobs: "[N]  Running|Stopped  NAME" for each. */
static inline int
jobs_list(void)
{
	for (int i = 0; i < MAX_JOBS; i++)
		if (jobs[i].pid)
			printf("[%d]  %s  %s\n", i + 1, jobs[i].stopped ? "Stopped" : "Running",
			       jobs[i].name);
	return 0;
}

/* bg [%N]: a stopped job goes on in the background. */
static inline int
job_background(const char *spec)
{
	struct job *j = job_find(spec);

	if (!j) {
		fprintf(stderr, "sh: bg: no such job\n");
		return 1;
	}
	j->stopped = false;
	kill(-j->pid, SIGCONT);
	printf("[%d] %s &\n", (int)(j - jobs) + 1, j->name);
	return 0;
}

/* fg [%N]: the job gets the terminal, goes on if stopped, and the shell waits for it. */
static inline int
job_foreground(const char *spec, int *status)
{
	struct job *j = job_find(spec);
	char name[32];
	pid_t pid;

	if (!j) {
		fprintf(stderr, "sh: fg: no such job\n");
		return -1;
	}
	pid = j->pid;
	snprintf(name, sizeof(name), "%s", j->name);
	printf("%s\n", name);
	fflush(stdout);
	if (job_control)
		tcsetpgrp(0, pid);
	j->stopped = false;
	kill(-pid, SIGCONT);
	*status = wait_foreground(pid, name);
	return 0;
}

/* kill [-N] %J|PID: signal N (SIGTERM) to a job's group or a process. */
static inline int
job_kill(int argc, char **argv)
{
	int sig = SIGTERM, i = 1;
	struct job *j;
	pid_t target;

	if (argc > 1 && argv[1][0] == '-')
		sig = atoi(argv[i++] + 1);
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-N] %%JOB|PID\n");
		return 2;
	}
	j = argv[i][0] == '%' ? job_find(argv[i]) : NULL;
	target = j ? -j->pid : atoi(argv[i]);
	if ((argv[i][0] == '%' && !j) || target == 0 || kill(target, sig) != 0) {
		fprintf(stderr, "sh: kill: %s: %s\n", argv[i], j || argv[i][0] != '%' ? strerror(errno) :
			"no such job");
		return 1;
	}
	if (j && sig != SIGCONT && j->stopped)
		kill(target, SIGCONT);          /* a stopped job must run to die of it */
	return 0;
}

#endif
