/*
 * kernel/sysctl.c - /proc/sys/vm: the memory tunables, read and written
 * as text, with Linux's names and ranges.
 *
 *   /proc/sys/vm/swappiness     0..200: anonymous vs file pages in reclaim
 *                               (mm/reclaim.c)
 *   /proc/sys/vm/page-cluster   swap readahead reads at most 2^N pages
 *                               (0: readahead off; mm/swap.c)
 *   /proc/sys/vm/evict_policy   the replacement policy: lru2, fifo, clock,
 *                               scanmru (ours; mm/evict.c)
 *   /proc/sys/vm/drop_caches    writing 1 or 3 drops every clean page-cache
 *                               page nobody uses (2: nothing to drop, below)
 *   /proc/sys/vm/overcommit_memory  0 (heuristic), 1 (always), 2 (never,
 *                               accepted: pagoda checks as with 0)
 *   /proc/sys/vm/dirty_ratio, dirty_bytes, dirty_background_ratio,
 *   dirty_background_bytes, dirty_expire_centisecs,
 *   dirty_writeback_centisecs   dirty page-cache limits and the flusher's
 *                               timing (mm/writeback.c, mm/flusher.c)
 *   /proc/sys/debug/trace_fault which page faults trace=fault prints: off,
 *                               on, or a filter (ours; mm/fault_trace.c)
 *
 * Each can also be set on the kernel command line as Linux 5.8 allows:
 * sysctl.vm.page-cluster=0 sets /proc/sys/vm/page-cluster at boot.
 * A write that is out of range changes nothing and fails with EINVAL.
 * Adding a tunable is one line in the table below.
 */
#include "kernel/sysctl.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/evict.h"
#include "mm/fault_trace.h"
#include "mm/heap.h"
#include "mm/reclaim.h"
#include "mm/swap.h"
#include "mm/writeback.h"

#define SYSCTL_TEXT FAULT_FILTER_TEXT   /* the longest value: a trace filter */

struct sysctl {
	const char *name;          /* under /proc/sys */
	unsigned *number;          /* a number in [min, max] ... */
	unsigned min, max;
	const char *(*show)(void);      /* ... or a word: read and set by these */
	int (*store)(const char *word);
};

/* Linux's vm.overcommit_memory: 1 lets execve skip its size check (kernel/exec.c). */
unsigned vm_overcommit_memory;

static unsigned drop_caches_written;     /* reads give the last value written, as Linux */

static const char *
drop_caches_show(void)
{
	static char text[4];

	snprintf(text, sizeof(text), "%u", drop_caches_written);
	return text;
}

/*
 * 1: drop the clean page cache (dirty pages stay, as in Linux: sync(1)
 * first makes them clean). 2: Linux frees unused dentries and inodes; pagoda's inodes
 * have no use count (open files point at them), so none can go safely.
 * 3: both. 4 only silences Linux's log line. Anything else is -EINVAL.
 */
static int
drop_caches_store(const char *word)
{
	uint64_t v;

	if (parse_u64(word, &v) != 0 || v < 1 || v > 4)
		return -EINVAL;
	if (v & 1)
		ext2fs_drop_page_cache();
	drop_caches_written = (unsigned)v;
	return 0;
}

/*
 * The dirty-memory limits (mm/writeback.c): each is a ratio or a byte
 * count, and setting one clears the other, as Linux's dirty_ratio_handler
 * and dirty_bytes_handler do (a byte count below two pages is EINVAL).
 */
static char dirty_text[24];

static const char *
show_u64(uint64_t v)
{
	snprintf(dirty_text, sizeof(dirty_text), "%lu", v);
	return dirty_text;
}

static int
store_ratio(const char *word, unsigned *ratio, uint64_t *bytes)
{
	uint64_t v;

	if (parse_u64(word, &v) != 0 || v > 100)
		return -EINVAL;
	*ratio = (unsigned)v;
	*bytes = 0;
	return 0;
}

static int
store_bytes(const char *word, uint64_t *bytes, unsigned *ratio)
{
	uint64_t v;

	if (parse_u64(word, &v) != 0 || (v != 0 && v < 2 * PAGE_SIZE))
		return -EINVAL;
	*bytes = v;
	if (v)
		*ratio = 0;
	return 0;
}

static const char *dirty_ratio_show(void) { return show_u64(vm_dirty_ratio); }
static const char *dirty_bytes_show(void) { return show_u64(vm_dirty_bytes); }
static const char *dirty_bg_ratio_show(void) { return show_u64(vm_dirty_background_ratio); }
static const char *dirty_bg_bytes_show(void) { return show_u64(vm_dirty_background_bytes); }
static int dirty_ratio_store(const char *w) { return store_ratio(w, &vm_dirty_ratio, &vm_dirty_bytes); }
static int dirty_bytes_store(const char *w) { return store_bytes(w, &vm_dirty_bytes, &vm_dirty_ratio); }

static int
dirty_bg_ratio_store(const char *w)
{
	return store_ratio(w, &vm_dirty_background_ratio, &vm_dirty_background_bytes);
}

static int
dirty_bg_bytes_store(const char *w)
{
	return store_bytes(w, &vm_dirty_background_bytes, &vm_dirty_background_ratio);
}

static const struct sysctl table[] = {
	{ "vm/swappiness", &vm_swappiness, 0, 200, NULL, NULL },
	{ "vm/page-cluster", &page_cluster, 0, 31, NULL, NULL },
	{ "vm/evict_policy", NULL, 0, 0, evict_policy_name, evict_set_policy },
	{ "vm/drop_caches", NULL, 0, 0, drop_caches_show, drop_caches_store },
	{ "vm/overcommit_memory", &vm_overcommit_memory, 0, 2, NULL, NULL },
	{ "vm/dirty_background_ratio", NULL, 0, 0, dirty_bg_ratio_show, dirty_bg_ratio_store },
	{ "vm/dirty_background_bytes", NULL, 0, 0, dirty_bg_bytes_show, dirty_bg_bytes_store },
	{ "vm/dirty_ratio", NULL, 0, 0, dirty_ratio_show, dirty_ratio_store },
	{ "vm/dirty_bytes", NULL, 0, 0, dirty_bytes_show, dirty_bytes_store },
	{ "vm/dirty_expire_centisecs", &vm_dirty_expire_centisecs, 0, 0x7fffffff, NULL, NULL },
	{ "vm/dirty_writeback_centisecs", &vm_dirty_writeback_centisecs, 0, 0x7fffffff, NULL, NULL },
	{ "debug/trace_fault", NULL, 0, 0, fault_trace_show, fault_trace_store },
};

/* Sets s from word (no trailing newline). 0 or -EINVAL. */
static int
store(const struct sysctl *s, const char *word)
{
	uint64_t v;

	if (!s->number)
		return s->store(word);
	if (parse_u64(word, &v) != 0 || v < s->min || v > s->max)
		return -EINVAL;
	*s->number = (unsigned)v;
	return 0;
}

/* "sysctl.vm.page-cluster=0" on the command line, for each tunable. */
void
sysctl_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
		char key[SYSCTL_TEXT];
		const char *value;

		snprintf(key, sizeof(key), "sysctl.%s", table[i].name);
		for (char *slash = key; (slash = strchr(slash, '/')) != NULL;)
			*slash = '.';          /* "sysctl.vm/x" -> "sysctl.vm.x" */
		if ((value = karg_get(key)) != NULL && store(&table[i], value) != 0)
			pr_warn("sysctl: %s=%s is not a valid value: ignored\n", key, value);
	}
}

struct sysctl_file {
	const struct sysctl *s;
	char text[SYSCTL_TEXT];
};

static long
sysctl_write(struct file *f, const void *buf, size_t len)
{
	struct sysctl_file *sf = f->priv;
	char text[SYSCTL_TEXT];
	int err;

	memfile_write_text(buf, len, text, sizeof(text));
	err = store(sf->s, text);
	return err ? err : (long)len;
}

static void
sysctl_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops sysctl_ops = {
	.read = memfile_read,
	.write = sysctl_write,
	.release = sysctl_release,
};

/* Opens /proc/sys/PATH: reads give the value as text, writes set it. */
int
sysctl_open(const char *path, int flags, struct file **out)
{
	const struct sysctl *s = NULL;
	struct sysctl_file *sf;
	struct file *f;

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (strcmp(path, table[i].name) == 0)
			s = &table[i];
	if (!s)
		return -ENOENT;
	sf = kzalloc(sizeof(*sf));
	f = sf ? file_alloc(&sysctl_ops, flags, S_IFREG | 0644) : NULL;
	if (!f) {
		kfree(sf);
		return -ENOMEM;
	}
	sf->s = s;
	if (s->number)
		snprintf(sf->text, sizeof(sf->text), "%u\n", *s->number);
	else
		snprintf(sf->text, sizeof(sf->text), "%s\n", s->show());
	f->priv = sf;
	f->data = sf->text;
	f->size = strlen(sf->text);
	*out = f;
	return 0;
}
