/*
 * memctl - a small kubelet: runs a program the way Kubernetes runs a
 * one-container pod, in cgroup v2 memory groups, and evicts pods when the
 * node is short of memory. Why it exists: the memory-group files
 * (docs/memory-groups.md) are easiest to understand through the one
 * well-known program that sets them all; docs/memctl.md tells the rules.
 *
 *   memctl run [--name NAME] [--qos auto|guaranteed|burstable|besteffort]
 *              [--request SIZE] [--limit SIZE] [--swap-behavior NoSwap|LimitedSwap]
 *              [--memory-qos] [--keep] [--no-oom-adj] [--root DIR]
 *              [--node-memory SIZE] [--node-swap SIZE] -- PROG ARGS...
 *   memctl top [--root DIR]
 *   memctl evict --threshold memory.available<SIZE [--interval MS] [--for SECONDS]
 *              [--root DIR] [--node-memory SIZE]
 *
 * SIZE: bytes, or with K, M or G (powers of 1024). ROOT defaults to
 * /sys/fs/cgroup; pods go where the kubelet's cgroupfs driver puts them:
 * ROOT/kubepods/pod-NAME/main (Guaranteed), ROOT/kubepods/burstable/...,
 * ROOT/kubepods/besteffort/.... The rules themselves (class,
 * oom_score_adj, swap, memory.min/high, eviction order) are in
 * user/lib/k8s_qos.h. Every line memctl prints starts with "memctl: ".
 *
 * Another ROOT may be a plain directory (the host test's fake root): the
 * knobs are then plain files that memctl creates, and removing a group
 * first removes those files (cgroupfs needs no such step).
 * --no-oom-adj skips the child's write of /proc/self/oom_score_adj: an
 * unprivileged host user may not lower it (Guaranteed's -997).
 *
 * Exit status: run gives the program's status, or 128+N if signal N
 * killed it; 1 if a write failed (after removing what it made); 2 for
 * bad arguments, before anything is made.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "kubepods.h"
#include "memctl_args.h"
#include "procfs.h"
#include "sig.h"

#define PAGE_SIZE 4096          /* MemoryQoS rounds memory.high to the page (defaultPageSize) */
#define POLL_MS 50              /* how often run samples memory.swap.current */
#define MAX_MADE 8              /* root's children down to main: at most 4 levels */

extern char **environ;

/* What run computed for the pod: every knob's value (CG_MAX for "max"). */
struct plan {
	enum k8s_qos qos;
	int64_t request, limit;         /* request after defaulting to the limit */
	int adj;
	int64_t max, swap_max, min, high;
	char qos_dir[KP_PATH_LEN], pod_dir[KP_PATH_LEN], main_dir[KP_PATH_LEN];
};

static char made[MAX_MADE][KP_PATH_LEN];   /* groups this run created, outermost first */
static int nmade;

/*
 * Works out every knob of the pod from o (the rules: k8s_qos.h). Exits 2
 * if the request and limit make no pod or do not fit a forced --qos.
 */
static void
make_plan(const struct opts *o, struct plan *p)
{
	if (o->limit != 0 && o->request > o->limit) {
		fprintf(stderr, "memctl: request %lld is above limit %lld\n", (long long)o->request,
			(long long)o->limit);
		exit(2);
	}
	p->qos = k8s_qos_class(o->request, o->limit);
	if (strcmp(o->qos, "auto") != 0 && qos_arg(o->qos) != p->qos) {
		fprintf(stderr, "memctl: --qos %s does not fit request %lld, limit %lld (that is %s: "
			"guaranteed needs request == limit, besteffort neither)\n", o->qos,
			(long long)o->request, (long long)o->limit, k8s_qos_name(p->qos));
		exit(2);
	}
	p->request = k8s_effective_request(o->request, o->limit);
	p->limit = o->limit;
	p->adj = k8s_oom_score_adj(p->qos, p->request, o->node_memory);
	p->max = k8s_memory_max(p->limit);
	p->swap_max = k8s_swap_max(p->qos, p->request, p->limit, o->swap, o->node_memory,
				   o->node_swap);
	p->min = p->request;
	p->high = k8s_memory_high(p->request, p->limit, o->node_memory, PAGE_SIZE);
	snprintf(p->qos_dir, KP_PATH_LEN, "%s", kp_qos_dir(p->qos));
	snprintf(p->pod_dir, KP_PATH_LEN, "%.32s/pod-%.64s", p->qos_dir, o->name);
	snprintf(p->main_dir, KP_PATH_LEN, "%.200s/main", p->pod_dir);
}

/* Removes the groups this run made, innermost first (the failure path). */
static void
remove_made(void)
{
	while (nmade > 0)
		kp_remove_group(made[--nmade]);
}

/* Prints "memctl: FILE: strerror", removes what this run made, exits 1. */
static void
fail_write(const char *path, int err)
{
	fprintf(stderr, "memctl: %s: %s\n", path, strerror(-err));
	remove_made();
	exit(1);
}

static void
write_or_fail(const char *dir, const char *file, const char *text)
{
	char path[KP_PATH_LEN];
	int err;

	kp_path(path, dir, file);
	if ((err = cg_write(path, text)) < 0)
		fail_write(path, err);
}

/* "8388608", or "max" for CG_MAX, in text (32 bytes). */
static const char *
bytes_text(int64_t bytes, char *text)
{
	if (bytes == CG_MAX)
		return "max";
	snprintf(text, 32, "%lld", (long long)bytes);
	return text;
}

/*
 * Writes a knob of bytes (or max) and says so: "memctl: memory.max 8388608"
 * for the container, "memctl: memory.max of /kubepods/.../pod-x 8388608"
 * for another group.
 */
static void
write_knob(const char *dir, const char *file, int64_t bytes, int name_group)
{
	char path[KP_PATH_LEN], text[32];
	int err;

	kp_path(path, dir, file);
	if ((err = cg_write_bytes(path, bytes)) < 0)
		fail_write(path, err);
	printf("memctl: %s%s%s %s\n", file, name_group ? " of " : "", name_group ? dir : "",
	       bytes_text(bytes, text));
}

/* Makes the group dir (EEXIST is fine: another pod made it) and enables the
 * memory controller for its children, as the kubelet does on every level. */
static void
make_group(const char *dir, int parent_of_groups)
{
	char path[KP_PATH_LEN];
	int err;

	kp_path(path, dir, NULL);
	err = mkdir(path, 0755) == 0 ? 0 : -errno;
	if (err == 0)
		snprintf(made[nmade++], KP_PATH_LEN, "%s", dir);
	else if (err != -EEXIST)
		fail_write(path, err);
	if (parent_of_groups)
		write_or_fail(dir, "cgroup.subtree_control", "+memory\n");
}

/*
 * memory.min of a QoS level or of kubepods: the sum of its children's, as
 * the kubelet sums the requests of the pods under it (KEP-2570).
 */
static void
sum_memory_min(const char *dir)
{
	char path[KP_PATH_LEN], child[KP_PATH_LEN * 2];
	int64_t sum = 0, v;
	DIR *d;
	struct dirent *e;

	kp_path(path, dir, NULL);
	if ((d = opendir(path)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		snprintf(child, sizeof(child), "%s/%.200s/memory.min", path, e->d_name);
		if (e->d_name[0] != '.' && cg_read_value(child, &v) == 0 && v > 0)
			sum += v;
	}
	closedir(d);
	write_knob(dir, "memory.min", sum, 1);
}

static void
sum_memory_min_upwards(const struct plan *p)
{
	if (strcmp(p->qos_dir, "/kubepods") != 0)
		sum_memory_min(p->qos_dir);
	sum_memory_min("/kubepods");
}

/* Makes kubepods, the QoS level, the pod and its container, then writes the
 * knobs the plan computed, printing each. */
static void
set_up_pod(const struct opts *o, const struct plan *p)
{
	write_or_fail("", "cgroup.subtree_control", "+memory\n");
	make_group("/kubepods", 1);
	if (strcmp(p->qos_dir, "/kubepods") != 0)
		make_group(p->qos_dir, 1);
	make_group(p->pod_dir, 1);
	make_group(p->main_dir, 0);
	printf("memctl: group %s\n", p->main_dir);
	printf("memctl: oom_score_adj %d%s\n", p->adj,
	       o->no_oom_adj ? " (not written: --no-oom-adj)" : "");
	write_knob(p->main_dir, "memory.max", p->max, 0);
	write_knob(p->main_dir, "memory.swap.max", p->swap_max, 0);
	write_knob(p->pod_dir, "memory.max", p->max, 1);
	if (!o->memory_qos) {   /* the feature gate is off by default in Kubernetes */
		printf("memctl: memory.min not set (no --memory-qos)\n");
		printf("memctl: memory.high not set (no --memory-qos)\n");
		return;
	}
	write_knob(p->main_dir, "memory.min", p->min, 0);
	write_knob(p->main_dir, "memory.high", p->high, 0);
	write_knob(p->pod_dir, "memory.min", p->min, 1);
	sum_memory_min_upwards(p);
}

/* Where programs named without a '/' live: /bin, or $PAGODA_BIN (as sh). */
static void
program_path(char *path, const char *name)
{
	const char *dir = getenv("PAGODA_BIN");

	if (strchr(name, '/'))
		snprintf(path, KP_PATH_LEN, "%s", name);
	else
		snprintf(path, KP_PATH_LEN, "%s/%s", dir && *dir ? dir : "/bin", name);
}

/* The child: joins the container group, takes its oom_score_adj, execs.
 * A failed write ends it with 1, which run reports and returns. */
static void
start_container(const struct opts *o, const struct plan *p)
{
	char path[KP_PATH_LEN], text[32];
	int err;

	kp_path(path, p->main_dir, "cgroup.procs");
	snprintf(text, sizeof(text), "%d\n", (int)getpid());
	if ((err = cg_write(path, text)) < 0) {
		fprintf(stderr, "memctl: %s: %s\n", path, strerror(-err));
		_exit(1);
	}
	snprintf(text, sizeof(text), "%d\n", p->adj);
	if (!o->no_oom_adj && (err = cg_write("/proc/self/oom_score_adj", text)) < 0) {
		fprintf(stderr, "memctl: /proc/self/oom_score_adj: %s\n", strerror(-err));
		_exit(1);
	}
	program_path(path, o->argv[0]);
	execve(path, o->argv, environ);
	fprintf(stderr, "memctl: exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid, sampling memory.swap.current every POLL_MS; returns the
 * wait status, *swap_seen the largest sample (-1 if none could be read). */
static int
watch_container(pid_t pid, const struct plan *p, int64_t *swap_seen)
{
	char path[KP_PATH_LEN];
	int64_t v = 0;
	int status;

	kp_path(path, p->main_dir, "memory.swap.current");
	*swap_seen = -1;
	for (;;) {
		if (cg_read_value(path, &v) == 0 && v > *swap_seen)
			*swap_seen = v;
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return 0;       /* cannot happen: pid is our own child */
		sleep_ms(POLL_MS);
	}
}

/* Prints "memctl: NAME VALUE", or "-" for a file that cannot be read. */
static void
report_value(const char *dir, const char *file, const char *name)
{
	char path[KP_PATH_LEN];
	char text[32];
	int64_t v = 0;

	kp_path(path, dir, file);
	if (cg_read_value(path, &v) < 0)
		printf("memctl: %s -\n", name);
	else
		printf("memctl: %s %s\n", name, bytes_text(v, text));
}

/* How the pod ended and what its container group counted. */
static void
report_end(const struct opts *o, const struct plan *p, int status, int64_t swap_seen)
{
	static const char *const events[] = { "low", "high", "max", "oom", "oom_kill" };
	char path[KP_PATH_LEN], buf[1024], line[256];

	if (WIFSIGNALED(status))
		printf("memctl: pod %s: killed by signal %d (%s)\n", o->name, WTERMSIG(status),
		       sig_name(WTERMSIG(status)));
	else
		printf("memctl: pod %s: exited %d\n", o->name, WEXITSTATUS(status));
	kp_path(path, p->main_dir, "memory.events");
	if (cg_read(path, buf, sizeof(buf)) < 0) {
		printf("memctl: memory.events -\n");
	} else {
		printf("memctl: memory.events");
		for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
			printf(" %s %lld", events[i], (long long)cg_key_value(buf, events[i]));
		printf("\n");
	}
	report_value(p->main_dir, "memory.peak", "memory.peak");
	if (swap_seen < 0)
		printf("memctl: memory.swap.current max seen -\n");
	else
		printf("memctl: memory.swap.current max seen %lld\n", (long long)swap_seen);
	kp_path(path, p->main_dir, "memory.pressure");
	cg_read(path, buf, sizeof(buf));
	printf("memctl: memory.pressure %s\n", cg_line(buf, "some ", line, sizeof(line)) ? line : "-");
}

/*
 * Removes the container and pod groups, sums memory.min again without
 * this pod, and removes the QoS level and kubepods too if no other pod is
 * left in them. (The kubelet keeps those two for ever; memctl is one run,
 * and leaves the tree as it found it.)
 */
static void
remove_pod(const struct opts *o, const struct plan *p)
{
	const char *dirs[] = { p->main_dir, p->pod_dir };
	int err;

	for (int i = 0; i < 2; i++)
		if ((err = kp_remove_group(dirs[i])) < 0)
			printf("memctl: rmdir %s%s: %s\n", kp_root, dirs[i], strerror(-err));
	if (o->memory_qos)
		sum_memory_min_upwards(p);
	if (strcmp(p->qos_dir, "/kubepods") != 0)
		kp_remove_if_unused(p->qos_dir);
	kp_remove_if_unused("/kubepods");
}

static int
cmd_run(struct opts *o)
{
	static char name[32];
	struct plan p;
	int64_t swap_seen;
	int status;
	pid_t pid;

	if (!o->argv || !o->argv[0])
		usage();
	if (!o->name) {
		snprintf(name, sizeof(name), "pod%d", (int)getpid());
		o->name = name;
	}
	if (!*o->name || strchr(o->name, '/') || strlen(o->name) > 64)
		bad("--name must be a group name (up to 64 characters, no /), not", o->name);
	node_figures(o);
	make_plan(o, &p);
	printf("memctl: pod %s: %s, request %lld, limit %lld (node: memory %lld, swap %lld, %s)\n",
	       o->name, k8s_qos_name(p.qos), (long long)p.request, (long long)p.limit,
	       (long long)o->node_memory, (long long)o->node_swap,
	       o->swap == K8S_LIMITED_SWAP ? "LimitedSwap" : "NoSwap");
	set_up_pod(o, &p);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail_write("fork", -errno);
	if (pid == 0)
		start_container(o, &p);
	status = watch_container(pid, &p, &swap_seen);
	report_end(o, &p, status, swap_seen);
	if (!o->keep)
		remove_pod(o, &p);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* A knob's value as top shows it: bytes, "max", or "-" if it cannot be read. */
static const char *
knob_text(const char *dir, const char *file, char *text)
{
	char path[KP_PATH_LEN];
	int64_t v = 0;

	kp_path(path, dir, file);
	if (cg_read_value(path, &v) < 0)
		return "-";
	return bytes_text(v, text);
}

/* A key's count in a file's text (memory.events, a PSI line), or "-". */
static const char *
key_text(const char *buf, const char *key, char *text)
{
	int64_t v = cg_key_value(buf, key);

	return v < 0 ? "-" : bytes_text(v, text);
}

/* One line of top: a group's usage, limit, events and pressure. */
static void
top_line(const char *dir)
{
	char path[KP_PATH_LEN], events[1024], pressure[512], avg10[16] = "-", line[256];
	char t[8][32];
	const char *a;

	kp_path(path, dir, "memory.events");
	cg_read(path, events, sizeof(events));
	kp_path(path, dir, "memory.pressure");
	cg_read(path, pressure, sizeof(pressure));
	if (cg_line(pressure, "some ", line, sizeof(line)) && (a = strstr(line, "avg10=")) != NULL)
		sscanf(a + strlen("avg10="), "%15[0-9.]", avg10);
	else
		line[0] = '\0';
	printf("memctl: %-40s %10s %10s %10s %6s %6s %8s %6s %10s\n", dir,
	       knob_text(dir, "memory.current", t[0]), knob_text(dir, "memory.swap.current", t[1]),
	       knob_text(dir, "memory.max", t[2]), key_text(events, "high", t[3]),
	       key_text(events, "max", t[4]), key_text(events, "oom_kill", t[5]), avg10,
	       key_text(line, "total", t[6]));
}

/* memctl top: every pod and container group, once ("-": no such file). */
static int
cmd_top(void)
{
	static struct kp_pod pods[KP_MAX_PODS];
	static char containers[KP_MAX_PODS][KP_PATH_LEN];
	int n = kp_list_pods(pods);

	printf("memctl: %-40s %10s %10s %10s %6s %6s %8s %6s %10s\n", "group", "current", "swap",
	       "max", "high", "max", "oom_kill", "avg10", "total");
	for (int i = 0; i < n; i++) {
		top_line(pods[i].dir);
		int k = kp_list_groups(pods[i].dir, "", containers, KP_MAX_PODS);
		for (int c = 0; c < k; c++)
			top_line(containers[c]);
	}
	return 0;
}

/* Kills the first pod in rankMemoryPressure's order; says which, or that
 * there was none with a process to kill. */
static void
evict_one(int64_t available, int64_t threshold, int64_t capacity)
{
	static struct kp_pod pods[KP_MAX_PODS];
	int n = kp_list_pods(pods), victim = -1;

	for (int i = 0; i < n; i++) {
		kp_measure_pod(&pods[i], capacity);
		if (pods[i].npids == 0)
			continue;               /* nothing to kill: already gone */
		if (victim < 0 || k8s_evict_before(pods[i].usage, pods[i].request,
						   pods[victim].usage, pods[victim].request))
			victim = i;
	}
	printf("memctl: evict: memory.available %lld < %lld: ", (long long)available,
	       (long long)threshold);
	if (victim < 0) {
		printf("no pod to evict\n");
		return;
	}
	struct kp_pod *v = &pods[victim];
	printf("pod %s (%s, usage %lld, request %lld)\n", strrchr(v->dir, '/') + 5,
	       k8s_qos_name(v->qos), (long long)v->usage, (long long)v->request);
	for (int i = 0; i < v->npids; i++)
		kill(v->pids[i], SIGKILL);
}

/*
 * memctl evict: the kubelet's eviction manager, one signal. memory.available
 * is MemAvailable: the kubelet computes capacity minus the working set, and
 * MemAvailable is the kernel's estimate of the same thing.
 */
static int
cmd_evict(struct opts *o)
{
	static char buf[4096];
	int64_t start = now_ms();

	if (o->threshold < 0)
		usage();
	if (o->interval_ms == 0)
		bad("--interval must be 1 ms or more, not", "0");
	node_figures(o);
	printf("memctl: evict: memory.available < %lld, every %lld ms for %lld s\n",
	       (long long)o->threshold, (long long)o->interval_ms, (long long)o->for_s);
	do {
		proc_load("/proc/meminfo", buf, sizeof(buf));
		int64_t available = (int64_t)proc_field(buf, "MemAvailable") * 1024;
		if (available < o->threshold)
			evict_one(available, o->threshold, o->node_memory);
		fflush(stdout);
		sleep_ms(o->interval_ms);
	} while (now_ms() - start < o->for_s * 1000);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {
		.qos = "auto", .swap = K8S_NO_SWAP, .root = KP_DEFAULT_ROOT, .node_memory = -1,
		.node_swap = -1, .threshold = -1, .interval_ms = 100, .for_s = 10,
	};

	setvbuf(stdout, NULL, _IOLBF, 0);       /* our lines and the program's, in order */
	if (argc < 2 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "top") != 0 &&
			 strcmp(argv[1], "evict") != 0))
		usage();
	parse_opts(argc, argv, 2, &o);
	kp_root = o.root;
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(&o);
	if (o.argv)
		usage();
	return strcmp(argv[1], "top") == 0 ? cmd_top() : cmd_evict(&o);
}
