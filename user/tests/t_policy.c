/*
 * t_policy - the replacement policies, RLIMIT_RSS and /proc/sys/vm, on
 * pagoda (not on Linux: it writes /proc/sys/vm, and Linux ignores
 * RLIMIT_RSS).
 *
 *   1. /proc/sys/vm: evict_policy, page-cluster and swappiness read as
 *      Linux prints them; a bad value is EINVAL and changes nothing
 *   2. local replacement: with RLIMIT_RSS at 64 pages, writing 256 pages
 *      of an mmap'd region leaves at most 64 in memory, the rest in swap,
 *      and every page reads back as written
 *   3. each policy in turn, switched at run time while those pages are on
 *      the lists: the pages all read back (and are rewritten) under it
 *   4. no limit any more: all 256 pages fit in memory again
 *
 * At exit the kernel checks that no frame and no swap slot leaked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "check.h"

#define PAGE 4096
#define NPAGES 256
#define FRAMES 64

static char *mem;

/* The text of /proc/sys/vm/NAME, without its newline. */
static const char *
sysctl_get(const char *name)
{
	static char buf[64];
	char path[64];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n - 1 : 0] = '\0';
	return buf;
}

/* Writes value to /proc/sys/vm/NAME: 0 or -errno. */
static int
sysctl_set(const char *name, const char *value)
{
	char path[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

static void
tunables(void)
{
	CHECK("evict_policy_default_is_lru2", strcmp(sysctl_get("evict_policy"), "lru2") == 0,
	      "read \"%s\"", sysctl_get("evict_policy"));
	CHECK("bad_policy_is_einval", sysctl_set("evict_policy", "bogus\n") == -EINVAL,
	      "writing bogus did not fail with EINVAL");
	CHECK("bad_policy_changes_nothing", strcmp(sysctl_get("evict_policy"), "lru2") == 0,
	      "read \"%s\"", sysctl_get("evict_policy"));
	CHECK("page_cluster_default_is_3", strcmp(sysctl_get("page-cluster"), "3") == 0,
	      "read \"%s\"", sysctl_get("page-cluster"));
	CHECK("page_cluster_set_0", sysctl_set("page-cluster", "0\n") == 0 &&
	      strcmp(sysctl_get("page-cluster"), "0") == 0, "read \"%s\"", sysctl_get("page-cluster"));
	CHECK("page_cluster_32_is_einval", sysctl_set("page-cluster", "32") == -EINVAL,
	      "writing 32 did not fail with EINVAL");
	CHECK("swappiness_201_is_einval", sysctl_set("swappiness", "201") == -EINVAL &&
	      strcmp(sysctl_get("swappiness"), "60") == 0, "read \"%s\"", sysctl_get("swappiness"));
	CHECK("unknown_sysctl_is_enoent", open("/proc/sys/vm/nonesuch", O_RDONLY) < 0 &&
	      errno == ENOENT, "open did not fail with ENOENT");
	sysctl_set("page-cluster", "3");
}

/* How many of the mapping's pages are in memory. */
static int
resident_pages(void)
{
	static unsigned char vec[NPAGES];
	int n = 0;

	if (mincore(mem, NPAGES * PAGE, vec) != 0)
		return -1;
	for (int i = 0; i < NPAGES; i++)
		n += vec[i] & 1;
	return n;
}

/* Checks every page holds (page, version), then writes version + 1. Returns bad pages. */
static int
verify_and_rewrite(int version)
{
	int bad = 0;

	for (int p = 0; p < NPAGES; p++) {
		uint64_t *w = (uint64_t *)(mem + (size_t)p * PAGE);
		bad += w[0] != (uint64_t)p || w[1] != (uint64_t)version || w[511] != (uint64_t)p * 7;
		w[0] = (uint64_t)p;
		w[1] = (uint64_t)version + 1;
		w[511] = (uint64_t)p * 7;
	}
	return bad;
}

static void
set_rss(rlim_t pages)
{
	struct rlimit rl = { pages ? pages * PAGE : RLIM_INFINITY, RLIM_INFINITY };

	CHECK(pages ? "setrlimit_rss_64_pages" : "setrlimit_rss_unlimited",
	      setrlimit(RLIMIT_RSS, &rl) == 0, "errno %d", errno);
}

static void
local_replacement(void)
{
	set_rss(FRAMES);
	mem = mmap(NULL, NPAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		CHECK("mmap", 0, "mmap failed");
		exit(check_exit());
	}
	for (int p = 0; p < NPAGES; p++) {
		uint64_t *w = (uint64_t *)(mem + (size_t)p * PAGE);
		w[0] = (uint64_t)p;
		w[1] = 1;
		w[511] = (uint64_t)p * 7;
	}
	CHECK("at_most_64_pages_resident", resident_pages() <= FRAMES, "%d resident",
	      resident_pages());
	CHECK("all_pages_read_back", verify_and_rewrite(1) == 0, "some pages are wrong");
	CHECK("still_at_most_64", resident_pages() <= FRAMES, "%d resident", resident_pages());
}

static void
switch_policies(void)
{
	static const char *const names[] = { "fifo", "clock", "scanmru", "lru2" };
	char check[64];

	for (int i = 0; i < 4; i++) {
		snprintf(check, sizeof(check), "switch_to_%s", names[i]);
		CHECK(check, sysctl_set("evict_policy", names[i]) == 0 &&
		      strcmp(sysctl_get("evict_policy"), names[i]) == 0, "read \"%s\"",
		      sysctl_get("evict_policy"));
		snprintf(check, sizeof(check), "pages_read_back_under_%s", names[i]);
		CHECK(check, verify_and_rewrite(2 + i) == 0, "some pages are wrong");
		snprintf(check, sizeof(check), "at_most_64_resident_under_%s", names[i]);
		CHECK(check, resident_pages() <= FRAMES, "%d resident", resident_pages());
	}
}

static void
no_limit(void)
{
	set_rss(0);
	CHECK("pages_read_back_without_limit", verify_and_rewrite(6) == 0, "some pages are wrong");
	CHECK("all_resident_without_limit", resident_pages() == NPAGES, "%d resident",
	      resident_pages());
	munmap(mem, NPAGES * PAGE);
}

int
main(void)
{
	tunables();
	local_replacement();
	switch_policies();
	no_limit();
	return check_exit();
}
