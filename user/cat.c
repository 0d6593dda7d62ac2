/*
 * cat - copies each named file (or standard input) to standard output, as
 * cat(1) does: the everyday way to read /proc/meminfo or /proc/vmstat from
 * pagoda's shell. Exits 1 if a file could not be read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

static int
copy(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(1, buf + done, (size_t)(n - done));
			if (w <= 0)
				return -1;
			done += w;
		}
	return n < 0 ? -1 : 0;
}

int
main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2)
		return copy(0) ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0 || copy(fd)) {
			fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
		if (fd >= 0)
			close(fd);
	}
	return status;
}
