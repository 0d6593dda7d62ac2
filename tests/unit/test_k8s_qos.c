/*
 * tests/unit/test_k8s_qos.c - user/lib/k8s_qos.h: the kubelet's memory
 * rules that memctl applies (QoS class, oom_score_adj, LimitedSwap,
 * MemoryQoS's memory.high, the eviction order, sizes).
 *
 * Table-driven: each row is a figure worked out by hand from the
 * Kubernetes source the header cites (the comments show the arithmetic),
 * so a row that fails says which rule moved. The node of most rows is
 * 32 MiB of memory and 128 MiB of swap, the fake node of the host test
 * (tests/memctl.sh).
 */
#include <stdint.h>
#include "unit.h"
#include "user/lib/k8s_qos.h"

#define K 1024LL
#define M (1024 * K)
#define NODE_MEM (32 * M)
#define NODE_SWAP (128 * M)
#define ROWS(t) (sizeof(t) / sizeof((t)[0]))

/* Fails the case with row i's figures when got != want. */
static void
check_row(size_t i, int64_t got, int64_t want)
{
	if (got != want && !unit_case_failed) {
		printf("not ok %s: row %zu: got %lld, want %lld\n", unit_case, i, (long long)got,
		       (long long)want);
		unit_case_failed = 1;
	}
}

static const struct {
	int64_t request, limit;
	enum k8s_qos want;
} classes[] = {
	{ 0, 0, K8S_BEST_EFFORT },              /* nothing asked for */
	{ 8 * M, 8 * M, K8S_GUARANTEED },       /* request == limit */
	{ 0, 8 * M, K8S_GUARANTEED },           /* a limit alone: request defaults to it */
	{ 4 * M, 8 * M, K8S_BURSTABLE },        /* room to grow */
	{ 4 * M, 0, K8S_BURSTABLE },            /* a request, no limit */
};

static void
qos_class_from_request_and_limit(void)
{
	for (size_t i = 0; i < ROWS(classes); i++)
		check_row(i, k8s_qos_class(classes[i].request, classes[i].limit), classes[i].want);
	CHECK_STR(k8s_qos_name(K8S_BEST_EFFORT), "BestEffort");
	CHECK(k8s_effective_request(0, 8 * M) == 8 * M);
	CHECK(k8s_effective_request(4 * M, 0) == 4 * M);
}

static const struct {
	enum k8s_qos qos;
	int64_t request, capacity;
	int want;
} adjs[] = {
	{ K8S_GUARANTEED, 8 * M, NODE_MEM, -997 },
	{ K8S_BEST_EFFORT, 0, NODE_MEM, 1000 },
	{ K8S_BURSTABLE, 4 * M, NODE_MEM, 875 },       /* 1000 - 4000M/32M = 1000 - 125 */
	{ K8S_BURSTABLE, 16 * M, NODE_MEM, 500 },      /* half the node */
	{ K8S_BURSTABLE, 333, 1000, 667 },             /* exact thousandths */
	{ K8S_BURSTABLE, 1, NODE_MEM, 999 },           /* 1000 - 0 = 1000 -> 999: below BestEffort */
	{ K8S_BURSTABLE, 33487323, NODE_MEM, 3 },      /* 1000 * r / c = 997 (truncated): 3, no clamp */
	{ K8S_BURSTABLE, 33520000, NODE_MEM, 3 },      /* 998 -> 2, clamped up to 1000 - 997 */
	{ K8S_BURSTABLE, NODE_MEM, NODE_MEM, 3 },      /* 0 -> 3 */
	{ K8S_BURSTABLE, 40000000, NODE_MEM, 3 },      /* above the node: -192 -> 3 */
};

static void
oom_score_adj_policy_go(void)
{
	for (size_t i = 0; i < ROWS(adjs); i++)
		check_row(i, k8s_oom_score_adj(adjs[i].qos, adjs[i].request, adjs[i].capacity),
			  adjs[i].want);
}

/* The inverse memctl evict uses is exact to capacity / 1000. */
static void
request_from_adj_inverts_within_a_thousandth(void)
{
	static const int64_t requests[] = { 1 * M, 4 * M, 5 * M + 12345, 16 * M, 30 * M };

	for (size_t i = 0; i < ROWS(requests); i++) {
		int adj = k8s_oom_score_adj(K8S_BURSTABLE, requests[i], NODE_MEM);
		int64_t back = k8s_request_from_adj(adj, NODE_MEM);

		CHECK(back <= requests[i] + NODE_MEM / 1000 && back + NODE_MEM / 1000 >= requests[i]);
	}
	CHECK(k8s_request_from_adj(875, NODE_MEM) == 4 * M);
}

static const struct {
	enum k8s_qos qos;
	int64_t request, limit;
	enum k8s_swap behavior;
	int64_t node_mem, node_swap, want;
} swaps[] = {
	{ K8S_BURSTABLE, 4 * M, 8 * M, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 16 * M }, /* 4/32 of 128M */
	{ K8S_BURSTABLE, 4 * M, 0, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 16 * M },     /* no limit: same */
	{ K8S_BURSTABLE, 3 * M, 8 * M, K8S_LIMITED_SWAP, 7 * M, 10 * M, 4493897 },      /* float64, truncated */
	{ K8S_BURSTABLE, 1000000, 8 * M, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 4000000 },
	{ K8S_BURSTABLE, 4 * M, 4 * M, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 0 },       /* request == limit */
	{ K8S_BURSTABLE, 0, 8 * M, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 0 },           /* no request */
	{ K8S_GUARANTEED, 8 * M, 8 * M, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 0 },
	{ K8S_BEST_EFFORT, 0, 0, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 0 },
	{ K8S_BURSTABLE, 4 * M, 8 * M, K8S_NO_SWAP, NODE_MEM, NODE_SWAP, 0 },            /* NoSwap */
	{ K8S_BURSTABLE, 40 * M, 0, K8S_LIMITED_SWAP, NODE_MEM, NODE_SWAP, 0 },          /* above the node */
	{ K8S_BURSTABLE, 4 * M, 8 * M, K8S_LIMITED_SWAP, 0, NODE_SWAP, 0 },              /* node of 0 */
};

static void
limited_swap_calc_swap_for_burstable_pods(void)
{
	for (size_t i = 0; i < ROWS(swaps); i++)
		check_row(i, k8s_swap_max(swaps[i].qos, swaps[i].request, swaps[i].limit,
					  swaps[i].behavior, swaps[i].node_mem, swaps[i].node_swap),
			  swaps[i].want);
}

static const struct {
	int64_t request, limit, node_mem, want;
} highs[] = {
	{ 4 * M, 8 * M, NODE_MEM, 7966720 },     /* 4M + 0.9 * 4M = 7969177.6 -> 1945 pages */
	{ 4 * M, 0, NODE_MEM, 30617600 },        /* the node's 32M instead: 7475.2 -> 7475 pages */
	{ 0, 0, NODE_MEM, K8S_UNLIMITED },       /* BestEffort: 0 == 0, none (as the kubelet) */
	{ 1000000, 3000000, NODE_MEM, 2797568 }, /* 2800000 -> 683 pages */
	{ 8 * M, 8 * M, NODE_MEM, K8S_UNLIMITED },   /* request == limit: none */
	{ 4097, 4098, NODE_MEM, K8S_UNLIMITED },     /* one page, not above the request: none */
	{ 4 * M, 0, 0, K8S_UNLIMITED },              /* no limit and no node figure */
};

static void
memory_high_memory_qos(void)
{
	for (size_t i = 0; i < ROWS(highs); i++)
		check_row(i, k8s_memory_high(highs[i].request, highs[i].limit, highs[i].node_mem, 4096),
			  highs[i].want);
	CHECK(k8s_memory_max(0) == K8S_UNLIMITED);
	CHECK(k8s_memory_max(8 * M) == 8 * M);
}

static void
eviction_order_rank_memory_pressure(void)
{
	CHECK(k8s_evict_before(9 * M, 0, 30 * M, 40 * M));       /* over its request goes first */
	CHECK(!k8s_evict_before(30 * M, 40 * M, 9 * M, 0));
	CHECK(k8s_evict_before(9 * M, 0, 6 * M, 4 * M));         /* 9M over beats 2M over */
	CHECK(!k8s_evict_before(6 * M, 4 * M, 9 * M, 0));
	CHECK(k8s_evict_before(1 * M, 8 * M, 1 * M, 16 * M));    /* both under: -7M beats -15M */
	CHECK(!k8s_evict_before(2 * M, 2 * M, 2 * M, 2 * M));    /* a tie: neither first */
}

static const struct {
	const char *text;
	int64_t want;
} sizes[] = {
	{ "4096", 4096 }, { "4K", 4 * K }, { "48m", 48 * M }, { "1G", 1024 * M }, { "0", 0 },
	{ "", -1 }, { "M", -1 }, { "-4M", -1 }, { "4MB", -1 }, { "2T", -1 }, { "4 M", -1 },
	{ "2048G", -1 },
};

static void
size_suffixes_are_powers_of_1024(void)
{
	for (size_t i = 0; i < ROWS(sizes); i++)
		check_row(i, k8s_parse_size(sizes[i].text), sizes[i].want);
}

int
main(void)
{
	RUN(qos_class_from_request_and_limit);
	RUN(oom_score_adj_policy_go);
	RUN(request_from_adj_inverts_within_a_thousandth);
	RUN(limited_swap_calc_swap_for_burstable_pods);
	RUN(memory_high_memory_qos);
	RUN(eviction_order_rank_memory_pressure);
	RUN(size_suffixes_are_powers_of_1024);
	UNIT_EXIT();
}
