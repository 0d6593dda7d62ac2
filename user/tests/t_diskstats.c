/*
 * t_diskstats - /proc/diskstats, the per-disk counters iostat reads
 * (Linux's Documentation/admin-guide/iostats.rst; drivers/blk_stats.c).
 *
 * On the host too (tests/user-host.sh): every line has Linux's 20 fields
 * (major, minor, name and 17 numbers), and its weighted time covers at
 * least its reading and writing times. On pagoda, reading a 1 MiB file that no one
 * has read since boot (/test/size_1048576 on the root disk) adds at least
 * its 2048 sectors and some reads to the root partition and to its disk
 * alike, writes nothing, and leaves nothing in flight; the time columns
 * do not go backwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "procfs.h"

#define NFIELDS 17
enum { READS, READS_MERGED, SECTORS_READ, MS_READING, WRITES, WRITES_MERGED, SECTORS_WRITTEN,
       MS_WRITING, IN_FLIGHT, MS_BUSY, MS_WEIGHTED };

struct disk_line {
	char name[32];
	unsigned long v[NFIELDS];
};

/* Parses one line; returns how many fields it had (20 when it is well formed). */
static int
parse(const char *line, struct disk_line *d)
{
	unsigned major, minor;
	int used = 0, n;

	if (sscanf(line, "%u %u %31s%n", &major, &minor, d->name, &used) != 3)
		return 0;
	for (n = 0; n < NFIELDS; n++) {
		int more = 0;
		if (sscanf(line + used, "%lu%n", &d->v[n], &more) != 1)
			break;
		used += more;
	}
	while (line[used] == ' ')
		used++;
	return line[used] == '\n' || line[used] == '\0' ? 3 + n : -1;
}

/* The line after p's, or the end of the text. */
static const char *
next_line(const char *p)
{
	const char *nl = strchr(p, '\n');

	return nl ? nl + 1 : p + strlen(p);
}

/* The line of disk name in text, or false. */
static bool
find(const char *text, const char *name, struct disk_line *d)
{
	for (const char *p = text; *p; p = next_line(p))
		if (parse(p, d) == 20 && strcmp(d->name, name) == 0)
			return true;
	return false;
}

static void
format(void)
{
	static char text[16384];
	int lines = 0, good = 0;

	proc_load("/proc/diskstats", text, sizeof(text));
	for (const char *p = text; *p; p = next_line(p)) {
		struct disk_line d;
		lines++;
		if (parse(p, &d) == 20 && d.v[MS_WEIGHTED] + 1 >= d.v[MS_READING] + d.v[MS_WRITING])
			good++;
	}
	CHECK("every_line_has_20_fields", lines > 0 && good == lines,
	      "%d of %d lines well formed:\n%s", good, lines, text);
}

/* root's partition and disk before and after reading the file. */
static void
reading_counts(const char *part, const char *disk)
{
	static char before[16384], after[16384];
	struct disk_line p0, p1, d0, d1;
	char buf[65536];
	long total = 0, r;
	int fd;

	proc_load("/proc/diskstats", before, sizeof(before));
	fd = open("/test/size_1048576", O_RDONLY);
	while (fd >= 0 && (r = read(fd, buf, sizeof(buf))) > 0)
		total += r;
	if (fd >= 0)
		close(fd);
	proc_load("/proc/diskstats", after, sizeof(after));
	CHECK("file_read", total == 1048576, "read %ld bytes (errno %d)", total, errno);
	bool listed = find(before, part, &p0) && find(after, part, &p1) && find(before, disk, &d0) &&
		      find(after, disk, &d1);
	CHECK("root_disk_listed", listed, "no %s or %s in:\n%s", part, disk, after);
	if (!listed)
		return;
	unsigned long part_sectors = p1.v[SECTORS_READ] - p0.v[SECTORS_READ];
	unsigned long disk_sectors = d1.v[SECTORS_READ] - d0.v[SECTORS_READ];
	CHECK("read_adds_its_sectors", part_sectors >= 2048 && disk_sectors == part_sectors,
	      "partition +%lu, disk +%lu sectors", part_sectors, disk_sectors);
	CHECK("read_adds_reads", p1.v[READS] > p0.v[READS] && d1.v[READS] - d0.v[READS] ==
	      p1.v[READS] - p0.v[READS], "partition %lu -> %lu reads", p0.v[READS], p1.v[READS]);
	CHECK("read_writes_nothing", d1.v[WRITES] == d0.v[WRITES], "writes %lu -> %lu",
	      d0.v[WRITES], d1.v[WRITES]);
	CHECK("nothing_left_in_flight", d1.v[IN_FLIGHT] == 0 && p1.v[IN_FLIGHT] == 0,
	      "in flight: disk %lu, partition %lu", d1.v[IN_FLIGHT], p1.v[IN_FLIGHT]);
	CHECK("times_do_not_go_back", d1.v[MS_READING] >= d0.v[MS_READING] &&
	      d1.v[MS_BUSY] >= d0.v[MS_BUSY] && d1.v[MS_WEIGHTED] >= d0.v[MS_WEIGHTED],
	      "ms reading %lu -> %lu, busy %lu -> %lu", d0.v[MS_READING], d1.v[MS_READING],
	      d0.v[MS_BUSY], d1.v[MS_BUSY]);
}

int
main(void)
{
	static char text[16384];

	format();
	if (running_on_pagoda()) {
		struct disk_line d;
		proc_load("/proc/diskstats", text, sizeof(text));
		bool virtio = find(text, "vda1", &d);
		reading_counts(virtio ? "vda1" : "hda1", virtio ? "vda" : "hda");
	}
	return check_exit();
}
