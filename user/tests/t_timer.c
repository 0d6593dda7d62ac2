/*
 * t_timer - sleeping and alarm clocks, as on Linux (the same binary runs
 * on the host first): nanosleep and clock_nanosleep never return early,
 * and one a handler interrupts says EINTR with the time left; alarm() and
 * setitimer(ITIMER_REAL) deliver SIGALRM, once or every interval; alarm
 * returns what the previous one had left; fork does not copy a timer; an
 * unhandled SIGALRM terminates. Times are only checked to be no shorter
 * than asked, and bounded by a generous limit so that nothing hangs.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

#include "check.h"

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static double
now(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_checks(void)
{
	struct timespec req = { 0, 150 * 1000000 }, abs;
	double t0 = now(CLOCK_MONOTONIC);
	int r;

	CHECK("sleep/nanosleep_not_early", nanosleep(&req, NULL) == 0 &&
	      now(CLOCK_MONOTONIC) - t0 >= 0.15, "slept %.3f s", now(CLOCK_MONOTONIC) - t0);
	t0 = now(CLOCK_MONOTONIC);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	CHECK("sleep/clock_nanosleep_relative", r == 0 && now(CLOCK_MONOTONIC) - t0 >= 0.15,
	      "returned %d after %.3f s", r, now(CLOCK_MONOTONIC) - t0);
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 200 * 1000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
	CHECK("sleep/clock_nanosleep_absolute", r == 0 && now(CLOCK_REALTIME) >=
	      (double)abs.tv_sec + (double)abs.tv_nsec / 1e9, "returned %d", r);
	req.tv_nsec = 1000000000;
	CHECK("sleep/bad_nsec_einval", nanosleep(&req, NULL) == -1 && errno == EINVAL, "errno %d", errno);
	CHECK("sleep/bad_clock_einval", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID + 100, 0, &req, NULL)
	      == EINVAL, "not EINVAL");
}

static void
alarm_checks(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	double t0;
	unsigned left;
	int r;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarms = 0;
	t0 = now(CLOCK_MONOTONIC);
	alarm(1);
	r = nanosleep(&req, &rem);
	CHECK("alarm/interrupts_nanosleep_eintr", r == -1 && errno == EINTR && alarms == 1 &&
	      now(CLOCK_MONOTONIC) - t0 >= 1.0, "r %d errno %d alarms %d after %.3f s", r, errno,
	      (int)alarms, now(CLOCK_MONOTONIC) - t0);
	CHECK("alarm/nanosleep_writes_time_left", rem.tv_sec >= 3 && rem.tv_sec <= 4,
	      "rem %ld.%09ld", (long)rem.tv_sec, rem.tv_nsec);
	alarm(10);
	left = alarm(0);
	CHECK("alarm/returns_previous_seconds", left == 10 || left == 9, "returned %u", left);
	CHECK("alarm/none_left_returns_0", alarm(0) == 0, "not 0");
	alarms = 0;
	alarm(1);
	pause();
	CHECK("alarm/pause_returns_after_handler", alarms == 1, "alarms %d", (int)alarms);
}

static void
itimer_checks(void)
{
	struct itimerval every = { { 0, 50000 }, { 0, 50000 } }, cur, off = { { 0, 0 }, { 0, 0 } };
	sigset_t block, old;
	double t0 = now(CLOCK_MONOTONIC);

	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	alarms = 0;
	CHECK("itimer/setitimer_real", setitimer(ITIMER_REAL, &every, NULL) == 0, "errno %d", errno);
	getitimer(ITIMER_REAL, &cur);
	CHECK("itimer/getitimer_interval_and_left", cur.it_interval.tv_usec == 50000 &&
	      cur.it_value.tv_sec == 0 && cur.it_value.tv_usec <= 50000, "interval %ld, left %ld.%06ld",
	      (long)cur.it_interval.tv_usec, (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);
	while (alarms < 4 && now(CLOCK_MONOTONIC) - t0 < 10)
		sigsuspend(&old);
	setitimer(ITIMER_REAL, &off, NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK("itimer/repeats_every_interval", alarms >= 4 && now(CLOCK_MONOTONIC) - t0 >= 0.2,
	      "%d alarms in %.3f s", (int)alarms, now(CLOCK_MONOTONIC) - t0);
	getitimer(ITIMER_REAL, &cur);
	CHECK("itimer/disarmed", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, "still armed");
	every.it_value.tv_usec = 1000000;
	CHECK("itimer/bad_usec_einval", setitimer(ITIMER_REAL, &every, NULL) == -1 && errno == EINVAL,
	      "errno %d", errno);
}

static void
fork_checks(void)
{
	int status;
	pid_t pid;

	alarm(30);
	pid = fork();
	if (pid == 0) {
		struct itimerval cur;
		getitimer(ITIMER_REAL, &cur);
		_exit(cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	alarm(0);
	check_exited_with("fork/child_has_no_timer", status, 0);
	pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		for (;;)
			pause();
	}
	waitpid(pid, &status, 0);
	check_killed_by("fork/unhandled_sigalrm_terminates", status, SIGALRM);
}

int
main(void)
{
	sleep_checks();
	alarm_checks();
	itimer_checks();
	fork_checks();
	return check_exit();
}
