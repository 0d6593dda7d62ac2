/*
 * tests/ktest/lab8.c - lab 8 (docs/labs/lab8.md): the OOM killer's badness
 * and its choice of a victim, on test tasks.
 *
 * A test task is a struct task and a struct mm holding only what the OOM
 * killer reads: pid, state, kernel thread or not, oom_score_adj; resident
 * pages, swap entries, regions. They never run and are on no list, so
 * only these tests see them: the kernel's own OOM path (which a test boot
 * never reaches) can neither hide a stub nor be disturbed by one. The
 * figures are in pages, on a fixed scale of TOTAL pages of RAM + swap, so
 * the answers do not depend on the machine's memory.
 *
 *   test=lab8                      every test below, in one boot
 *   test=lab8_victim_follows_adj   one of them
 */
#include "kernel/ktest.h"
#include "kernel/string.h"
#include "kernel/task.h"
#include "mm/mm.h"
#include "mm/oom.h"
#include "mm/oom_badness.h"

#define TOTAL 20000          /* RAM + swap, in pages (78 MiB) */
#define NTASKS 6
#define PID_BASE 100         /* test task i has pid PID_BASE + i: never 1 (init) */

static struct task tasks[NTASKS];
static struct mm mms[NTASKS];

/* Makes tasks[i] a runnable process using that much, and returns it. */
static struct task *
proc(int i, uint64_t rss, uint64_t swap_ents, int nvmas, int adj)
{
	struct task *t = &tasks[i];

	memset(t, 0, sizeof(*t));
	memset(&mms[i], 0, sizeof(mms[i]));
	t->pid = PID_BASE + i;
	strlcpy(t->name, "lab8-test", sizeof(t->name));
	t->state = TASK_RUNNABLE;
	t->mm = &mms[i];
	t->oom_score_adj = adj;
	mms[i].rss = rss;
	mms[i].swap_ents = swap_ents;
	mms[i].nvmas = nvmas;
	return t;
}

/* The OOM killer's choice among tasks[0..n), made as oom_kill() makes it. */
static struct oom_choice
choose(int n)
{
	struct oom_choice c = { .victim = NULL, .points = 0, .totalpages = TOTAL };

	for (int i = 0; i < n; i++)
		oom_consider(&c, &tasks[i]);
	return c;
}

/* The index of c's victim in tasks[], or -1 for none. */
static int
victim_index(const struct oom_choice *c)
{
	return c->victim ? (int)(c->victim - tasks) : -1;
}

/* Fails the test unless oom_badness_points(usage, adj, TOTAL) is want. */
#define BADNESS_IS(rss_, swp_, nv_, adj_, want)                                                 \
	do {                                                                                    \
		struct oom_usage u_ = { .rss = (rss_), .swap_ents = (swp_), .nvmas = (nv_) };   \
		long got_ = oom_badness_points(&u_, (adj_), TOTAL);                             \
		if (got_ != (want)) {                                                           \
			ktest_fail(__FILE__, __LINE__,                                          \
				   "oom_badness_points(rss %d, swap %d, nvmas %d, adj %d, total %d)" \
				   " = %ld, want %ld%s", (rss_), (swp_), (nv_), (adj_), TOTAL,  \
				   got_, (long)(want),                                          \
				   got_ == 0 ? " (0 is never an answer: not implemented yet?)" : ""); \
			return;                                                                 \
		}                                                                               \
	} while (0)

/* Linux's formula on chosen figures (the host test has more: tests/unit/test_oom_badness.c). */
KTEST_GROUP(lab8_badness_formula, "lab8")
{
	BADNESS_IS(6144, 0, 6, 0, 6144 + 6 + 6144 / 512);            /* 24 MiB resident */
	BADNESS_IS(1000, 3000, 4, 0, 1000 + 3000 + 4 + 1);           /* swap entries count */
	BADNESS_IS(6144, 0, 6, 500, 6162 + 500 * TOTAL / 1000);      /* +500: half of all memory */
	BADNESS_IS(6144, 0, 6, -250, 6162 - 250 * TOTAL / 1000);
	BADNESS_IS(6144, 0, 6, -500, 1);                             /* below 1: clamped */
	BADNESS_IS(0, 0, 0, 0, 1);                                   /* killable, if useless */
	BADNESS_IS(0, 0, 0, 1000, TOTAL);
	BADNESS_IS(TOTAL, 0, 0, -1000, -1);                          /* exempt */
}

/* What makes a task unkillable, and the usage oom_badness() reads from its mm. */
KTEST_GROUP(lab8_badness_of_tasks, "lab8")
{
	struct task *t;

	t = proc(0, 6144, 100, 6, 0);
	KT_ASSERT_EQ(oom_badness(t, TOTAL), 6144 + 100 + 6 + 12);
	t = proc(0, 6144, 100, 6, 500);
	KT_ASSERT_EQ(oom_badness(t, TOTAL), 6262 + 10000);
	t = proc(0, 6144, 100, 6, OOM_SCORE_ADJ_MIN);
	KT_ASSERT_EQ(oom_badness(t, TOTAL), -1);                     /* exempt */
	t = proc(0, 6144, 100, 6, 0);
	t->pid = 1;
	KT_ASSERT_EQ(oom_badness(t, TOTAL), -1);                     /* init */
	t = proc(0, 6144, 100, 6, 0);
	t->is_kernel_thread = true;
	KT_ASSERT_EQ(oom_badness(t, TOTAL), -1);                     /* a kernel thread */
	t = proc(0, 6144, 100, 6, 0);
	t->mm = NULL;
	KT_ASSERT_EQ(oom_badness(t, TOTAL), -1);                     /* no memory of its own */
	t = proc(0, 6144, 100, 6, 0);
	t->state = TASK_ZOMBIE;
	KT_ASSERT_EQ(oom_badness(t, TOTAL), -1);                     /* already exited */
	t = proc(0, 6144, 100, 6, 0);
	t->state = TASK_SLEEPING;
	KT_ASSERT_EQ(oom_badness(t, TOTAL), 6262);                   /* asleep: still killable */
}

/* The highest badness wins, swap entries included; the choice reports its points. */
KTEST_GROUP(lab8_victim_highest_badness, "lab8")
{
	struct oom_choice c;

	proc(0, 100, 0, 3, 0);
	proc(1, 3000, 0, 5, 0);
	proc(2, 1000, 2500, 5, 0);               /* less resident, more in swap */
	proc(3, 50, 0, 3, 0);
	c = choose(4);
	KT_ASSERT_EQ(victim_index(&c), 2);
	KT_ASSERT_EQ(c.points, 1000 + 2500 + 5 + 1);
	c = choose(2);                           /* without it: the biggest of the rest */
	KT_ASSERT_EQ(victim_index(&c), 1);
	KT_ASSERT_EQ(c.points, 3000 + 5 + 5);
	proc(0, 1, 0, 1, 0);
	c = choose(1);                           /* one small process: it is the victim */
	KT_ASSERT_EQ(victim_index(&c), 0);
	KT_ASSERT_EQ(c.points, 2);
}

/*
 * init, kernel threads, zombies and exempt processes are never chosen,
 * however big; with nobody else there is no victim at all.
 */
KTEST_GROUP(lab8_victim_skips_unkillable, "lab8")
{
	struct oom_choice c;

	proc(0, 9000, 0, 5, 0)->pid = 1;
	proc(1, 9000, 0, 5, 0)->is_kernel_thread = true;
	proc(2, 9000, 0, 5, 0)->state = TASK_ZOMBIE;
	proc(3, 9000, 9000, 5, OOM_SCORE_ADJ_MIN);
	proc(4, 9000, 0, 5, 0)->mm = NULL;
	c = choose(5);
	KT_ASSERT(c.victim == NULL);
	KT_ASSERT_EQ(c.points, 0);
	proc(5, 10, 0, 2, 0);                    /* a small process that may be killed */
	c = choose(6);
	KT_ASSERT_EQ(victim_index(&c), 5);
	KT_ASSERT_EQ(c.points, 12);
}

/* oom_score_adj moves the choice: a small process that volunteers, a big one forgiven. */
KTEST_GROUP(lab8_victim_follows_adj, "lab8")
{
	struct oom_choice c;

	proc(0, 512, 0, 4, 0);                   /* memhog 2M */
	proc(1, 6000, 0, 4, 0);                  /* memhog 24M */
	c = choose(2);
	KT_ASSERT_EQ(victim_index(&c), 1);
	tasks[0].oom_score_adj = 1000;           /* the small one volunteers */
	c = choose(2);
	KT_ASSERT_EQ(victim_index(&c), 0);
	KT_ASSERT_EQ(c.points, 512 + 4 + 1 + TOTAL);
	tasks[0].oom_score_adj = 250;            /* 517 + 5000 < 6015: not enough */
	c = choose(2);
	KT_ASSERT_EQ(victim_index(&c), 1);
	tasks[0].oom_score_adj = 300;            /* 517 + 6000 > 6015 */
	c = choose(2);
	KT_ASSERT_EQ(victim_index(&c), 0);
	tasks[0].oom_score_adj = 0;
	tasks[1].oom_score_adj = -900;           /* the big one is forgiven: clamped to 1 */
	c = choose(2);
	KT_ASSERT_EQ(victim_index(&c), 0);
	tasks[1].oom_score_adj = OOM_SCORE_ADJ_MIN;
	tasks[0].oom_score_adj = OOM_SCORE_ADJ_MIN;      /* both exempt: nobody */
	c = choose(2);
	KT_ASSERT(c.victim == NULL);
}
