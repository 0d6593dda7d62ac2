/*
 * hello - the smallest real program: prints "hello, world" through stdio
 * and exits 0. The first thing to exec on a new kernel, and the "good"
 * exec that tests run after provoking failures.
 */
#include <stdio.h>

int
main(void)
{
	printf("hello, world\n");
	return 0;
}
