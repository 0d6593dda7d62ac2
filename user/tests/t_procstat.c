/*
 * t_procstat - process and system accounting as Linux reports it: the
 * system calls times, getrusage and sysinfo, and the /proc files ps, top,
 * free, uptime and vmstat read.
 *
 * Runs on the host too (tests/user-host.sh), where every check must pass
 * as well, so each one holds on a real Linux: CPU time grows after a busy
 * loop and a reaped child's time reaches RUSAGE_CHILDREN and wait4's
 * rusage; a bad `who` is EINVAL; sysinfo agrees with /proc/meminfo and /proc/uptime;
 * /proc/PID/stat has 52 fields whose first ones are getpid, comm, state,
 * getppid, getpgrp and getsid; a stopped child is in state T;
 * /proc/PID/cmdline is a child's argv; /proc/loadavg, /proc/stat,
 * /proc/uptime and /proc/PID/statm parse; /proc/self/comm can be written,
 * as prctl(PR_SET_NAME) does (15 bytes kept); /proc lists our pid;
 * /proc/self/exe is a link to this program, which execve can run again;
 * readlink of what is not a link is EINVAL, of what is missing ENOENT.
 *
 * Modes for its own children: "--hello" prints a line and exits 42 (run
 * through /proc/self/exe); "--wait ARGS..." writes one byte to stdout and
 * sleeps until killed (its cmdline is read meanwhile).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>

#include "check.h"

#define HELLO_STATUS 42

static char self_path[PATH_MAX];       /* argv[0], made absolute */

/* The raw system call, -errno on failure (musl's wrappers check some arguments). */
static long
raw(long nr, long a, long b, long c)
{
	long r = syscall(nr, a, b, c);

	return r < 0 ? -errno : r;
}

/* Reads a whole (small) file into buf, NUL-terminated. Returns its length or -1. */
static int
read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), n = 0, r;

	if (fd < 0)
		return -1;
	while ((size_t)n < size - 1 && (r = (int)read(fd, buf + n, size - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return n;
}

/* Burns CPU in user mode until times() says at least ticks more of it went by (or 10 s). */
static void
busy_for(long ticks)
{
	struct tms t0, t;
	clock_t start = times(&t0);
	volatile unsigned long x = 0;

	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i * 7;
	} while (times(&t) - start < 10 * sysconf(_SC_CLK_TCK) && t.tms_utime - t0.tms_utime < ticks);
}

static long
tv_us(struct timeval tv)
{
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

static void
cpu_time(void)
{
	struct tms before, after;
	struct rusage ru0, ru1, th;

	times(&before);
	getrusage(RUSAGE_SELF, &ru0);
	busy_for(5);
	times(&after);
	getrusage(RUSAGE_SELF, &ru1);
	CHECK("times_utime_grows", after.tms_utime >= before.tms_utime + 5,
	      "utime %ld -> %ld ticks after a busy loop", (long)before.tms_utime, (long)after.tms_utime);
	CHECK("getrusage_self_utime_grows", tv_us(ru1.ru_utime) > tv_us(ru0.ru_utime),
	      "ru_utime %ld -> %ld us", tv_us(ru0.ru_utime), tv_us(ru1.ru_utime));
	CHECK("getrusage_thread", getrusage(RUSAGE_THREAD, &th) == 0 && tv_us(th.ru_utime) > 0,
	      "RUSAGE_THREAD: utime %ld us", tv_us(th.ru_utime));
	CHECK("getrusage_minflt_counted", ru1.ru_minflt > 0, "ru_minflt is %ld", ru1.ru_minflt);
	CHECK("getrusage_maxrss_kib", ru1.ru_maxrss > 0 && ru1.ru_maxrss < 1024 * 1024,
	      "ru_maxrss is %ld KiB", ru1.ru_maxrss);
	CHECK("getrusage_bad_who_is_einval", raw(SYS_getrusage, 5, (long)&th, 0) == -EINVAL &&
	      raw(SYS_getrusage, -2, (long)&th, 0) == -EINVAL, "who 5 or -2 did not fail with EINVAL");
	CHECK("getrusage_bad_pointer_is_efault", raw(SYS_getrusage, RUSAGE_SELF, 8, 0) == -EFAULT,
	      "getrusage into address 8 did not fail with EFAULT");
}

static int
busy_child(void *unused)
{
	(void)unused;
	busy_for(10);
	return 0;
}

/* A reaped child's CPU time is the parent's children's time, in both calls. */
static void
children_time(void)
{
	struct tms before, after;
	struct rusage ru0, ru1;
	char why[64];
	int status;

	times(&before);
	getrusage(RUSAGE_CHILDREN, &ru0);
	status = run_in_child(busy_child, NULL);
	times(&after);
	getrusage(RUSAGE_CHILDREN, &ru1);
	CHECK("child_ran", status == 0, "the busy child %s", describe_status(status, why, sizeof(why)));
	CHECK("times_cutime_has_reaped_child", after.tms_cutime >= before.tms_cutime + 10,
	      "cutime %ld -> %ld ticks", (long)before.tms_cutime, (long)after.tms_cutime);
	CHECK("rusage_children_has_reaped_child",
	      tv_us(ru1.ru_utime) >= tv_us(ru0.ru_utime) + 100000,
	      "RUSAGE_CHILDREN utime %ld -> %ld us", tv_us(ru0.ru_utime), tv_us(ru1.ru_utime));
}

/* wait4's rusage is the reaped child's own time. */
static void
wait4_rusage(void)
{
	struct rusage ru;
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(busy_child(NULL));
	memset(&ru, 0, sizeof(ru));
	CHECK("wait4_rusage_is_childs", wait4(pid, &status, 0, &ru) == pid &&
	      tv_us(ru.ru_utime) >= 100000 && ru.ru_minflt > 0,
	      "wait4 gave utime %ld us, %ld minor faults", tv_us(ru.ru_utime), ru.ru_minflt);
}

/* "Name:   1234 kB" in /proc/meminfo, in KiB; -1 if missing. */
static long
meminfo_kib(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static long
diff(long a, long b)
{
	return a > b ? a - b : b - a;
}

static void
system_info(void)
{
	struct sysinfo si;
	char text[4096];
	double up = -1, idle = -1;

	CHECK("sysinfo_works", sysinfo(&si) == 0, "sysinfo: %s", strerror(errno));
	CHECK("meminfo_reads", read_file("/proc/meminfo", text, sizeof(text)) > 0, "no /proc/meminfo");
	long unit = si.mem_unit ? (long)si.mem_unit : 1;
	long total = (long)(si.totalram * (unsigned long)unit / 1024);
	long free_kib = (long)(si.freeram * (unsigned long)unit / 1024);
	long mem_total = meminfo_kib(text, "MemTotal:");
	CHECK("sysinfo_totalram_is_memtotal", diff(total, mem_total) <= 16,
	      "totalram %ld KiB, MemTotal %ld KiB", total, mem_total);
	/* Others use memory meanwhile on the host: within 1/32 of it all. */
	CHECK("sysinfo_freeram_is_memfree", diff(free_kib, meminfo_kib(text, "MemFree:")) <=
	      16 + mem_total / 32, "freeram %ld KiB, MemFree %ld KiB", free_kib,
	      meminfo_kib(text, "MemFree:"));
	CHECK("sysinfo_totalswap_is_swaptotal",
	      diff((long)(si.totalswap * (unsigned long)unit / 1024), meminfo_kib(text, "SwapTotal:")) <= 16,
	      "totalswap %lu, SwapTotal %ld KiB", si.totalswap, meminfo_kib(text, "SwapTotal:"));
	CHECK("sysinfo_procs", si.procs >= 1, "procs is %u", si.procs);
	CHECK("uptime_reads", read_file("/proc/uptime", text, sizeof(text)) > 0 &&
	      sscanf(text, "%lf %lf", &up, &idle) == 2 && up > 0 && idle >= 0,
	      "/proc/uptime is \"%s\"", text);
	CHECK("sysinfo_uptime_is_proc_uptime", diff(si.uptime, (long)up) <= 2,
	      "sysinfo %ld s, /proc/uptime %.2f s", si.uptime, up);
	CHECK("sysinfo_bad_pointer_is_efault", raw(SYS_sysinfo, 8, 0, 0) == -EFAULT,
	      "sysinfo into address 8 did not fail with EFAULT");
}

/* Splits /proc/PID/stat after "(comm)": fields[3..] (1-based as man 5 proc). */
static int
stat_fields(const char *text, char *comm, size_t comm_size, char state[2], long long *fields, int max)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	int n = 3;
	char *end;

	if (!open || !close || close < open)
		return 0;
	fields[1] = strtoll(text, NULL, 10);
	snprintf(comm, comm_size, "%.*s", (int)(close - open - 1), open + 1);
	state[0] = close[2];
	state[1] = '\0';
	for (const char *p = close + 3; n < max; n++, p = end) {
		fields[n + 1] = strtoll(p, &end, 10);
		if (end == p)
			break;
	}
	return n;
}

static void
pid_stat(void)
{
	char text[1024], comm[32], state[2];
	long long f[64];
	struct tms t;
	int n;

	times(&t);
	read_file("/proc/self/stat", text, sizeof(text));
	n = stat_fields(text, comm, sizeof(comm), state, f, 60);
	CHECK("stat_has_52_fields", n == 52, "%d fields in \"%s\"", n, text);
	CHECK("stat_pid_ppid_pgrp_session", f[1] == getpid() && f[4] == getppid() &&
	      f[5] == getpgrp() && f[6] == getsid(0), "pid %lld ppid %lld pgrp %lld session %lld",
	      f[1], f[4], f[5], f[6]);
	CHECK("stat_comm", strcmp(comm, "t_procstat") == 0, "comm is \"%s\"", comm);
	CHECK("stat_state_running", state[0] == 'R', "state is %s", state);
	CHECK("stat_utime_is_times", llabs(f[14] - (long long)t.tms_utime) <= 5,
	      "utime %lld, times() %ld", f[14], (long)t.tms_utime);
	CHECK("stat_threads_one", f[20] == 1, "num_threads is %lld", f[20]);
	CHECK("stat_vsize_rss", f[23] > 0 && f[24] >= 0 && f[23] / 4096 >= f[24],
	      "vsize %lld bytes, rss %lld pages", f[23], f[24]);
	CHECK("stat_arg_start_end", f[48] > 0 && f[49] > f[48], "arg_start %#llx arg_end %#llx",
	      f[48], f[49]);
	read_file("/proc/self/comm", text, sizeof(text));
	CHECK("comm_file", strcmp(text, "t_procstat\n") == 0, "/proc/self/comm is \"%s\"", text);
	int fd = open("/proc/self/comm", O_WRONLY);
	CHECK("comm_writable", fd >= 0 && write(fd, "renamed-and-cut-short", 21) == 21 &&
	      read_file("/proc/self/comm", text, sizeof(text)) > 0 &&
	      strcmp(text, "renamed-and-cut\n") == 0, "after a write, comm is \"%s\"", text);
	if (fd >= 0)
		close(fd);
	char got[16] = "";
	CHECK("prctl_set_get_name", prctl(PR_SET_NAME, "prctl-named-it-too-long") == 0 &&
	      prctl(PR_GET_NAME, got) == 0 && strcmp(got, "prctl-named-it-") == 0 &&
	      read_file("/proc/self/comm", text, sizeof(text)) > 0 &&
	      strcmp(text, "prctl-named-it-\n") == 0, "PR_GET_NAME \"%s\", comm \"%s\"", got, text);
	CHECK("prctl_unknown_is_einval", raw(SYS_prctl, 0x7fff, 0, 0) == -EINVAL,
	      "prctl(0x7fff) did not fail with EINVAL");
	prctl(PR_SET_NAME, "t_procstat");                       /* the name back */
	long sz = 0, res = 0, shared, txt, lib, data, dt;
	read_file("/proc/self/statm", text, sizeof(text));
	CHECK("statm_parses", sscanf(text, "%ld %ld %ld %ld %ld %ld %ld", &sz, &res, &shared, &txt,
				     &lib, &data, &dt) == 7 && res > 0 && sz >= res,
	      "/proc/self/statm is \"%s\"", text);
}

/* A child stopped by SIGSTOP is in state T. */
static void
stopped_state(void)
{
	char path[64], text[1024], comm[32], state[2] = "?";
	long long f[64];
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	read_file(path, text, sizeof(text));
	stat_fields(text, comm, sizeof(comm), state, f, 60);
	CHECK("stopped_child_state_T", WIFSTOPPED(status) && state[0] == 'T',
	      "state %s of a stopped child (%s)", state, text);
	CHECK("child_ppid_is_us", f[4] == getpid(), "ppid %lld", f[4]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

/* A child run with known arguments: its /proc/PID/cmdline is exactly them, NUL after each. */
static void
child_cmdline(void)
{
	char *const args[] = { self_path, "--wait", "two words", "", "*", NULL };
	char want[512], text[512], path[64], byte;
	int fds[2], status, len = 0;
	pid_t pid;

	for (int i = 0; args[i]; i++)
		len += snprintf(want + len, sizeof(want) - (size_t)len, "%s", args[i]) + 1;
	if (pipe(fds) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execv(self_path, args);
		_exit(127);
	}
	close(fds[1]);
	CHECK("wait_child_started", read(fds[0], &byte, 1) == 1, "the --wait child said nothing");
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	int n = read_file(path, text, sizeof(text));
	CHECK("cmdline_is_argv", n == len && memcmp(text, want, (size_t)len) == 0,
	      "%d bytes, want %d: \"%s\"", n, len, text);
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	read_file(path, text, sizeof(text));
	CHECK("child_comm", strcmp(text, "t_procstat\n") == 0, "comm is \"%s\"", text);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fds[0]);
}

static void
load_and_stat(void)
{
	char text[8192];
	double l1, l5, l15;
	int running = 0, total = 0, last = 0;
	unsigned long long v[10] = { 0 }, sum0 = 0, sum1 = 0;

	read_file("/proc/loadavg", text, sizeof(text));
	CHECK("loadavg_parses", sscanf(text, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total,
				       &last) == 6 && running >= 1 && total >= running && last > 0 &&
	      l1 >= 0 && l5 >= 0 && l15 >= 0, "/proc/loadavg is \"%s\"", text);
	read_file("/proc/stat", text, sizeof(text));
	int n = sscanf(text, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		       &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	for (int i = 0; i < 8; i++)      /* guest time is in user time already */
		sum0 += v[i];
	CHECK("stat_cpu_line", n == 10, "the cpu line has %d numbers: \"%.80s\"", n, text);
	CHECK("stat_cpu0_line", strstr(text, "\ncpu0 ") != NULL, "no cpu0 line");
	CHECK("stat_lines", strstr(text, "\nintr ") && strstr(text, "\nctxt ") &&
	      strstr(text, "\nbtime ") && strstr(text, "\nprocesses ") &&
	      strstr(text, "\nprocs_running ") && strstr(text, "\nprocs_blocked "),
	      "a line is missing: \"%s\"", text);
	busy_for(3);
	read_file("/proc/stat", text, sizeof(text));
	sscanf(text, "cpu  %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
	       &v[4], &v[5], &v[6], &v[7]);
	for (int i = 0; i < 8; i++)
		sum1 += v[i];
	CHECK("stat_cpu_sum_grows", sum1 > sum0, "cpu ticks %llu -> %llu", sum0, sum1);
}

/* getdents64 of /proc: our own pid is among the entries, and self. */
static void
proc_listing(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	char me[16];
	int found = 0, self = 0;

	snprintf(me, sizeof(me), "%d", getpid());
	while (d && (e = readdir(d)) != NULL) {
		found |= strcmp(e->d_name, me) == 0 && e->d_type == DT_DIR;
		self |= strcmp(e->d_name, "self") == 0;
	}
	if (d)
		closedir(d);
	CHECK("proc_lists_our_pid", found, "no directory %s in /proc", me);
	CHECK("proc_lists_self", self, "no self in /proc");
}

static void
links(void)
{
	char buf[PATH_MAX], me[16];
	struct stat st;
	long n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	CHECK("readlink_self_exe", n > 0 && strcmp(buf, self_path) == 0,
	      "readlink gave \"%s\", ran \"%s\"", buf, self_path);
	CHECK("readlink_short_buffer", readlink("/proc/self/exe", buf, 3) == 3 &&
	      memcmp(buf, self_path, 3) == 0, "a 3-byte buffer did not get 3 bytes");
	snprintf(me, sizeof(me), "%d", getpid());
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	CHECK("readlink_self_is_pid", strcmp(buf, me) == 0, "/proc/self -> \"%s\"", buf);
	CHECK("lstat_exe_is_link", lstat("/proc/self/exe", &st) == 0 && S_ISLNK(st.st_mode),
	      "lstat mode %o", st.st_mode);
	CHECK("fstatat_nofollow_is_link",
	      fstatat(AT_FDCWD, "/proc/self/exe", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	      S_ISLNK(st.st_mode), "fstatat mode %o", st.st_mode);
	CHECK("stat_exe_is_file", stat("/proc/self/exe", &st) == 0 && S_ISREG(st.st_mode),
	      "stat mode %o", st.st_mode);
	CHECK("readlink_non_link_is_einval", raw(SYS_readlink, (long)"/proc/self/stat", (long)buf,
						 sizeof(buf)) == -EINVAL,
	      "readlink of /proc/self/stat did not fail with EINVAL");
	CHECK("readlink_missing_is_enoent", raw(SYS_readlink, (long)"/proc/self/no-such-file",
						(long)buf, sizeof(buf)) == -ENOENT,
	      "readlink of a missing file did not fail with ENOENT");
	CHECK("readlinkat_zero_size_is_einval",
	      syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", buf, 0) == -1 && errno == EINVAL,
	      "readlinkat with bufsiz 0 did not fail with EINVAL");
}

/* execve("/proc/self/exe") runs this program again (busybox does it). */
static void
exec_self(void)
{
	char *const args[] = { "again", "--hello", NULL };
	char text[64] = "";
	int fds[2], status = -1;
	pid_t pid;

	if (pipe(fds) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		execv("/proc/self/exe", args);
		_exit(127);
	}
	close(fds[1]);
	int n = (int)read(fds[0], text, sizeof(text) - 1);
	text[n > 0 ? n : 0] = '\0';
	waitpid(pid, &status, 0);
	close(fds[0]);
	CHECK("execve_proc_self_exe", WIFEXITED(status) && WEXITSTATUS(status) == HELLO_STATUS &&
	      strcmp(text, "procstat hello\n") == 0, "status %#x, said \"%s\"", status, text);
}

/* vm.drop_caches: 0 is EINVAL; 1 drops the page cache (pagoda only: on the host it would drop every user's). */
static void
drop_caches(void)
{
	char text[4096];
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

	CHECK("drop_caches_zero_is_einval", fd >= 0 && write(fd, "0\n", 2) == -1 && errno == EINVAL,
	      "writing 0 did not fail with EINVAL");
	if (fd >= 0)
		close(fd);
	read_file("/proc/sys/vm/overcommit_memory", text, sizeof(text));
	CHECK("overcommit_memory_reads", text[0] >= '0' && text[0] <= '2' && text[1] == '\n',
	      "overcommit_memory is \"%s\"", text);
	if (!running_on_pagoda())
		return;
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	read_file("/proc/meminfo", text, sizeof(text));
	long before = meminfo_kib(text, "Cached:");
	CHECK("drop_caches_one", fd >= 0 && write(fd, "1\n", 2) == 2, "writing 1 failed");
	read_file("/proc/meminfo", text, sizeof(text));
	CHECK("drop_caches_drops_cached", meminfo_kib(text, "Cached:") < before,
	      "Cached %ld -> %ld KiB", before, meminfo_kib(text, "Cached:"));
	if (fd >= 0)
		close(fd);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--hello") == 0) {
		say("procstat hello\n");
		return HELLO_STATUS;
	}
	if (argc > 1 && strcmp(argv[1], "--wait") == 0) {
		(void)!write(1, "x", 1);
		for (;;)
			pause();
	}
	if (argv[0][0] == '/' || !getcwd(self_path, sizeof(self_path)))
		snprintf(self_path, sizeof(self_path), "%s", argv[0]);
	else
		snprintf(self_path + strlen(self_path), sizeof(self_path) - strlen(self_path), "/%s",
			 argv[0][0] == '.' && argv[0][1] == '/' ? argv[0] + 2 : argv[0]);
	cpu_time();
	children_time();
	wait4_rusage();
	system_info();
	pid_stat();
	stopped_state();
	child_cmdline();
	load_and_stat();
	proc_listing();
	links();
	exec_self();
	drop_caches();
	return check_exit();
}
