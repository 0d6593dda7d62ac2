/*
 * t_exit - exits with the status given as its first argument (default 0)
 * and prints nothing. Used to check that init's exit status reaches the
 * outside, e.g. "init=/bin/init t_exit 5" makes `make run` exit 5, and that
 * the shell passes a status through ("sh -c 't_exit 7'" exits 7).
 */
#include <stdlib.h>

int
main(int argc, char **argv)
{
	return argc > 1 ? atoi(argv[1]) : 0;
}
