/*
 * k8s_qos.h - the kubelet's memory rules, as pure functions for memctl
 * (user/memctl.c) and its host unit test (tests/unit/test_k8s_qos.c).
 *
 * Why a header of its own: the rules are the part of memctl worth checking
 * against Kubernetes figure by figure, and they need no file, no cgroup
 * and no process to be checked. So nothing here does I/O; memctl reads
 * /proc/meminfo and writes the cgroup files, these functions only decide
 * the numbers. Sizes are bytes in int64_t, as the kubelet's are (Go
 * int64); a request or limit of 0 means "not given", as a zero Quantity
 * does (IsZero()).
 *
 * Sources, each rule cites its own:
 *   pkg/kubelet/qos/policy.go                   GetContainerOOMScoreAdjust
 *   pkg/apis/core/v1/helper/qos/qos.go          GetPodQOS (the classes)
 *   pkg/kubelet/kuberuntime/kuberuntime_container_linux.go
 *                                               calcSwapForBurstablePods, memory.min/high
 *   pkg/kubelet/eviction/helpers.go             rankMemoryPressure
 *   KEP-2400 NodeSwap, KEP-2570 MemoryQoS
 */
#ifndef USER_K8S_QOS_H
#define USER_K8S_QOS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum k8s_qos { K8S_BEST_EFFORT, K8S_BURSTABLE, K8S_GUARANTEED };
enum k8s_swap { K8S_NO_SWAP, K8S_LIMITED_SWAP };

#define K8S_UNLIMITED (-1)              /* a knob's "max": no memory.high, no memory.max */
#define K8S_GUARANTEED_ADJ (-997)       /* policy.go guaranteedOOMScoreAdj */
#define K8S_BEST_EFFORT_ADJ 1000        /* policy.go besteffortOOMScoreAdj */
#define K8S_THROTTLING_FACTOR 0.9       /* KEP-2570's default memoryThrottlingFactor */

/* "Guaranteed", "Burstable" or "BestEffort", as kubectl prints them. */
static inline const char *
k8s_qos_name(enum k8s_qos qos)
{
	return qos == K8S_GUARANTEED ? "Guaranteed" : qos == K8S_BURSTABLE ? "Burstable" : "BestEffort";
}

/*
 * The request the kubelet acts on: a limit with no request means request =
 * limit (the API server's defaulting, which kuberuntime repeats "for
 * containers running on existing Kubernetes clusters").
 */
static inline int64_t
k8s_effective_request(int64_t request, int64_t limit)
{
	return request == 0 && limit != 0 ? limit : request;
}

/*
 * The QoS class of a one-container pod (qos.go GetPodQOS, memory only):
 * nothing asked for is BestEffort; a limit that equals the request is
 * Guaranteed; anything else is Burstable. request is the given one: this
 * applies the defaulting itself.
 */
static inline enum k8s_qos
k8s_qos_class(int64_t request, int64_t limit)
{
	int64_t req = k8s_effective_request(request, limit);

	if (req == 0 && limit == 0)
		return K8S_BEST_EFFORT;
	if (limit != 0 && req == limit)
		return K8S_GUARANTEED;
	return K8S_BURSTABLE;
}

/*
 * oom_score_adj of the container's processes (policy.go
 * GetContainerOOMScoreAdjust). A Burstable container is scored by the
 * share of the node it asked for: 1000 - 1000 * request / capacity in
 * int64 arithmetic (truncating), kept above every Guaranteed container
 * (at least 1000 + -997 = 3) and below every BestEffort one (1000 -> 999).
 */
static inline int
k8s_oom_score_adj(enum k8s_qos qos, int64_t request, int64_t capacity)
{
	int64_t adj;

	if (qos == K8S_GUARANTEED)
		return K8S_GUARANTEED_ADJ;
	if (qos == K8S_BEST_EFFORT)
		return K8S_BEST_EFFORT_ADJ;
	if (capacity <= 0)              /* Go would divide by zero; stay below BestEffort */
		return K8S_BEST_EFFORT_ADJ - 1;
	adj = 1000 - (1000 * request) / capacity;
	if (adj < 1000 + K8S_GUARANTEED_ADJ)
		return 1000 + K8S_GUARANTEED_ADJ;
	if (adj == K8S_BEST_EFFORT_ADJ)
		return K8S_BEST_EFFORT_ADJ - 1;
	return (int)adj;
}

/*
 * The request a Burstable process's oom_score_adj stands for: the formula
 * above backwards, (1000 - adj) * capacity / 1000. The eviction manager
 * needs requests, which the kubelet reads from the pod spec; pagoda keeps
 * no pod spec, but the adj memctl wrote is a function of the request, so
 * this recovers it to within capacity / 1000 (the truncation's step).
 */
static inline int64_t
k8s_request_from_adj(int adj, int64_t capacity)
{
	return (int64_t)(1000 - adj) * capacity / 1000;
}

/*
 * memory.swap.max of the container (kuberuntime_container_linux.go,
 * KEP-2400). NoSwap: 0 for everyone. LimitedSwap: only a Burstable
 * container that asked for memory and whose request is not its limit may
 * swap, its request's share of the node's swap:
 * int64(float64(request) / float64(nodeMemory) * float64(nodeSwap)).
 * calcSwapForBurstablePods refuses a node of no memory or a request above
 * it, and the kubelet then configures no swap: so do we.
 */
static inline int64_t
k8s_swap_max(enum k8s_qos qos, int64_t request, int64_t limit, enum k8s_swap behavior,
	     int64_t node_memory, int64_t node_swap)
{
	double share;

	if (behavior == K8S_NO_SWAP || qos != K8S_BURSTABLE)
		return 0;
	if (request == 0 || request == limit)
		return 0;
	if (node_memory <= 0 || request > node_memory)
		return 0;
	share = (double)request / (double)node_memory;
	return (int64_t)(share * (double)node_swap);
}

/*
 * memory.high of the container under MemoryQoS (KEP-2570, as
 * kuberuntime_container_linux.go computes it since v1.27):
 * floor((request + 0.9 * (limit - request)) / pagesize) * pagesize, with
 * the node's memory for a missing limit. None (K8S_UNLIMITED) when
 * request == limit (Guaranteed: only memory.max applies), and none when
 * the figure would not be above the request, as the kubelet writes it
 * only if memoryHigh > memoryRequest.
 */
static inline int64_t
k8s_memory_high(int64_t request, int64_t limit, int64_t node_memory, int64_t pagesize)
{
	int64_t top = limit != 0 ? limit : node_memory;
	double bytes;
	int64_t high;

	if (request == limit || top <= 0)
		return K8S_UNLIMITED;
	bytes = (double)request + ((double)top - (double)request) * K8S_THROTTLING_FACTOR;
	high = (int64_t)(bytes / (double)pagesize) * pagesize;
	return high > request ? high : K8S_UNLIMITED;
}

/* memory.max of the container and its pod: the limit, or none. */
static inline int64_t
k8s_memory_max(int64_t limit)
{
	return limit != 0 ? limit : K8S_UNLIMITED;
}

/*
 * Whether pod a goes before pod b when the node is short of memory
 * (eviction/helpers.go rankMemoryPressure = orderedBy(exceedMemoryRequests,
 * priority, memory)): first the pods using more than they asked for, then
 * the larger usage above the request. Priority is not modelled: every pod
 * has the same.
 */
static inline int
k8s_evict_before(int64_t usage_a, int64_t request_a, int64_t usage_b, int64_t request_b)
{
	int over_a = usage_a > request_a, over_b = usage_b > request_b;

	if (over_a != over_b)
		return over_a;
	return usage_a - request_a > usage_b - request_b;
}

/*
 * "48M" -> 48 << 20: bytes, or K, M, G (powers of 1024, either case).
 * Returns the size, or -1 for anything that is not one (or above 1 TiB).
 * 0 is a size: "no request".
 */
static inline int64_t
k8s_parse_size(const char *s)
{
	char *end;
	unsigned long long n;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	n = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	}
	if (*end || n > (1ULL << 40) >> shift)
		return -1;
	return (int64_t)(n << shift);
}

#endif
