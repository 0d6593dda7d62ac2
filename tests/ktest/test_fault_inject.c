/*
 * tests/ktest/test_fault_inject.c - the fault-injection points in the
 * kernel (kernel/fault_inject.c): each point fails what it guards and
 * nothing else, the same seed replays the same failures (no disk I/O
 * here, so the run is deterministic), make-it-fail aims at one disk,
 * and the /proc/fault-injection knobs read and write as documented.
 *
 * Each test sets a point up, arms injection, and puts everything back
 * (the settings, disarmed) before it checks, so a failing check leaves
 * the next test a clean kernel.
 */
#include "drivers/blk.h"
#include "kernel/errno.h"
#include "kernel/fault_inject.h"
#include "kernel/fs/file.h"
#include "kernel/fs/procfs.h"
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/swap.h"

#define CALLS 400

/* Sets a to fail with probability percent, times failures at most, seeded. */
static struct fault_attr
arm(struct fault_attr *a, uint64_t probability, int64_t times, uint64_t seed)
{
	struct fault_attr saved = *a;

	a->probability = probability;
	a->interval = 1;
	a->space = 0;
	a->times = times;
	a->verbose = 0;              /* hundreds of console lines would only slow the test */
	a->injected = 0;
	fault_attr_seed(a, seed);
	fault_inject_arm(true);
	return saved;
}

static void
disarm(struct fault_attr *a, const struct fault_attr *saved)
{
	fault_inject_arm(false);
	*a = *saved;
}

/* CALLS kmallocs of 64 bytes under failslab; which ones failed, as a bit hash. */
static uint64_t
kmalloc_failure_pattern(int *nfailed)
{
	uint64_t hash = 0;

	*nfailed = 0;
	for (int i = 0; i < CALLS; i++) {
		void *p = kmalloc(64);
		hash = hash * 31 + (p == NULL);
		*nfailed += p == NULL;
		kfree(p);
	}
	return hash;
}

KTEST(failslab_same_seed_same_failures)
{
	struct fault_attr saved = arm(&failslab, 30, -1, 42);
	int n1, n2, n3;
	uint64_t h1 = kmalloc_failure_pattern(&n1);

	fault_attr_seed(&failslab, 42);
	uint64_t h2 = kmalloc_failure_pattern(&n2);
	fault_attr_seed(&failslab, 43);
	uint64_t h3 = kmalloc_failure_pattern(&n3);
	uint64_t injected = failslab.injected;
	disarm(&failslab, &saved);

	KT_ASSERT_EQ(n1, n2);
	KT_ASSERT(h1 == h2);
	KT_ASSERT(h1 != h3);
	KT_ASSERT(n1 > CALLS * 20 / 100 && n1 < CALLS * 40 / 100);
	KT_ASSERT_EQ(injected, (uint64_t)(n1 + n2 + n3));
}

KTEST(failslab_times_limits_and_disarmed_fails_nothing)
{
	struct fault_attr saved = arm(&failslab, 100, 5, 1);
	int n, after;

	kmalloc_failure_pattern(&n);
	fault_inject_arm(false);
	failslab.times = -1;
	kmalloc_failure_pattern(&after);           /* probability 100 but disarmed */
	disarm(&failslab, &saved);

	KT_ASSERT_EQ(n, 5);
	KT_ASSERT_EQ(after, 0);
}

KTEST(fail_page_alloc_respects_min_order)
{
	struct fault_attr saved = arm(&fail_page_alloc, 100, -1, 1);
	struct page *small, *big;

	fail_page_alloc.min_order = 1;
	small = pmm_alloc_pages(0);
	big = pmm_alloc_pages(1);
	disarm(&fail_page_alloc, &saved);
	if (small)
		pmm_free_pages(small, 0);
	if (big)
		pmm_free_pages(big, 1);

	KT_ASSERT(small != NULL);
	KT_ASSERT(big == NULL);
}

KTEST(make_it_fail_aims_at_one_disk)
{
	struct blk_device *root = blk_first_disk(), *other = NULL;
	uint8_t *buf = kmalloc(SECTOR_SIZE);
	struct fault_attr saved;
	int on_root, on_other, write_mode_read;

	if (root && swap_enabled())
		other = blk_find("hdb") ? blk_find("hdb") : blk_find("vdb");
	KT_ASSERT(buf && root && other && other != root);
	saved = arm(&fail_make_request, 100, -1, 1);
	root->make_it_fail = FAIL_READS;
	on_root = blk_rw(root, BLK_READ, 0, buf, SECTOR_SIZE);
	on_other = blk_rw(other, BLK_READ, 0, buf, SECTOR_SIZE);
	root->make_it_fail = FAIL_WRITES;          /* writes only: a read gets through */
	write_mode_read = blk_rw(root, BLK_READ, 0, buf, SECTOR_SIZE);
	root->make_it_fail = 0;
	disarm(&fail_make_request, &saved);
	kfree(buf);

	KT_ASSERT_EQ(on_root, -EIO);
	KT_ASSERT_EQ(on_other, 0);
	KT_ASSERT_EQ(write_mode_read, 0);
}

/* Reads /proc/PATH into buf (NUL-terminated). Returns 0 or -errno. */
static int
proc_read(const char *path, char *buf, size_t size)
{
	struct file *f;
	int err = procfs_open(path, O_RDONLY, &f);
	long n;

	if (err)
		return err;
	n = f->ops->read(f, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	file_put(f);
	return n < 0 ? (int)n : 0;
}

static long
proc_write(const char *path, const char *text)
{
	struct file *f;
	int err = procfs_open(path, O_WRONLY, &f);
	long n;

	if (err)
		return err;
	n = f->ops->write(f, text, strlen(text));
	file_put(f);
	return n;
}

KTEST(proc_fault_injection_knobs_read_and_write)
{
	struct fault_attr saved = failslab;
	char text[64];
	long good, too_big, garbage, read_only;
	int err_read, err_missing;

	good = proc_write("fault-injection/failslab/probability", "7\n");
	too_big = proc_write("fault-injection/failslab/probability", "101");
	garbage = proc_write("fault-injection/failslab/times", "many");
	read_only = proc_write("fault-injection/failslab/injected", "0");
	err_read = proc_read("fault-injection/failslab/probability", text, sizeof(text));
	err_missing = proc_read("fault-injection/failslab/no-such-knob", text + 32, 32);
	uint64_t probability = failslab.probability;
	failslab = saved;

	KT_ASSERT_EQ(good, 2);
	KT_ASSERT_EQ(too_big, -EINVAL);
	KT_ASSERT_EQ(garbage, -EINVAL);
	KT_ASSERT_EQ(read_only, -EACCES);
	KT_ASSERT_EQ(err_read, 0);
	KT_ASSERT(strcmp(text, "7\n") == 0);
	KT_ASSERT_EQ(probability, 7);
	KT_ASSERT_EQ(err_missing, -ENOENT);
}

/* Whether text has line as one of its lines (line ends with its newline). */
static bool
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; *p; p++)
		if ((p == text || p[-1] == '\n') && strncmp(p, line, n) == 0)
			return true;
	return false;
}

KTEST(proc_make_it_fail_lists_and_sets_disks)
{
	struct blk_device *root = blk_first_disk();
	char text[512], cmd[32];
	long set, bad_mode, bad_disk;
	unsigned mode;

	KT_ASSERT(root != NULL);
	snprintf(cmd, sizeof(cmd), "%s write", root->name);
	set = proc_write("fault-injection/make-it-fail", cmd);
	mode = root->make_it_fail;
	proc_read("fault-injection/make-it-fail", text, sizeof(text));
	snprintf(cmd, sizeof(cmd), "%s sometimes", root->name);
	bad_mode = proc_write("fault-injection/make-it-fail", cmd);
	bad_disk = proc_write("fault-injection/make-it-fail", "nodisk 1");
	root->make_it_fail = 0;

	KT_ASSERT_EQ(set, (long)strlen(root->name) + 6);
	KT_ASSERT_EQ(mode, FAIL_WRITES);
	snprintf(cmd, sizeof(cmd), "%s write\n", root->name);
	KT_ASSERT(has_line(text, cmd));
	KT_ASSERT_EQ(bad_mode, -EINVAL);
	KT_ASSERT_EQ(bad_disk, -EINVAL);
}
