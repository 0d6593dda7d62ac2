/*
 * tools/policysim.c - the textbook page replacement policies, simulated
 * on a reference string: how many faults FIFO, clock, LRU and Belady's
 * OPT make with a given number of frames. Runs on the host.
 *
 * Usage: policysim [-f FRAMES[,FRAMES...]] [-p POLICY[,POLICY...]] STRING...
 *        policysim [-f ...] [-p ...] -t TRACE
 *
 * The string is as refstr takes it (user/lib/refstring.h): "1,2,3,4,1,2,5"
 * or a file written by a workload run with WORKLOAD_TRACE=FILE. Reads and
 * writes count alike. Prints one row per frame count:
 *
 *   policysim: 12 references to 5 pages
 *   frames  fifo  clock  lru  opt
 *        3     9      9   10    7
 *
 * What each policy does on a fault with every frame in use:
 *   fifo   evicts the page that came in first
 *   clock  goes round the frames from where it stopped: a page whose
 *          reference bit is set gets it cleared and is passed over, the
 *          first with the bit clear is evicted; a page's bit is set when
 *          it comes in and each time it is used (the accessed bit of the
 *          hardware, which pagoda's evict=clock reads: the counts agree)
 *   lru    evicts the page used longest ago
 *   opt    evicts the page whose next use is furthest in the future
 *          (never, if it is not used again): the fewest faults possible
 *
 * Each is O(1) per reference except opt (O(log frames), a heap keyed by
 * the next use), so traces of millions of references take a second.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../user/lib/refstring.h"

#define MAX_PAGES (1u << 24)
#define NONE UINT32_MAX

static struct refstring refs;
static uint32_t npages;        /* the largest page number + 1 */

/* Per page: where it is (a frame number, NONE if not resident). */
static uint32_t *frame_of;

static void
forget_all(void)
{
	memset(frame_of, 0xff, sizeof(*frame_of) * npages);
}

static long
fifo(long frames)
{
	uint32_t *slot = calloc(frames, sizeof(*slot));
	long faults = 0, used = 0, next = 0;

	forget_all();
	for (long i = 0; i < refs.n; i++) {
		uint32_t p = refs.page[i];
		if (frame_of[p] != NONE)
			continue;
		faults++;
		if (used < frames) {
			next = used++;
		} else {
			frame_of[slot[next]] = NONE;      /* the oldest: next in the circle */
		}
		slot[next] = p;
		frame_of[p] = (uint32_t)next;
		next = (next + 1) % frames;
	}
	free(slot);
	return faults;
}

static long
clock_policy(long frames)
{
	uint32_t *slot = calloc(frames, sizeof(*slot));
	char *ref = calloc(frames, 1);
	long faults = 0, used = 0, hand = 0;

	forget_all();
	for (long i = 0; i < refs.n; i++) {
		uint32_t p = refs.page[i];
		long f;
		if (frame_of[p] != NONE) {
			ref[frame_of[p]] = 1;
			continue;
		}
		faults++;
		if (used < frames) {
			f = used++;
		} else {
			while (ref[hand]) {               /* second chance */
				ref[hand] = 0;
				hand = (hand + 1) % frames;
			}
			f = hand;
			frame_of[slot[f]] = NONE;
			hand = (hand + 1) % frames;       /* the new page is just behind the hand */
		}
		slot[f] = p;
		ref[f] = 1;
		frame_of[p] = (uint32_t)f;
	}
	free(slot);
	free(ref);
	return faults;
}

/* lru: resident pages on a list by last use, most recent at the head. */
static long
lru(long frames)
{
	uint32_t *prev = malloc(sizeof(*prev) * npages), *next = malloc(sizeof(*next) * npages);
	uint32_t head = NONE, tail = NONE;
	long faults = 0, used = 0;

	forget_all();
	for (long i = 0; i < refs.n; i++) {
		uint32_t p = refs.page[i];
		if (frame_of[p] != NONE) {            /* unlink: it moves to the head */
			if (prev[p] != NONE) next[prev[p]] = next[p]; else head = next[p];
			if (next[p] != NONE) prev[next[p]] = prev[p]; else tail = prev[p];
		} else {
			faults++;
			if (used == frames) {             /* evict the tail */
				uint32_t v = tail;
				tail = prev[v];
				if (tail != NONE) next[tail] = NONE; else head = NONE;
				frame_of[v] = NONE;
			} else {
				used++;
			}
			frame_of[p] = 0;
		}
		prev[p] = NONE;
		next[p] = head;
		if (head != NONE) prev[head] = p; else tail = p;
		head = p;
	}
	free(prev);
	free(next);
	return faults;
}

/* opt: a max-heap of (next use, page); entries of pages used since are stale. */
struct use { long when; uint32_t page; };

static void
heap_push(struct use *h, long *n, struct use u)
{
	long i = (*n)++;

	while (i > 0 && h[(i - 1) / 2].when < u.when) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = u;
}

static struct use
heap_pop(struct use *h, long *n)
{
	struct use top = h[0], last = h[--*n];
	long i = 0;

	for (;;) {
		long c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].when > h[c].when)
			c++;
		if (h[c].when <= last.when)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = last;
	return top;
}

static long
opt(long frames)
{
	long *next_use = malloc(sizeof(*next_use) * refs.n), *upcoming = malloc(sizeof(long) * npages);
	struct use *heap = malloc(sizeof(*heap) * (refs.n + 1));
	long faults = 0, used = 0, nheap = 0;

	for (uint32_t p = 0; p < npages; p++)
		upcoming[p] = refs.n;                 /* "never": after the last reference */
	for (long i = refs.n - 1; i >= 0; i--) {
		next_use[i] = upcoming[refs.page[i]];
		upcoming[refs.page[i]] = i;
	}
	forget_all();
	for (long i = 0; i < refs.n; i++) {
		uint32_t p = refs.page[i];
		if (frame_of[p] == NONE) {
			faults++;
			if (used == frames) {
				struct use u;
				do                            /* skip entries made stale by a later use */
					u = heap_pop(heap, &nheap);
				while (frame_of[u.page] == NONE || upcoming[u.page] != u.when);
				frame_of[u.page] = NONE;
			} else {
				used++;
			}
			frame_of[p] = 0;
		}
		upcoming[p] = next_use[i];
		heap_push(heap, &nheap, (struct use){ next_use[i], p });
	}
	free(next_use);
	free(upcoming);
	free(heap);
	return faults;
}

static const struct {
	const char *name;
	long (*run)(long frames);
} policies[] = {
	{ "fifo", fifo }, { "clock", clock_policy }, { "lru", lru }, { "opt", opt },
};

static void
usage(void)
{
	fprintf(stderr, "usage: policysim [-f FRAMES[,...]] [-p fifo,clock,lru,opt] STRING... | -t TRACE\n");
	exit(2);
}

static void
parse_or_die(const char *s)
{
	char err[100];

	if (refstring_parse(&refs, s, err, sizeof(err)) != 0) {
		fprintf(stderr, "policysim: %s\n", err);
		exit(2);
	}
}

static void
read_trace(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (!f) {
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f))
		parse_or_die(line);
	fclose(f);
}

int
main(int argc, char **argv)
{
	const char *frame_list = "3,4", *policy_list = "fifo,clock,lru,opt", *trace = NULL;
	int opt_char, chosen[4], nchosen = 0;
	long distinct = 0;

	while ((opt_char = getopt(argc, argv, "f:p:t:")) != -1) {
		switch (opt_char) {
		case 'f': frame_list = optarg; break;
		case 'p': policy_list = optarg; break;
		case 't': trace = optarg; break;
		default: usage();
		}
	}
	refs.max = 1 << 26;
	refs.max_page = MAX_PAGES;
	refs.page = malloc(sizeof(*refs.page) * refs.max);
	refs.is_write = malloc(refs.max);
	if (trace && optind == argc)
		read_trace(trace);
	else if (!trace && optind < argc)
		for (int i = optind; i < argc; i++)
			parse_or_die(argv[i]);
	else
		usage();
	for (size_t i = 0; i < 4; i++) {
		char list[64], *tok, *save;
		snprintf(list, sizeof(list), "%s", policy_list);
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (strcmp(tok, policies[i].name) == 0)
				chosen[nchosen++] = (int)i;
	}
	if (nchosen == 0)
		usage();
	for (long i = 0; i < refs.n; i++)
		if (refs.page[i] + 1 > npages)
			npages = refs.page[i] + 1;
	frame_of = malloc(sizeof(*frame_of) * npages);
	forget_all();
	for (long i = 0; i < refs.n; i++)
		if (frame_of[refs.page[i]] == NONE) {
			frame_of[refs.page[i]] = 0;
			distinct++;
		}
	printf("policysim: %ld references to %ld pages\nframes", refs.n, distinct);
	for (int j = 0; j < nchosen; j++)
		printf(" %6s", policies[chosen[j]].name);
	printf("\n");
	for (const char *s = frame_list; *s;) {
		char *end;
		long frames = strtol(s, &end, 10);
		if (end == s || frames <= 0)
			usage();
		printf("%6ld", frames);
		for (int j = 0; j < nchosen; j++)
			printf(" %6ld", policies[chosen[j]].run(frames));
		printf("\n");
		s = *end == ',' ? end + 1 : end;
		if (*end && *end != ',')
			usage();
	}
	return 0;
}
