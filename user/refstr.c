/*
 * refstr - replays a reference string on an anonymous mapping and counts
 * the page faults, as the textbook exercises do.
 *
 * Usage: refstr [-f FRAMES[,FRAMES...]] [-v] STRING...
 *        refstr [-f FRAMES[,FRAMES...]] [-v] -t FILE
 *
 * A reference string is page numbers separated by commas, spaces or new
 * lines, each optionally followed by "w" (a write; otherwise a read):
 * "1,2,3,4,1,2,5,1,2,3,4,5" or "0w 1 0 2w". In a file, "#" starts a
 * comment. The mapping has as many pages as the largest number + 1.
 * ("pages" below: how many different pages the string names.)
 *
 * -f FRAMES sets RLIMIT_RSS to FRAMES pages first (0, the default: no
 * limit); with a list, the string is replayed once per frame count, each
 * time on a new mapping: -f 3,4 shows Belady's anomaly. pagoda enforces it on
 * mmap'd anonymous memory (local replacement: each fault beyond FRAMES
 * evicts one of the mapping's own pages, chosen by the replacement policy
 * in use, evict=); Linux accepts the limit and ignores it, so on Linux
 * only the first touches fault.
 *
 * A fault here is a reference to a page that is not in memory just then
 * (mincore(2) says so before the touch): a page touched for the first
 * time (a zero fill) or one evicted since (read back from swap). So the
 * count is the textbook's, compulsory misses included. Prints
 *   refstr: 12 references to 5 pages, 3 frames: 9 faults
 *   result refstr refs=12 pages=5 frames=3 faults=9
 * and with -v, first the string and a line marking each fault with F.
 * Exit status 0, 1 if the mapping or the limit could not be had, 2 for a
 * bad string or usage.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "check.h"
#include "refstring.h"

#define MAX_REFS (1 << 20)
#define MAX_TEXT (8 << 20)
#define PAGE 4096

/* Static (data, not mmap'd): outside RLIMIT_RSS's count, as is the stack. */
static uint32_t page_of[MAX_REFS];
static char is_write[MAX_REFS];
static char text[MAX_TEXT];
static struct refstring refs = { page_of, is_write, 0, MAX_REFS, MAX_REFS };

static void
usage(void)
{
	say("usage: refstr [-f FRAMES[,...]] [-v] STRING... | refstr [-f FRAMES[,...]] [-v] -t FILE\n");
	exit(2);
}

/* Adds the references in s to the list; exits 2 if it is not a reference string. */
static void
parse(const char *s)
{
	char err[100];

	if (refstring_parse(&refs, s, err, sizeof(err)) != 0) {
		say("refstr: %s\n", err);
		exit(2);
	}
}

static void
read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, got;

	if (fd < 0) {
		say("refstr: cannot open %s\n", path);
		exit(2);
	}
	while (n < MAX_TEXT - 1 && (got = read(fd, text + n, MAX_TEXT - 1 - n)) > 0)
		n += got;
	close(fd);
	text[n] = '\0';
	parse(text);
}

/* Is the page at addr in memory now? */
static int
resident(char *addr)
{
	unsigned char v = 0;

	return mincore(addr, PAGE, &v) == 0 && (v & 1);
}

/* Prints the references and, under each, F where it faulted (-v). */
static void
show(const char *faulted)
{
	char line[400];
	int n = 0, m = 0;
	char marks[400];

	for (long i = 0; i < refs.n && n < 360; i++) {
		int w = snprintf(line + n, sizeof(line) - n, " %u%s", page_of[i], is_write[i] ? "w" : "");
		m += snprintf(marks + m, sizeof(marks) - m, "%*s", w, faulted[i] ? "F" : ".");
		n += w;
	}
	say("   refs:%s%s\n", line, n >= 360 ? " ..." : "");
	say(" faults:%s\n", marks);
}

/*
 * Replays the string on a new mapping of pages pages with RLIMIT_RSS at
 * frames pages (0: no limit), prints the count, unmaps. Returns the exit
 * status.
 */
static int
replay(long frames, long pages, long distinct, int verbose)
{
	static char faulted[MAX_REFS];
	struct rlimit rl;
	long faults = 0;
	char *mem;

	getrlimit(RLIMIT_RSS, &rl);
	rl.rlim_cur = frames ? (rlim_t)frames * PAGE : RLIM_INFINITY;
	if (setrlimit(RLIMIT_RSS, &rl) != 0) {
		say("refstr: setrlimit(RLIMIT_RSS, %ld pages) failed\n", frames);
		return 1;
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		say("refstr: mmap of %ld pages failed\n", pages);
		return 1;
	}
	for (long r = 0; r < refs.n; r++) {
		char *addr = mem + (size_t)page_of[r] * PAGE;
		faulted[r] = !resident(addr);
		faults += faulted[r];
		if (is_write[r])
			*(volatile char *)addr = (char)r;
		else
			(void)*(volatile char *)addr;
	}
	munmap(mem, pages * PAGE);
	if (verbose)
		show(faulted);
	say("refstr: %ld references to %ld pages, %ld frames: %ld faults\n", refs.n, distinct, frames,
	    faults);
	say("result refstr refs=%ld pages=%ld frames=%ld faults=%ld\n", refs.n, distinct, frames,
	    faults);
	return 0;
}

int
main(int argc, char **argv)
{
	static char seen[MAX_REFS];
	long pages = 0, distinct = 0;
	const char *file = NULL, *frame_list = "0";
	int verbose = 0, i, status = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
			frame_list = argv[++i];
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc)
			file = argv[++i];
		else
			usage();
	}
	if (file && i == argc)
		read_file(file);
	else if (!file && i < argc)
		for (; i < argc; i++)
			parse(argv[i]);
	else
		usage();
	if (refs.n == 0)
		usage();
	for (long r = 0; r < refs.n; r++) {
		if (!seen[page_of[r]]++)
			distinct++;
		if (page_of[r] + 1 > pages)
			pages = page_of[r] + 1;
	}
	for (const char *s = frame_list; *s && status == 0;) {
		char *end;
		long frames = strtol(s, &end, 10);
		if (end == s || frames < 0 || (*end && *end != ','))
			usage();
		status = replay(frames, pages, distinct, verbose);
		s = *end ? end + 1 : end;
	}
	return status;
}
