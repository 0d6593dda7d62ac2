/*
 * t_mount - the mount table, /dev, and paths through them
 * (kernel/fs/mount.c, kernel/fs/devfs.c, kernel/sys_mount.c).
 *
 * Usage: t_mount DISK [--mount]
 *   DISK     a whole disk to read as a block device: /dev/vda or /dev/hda
 *            on pagoda, the image file build/disk.img on the host; its
 *            sector 0 must be an MBR whose first partition holds ext2
 *   --mount  also umount and mount /proc, mount DISK's first partition
 *            (the root's ext2) again at /mnt, and try mount(2)'s errors:
 *            only on pagoda (on the host that would unmount the machine's
 *            /proc)
 *
 * Every check holds on Linux too: the device numbers, the errors, what
 * /dev/null, /dev/zero and /dev/full do, and what lseek says for them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "check.h"

static void
check_char_device(const char *path, unsigned major, unsigned minor)
{
	struct stat st;
	char name[64];

	snprintf(name, sizeof(name), "stat_%s", path + 5);
	CHECK(name, stat(path, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == major &&
	      minor(st.st_rdev) == minor, "%s: mode %#o rdev %u:%u (%s)", path, st.st_mode,
	      major(st.st_rdev), minor(st.st_rdev), strerror(errno));
}

static void
check_memory_devices(void)
{
	char buf[64];
	int fd;

	check_char_device("/dev/null", 1, 3);
	check_char_device("/dev/zero", 1, 5);
	check_char_device("/dev/full", 1, 7);
	check_char_device("/dev/urandom", 1, 9);
	fd = open("/dev/null", O_RDWR);
	CHECK("null_reads_nothing", fd >= 0 && read(fd, buf, sizeof(buf)) == 0, "%s", strerror(errno));
	CHECK("null_swallows_writes", write(fd, "abc", 3) == 3, "%s", strerror(errno));
	CHECK("null_lseek_is_0", lseek(fd, 100, SEEK_SET) == 0 || lseek(fd, 0, SEEK_CUR) >= 0,
	      "%s", strerror(errno));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	CHECK("zero_reads_zeroes", read(fd, buf, sizeof(buf)) == sizeof(buf) && buf[0] == 0 &&
	      buf[sizeof(buf) - 1] == 0, "%s", strerror(errno));
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	errno = 0;
	CHECK("full_write_is_enospc", write(fd, "a", 1) == -1 && errno == ENOSPC, "%s", strerror(errno));
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	CHECK("urandom_reads", read(fd, buf, 16) == 16, "%s", strerror(errno));
	close(fd);
}

static void
check_pipe_is_not_seekable(void)
{
	int fds[2];

	errno = 0;
	CHECK("pipe_lseek_is_espipe", pipe(fds) == 0 && lseek(fds[0], 0, SEEK_CUR) == -1 &&
	      errno == ESPIPE, "%s", strerror(errno));
	close(fds[0]);
	close(fds[1]);
}

static uint32_t
le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The disk: an MBR at sector 0, ext2's magic 1024 bytes into partition 1. */
static void
check_disk(const char *disk)
{
	unsigned char mbr[512], super[1024];
	int fd = open(disk, O_RDONLY);
	off_t part;

	CHECK("disk_opens", fd >= 0, "%s: %s", disk, strerror(errno));
	CHECK("disk_mbr_signature", pread(fd, mbr, 512, 0) == 512 && mbr[510] == 0x55 && mbr[511] == 0xaa,
	      "%s: %s", disk, strerror(errno));
	part = (off_t)le32(mbr + 446 + 8) * 512;          /* the first entry's starting LBA */
	CHECK("disk_partition_holds_ext2", lseek(fd, part + 1024, SEEK_SET) == part + 1024 &&
	      read(fd, super, sizeof(super)) == sizeof(super) && super[56] == 0x53 && super[57] == 0xef,
	      "superblock magic %02x%02x at %lld", super[57], super[56], (long long)part + 1024);
	close(fd);
}

/* Whether the file at path contains text. */
static int
file_has(const char *path, const char *text)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, text) != NULL;
}

/* Whether /proc/mounts has a line with these words ("proc /proc proc"). */
static int
mounted(const char *words)
{
	return file_has("/proc/mounts", words);
}

static void
check_paths_through_mounts(void)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int seen = 0;

	CHECK("proc_mounts_lists_proc", mounted("proc /proc proc "), "no 'proc /proc proc' line");
	CHECK("relative_path_into_proc", chdir("/proc") == 0 && stat("self/status", &st) == 0,
	      "%s", strerror(errno));
	CHECK("relative_path_into_dev", chdir("/dev") == 0 && stat("null", &st) == 0 && S_ISCHR(st.st_mode),
	      "%s", strerror(errno));
	CHECK("dotdot_leaves_the_mount", stat("../dev/zero", &st) == 0 && S_ISCHR(st.st_mode),
	      "%s", strerror(errno));
	chdir("/");
	d = opendir("/dev");
	while (d && (e = readdir(d)) != NULL)
		seen |= (strcmp(e->d_name, "null") == 0) | (strcmp(e->d_name, "zero") == 0) << 1;
	if (d)
		closedir(d);
	CHECK("dev_lists_null_and_zero", seen == 3, "seen %d", seen);
}

static void
check_errno(const char *name, int ret, int err)
{
	CHECK(name, ret == -1 && errno == err, "returned %d, errno %s (wanted %s)", ret,
	      strerror(errno), strerror(err));
}

/* pagoda only: unmount /proc and mount it again; mount(2)'s errors. */
static void
check_mount_calls(void)
{
	struct stat st;

	CHECK("umount_proc", umount("/proc") == 0 && !mounted("proc") && stat("/proc/meminfo", &st) != 0,
	      "%s", strerror(errno));
	CHECK("mount_proc_again", mount("proc", "/proc", "proc", 0, NULL) == 0 &&
	      stat("/proc/meminfo", &st) == 0 && mounted("proc /proc proc "), "%s", strerror(errno));
	errno = 0;
	check_errno("mount_twice_is_ebusy", mount("proc", "/proc", "proc", 0, NULL), EBUSY);
	check_errno("mount_unknown_type_is_enodev", mount("x", "/tmp", "nosuchfs", 0, NULL), ENODEV);
	check_errno("mount_on_missing_dir_is_enoent", mount("proc", "/no/such", "proc", 0, NULL), ENOENT);
	check_errno("mount_on_file_is_enotdir", mount("proc", "/bin/init", "proc", 0, NULL), ENOTDIR);
	check_errno("umount_root_is_ebusy", umount("/"), EBUSY);
	check_errno("umount_not_mounted_is_einval", umount("/bin"), EINVAL);
	CHECK("remount_ro_is_fine", mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0 &&
	      mkdir("/ro-test", 0755) != 0 && errno == EROFS, "%s", strerror(errno));
	CHECK("remount_rw_is_fine", mount(NULL, "/", NULL, MS_REMOUNT, NULL) == 0 &&
	      mkdir("/rw-test", 0755) == 0 && rmdir("/rw-test") == 0, "%s", strerror(errno));
	CHECK("dev_shm_mounts_again", umount("/dev/shm") == 0 && stat("/dev/shm", &st) == 0 &&
	      S_ISDIR(st.st_mode) && mount("none", "/dev/shm", "tmpfs", 0, "size=1m") == 0 &&
	      mounted("none /dev/shm tmpfs "), "%s", strerror(errno));
}

/*
 * pagoda only: the root's ext2 mounted a second time at /mnt, read-write
 * and then read-only (the same tree, as Linux shows a mounted device
 * mounted again), and
 * mount(2)'s errors for sources that are no ext2 partition.
 */
static void
check_mount_ext2(const char *disk)
{
	char part[64], words[100];
	struct stat a, b;

	snprintf(part, sizeof(part), "%s1", disk);
	snprintf(words, sizeof(words), "%s /mnt ext2 ro ", part);
	CHECK("mount_ext2_rw_again", mount(part, "/mnt", "ext2", 0, NULL) == 0 && umount("/mnt") == 0,
	      "%s", strerror(errno));
	CHECK("mount_ext2_shows_the_root_again", mount(part, "/mnt", "ext2", MS_RDONLY, NULL) == 0 &&
	      stat("/mnt/bin/init", &a) == 0 && stat("/bin/init", &b) == 0 && a.st_ino == b.st_ino &&
	      a.st_size == b.st_size && mounted(words), "%s", strerror(errno));
	CHECK("umount_ext2", umount("/mnt") == 0 && stat("/mnt/bin", &a) != 0 && !mounted(words),
	      "%s", strerror(errno));
	check_errno("mount_ext2_bad_option_is_einval", mount(part, "/mnt", "ext2", MS_RDONLY, "bogus"),
		    EINVAL);
	check_errno("mount_whole_disk_is_einval", mount(disk, "/mnt", "ext2", MS_RDONLY, NULL), EINVAL);
	check_errno("mount_missing_device_is_enoent",
		    mount("/dev/nosuch", "/mnt", "ext2", MS_RDONLY, NULL), ENOENT);
	check_errno("mount_char_device_is_enotblk",
		    mount("/dev/null", "/mnt", "ext2", MS_RDONLY, NULL), ENOTBLK);
	check_errno("mount_file_is_enotblk", mount("/bin/init", "/mnt", "ext2", MS_RDONLY, NULL),
		    ENOTBLK);
	CHECK("proc_filesystems_lists_types", file_has("/proc/filesystems", "\text2\n") &&
	      file_has("/proc/filesystems", "nodev\ttmpfs\n") &&
	      file_has("/proc/filesystems", "nodev\tproc\n"), "ext2, tmpfs or proc missing");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		say("usage: t_mount DISK [--mount]\n");
		return 2;
	}
	check_memory_devices();
	check_pipe_is_not_seekable();
	check_disk(argv[1]);
	check_paths_through_mounts();
	if (argc > 2 && strcmp(argv[2], "--mount") == 0) {
		check_mount_calls();
		check_mount_ext2(argv[1]);
	}
	return check_exit();
}
