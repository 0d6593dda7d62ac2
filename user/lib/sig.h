/*
 * sig.h - signal names for messages ("SIGSEGV" rather than "11").
 *
 * Header-only, shared by the shell and the test programs. Numbers are the
 * Linux x86-64 ones, which is what pagoda implements (docs/design.md
 * section 7).
 */
#ifndef USER_SIG_H
#define USER_SIG_H

/* Returns the name of signal sig, e.g. "SIGSEGV", or "SIG?" if unknown. */
static inline const char *
sig_name(int sig)
{
	static const char *const names[] = {
		[1] = "SIGHUP",   [2] = "SIGINT",     [3] = "SIGQUIT",  [4] = "SIGILL",
		[5] = "SIGTRAP",  [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",
		[9] = "SIGKILL",  [10] = "SIGUSR1",   [11] = "SIGSEGV", [12] = "SIGUSR2",
		[13] = "SIGPIPE", [14] = "SIGALRM",   [15] = "SIGTERM", [16] = "SIGSTKFLT",
		[17] = "SIGCHLD", [18] = "SIGCONT",   [19] = "SIGSTOP", [20] = "SIGTSTP",
		[21] = "SIGTTIN", [22] = "SIGTTOU",   [23] = "SIGURG",  [24] = "SIGXCPU",
		[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
		[29] = "SIGIO",   [30] = "SIGPWR",    [31] = "SIGSYS",
	};

	if (sig > 0 && sig < (int)(sizeof(names) / sizeof(names[0])))
		return names[sig];
	return "SIG?";
}

#endif
