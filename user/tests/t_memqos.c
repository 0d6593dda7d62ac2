/*
 * t_memqos - memory.high, memory.min and memory.low, memory.oom.group and
 * pressure stall information, from user space (docs/memory-groups.md).
 *
 * t_memqos            (run as init at MEM=64M: it needs the root group,
 *                      and a machine whose memory a hog can fill)
 *
 *   knobs       the new files' defaults, what they accept, EINVAL for
 *               garbage (changing nothing)
 *   move        a process moved to another group charges its new pages
 *               there; what it had stays where it was
 *   high        memory.high 4M, a 16 MiB working set: the group is
 *               throttled (memory.events high), never killed, stays near
 *               4 MiB (memory.peak), its data verified; its pressure grows
 *   shrink      memory.max written below memory.current: reclaimed at once
 *   protect     under a global hog, a group within memory.min keeps its
 *               pages (no swap, no refaults) and one within memory.low too,
 *               while an unprotected one loses them
 *   lowbreach   memory.low gives way when nothing unprotected is left
 *   oomgroup    memory.oom.group 1: the OOM killer takes every process of
 *               the group, not only the one with the highest badness
 *   qos         global OOM: of a Guaranteed pod (oom_score_adj -997) and a
 *               BestEffort one (1000) half its size, neither allowed to
 *               swap, the BestEffort one is killed
 *   psi         /proc/pressure/memory: Linux's format; "some" grows while
 *               the hog thrashes and stays put while nothing runs
 *
 * On Linux it checks nothing (it would need root and a cgroup v2 mount):
 * it says so and exits 0.
 */
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>

#include "cgroupfs.h"
#include "check.h"

#define PAGE 4096
#define MIB (1024L * 1024)

static void
sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&t, &t) != 0)
		;
}

/* Writes every page of a fresh mapping of size bytes, twice, then checks them. Returns errors. */
static size_t
touch_and_verify(size_t size)
{
	size_t npages = size / PAGE, errors = 0;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return npages;
	for (int pass = 0; pass < 2; pass++)
		for (size_t p = 0; p < npages; p++)
			*(volatile uint64_t *)(m + p * PAGE) = tag(p);
	for (size_t p = 0; p < npages; p++)
		errors += *(volatile uint64_t *)(m + p * PAGE) != tag(p);
	munmap(m, size);
	return errors;
}

/* Writes a byte in every page of m (volatile: the compiler may not drop it). */
static void
dirty(char *m, size_t size)
{
	for (size_t off = 0; off < size; off += PAGE)
		*(volatile char *)(m + off) = 1;
}

static int
hog16(void)
{
	size_t errors = touch_and_verify(16 * MIB);

	say("# hog16: errors=%zu\n", errors);
	return errors ? 1 : 0;
}

/* The "some" or "full" line's field of a pressure file ("total" or "avg10"). */
static double
pressure(const char *path, const char *kind, const char *field)
{
	char buf[256], key[32];
	const char *line, *at;

	proc_load(path, buf, sizeof(buf));
	line = strstr(buf, kind);
	snprintf(key, sizeof(key), "%s=", field);
	at = line ? strstr(line, key) : NULL;
	return at ? strtod(at + strlen(key), NULL) : -1;
}

static void
knob_checks(void)
{
	char buf[64];

	mkdir(CG "/k", 0755);
	CHECK("knobs/defaults", strcmp(get(file_of("k", "memory.high"), buf, sizeof(buf)), "max") == 0 &&
	      num(file_of("k", "memory.min"), NULL) == 0 && num(file_of("k", "memory.low"), NULL) == 0 &&
	      num(file_of("k", "memory.oom.group"), NULL) == 0, "a default is off");
	CHECK("knobs/high_4M", put(file_of("k", "memory.high"), "4M") == 0 &&
	      num(file_of("k", "memory.high"), NULL) == 4 * MIB, "memory.high reads %ld",
	      num(file_of("k", "memory.high"), NULL));
	CHECK("knobs/high_garbage_einval", put(file_of("k", "memory.high"), "4X") == EINVAL &&
	      put(file_of("k", "memory.high"), "-1") == EINVAL &&
	      num(file_of("k", "memory.high"), NULL) == 4 * MIB, "garbage accepted or value changed");
	CHECK("knobs/min_rounds_down_to_pages", put(file_of("k", "memory.min"), "10000") == 0 &&
	      num(file_of("k", "memory.min"), NULL) == 8192, "memory.min reads %ld",
	      num(file_of("k", "memory.min"), NULL));
	CHECK("knobs/low_max", put(file_of("k", "memory.low"), "max") == 0 &&
	      strcmp(get(file_of("k", "memory.low"), buf, sizeof(buf)), "max") == 0, "\"%s\"", buf);
	CHECK("knobs/oom_group_1", put(file_of("k", "memory.oom.group"), "1") == 0 &&
	      num(file_of("k", "memory.oom.group"), NULL) == 1, "not 1");
	CHECK("knobs/oom_group_2_einval", put(file_of("k", "memory.oom.group"), "2") == EINVAL &&
	      put(file_of("k", "memory.oom.group"), "yes") == EINVAL &&
	      num(file_of("k", "memory.oom.group"), NULL) == 1, "bad value accepted or value changed");
	CHECK("knobs/pressure_read_only", put(file_of("k", "memory.pressure"), "1") == EACCES,
	      "memory.pressure was writable");
	CHECK("knobs/pressure_format", pressure(file_of("k", "memory.pressure"), "some", "avg10") == 0 &&
	      pressure(file_of("k", "memory.pressure"), "full", "total") == 0,
	      "a new group's memory.pressure is not all 0");
	CHECK("knobs/rmdir", rmdir_err(CG "/k") == 0, "errno %d", errno);
}

/* The mover's steps, each started by a byte from the parent. */
static int steps[2], done[2];

static void
step_done(void)
{
	(void)!write(done[1], "d", 1);
}

static bool
wait_step(int fd)
{
	char c;

	return read(fd, &c, 1) == 1;
}

static int
mover(void)
{
	char *a = malloc(2 * MIB), *b;

	if (!a)
		return 100;
	dirty(a, 2 * MIB);
	step_done();
	if (!wait_step(steps[0]) || (b = malloc(2 * MIB)) == NULL)
		return 101;
	dirty(b, 2 * MIB);
	step_done();
	return wait_step(steps[0]) ? 0 : 102;
}

static void
move_scenario(void)
{
	char pid_text[16];
	long a_before, a_after, b_after;
	int status;
	pid_t pid;

	mkdir(CG "/ma", 0755);
	mkdir(CG "/mb", 0755);
	if (pipe(steps) != 0 || pipe(done) != 0)
		return;
	pid = spawn_in("ma", mover);
	wait_step(done[0]);
	a_before = num(file_of("ma", "memory.current"), NULL);
	snprintf(pid_text, sizeof(pid_text), "%d", pid);
	put(file_of("mb", "cgroup.procs"), pid_text);
	(void)!write(steps[1], "s", 1);
	wait_step(done[0]);
	a_after = num(file_of("ma", "memory.current"), NULL);
	b_after = num(file_of("mb", "memory.current"), NULL);
	CHECK("move/old_charges_stay", a_before >= 2 * MIB && a_after == a_before,
	      "ma: %ld before the move, %ld after", a_before, a_after);
	CHECK("move/new_charges_go_to_new_group", b_after >= 2 * MIB, "mb: %ld", b_after);
	(void)!write(steps[1], "s", 1);
	waitpid(pid, &status, 0);
	check_exited_with("move/mover_exits_0", status, 0);
	CHECK("move/anon_uncharged_after_exit", proc_get(file_of("ma", "memory.stat"), "anon") == 0 &&
	      proc_get(file_of("mb", "memory.stat"), "anon") == 0, "anon left");
	rmdir(CG "/ma");
	rmdir(CG "/mb");
}

static void
high_scenario(void)
{
	long peak, high = 4 * MIB;
	int status;
	pid_t pid;

	mkdir(CG "/high", 0755);
	put(file_of("high", "memory.high"), "4M");
	pid = spawn_in("high", hog16);
	waitpid(pid, &status, 0);
	peak = num(file_of("high", "memory.peak"), NULL);
	check_exited_with("high/hog_verified_not_killed", status, 0);
	CHECK("high/events_high_counted", proc_get(file_of("high", "memory.events"), "high") > 0,
	      "memory.events high is 0");
	CHECK("high/no_oom", proc_get(file_of("high", "memory.events"), "oom_kill") == 0 &&
	      proc_get(file_of("high", "memory.events"), "max") == 0, "the group hit max or OOM");
	CHECK("high/peak_near_high", peak <= high + MIB && peak >= high - MIB,
	      "memory.peak %ld, memory.high %ld", peak, high);
	CHECK("high/swapped_to_stay_under", proc_get("/proc/vmstat", "pswpout") > 0, "no swap-outs");
	CHECK("high/pressure_total_grew", pressure(file_of("high", "memory.pressure"), "some",
	      "total") > 0, "memory.pressure some total is 0");
	rmdir(CG "/high");
}

/* A child that keeps 8 MiB until told, sleeping meanwhile. */
static int hold_go[2];

static int
holder(void)
{
	char *m = malloc(8 * MIB);

	if (!m)
		return 100;
	dirty(m, 8 * MIB);
	step_done();
	return wait_step(hold_go[0]) ? 0 : 101;
}

static void
shrink_scenario(void)
{
	long before, after;
	int status;
	pid_t pid;

	mkdir(CG "/shrink", 0755);
	if (pipe(done) != 0 || pipe(hold_go) != 0)
		return;
	pid = spawn_in("shrink", holder);
	wait_step(done[0]);
	before = num(file_of("shrink", "memory.current"), NULL);
	CHECK("shrink/write_max_below_current", put(file_of("shrink", "memory.max"), "4M") == 0,
	      "errno %d", errno);
	after = num(file_of("shrink", "memory.current"), NULL);
	CHECK("shrink/reclaimed_at_once", before >= 8 * MIB && after <= 4 * MIB,
	      "memory.current %ld before, %ld after", before, after);
	CHECK("shrink/went_to_swap", num(file_of("shrink", "memory.swap.current"), NULL) > 0,
	      "memory.swap.current is 0");
	(void)!write(hold_go[1], "g", 1);
	waitpid(pid, &status, 0);
	check_exited_with("shrink/holder_exits_0", status, 0);
	rmdir(CG "/shrink");
}

/* A resident set of resident_mib MiB (8 unless set), checked again after a hog. */
static int resident_go[2];
static long resident_mib = 8;

static int
resident(void)
{
	size_t size = (size_t)resident_mib * MIB, npages = size / PAGE, errors = 0;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return 100;
	for (size_t p = 0; p < npages; p++)
		*(uint64_t *)(m + p * PAGE) = tag(p);
	step_done();
	if (!wait_step(resident_go[0]))
		return 101;
	for (size_t p = 0; p < npages; p++)
		errors += *(uint64_t *)(m + p * PAGE) != tag(p);
	return errors ? 1 : 0;
}

static int
global_hog(void)
{
	size_t errors = touch_and_verify(72 * MIB);

	say("# global hog: errors=%zu\n", errors);
	return errors ? 1 : 0;
}

static int
hog48(void)
{
	size_t errors = touch_and_verify(48 * MIB);

	say("# hog48: errors=%zu\n", errors);
	return errors ? 1 : 0;
}

/*
 * Group's swap use after the hog (swapped, read while its process is still
 * alive) and its major faults as it touched its pages again (majflt):
 * a protected group has no swap and at most a few refaults (pages of the
 * program itself, which the group does not own); an unprotected one has
 * lost many pages.
 */
static void
check_protected(const char *group, bool protected, long swapped, long majflt, int status)
{
	char name[96];

	snprintf(name, sizeof(name), "protect/%s_data_intact", group);
	check_exited_with(name, status, 0);
	snprintf(name, sizeof(name), "protect/%s_%s", group, protected ? "kept_its_pages" :
		 "lost_pages_to_the_hog");
	CHECK(name, protected ? swapped == 0 && majflt < 16 : swapped > MIB && majflt > 256,
	      "memory.swap.current %ld, pgmajfault %ld", swapped, majflt);
}

static void
protect_scenario(void)
{
	static const char *const groups[] = { "pmin", "plow", "pnone" };
	pid_t pids[3], hog;
	long pswpin_before, swapped[3], majflt[3];
	int status[3], hog_status;
	double some_before;

	if (pipe(done) != 0 || pipe(resident_go) != 0)
		return;
	for (int i = 0; i < 3; i++) {
		mkdir(file_of(groups[i], ""), 0755);
		pids[i] = spawn_in(groups[i], resident);
		wait_step(done[0]);
	}
	put(file_of("pmin", "memory.min"), "10M");
	put(file_of("plow", "memory.low"), "10M");
	some_before = pressure("/proc/pressure/memory", "some", "total");
	pswpin_before = proc_get("/proc/vmstat", "pswpin");
	mkdir(CG "/hog", 0755);
	hog = spawn_in("hog", global_hog);
	waitpid(hog, &hog_status, 0);
	check_exited_with("protect/hog_verified", hog_status, 0);
	CHECK("protect/psi_some_grew_while_thrashing",
	      pressure("/proc/pressure/memory", "some", "total") > some_before &&
	      proc_get("/proc/vmstat", "pswpin") > pswpin_before, "some total %f -> %f",
	      some_before, pressure("/proc/pressure/memory", "some", "total"));
	for (int i = 0; i < 3; i++) {
		swapped[i] = num(file_of(groups[i], "memory.swap.current"), NULL);
		majflt[i] = proc_get(file_of(groups[i], "memory.stat"), "pgmajfault");
	}
	for (int i = 0; i < 3; i++)
		(void)!write(resident_go[1], "g", 1);
	for (int i = 0; i < 3; i++) {
		waitpid(pids[i], &status[i], 0);
		majflt[i] = proc_get(file_of(groups[i], "memory.stat"), "pgmajfault") - majflt[i];
		check_protected(groups[i], i < 2, swapped[i], majflt[i], status[i]);
	}
	CHECK("protect/low_not_breached", proc_get(file_of("plow", "memory.events"), "low") == 0,
	      "memory.events low %ld", proc_get(file_of("plow", "memory.events"), "low"));
	for (int i = 0; i < 3; i++)
		rmdir(file_of(groups[i], ""));
	rmdir(CG "/hog");
}

/*
 * memory.low is best effort: a group within it (20 MiB of 30) keeps its
 * pages only while something unprotected can go instead. Here the hog
 * may not swap (memory.swap.max 0) and needs 48 MiB, so once the root's
 * few pages are gone the low group gives way: its pages go to swap,
 * memory.events low counts it, and both finish with their data intact.
 */
static void
low_breach_scenario(void)
{
	int r_status, h_status;
	long swapped;
	pid_t r, h;

	mkdir(CG "/lb", 0755);
	mkdir(CG "/noswaphog", 0755);
	put(file_of("lb", "memory.low"), "30M");
	put(file_of("noswaphog", "memory.swap.max"), "0");
	if (pipe(done) != 0 || pipe(resident_go) != 0)
		return;
	resident_mib = 20;
	r = spawn_in("lb", resident);
	wait_step(done[0]);
	h = spawn_in("noswaphog", hog48);
	waitpid(h, &h_status, 0);
	swapped = num(file_of("lb", "memory.swap.current"), NULL);
	(void)!write(resident_go[1], "g", 1);
	waitpid(r, &r_status, 0);
	check_exited_with("lowbreach/hog_finishes", h_status, 0);
	check_exited_with("lowbreach/low_group_data_intact", r_status, 0);
	CHECK("lowbreach/low_gave_way", swapped > 0 &&
	      proc_get(file_of("lb", "memory.events"), "low") > 0,
	      "memory.swap.current %ld, memory.events low %ld", swapped,
	      proc_get(file_of("lb", "memory.events"), "low"));
	rmdir(CG "/lb");
	rmdir(CG "/noswaphog");
}

/* The oom.group's sleeper: 1 MiB, then waits to be killed with the hog. */
static int
sleeper(void)
{
	char *m = malloc(MIB);

	if (!m)
		return 100;
	dirty(m, MIB);
	step_done();
	for (;;)
		pause();
}

static void
oom_group_scenario(void)
{
	int s_status, h_status;
	pid_t s, h;

	mkdir(CG "/og", 0755);
	put(file_of("og", "memory.max"), "8M");
	put(file_of("og", "memory.swap.max"), "0");
	put(file_of("og", "memory.oom.group"), "1");
	if (pipe(done) != 0)
		return;
	s = spawn_in("og", sleeper);
	wait_step(done[0]);
	h = spawn_in("og", hog16);
	waitpid(h, &h_status, 0);
	waitpid(s, &s_status, 0);
	check_killed_by("oomgroup/hog_killed", h_status, SIGKILL);
	check_killed_by("oomgroup/sleeper_killed_with_it", s_status, SIGKILL);
	CHECK("oomgroup/oom_kill_2", proc_get(file_of("og", "memory.events"), "oom_kill") == 2,
	      "memory.events oom_kill %ld", proc_get(file_of("og", "memory.events"), "oom_kill"));
	CHECK("oomgroup/rmdir_after", rmdir_err(CG "/og") == 0, "errno %d", errno);
}

/* Writes the caller's oom_score_adj; then fn. */
static int adj_value;
static int (*adj_then)(void);

static int
with_adj(void)
{
	char text[16];

	snprintf(text, sizeof(text), "%d", adj_value);
	if (put("/proc/self/oom_score_adj", text) != 0)
		return 103;
	return adj_then();
}

static pid_t
spawn_with_adj(const char *group, int adj, int (*fn)(void))
{
	adj_value = adj;
	adj_then = fn;
	return spawn_in(group, with_adj);
}

/*
 * Kubernetes' QoS classes under global pressure, neither pod allowed to
 * swap (LimitedSwap gives both 0): a BestEffort pod (oom_score_adj 1000)
 * holds 20 MiB, a Guaranteed one (-997) grows to 48 MiB. When memory runs
 * out the machine's OOM killer takes the BestEffort pod, though the
 * Guaranteed one is more than twice its size and is the one asking; then
 * the Guaranteed pod fits and finishes.
 */
static void
qos_scenario(void)
{
	int g_status, b_status;
	pid_t g, b;

	mkdir(CG "/guaranteed", 0755);
	mkdir(CG "/besteffort", 0755);
	put(file_of("guaranteed", "memory.swap.max"), "0");
	put(file_of("besteffort", "memory.swap.max"), "0");
	if (pipe(done) != 0 || pipe(resident_go) != 0)
		return;
	resident_mib = 20;
	b = spawn_with_adj("besteffort", 1000, resident);
	wait_step(done[0]);
	g = spawn_with_adj("guaranteed", -997, hog48);
	waitpid(g, &g_status, 0);
	(void)!write(resident_go[1], "g", 1);
	waitpid(b, &b_status, 0);
	check_killed_by("qos/besteffort_killed", b_status, SIGKILL);
	check_exited_with("qos/guaranteed_finishes_data_intact", g_status, 0);
	CHECK("qos/oom_kill_in_besteffort_only",
	      proc_get(file_of("besteffort", "memory.events"), "oom_kill") == 1 &&
	      proc_get(file_of("guaranteed", "memory.events"), "oom_kill") == 0,
	      "oom_kill: besteffort %ld, guaranteed %ld",
	      proc_get(file_of("besteffort", "memory.events"), "oom_kill"),
	      proc_get(file_of("guaranteed", "memory.events"), "oom_kill"));
	rmdir(CG "/guaranteed");
	rmdir(CG "/besteffort");
}

static void
psi_idle_checks(void)
{
	char buf[256];
	double some, full;

	proc_load("/proc/pressure/memory", buf, sizeof(buf));
	CHECK("psi/format", strncmp(buf, "some avg10=", 11) == 0 && strstr(buf, "\nfull avg10=") &&
	      strstr(buf, " avg60=") && strstr(buf, " avg300=") && strstr(buf, " total="),
	      "/proc/pressure/memory: \"%s\"", buf);
	/* Once, to bring back whatever of ours the hogs sent to swap (a swap-in is a stall). */
	sleep_ms(100);
	some = pressure("/proc/pressure/memory", "some", "total");
	full = pressure("/proc/pressure/memory", "full", "total");
	sleep_ms(100);
	some = pressure("/proc/pressure/memory", "some", "total");
	full = pressure("/proc/pressure/memory", "full", "total");
	sleep_ms(1500);
	CHECK("psi/flat_while_idle", pressure("/proc/pressure/memory", "some", "total") == some &&
	      pressure("/proc/pressure/memory", "full", "total") == full,
	      "some total %f -> %f", some, pressure("/proc/pressure/memory", "some", "total"));
	CHECK("psi/full_within_some", full <= some, "full %f > some %f", full, some);
}

int
main(void)
{

	if (!running_on_pagoda()) {
		say("# not pagoda: nothing to check without root and cgroup v2\n");
		return 0;
	}
	put(CG "/cgroup.subtree_control", "+memory");
	knob_checks();
	move_scenario();
	high_scenario();
	shrink_scenario();
	protect_scenario();
	low_breach_scenario();
	oom_group_scenario();
	qos_scenario();
	psi_idle_checks();
	return check_exit();
}
