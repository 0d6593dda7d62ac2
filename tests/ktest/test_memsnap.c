/*
 * tests/ktest/test_memsnap.c - memory snapshots (mm/memsnap.c): the runs
 * cover every frame, the free ones are the allocator's, and a frame the
 * kernel took keeps its owner pointer unfollowed. The whole picture is
 * tested from the host (tests/viz.sh); these look at the kernel's side.
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "mm/heap.h"
#include "mm/memsnap.h"
#include "mm/pmm.h"

/* Reads a decimal number at *s and moves past it. */
static uint64_t
number(const char **s)
{
	uint64_t n = 0;

	while (**s >= '0' && **s <= '9')
		n = n * 10 + (uint64_t)(*(*s)++ - '0');
	return n;
}

/*
 * Walks the "frames" runs of a snapshot: the number of frames in them, and
 * of those in state free; *state_at gets the state of frame pfn. 0 if the
 * text has no frames.
 */
static uint64_t
walk_runs(const char *text, uint64_t *free, pfn_t pfn, char *state_at)
{
	const char *s = text;
	uint64_t total = 0;

	*free = 0;
	while (*s && strncmp(s, "\"frames\":\"", 10) != 0)
		s++;
	if (!*s)
		return 0;
	for (s += 10; *s && *s != '"';) {
		uint64_t count = number(&s);
		char state = s[1];
		if (state == 'F')
			*free += count;
		if (pfn >= total && pfn < total + count)
			*state_at = state;
		total += count;
		while (*s && *s != ';' && *s != '"')
			s++;
		if (*s == ';')
			s++;
	}
	return total;
}

KTEST(memsnap_runs_cover_every_frame)
{
	size_t len;
	char *text = memsnap_take("ktest", &len), state = 0;
	uint64_t free, total;

	KT_ASSERT(text != NULL);
	KT_ASSERT_EQ(strlen(text), len);
	KT_ASSERT(len > 2 && text[len - 2] == '}' && text[len - 1] == '\n');
	total = walk_runs(text, &free, 0, &state);
	KT_ASSERT_EQ(total, max_pfn);
	KT_ASSERT_EQ(free, pmm_free_frames());    /* the text's own buffer is taken: not free */
	KT_ASSERT_EQ(state, 'R');                 /* frame 0 is never used */
	kfree(text);
}

/* A frame the kernel took from a user page's past keeps that page's owner:
 * the snapshot must show kernel memory and never follow the pointer. */
KTEST(memsnap_does_not_follow_a_stale_owner)
{
	struct page *p = pmm_alloc_pages(0);
	char *text, state = 0;
	uint64_t free;
	size_t len;

	KT_ASSERT(p != NULL);
	p->owner = (void *)0x6b6b6b6b6b6b6b6bUL;   /* freed memory's poison: a #GP if followed */
	text = memsnap_take("ktest", &len);
	p->owner = NULL;
	if (text)
		walk_runs(text, &free, page_to_pfn(p), &state);
	kfree(text);
	pmm_free_pages(p, 0);
	KT_ASSERT(text != NULL);
	KT_ASSERT_EQ(state, 'K');
}
