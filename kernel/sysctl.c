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
#include "kernel/fs/file.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "mm/evict.h"
#include "mm/fault_trace.h"
#include "mm/heap.h"
#include "mm/reclaim.h"
#include "mm/swap.h"

#define SYSCTL_TEXT FAULT_FILTER_TEXT   /* the longest value: a trace filter */

struct sysctl {
	const char *name;          /* under /proc/sys */
	unsigned *number;          /* a number in [min, max] ... */
	unsigned min, max;
	const char *(*show)(void);      /* ... or a word: read and set by these */
	int (*store)(const char *word);
};

static const struct sysctl table[] = {
	{ "vm/swappiness", &vm_swappiness, 0, 200, NULL, NULL },
	{ "vm/page-cluster", &page_cluster, 0, 31, NULL, NULL },
	{ "vm/evict_policy", NULL, 0, 0, evict_policy_name, evict_set_policy },
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
