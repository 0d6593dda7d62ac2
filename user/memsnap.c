/*
 * memsnap - prints one memory snapshot (/proc/memsnap: every frame's state
 * and owner, the swap slots, the counters; the format is at the top of
 * mm/memsnap.c) and, with -v, first the /proc/vmstat it was taken with.
 *
 * With -v it reads /proc/vmstat, then /proc/memsnap, then /proc/vmstat
 * again, into buffers touched beforehand (so that reading causes no page
 * fault of its own), until the two vmstat readings are the same: then the
 * snapshot's counters must be exactly those (tests/viz.sh checks it).
 * Exits 1 if a file cannot be read, 2 if the counters never held still.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SNAP_MAX (4 << 20)
#define VMSTAT_MAX 8192
#define TRIES 5

static char snap[SNAP_MAX], before[VMSTAT_MAX], after[VMSTAT_MAX];

/* Reads the whole file into buf (NUL-terminated); its length, or -1. */
static long
slurp(const char *path, char *buf, long size)
{
	long len = 0, n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while (len < size - 1 && (n = read(fd, buf + len, (size_t)(size - 1 - len))) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

static int
print_all(const char *s, long len)
{
	while (len > 0) {
		long n = write(1, s, (size_t)len);
		if (n <= 0)
			return -1;
		s += n;
		len -= n;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	long len = -1;

	memset(snap, 1, sizeof(snap));          /* fault every page in now, not while reading */
	memset(before, 1, sizeof(before));
	memset(after, 1, sizeof(after));
	for (int i = 0; i < (verbose ? TRIES : 1); i++) {
		if (verbose && slurp("/proc/vmstat", before, VMSTAT_MAX) < 0)
			break;
		len = slurp("/proc/memsnap", snap, SNAP_MAX);
		if (!verbose || len < 0 || slurp("/proc/vmstat", after, VMSTAT_MAX) < 0)
			break;
		if (strcmp(before, after) == 0) {
			printf("vmstat:\n%s", before);
			fflush(stdout);
			break;
		}
		len = -2;
	}
	if (len < 0) {
		fprintf(stderr, len == -2 ? "memsnap: the counters kept changing\n" :
			"memsnap: cannot read /proc/memsnap\n");
		return len == -2 ? 2 : 1;
	}
	return print_all(snap, len) ? 1 : 0;
}
