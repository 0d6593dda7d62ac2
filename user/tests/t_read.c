/*
 * t_read PATH... - reads each file (or lists each directory) to the end
 * and prints one line per path:
 *     result PATH ok BYTES          (for a directory: ENTRIES entries)
 *     result PATH error ERRNO NAME
 * tests/run uses it on damaged disks: the errors must be clean ones
 * (EIO, EUCLEAN), and the kernel must carry on with the next path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "check.h"

static const char *
errname(int e)
{
	switch (e) {
	case EIO: return "EIO";
	case EUCLEAN: return "EUCLEAN";
	case ENOENT: return "ENOENT";
	case ENOTDIR: return "ENOTDIR";
	case EINVAL: return "EINVAL";
	case EFBIG: return "EFBIG";
	default: return "other";
	}
}

static void
read_one(const char *path)
{
	static char buf[65536];
	struct stat st;
	long total = 0, n;
	int fd;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		errno = 0;
		while (d && readdir(d))
			total++;
		int e = d ? errno : errno;
		if (d)
			closedir(d);
		if (!d || e)
			say("result %s error %d %s\n", path, e, errname(e));
		else
			say("result %s ok %ld entries\n", path, total);
		return;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		say("result %s error %d %s\n", path, errno, errname(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	if (n < 0)
		say("result %s error %d %s\n", path, errno, errname(errno));
	else
		say("result %s ok %ld\n", path, total);
	close(fd);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		read_one(argv[i]);
	return 0;
}
