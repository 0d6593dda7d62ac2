/*
 * swapctl - swap areas on and off, with priorities: swapon(2), swapoff(2).
 *
 * Usage:
 *   swapctl on [-p PRIO] [-d] FILE...   use FILE (a block device or a swap
 *                                       file made by mkswap) for swap, with
 *                                       priority PRIO (0..32767; else the
 *                                       kernel's next automatic one: -2, -3 ...)
 *   swapctl off FILE...                 stop using it: every page comes back
 *   swapctl [-s]                        the areas in use: /proc/swaps
 *
 * The options are util-linux's swapon(8) ones: `swapctl on -p 5 /swapfile`
 * is `swapon -p 5 /swapfile` there. It is a program of its own because
 * the image's /bin/swapon and /bin/swapoff are Debian's busybox applets,
 * which keep working (busybox's swapon has no -p). Runs on Linux too.
 * Exit status 0, or 1 if any FILE failed (each failure is reported with
 * its errno's words, as swapon(8) does); 2 for a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/swap.h>
#include <unistd.h>

#include "check.h"

static int
usage(void)
{
	say("usage: swapctl on [-p PRIO] [-d] FILE...\n"
	    "       swapctl off FILE...\n"
	    "       swapctl [-s]\n");
	return 2;
}

/* Copies /proc/swaps to standard output. */
static int
show(void)
{
	char buf[4096];
	FILE *f = fopen("/proc/swaps", "r");
	size_t n;

	if (!f) {
		say("swapctl: /proc/swaps: %s\n", strerror(errno));
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		(void)!write(1, buf, n);
	fclose(f);
	return 0;
}

/* -p PRIO as swapon(2)'s flags; -1 for a priority out of 0..32767. */
static int
prio_flags(const char *arg)
{
	char *end;
	long prio = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || prio < 0 || prio > SWAP_FLAG_PRIO_MASK)
		return -1;
	return SWAP_FLAG_PREFER | ((int)prio << SWAP_FLAG_PRIO_SHIFT);
}

static int
on(int argc, char **argv)
{
	int flags = 0, status = 0, i;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			int p = prio_flags(argv[++i]);
			if (p < 0) {
				say("swapctl: priority '%s': not a number from 0 to 32767\n", argv[i]);
				return 2;
			}
			flags |= p;
		} else if (strcmp(argv[i], "-d") == 0) {
			flags |= SWAP_FLAG_DISCARD;
		} else {
			return usage();
		}
	}
	if (i == argc)
		return usage();
	for (; i < argc; i++)
		if (swapon(argv[i], flags) != 0) {
			say("swapctl: swapon %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}

static int
off(int argc, char **argv)
{
	int status = 0;

	if (argc == 0)
		return usage();
	for (int i = 0; i < argc; i++)
		if (swapoff(argv[i]) != 0) {
			say("swapctl: swapoff %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}

int
main(int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "-s") == 0))
		return show();
	if (strcmp(argv[1], "on") == 0)
		return on(argc - 2, argv + 2);
	if (strcmp(argv[1], "off") == 0)
		return off(argc - 2, argv + 2);
	return usage();
}
