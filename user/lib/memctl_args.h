/*
 * memctl_args.h - memctl's command line (user/memctl.c): the options of
 * its three commands, the sizes and the node's figures they give.
 *
 * Why a header of its own: the checks here all end the same way, before
 * anything is made (a message and exit status 2), and reading them apart
 * from what the commands do keeps memctl.c about the pods. Only memctl
 * includes it.
 */
#ifndef USER_MEMCTL_ARGS_H
#define USER_MEMCTL_ARGS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s_qos.h"
#include "procfs.h"

struct opts {
	const char *name;
	const char *qos;                /* "auto" or a forced class */
	int64_t request, limit;
	enum k8s_swap swap;
	int memory_qos, keep, no_oom_adj;
	const char *root;
	int64_t node_memory, node_swap; /* -1: from /proc/meminfo */
	int64_t threshold, interval_ms, for_s;
	char **argv;                    /* run's PROG ARGS... */
};

static void
usage(void)
{
	fprintf(stderr,
		"usage: memctl run [--name NAME] [--qos auto|guaranteed|burstable|besteffort]\n"
		"                  [--request SIZE] [--limit SIZE] [--swap-behavior NoSwap|LimitedSwap]\n"
		"                  [--memory-qos] [--keep] [--no-oom-adj] [--root DIR]\n"
		"                  [--node-memory SIZE] [--node-swap SIZE] -- PROG ARGS...\n"
		"       memctl top [--root DIR]\n"
		"       memctl evict --threshold memory.available<SIZE [--interval MS] [--for SECONDS]\n"
		"                  [--root DIR] [--node-memory SIZE]\n"
		"SIZE: bytes, or with K, M or G (powers of 1024)\n");
	exit(2);
}

/* Exits 2 with "memctl: what 'text'". */
static void
bad(const char *what, const char *text)
{
	fprintf(stderr, "memctl: %s '%s'\n", what, text);
	exit(2);
}

static int64_t
size_arg(const char *opt, const char *text)
{
	int64_t n = k8s_parse_size(text);

	if (n < 0) {
		fprintf(stderr, "memctl: %s: not a size: '%s' (bytes, or with K, M, G)\n", opt, text);
		exit(2);
	}
	return n;
}

/* "memory.available<4M" -> 4M, the only eviction signal memctl knows. */
static int64_t
threshold_arg(const char *text)
{
	const char *prefix = "memory.available<";

	if (strncmp(text, prefix, strlen(prefix)) != 0)
		bad("--threshold must be memory.available<SIZE, not", text);
	return size_arg("--threshold", text + strlen(prefix));
}

static int64_t
number_arg(const char *opt, const char *text)
{
	char *end;
	long long n = strtoll(text, &end, 10);

	if (end == text || *end || n < 0)
		bad(opt, text);
	return n;
}

/* Parses argv[i..] into o; every option takes its value from the next word. */
static void
parse_opts(int argc, char **argv, int i, struct opts *o)
{
	for (; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int flag = 1;

		if (strcmp(a, "--") == 0) {
			o->argv = argv + i + 1;
			return;
		} else if (strcmp(a, "--memory-qos") == 0) {
			o->memory_qos = 1;
		} else if (strcmp(a, "--keep") == 0) {
			o->keep = 1;
		} else if (strcmp(a, "--no-oom-adj") == 0) {
			o->no_oom_adj = 1;
		} else {
			flag = 0;
		}
		if (flag)
			continue;
		if (!v || strncmp(a, "--", 2) != 0)
			bad(v ? "unknown argument" : "missing value after", a);
		if (strcmp(a, "--name") == 0)
			o->name = v;
		else if (strcmp(a, "--qos") == 0)
			o->qos = v;
		else if (strcmp(a, "--request") == 0)
			o->request = size_arg(a, v);
		else if (strcmp(a, "--limit") == 0)
			o->limit = size_arg(a, v);
		else if (strcmp(a, "--swap-behavior") == 0 && strcmp(v, "NoSwap") == 0)
			o->swap = K8S_NO_SWAP;
		else if (strcmp(a, "--swap-behavior") == 0 && strcmp(v, "LimitedSwap") == 0)
			o->swap = K8S_LIMITED_SWAP;
		else if (strcmp(a, "--swap-behavior") == 0)
			bad("--swap-behavior is NoSwap or LimitedSwap, not", v);
		else if (strcmp(a, "--root") == 0)
			o->root = v;
		else if (strcmp(a, "--node-memory") == 0)
			o->node_memory = size_arg(a, v);
		else if (strcmp(a, "--node-swap") == 0)
			o->node_swap = size_arg(a, v);
		else if (strcmp(a, "--threshold") == 0)
			o->threshold = threshold_arg(v);
		else if (strcmp(a, "--interval") == 0)
			o->interval_ms = number_arg(a, v);
		else if (strcmp(a, "--for") == 0)
			o->for_s = number_arg(a, v);
		else
			bad("unknown option", a);
		i++;
	}
}

/* The node's memory and swap: /proc/meminfo's MemTotal and SwapTotal (kB),
 * unless --node-memory and --node-swap say otherwise. */
static void
node_figures(struct opts *o)
{
	static char buf[4096];

	proc_load("/proc/meminfo", buf, sizeof(buf));
	if (o->node_memory < 0)
		o->node_memory = (int64_t)proc_field(buf, "MemTotal") * 1024;
	if (o->node_swap < 0)
		o->node_swap = (int64_t)proc_field(buf, "SwapTotal") * 1024;
}

/* "guaranteed" -> K8S_GUARANTEED; exits 2 for a name that is no class. */
static enum k8s_qos
qos_arg(const char *text)
{
	if (strcmp(text, "guaranteed") == 0)
		return K8S_GUARANTEED;
	if (strcmp(text, "burstable") == 0)
		return K8S_BURSTABLE;
	if (strcmp(text, "besteffort") == 0)
		return K8S_BEST_EFFORT;
	bad("--qos is auto, guaranteed, burstable or besteffort, not", text);
	return K8S_BEST_EFFORT;
}

#endif
