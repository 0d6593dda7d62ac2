/*
 * t_cgroup - cgroup v2's memory controller at /sys/fs/cgroup, from user space.
 *
 * t_cgroup            (run as init: it needs to be in the root group)
 *
 * The groups and their files (docs/memory-groups.md), then three groups
 * of 8 MiB (memory.max) each running a child that writes a 16 MiB working
 * set, while a process of another group keeps its own pages:
 *
 *   noswap    memory.swap.max 0: nothing can be reclaimed, the child is
 *             OOM-killed (SIGKILL; memory.events oom_kill 1)
 *   swap      swap allowed: the child finishes, every page verified
 *   swap4m    memory.swap.max 4M: memory.swap.current never goes past
 *             4 MiB (sampled while it runs), and past it the group OOMs
 *
 * After each child exits its group holds no anonymous memory and no swap.
 * A fourth group reads a file: its page cache stays charged after the
 * reader exits, as in Linux. Every group is removed at the end; the kernel
 * checks at init's exit that every frame and slot came back.
 *
 * On Linux (not pagoda) it only checks what needs no root changes: the
 * errors of mkdir and rmdir on paths that cannot exist, and the cgroup v2
 * line of /proc/self/cgroup.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include "cgroupfs.h"
#include "check.h"

#define PAGE 4096
#define MIB (1024L * 1024)
#define WORKING_SET (16 * MIB)

/* Does the directory path list name (getdents64)? */
static bool
lists(const char *path, const char *name)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool found = false;

	while (d && (e = readdir(d)) != NULL)
		found |= strcmp(e->d_name, name) == 0;
	if (d)
		closedir(d);
	return found;
}

static void
errno_checks(void)
{
	CHECK("mkdir_missing_parent_enoent", mkdir_err("/no-such-dir/x") == ENOENT,
	      "errno %d", mkdir_err("/no-such-dir/x"));
	CHECK("mkdir_root_eexist", mkdir_err("/") == EEXIST, "errno %d", mkdir_err("/"));
	CHECK("rmdir_missing_enoent", rmdir_err("/no-such-dir") == ENOENT, "errno %d",
	      rmdir_err("/no-such-dir"));
}

static void
tree_checks(void)
{
	char buf[256], longname[300];

	CHECK("root_lists_its_files", lists(CG, "cgroup.procs") && lists(CG, "cgroup.controllers") &&
	      lists(CG, "cgroup.subtree_control"), "getdents of " CG " misses a cgroup.* file");
	CHECK("root_controllers_memory", strcmp(get(CG "/cgroup.controllers", buf, sizeof(buf)),
	      "memory") == 0, "cgroup.controllers says \"%s\"", buf);
	CHECK("subtree_control_bad_is_einval", put(CG "/cgroup.subtree_control", "+cpu") == EINVAL,
	      "writing +cpu did not fail with EINVAL");
	CHECK("subtree_control_plus_memory", put(CG "/cgroup.subtree_control", "+memory") == 0 &&
	      strcmp(get(CG "/cgroup.subtree_control", buf, sizeof(buf)), "memory") == 0,
	      "subtree_control says \"%s\"", buf);
	CHECK("mkdir_group", mkdir_err(CG "/a") == 0, "errno %d", errno);
	CHECK("mkdir_again_eexist", mkdir_err(CG "/a") == EEXIST, "errno %d", errno);
	CHECK("mkdir_nested", mkdir_err(CG "/a/b") == 0, "errno %d", errno);
	CHECK("mkdir_missing_parent_in_cgroupfs", mkdir_err(CG "/x/y") == ENOENT, "errno %d", errno);
	CHECK("mkdir_under_file_enotdir", mkdir_err(CG "/a/memory.max/z") == ENOTDIR, "errno %d",
	      errno);
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK("mkdir_long_name_enametoolong", mkdir_err(longname) == ENAMETOOLONG, "errno %d", errno);
	/* Outside /sys/fs/cgroup mkdir and rmdir are the file system's (the root's ext2). */
	CHECK("mkdir_outside_cgroupfs_is_a_directory", mkdir_err("/bin/newdir") == 0 &&
	      rmdir_err("/bin/newdir") == 0, "errno %d", errno);
	CHECK("rmdir_full_root_dir_enotempty", rmdir_err("/bin") == ENOTEMPTY, "errno %d", errno);
	CHECK("rmdir_with_child_ebusy", rmdir_err(CG "/a") == EBUSY, "errno %d", errno);
	CHECK("rmdir_root_ebusy", rmdir_err(CG) == EBUSY, "errno %d", errno);
	CHECK("group_lists_child_and_files", lists(CG "/a", "b") && lists(CG "/a", "memory.max") &&
	      lists(CG "/a", "memory.swap.current"), "getdents of " CG "/a misses entries");
	CHECK("nested_controllers_memory", strcmp(get(CG "/a/b/cgroup.controllers", buf,
	      sizeof(buf)), "") == 0, "a/b has \"%s\" without a's subtree_control", buf);
	CHECK("no_memory_files_without_subtree_control", access(CG "/a/b/memory.max", F_OK) != 0,
	      "a/b/memory.max exists although a does not pass memory down");
	CHECK("unlink_cgroup_file_eperm", unlink(CG "/a/cgroup.procs") == -1 && errno == EPERM,
	      "errno %d", errno);
	CHECK("unlinkat_bad_flags_einval", unlinkat(AT_FDCWD, CG "/a/b", 1) == -1 && errno == EINVAL,
	      "errno %d", errno);
	CHECK("mkdirat_and_unlinkat_removedir", mkdirat(AT_FDCWD, CG "/a/c", 0755) == 0 &&
	      lists(CG "/a", "c") && unlinkat(AT_FDCWD, CG "/a/c", AT_REMOVEDIR) == 0 &&
	      !lists(CG "/a", "c"), "errno %d", errno);
	CHECK("rmdir_nested", rmdir_err(CG "/a/b") == 0 && rmdir_err(CG "/a") == 0 &&
	      !lists(CG, "a"), "errno %d", errno);
	CHECK("proc_self_cgroup_root", strcmp(get("/proc/self/cgroup", buf, sizeof(buf)),
	      "0::/") == 0, "/proc/self/cgroup says \"%s\"", buf);
}

/* memory.max and memory.swap.max: what they accept and how they read back. */
static void
limit_checks(void)
{
	char buf[64];
	const char *max = file_of("lim", "memory.max");

	mkdir(CG "/lim", 0755);
	CHECK("memory_max_starts_max", strcmp(get(max, buf, sizeof(buf)), "max") == 0, "\"%s\"", buf);
	CHECK("memory_max_8M", put(max, "8M") == 0 && num(max, NULL) == 8 * MIB, "reads %ld",
	      num(max, NULL));
	CHECK("memory_max_garbage_einval", put(max, "lots") == EINVAL && put(max, "-1") == EINVAL &&
	      put(max, "12Q") == EINVAL, "garbage was accepted");
	CHECK("memory_max_unchanged_after_einval", num(max, NULL) == 8 * MIB, "reads %ld",
	      num(max, NULL));
	CHECK("memory_max_12k", put(max, "12k") == 0 && num(max, NULL) == 12288, "reads %ld",
	      num(max, NULL));
	CHECK("memory_max_back_to_max", put(max, "max") == 0 &&
	      strcmp(get(max, buf, sizeof(buf)), "max") == 0, "\"%s\"", buf);
	CHECK("swap_max_0", put(file_of("lim", "memory.swap.max"), "0") == 0 &&
	      num(file_of("lim", "memory.swap.max"), NULL) == 0, "swap.max not 0");
	CHECK("memory_current_read_only", put(file_of("lim", "memory.current"), "1") == EACCES,
	      "memory.current was writable");
	CHECK("events_format", num(file_of("lim", "memory.events"), "oom_kill") == 0 &&
	      proc_get(file_of("lim", "memory.events"), "low") == 0 &&
	      proc_get(file_of("lim", "memory.events"), "high") == 0, "memory.events lines missing");
	CHECK("procs_bad_pid_esrch", put(file_of("lim", "cgroup.procs"), "99999") == ESRCH,
	      "moving pid 99999 did not fail with ESRCH");
	rmdir(CG "/lim");
}

/* The child's work: write every page of 16 MiB, twice over, then check them. Exits with the errors. */
static int
hog(void)
{
	size_t npages = WORKING_SET / PAGE, errors = 0;
	char *m = mmap(NULL, WORKING_SET, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED)
		return 100;
	for (int pass = 0; pass < 2; pass++)
		for (size_t p = 0; p < npages; p++)
			*(volatile uint64_t *)(m + p * PAGE) = tag(p);
	for (size_t p = 0; p < npages; p++)
		errors += *(volatile uint64_t *)(m + p * PAGE) != tag(p);
	say("# hog: %zu pages, errors=%zu\n", npages, errors);
	return errors ? 1 : 0;
}

/* A process of another group: 2 MiB of its own, kept until a byte comes down release, then checked. */
static int release[2];

static int
bystander(void)
{
	size_t npages = 2 * MIB / PAGE, errors = 0;
	char *m = malloc(2 * MIB), c;

	if (!m)
		return 100;
	for (size_t p = 0; p < npages; p++)
		*(uint64_t *)(m + p * PAGE) = tag(p);
	if (read(release[0], &c, 1) != 1)
		return 102;
	for (size_t p = 0; p < npages; p++)
		errors += *(uint64_t *)(m + p * PAGE) != tag(p);
	return errors ? 1 : 0;
}

/* Makes group with memory.max 8M and memory.swap.max swap_max. */
static void
make_group(const char *group, const char *swap_max)
{
	char path[128];

	snprintf(path, sizeof(path), CG "/%s", group);
	mkdir(path, 0755);
	put(file_of(group, "memory.max"), "8M");
	put(file_of(group, "memory.swap.max"), swap_max);
}

/* Once its processes are gone, a group holds no anonymous memory and no swap. */
static void
check_empty_after(const char *group)
{
	char name[96];
	long anon = proc_get(file_of(group, "memory.stat"), "anon");
	long swap = num(file_of(group, "memory.swap.current"), NULL);

	snprintf(name, sizeof(name), "%s/anon_and_swap_zero_after_exit", group);
	CHECK(name, anon == 0 && swap == 0, "anon %ld, swap.current %ld", anon, swap);
	snprintf(name, sizeof(name), "%s/rmdir_after_exit", group);
	CHECK(name, rmdir_err(file_of(group, "")) == 0, "errno %d", errno);
}

/* Waits for pid, sampling group's memory.swap.current meanwhile. Returns the most seen. */
static long
wait_sampling(pid_t pid, const char *group, int *status)
{
	long most = 0;
	struct timespec tick = { 0, 5 * 1000 * 1000 };

	while (waitpid(pid, status, WNOHANG) == 0) {
		long now = num(file_of(group, "memory.swap.current"), NULL);
		most = now > most ? now : most;
		nanosleep(&tick, NULL);
	}
	return most;
}

/*
 * A group of 8 MiB (swap_max: its memory.swap.max, swap_mib the same in
 * MiB, -1 for "max") runs the 16 MiB hog; the bystander's pages must stay intact.
 */
static void
hog_scenario(const char *group, const char *swap_max, long swap_mib, bool should_finish)
{
	char name[96];
	int status, bstatus, go;
	pid_t other, pid;
	long swap_most;

	if (pipe(release) != 0)
		return;
	other = spawn_in("other", bystander);

	make_group(group, swap_max);
	pid = spawn_held(group, hog, &go);      /* in the group, not yet running the hog */
	CHECK(strcat(strcpy(name, group), "/rmdir_with_process_ebusy"),
	      rmdir_err(file_of(group, "")) == EBUSY, "errno %d", errno);
	spawn_release(go);
	swap_most = wait_sampling(pid, group, &status);
	(void)!write(release[1], "r", 1);
	close(release[0]);
	close(release[1]);
	waitpid(other, &bstatus, 0);
	snprintf(name, sizeof(name), "%s/%s", group, should_finish ? "hog_verified" : "hog_sigkill");
	if (should_finish)
		check_exited_with(name, status, 0);
	else
		check_killed_by(name, status, SIGKILL);
	snprintf(name, sizeof(name), "%s/oom_kill_%d", group, !should_finish);
	CHECK(name, num(file_of(group, "memory.events"), "oom_kill") == !should_finish,
	      "memory.events oom_kill %ld", num(file_of(group, "memory.events"), "oom_kill"));
	snprintf(name, sizeof(name), "%s/events_max_counted", group);
	CHECK(name, num(file_of(group, "memory.events"), "max") > 0, "memory.events max is 0");
	snprintf(name, sizeof(name), "%s/peak_within_max", group);
	CHECK(name, num(file_of(group, "memory.peak"), NULL) <= 8 * MIB &&
	      num(file_of(group, "memory.peak"), NULL) > 4 * MIB, "memory.peak %ld",
	      num(file_of(group, "memory.peak"), NULL));
	snprintf(name, sizeof(name), "%s/swap_within_swap_max", group);
	CHECK(name, swap_mib < 0 || swap_most <= swap_mib * MIB, "memory.swap.current reached %ld",
	      swap_most);
	snprintf(name, sizeof(name), "%s/other_group_untouched", group);
	check_exited_with(name, bstatus, 0);
	check_empty_after(group);
}

/* Reads a file nobody has read yet: its pages are charged to the reader's group. */
static int
reader(void)
{
	char buf[4096];
	int fd = open("/bin/rand", O_RDONLY);
	long total = 0, n;

	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return total > 0 ? 0 : 1;
}

static void
file_scenario(void)
{
	int status;
	pid_t pid;

	mkdir(CG "/files", 0755);
	pid = spawn_in("files", reader);
	waitpid(pid, &status, 0);
	check_exited_with("files/reader_exits_0", status, 0);
	CHECK("files/page_cache_stays_charged", proc_get(file_of("files", "memory.stat"), "file") > 0 &&
	      num(file_of("files", "memory.current"), NULL) > 0 &&
	      proc_get(file_of("files", "memory.stat"), "anon") == 0,
	      "memory.stat file %ld, anon %ld", proc_get(file_of("files", "memory.stat"), "file"),
	      proc_get(file_of("files", "memory.stat"), "anon"));
	CHECK("files/pgfault_counted", proc_get(file_of("files", "memory.stat"), "pgfault") > 0,
	      "memory.stat pgfault is 0");
	CHECK("files/rmdir_with_page_cache", rmdir_err(CG "/files") == 0, "errno %d", errno);
}

int
main(void)
{
	char buf[256];

	errno_checks();
	CHECK("proc_self_cgroup_has_v2_line", strstr(proc_load("/proc/self/cgroup", buf,
	      sizeof(buf)), "0::/") != NULL, "/proc/self/cgroup: \"%s\"", buf);
	if (!running_on_pagoda())
		return check_exit();
	tree_checks();
	limit_checks();
	mkdir(CG "/other", 0755);
	hog_scenario("noswap", "0", 0, false);
	hog_scenario("swap", "max", -1, true);
	hog_scenario("swap4m", "4M", 4, false);
	file_scenario();
	CHECK("rmdir_other", rmdir_err(CG "/other") == 0, "errno %d", errno);
	return check_exit();
}
