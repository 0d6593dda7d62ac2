/*
 * kernel/fault_inject.c - the injection points, their kernel arguments,
 * their /proc files and the console line of each forced failure.
 *
 * Linux tests its failure paths by making allocations and disk requests
 * fail on purpose (Documentation/fault-injection/); so do we, with the
 * same names and knobs:
 *
 *   kernel argument                         /proc/fault-injection/
 *   failslab=<interval>,<prob>,<space>,<times>   failslab/{probability,interval,space,times,verbose,injected}
 *   fail_page_alloc=...  fail_page_alloc.min-order=N   fail_page_alloc/{...,min-order}
 *   fail_make_request=...                   fail_make_request/{...}
 *   fail_swap_alloc=...  (ours)             fail_swap_alloc/{...}
 *   NAME.KNOB=V   (any knob at boot, e.g. failslab.verbose=0)
 *   make_it_fail=vdb[:read|:write],...      make-it-fail  ("vdb write", "vdb 0")
 *   fail_seed=N                             fail_seed
 *
 * Where Linux differs: its knobs live in debugfs (/sys/kernel/debug),
 * which we do not have; its fail_page_alloc skips order-0 and sleeping
 * allocations by default, ours fails any order >= min-order (default 0:
 * single user pages are the interesting case here); make-it-fail can be
 * limited to reads or writes. Every forced failure prints one line:
 *
 *   FAULT_INJECTION: forcing a failure. name failslab, interval 1, probability 2, space 0, times 29
 *
 * Failures are forced only while injection is armed: from the moment
 * init starts until it exits (a boot that cannot set itself up has
 * nothing to test, and the leak count after init must be exact).
 * Interrupts are disabled around each decision.
 */
#include "kernel/fault_inject.h"
#include "drivers/blk.h"
#include "kernel/backtrace.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/heap.h"

struct fault_attr failslab = FAULT_ATTR_INIT("failslab");
struct fault_attr fail_page_alloc = FAULT_ATTR_INIT("fail_page_alloc");
struct fault_attr fail_make_request = FAULT_ATTR_INIT("fail_make_request");
struct fault_attr fail_swap_alloc = FAULT_ATTR_INIT("fail_swap_alloc");

static struct fault_attr *const points[] = {
	&failslab, &fail_page_alloc, &fail_make_request, &fail_swap_alloc,
};

static bool armed;
static uint64_t seed;

/* A knob: a 64-bit field of struct fault_attr, with the values it takes. */
struct knob {
	const char *name;
	size_t offset;
	int64_t min, max;
	bool read_only;
};

#define KNOB(n, field, lo, hi, ro) { n, __builtin_offsetof(struct fault_attr, field), lo, hi, ro }
static const struct knob knobs[] = {
	KNOB("probability", probability, 0, 100, false),
	KNOB("interval", interval, 0, INT64_MAX, false),
	KNOB("space", space, INT64_MIN, INT64_MAX, false),
	KNOB("times", times, -1, INT64_MAX, false),
	KNOB("verbose", verbose, 0, 2, false),
	KNOB("min-order", min_order, 0, 10, false),
	KNOB("injected", injected, 0, INT64_MAX, true),
};

static int64_t *
knob_field(struct fault_attr *a, const struct knob *k)
{
	return (int64_t *)((char *)a + k->offset);
}

/*
 * Should this call of point a fail? size: what it asks for, in bytes.
 * Prints the FAULT_INJECTION line when it does. Any context.
 */
bool
should_fail(struct fault_attr *a, uint64_t size)
{
	uint64_t flags;
	bool fail;

	if (!armed || a->probability == 0)
		return false;
	flags = irq_save();
	fail = fault_attr_decide(a, size);
	irq_restore(flags);
	if (fail && a->verbose > 0) {
		printk("FAULT_INJECTION: forcing a failure. name %s, interval %lu, probability %lu, "
		       "space %ld, times %ld\n", a->name, a->interval, a->probability, a->space, a->times);
		if (a->verbose > 1)
			backtrace_print(0, (vaddr_t)__builtin_frame_address(0));
	}
	return fail;
}

/* Starts (init starts) or stops (init exited) forcing failures. */
void
fault_inject_arm(bool on)
{
	armed = on;
}

static const struct knob *
find_knob(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++)
		if (strcmp(knobs[i].name, name) == 0)
			return &knobs[i];
	return NULL;
}

/* Parses a knob's value; returns 0, or -EINVAL when out of its range. */
static int
set_knob(struct fault_attr *a, const struct knob *k, const char *text)
{
	bool negative = text[0] == '-';
	uint64_t v;

	if (k->read_only || parse_u64(text + negative, &v) != 0 || v > INT64_MAX)
		return -EINVAL;
	if ((negative ? -(int64_t)v : (int64_t)v) < k->min || (!negative && (int64_t)v > k->max))
		return -EINVAL;
	*knob_field(a, k) = negative ? -(int64_t)v : (int64_t)v;
	return 0;
}

/* NAME=<interval>,<probability>,<space>,<times> and NAME.KNOB=V for one point. */
static void
configure_from_cmdline(struct fault_attr *a)
{
	const char *v = karg_get(a->name);
	char key[48];

	if (v && fault_attr_parse(a, v) != 0)
		pr_warn("FAULT_INJECTION: failed to parse arguments: %s=%s\n", a->name, v);
	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		snprintf(key, sizeof(key), "%s.%s", a->name, knobs[i].name);
		if ((v = karg_get(key)) != NULL && set_knob(a, &knobs[i], v) != 0)
			pr_warn("FAULT_INJECTION: bad value: %s=%s\n", key, v);
	}
	fault_attr_seed(a, seed);
	if (a->probability)
		pr_info("fault_inject: %s: interval %lu, probability %lu%%, space %ld, times %ld, "
			"min-order %lu; seed %lu; armed when init starts\n", a->name, a->interval,
			a->probability, a->space, a->times, a->min_order, seed);
}

/* Reads the kernel arguments. Without fail_seed= the seed is the clock's. */
void
fault_inject_init(void)
{
	seed = karg_get("fail_seed") ? karg_get_u64("fail_seed", 0) : rdtsc();
	for (size_t i = 0; i < ARRAY_SIZE(points); i++)
		configure_from_cmdline(points[i]);
}

/* "read", "write", "1" (both) or "0": a make-it-fail mode, or -1. */
static int
parse_mode(const char *s, size_t len)
{
	if (len == 4 && strncmp(s, "read", 4) == 0)
		return FAIL_READS;
	if (len == 5 && strncmp(s, "write", 5) == 0)
		return FAIL_WRITES;
	if (len == 1 && (s[0] == '0' || s[0] == '1'))
		return s[0] == '1' ? FAIL_READS | FAIL_WRITES : 0;
	return -1;
}

/*
 * The make-it-fail mode a device starts with: make_it_fail=hdb:write,vda
 * (a bare name: reads and writes, as Linux's make-it-fail). Called by the
 * block layer when it registers the device.
 */
unsigned
fault_inject_disk_mode(const char *devname)
{
	const char *s = karg_get("make_it_fail");
	size_t n = strlen(devname);

	while (s && *s) {
		const char *end = s, *colon = NULL;
		for (; *end && *end != ','; end++)
			if (*end == ':' && !colon)
				colon = end;
		size_t name_len = (size_t)((colon ? colon : end) - s);
		if (name_len == n && strncmp(s, devname, n) == 0) {
			int mode = colon ? parse_mode(colon + 1, (size_t)(end - colon - 1)) :
					   FAIL_READS | FAIL_WRITES;
			return mode < 0 ? 0 : (unsigned)mode;
		}
		s = *end ? end + 1 : end;
	}
	return 0;
}

/* ---- /proc/fault-injection ---- */

/* What an open /proc/fault-injection file is about, and its text. */
struct knob_file {
	enum { POINT_KNOB, SEED, DISK_MODES } kind;
	struct fault_attr *attr;      /* POINT_KNOB: the point ... */
	const struct knob *knob;      /* ... and which of its knobs */
	char text[512];
};

static const char *
mode_name(unsigned mode)
{
	return mode == (FAIL_READS | FAIL_WRITES) ? "1" : mode == FAIL_READS ? "read" :
	       mode == FAIL_WRITES ? "write" : "0";
}

static void
list_disk(struct blk_device *dev, void *arg)
{
	char *text = arg;
	size_t n = strlen(text);

	snprintf(text + n, 512 - n, "%s %s\n", dev->name, mode_name(dev->make_it_fail));
}

/* Writing fail_seed restarts every point's random sequence. */
static int
write_seed(const char *text)
{
	if (parse_u64(text, &seed) != 0)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(points); i++)
		fault_attr_seed(points[i], seed);
	return 0;
}

/* Writing make-it-fail: "DEVICE MODE", MODE 0, 1, read or write. */
static int
write_disk_mode(char *text)
{
	char *space = strchr(text, ' ');
	struct blk_device *dev;
	int mode;

	if (!space)
		return -EINVAL;
	*space = '\0';
	mode = parse_mode(space + 1, strlen(space + 1));
	if (mode < 0 || (dev = blk_find(text)) == NULL)
		return -EINVAL;
	dev->make_it_fail = (unsigned)mode;
	return 0;
}

static long
knob_write(struct file *f, const void *buf, size_t len)
{
	struct knob_file *kf = f->priv;
	char text[40];
	int err;

	memfile_write_text(buf, len, text, sizeof(text));
	switch (kf->kind) {
	case POINT_KNOB: err = set_knob(kf->attr, kf->knob, text); break;
	case SEED:       err = write_seed(text); break;
	default:         err = write_disk_mode(text); break;
	}
	return err ? err : (long)len;
}

static void
knob_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops knob_ops = {
	.read = memfile_read,
	.write = knob_write,
	.release = knob_release,
};

/* Finds what "failslab/probability", "fail_seed" or "make-it-fail" names. */
static int
lookup(const char *path, struct knob_file *kf)
{
	const char *slash = strchr(path, '/');

	if (strcmp(path, "fail_seed") == 0) {
		kf->kind = SEED;
		return 0;
	}
	if (strcmp(path, "make-it-fail") == 0) {
		kf->kind = DISK_MODES;
		return 0;
	}
	for (size_t i = 0; slash && i < ARRAY_SIZE(points); i++) {
		size_t n = strlen(points[i]->name);
		if ((size_t)(slash - path) == n && strncmp(path, points[i]->name, n) == 0) {
			kf->kind = POINT_KNOB;
			kf->attr = points[i];
			kf->knob = find_knob(slash + 1);
			return kf->knob ? 0 : -ENOENT;
		}
	}
	return -ENOENT;
}

/* The file's text as it is now: a number, or a line per device. */
static void
fill_text(struct knob_file *kf)
{
	switch (kf->kind) {
	case POINT_KNOB:
		snprintf(kf->text, sizeof(kf->text), "%ld\n", *knob_field(kf->attr, kf->knob));
		break;
	case SEED:
		snprintf(kf->text, sizeof(kf->text), "%lu\n", seed);
		break;
	default:
		blk_for_each(list_disk, kf->text);
		break;
	}
}

/*
 * Opens /proc/fault-injection/PATH: reads give the value as text, writes
 * set it. Returns 0, -ENOENT, -EACCES (writing a read-only one) or -ENOMEM.
 */
int
fault_inject_open(const char *path, int flags, struct file **out)
{
	struct knob_file *kf = kzalloc(sizeof(*kf));
	bool read_only;
	struct file *f;
	int err;

	if (!kf)
		return -ENOMEM;
	err = lookup(path, kf);
	read_only = kf->kind == POINT_KNOB && kf->knob && kf->knob->read_only;
	if (!err && read_only && (flags & O_ACCMODE) != O_RDONLY)
		err = -EACCES;
	f = err ? NULL : file_alloc(&knob_ops, flags, S_IFREG | (read_only ? 0444 : 0644));
	if (!f) {
		kfree(kf);
		return err ? err : -ENOMEM;
	}
	fill_text(kf);
	f->priv = kf;
	f->data = kf->text;
	f->size = strlen(kf->text);
	*out = f;
	return 0;
}
