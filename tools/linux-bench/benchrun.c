/*
 * benchrun - starts one benchmark workload, on pagoda and on Linux alike.
 *
 *     benchrun PROG MIB [ARG]
 *
 * Reads /proc/meminfo and prints one line
 *
 *     bench: MemTotal=N MemAvailable=N SwapTotal=N SwapFree=N (kB) mib=M
 *
 * (the memory the workload finds when it starts), then becomes PROG with
 * execv(), so that the workload keeps our process: on pagoda it stays
 * init (KARGS="init=/bin/benchrun /bin/seqtouch 38"), and its exit status is
 * what `make run` returns. MIB "auto" means twice MemAvailable, rounded
 * down to whole MiB; any other MIB is passed on as it is.
 *
 * A static musl program (built by tools/bench.sh), like the workloads.
 * Exits 127 if PROG cannot be executed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Returns the value in kB of FIELD in /proc/meminfo, or -1. */
static long
meminfo(const char *text, const char *field)
{
	size_t len = strlen(field);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, field, len) == 0 && p[len] == ':')
			return strtol(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	static char text[8192];
	char mib[32];
	char *args[5];
	FILE *f;
	size_t n = 0;
	long avail;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: benchrun PROG MIB|auto [ARG]\n");
		return 2;
	}
	f = fopen("/proc/meminfo", "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	avail = meminfo(text, "MemAvailable");

	if (strcmp(argv[2], "auto") == 0) {
		if (avail <= 0) {
			fprintf(stderr, "benchrun: no MemAvailable in /proc/meminfo for mib=auto\n");
			return 2;
		}
		snprintf(mib, sizeof(mib), "%ld", 2 * avail / 1024);
	} else {
		snprintf(mib, sizeof(mib), "%s", argv[2]);
	}
	printf("bench: MemTotal=%ld MemAvailable=%ld SwapTotal=%ld SwapFree=%ld (kB) mib=%s\n",
	       meminfo(text, "MemTotal"), avail, meminfo(text, "SwapTotal"),
	       meminfo(text, "SwapFree"), mib);
	fflush(stdout);

	args[0] = argv[1];
	args[1] = mib;
	args[2] = argc == 4 ? argv[3] : NULL;
	args[3] = NULL;
	execv(argv[1], args);
	perror("benchrun: execv");
	return 127;
}
