/*
 * t_links - hard links and symbolic links in /tmp (tmpfs), and path
 * lookup following symbolic links (kernel/fs/vfs_lookup.c), as Linux
 * does them.
 *
 * Usage: t_links            (t_links --child EXE is its own exec test)
 *   Everything happens in a directory mkdtemp() makes in /tmp, with two
 *   small tmpfs mounted inside it - one read-only - for EXDEV and EROFS
 *   (so the host needs root, as mount(2) does).
 *
 * Hard links: st_nlink counts names (a directory's is 2 + its
 * subdirectories), both names have one st_ino, the data lives while a
 * name or a descriptor does, ctime moves on link and unlink, rename onto
 * another name of the same file does nothing, and Linux's errors. Symbolic
 * links: readlink (not NUL-terminated, cut to the buffer), lstat against
 * stat, chains, relative targets, ".." after a link, links across mounts
 * (/proc, /bin, and on pagoda the root disk's /test/link-to-tmp), ELOOP
 * for a loop and for 41 links, O_NOFOLLOW, which calls follow the last
 * name and which do not. On pagoda, /tmp's blocks, Shmem and MemFree come
 * back to where they were.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procfs.h"

static char dir[64];

static const char *
in_dir(const char *name)
{
	static char path[8][160];
	static int next;
	char *p = path[next++ % 8];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* Is the call's result -1 with errno e? */
static int
fails_with(long r, int e)
{
	return r == -1 && errno == e;
}

#define ERR(name, call, e) do { errno = 0; long r_ = (call); \
	CHECK(name, fails_with(r_, e), "returned %ld, %s (want %s)", r_, strerror(errno), strerror(e)); } while (0)

static void
write_file(const char *path, const char *text)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

	if (fd >= 0) {
		(void)!write(fd, text, strlen(text));
		close(fd);
	}
}

/* The first bytes of a file, as a string ("" if it cannot be read). */
static const char *
read_file(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static long
nlink_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? (long)st.st_nlink : -1;
}

static int
later(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

static void
pause_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* /proc/meminfo's value of name, in kB; -1 if missing. */
static long
meminfo(const char *name)
{
	return proc_get("/proc/meminfo", name);
}

static void
check_hard_links(void)
{
	struct stat a, b, before;
	char buf[16] = "";
	int fd;

	write_file(in_dir("f"), "hello");
	lstat(in_dir("f"), &before);
	pause_ms(20);
	CHECK("link_makes_second_name", link(in_dir("f"), in_dir("g")) == 0, "%s", strerror(errno));
	CHECK("link_same_inode", stat(in_dir("f"), &a) == 0 && stat(in_dir("g"), &b) == 0 &&
	      a.st_ino == b.st_ino && a.st_dev == b.st_dev, "ino %lu and %lu", (unsigned long)a.st_ino,
	      (unsigned long)b.st_ino);
	CHECK("link_nlink_2", a.st_nlink == 2 && b.st_nlink == 2, "nlink %ld, %ld", (long)a.st_nlink,
	      (long)b.st_nlink);
	CHECK("link_changes_ctime", later(&a.st_ctim, &before.st_ctim), "ctime %ld.%09ld, before %ld.%09ld",
	      (long)a.st_ctim.tv_sec, a.st_ctim.tv_nsec, (long)before.st_ctim.tv_sec, before.st_ctim.tv_nsec);
	CHECK("link_keeps_mtime", a.st_mtim.tv_sec == before.st_mtim.tv_sec &&
	      a.st_mtim.tv_nsec == before.st_mtim.tv_nsec, "mtime changed");
	write_file(in_dir("g"), "world");
	CHECK("write_through_one_name_reads_through_other", strcmp(read_file(in_dir("f")), "world") == 0,
	      "read \"%s\"", read_file(in_dir("f")));
	CHECK("rename_onto_same_file_does_nothing", rename(in_dir("f"), in_dir("g")) == 0 &&
	      nlink_of(in_dir("f")) == 2 && nlink_of(in_dir("g")) == 2, "%s, nlink %ld", strerror(errno),
	      nlink_of(in_dir("f")));
	lstat(in_dir("g"), &before);
	pause_ms(20);
	CHECK("unlink_one_name", unlink(in_dir("f")) == 0 && nlink_of(in_dir("g")) == 1, "nlink %ld",
	      nlink_of(in_dir("g")));
	CHECK("unlink_changes_ctime", stat(in_dir("g"), &b) == 0 && later(&b.st_ctim, &before.st_ctim),
	      "ctime did not move");
	CHECK("data_kept_by_other_name", strcmp(read_file(in_dir("g")), "world") == 0, "read \"%s\"",
	      read_file(in_dir("g")));
	fd = open(in_dir("g"), O_RDONLY);
	CHECK("unlink_last_name_while_open", fd >= 0 && unlink(in_dir("g")) == 0 && fstat(fd, &a) == 0 &&
	      a.st_nlink == 0 && read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "world", 5) == 0,
	      "nlink %ld, read \"%s\" (%s)", (long)a.st_nlink, buf, strerror(errno));
	close(fd);
}

static void
check_dir_nlink(void)
{
	CHECK("mkdir_nlink_2", mkdir(in_dir("d"), 0755) == 0 && nlink_of(in_dir("d")) == 2, "nlink %ld",
	      nlink_of(in_dir("d")));
	mkdir(in_dir("d/s1"), 0755);
	mkdir(in_dir("d/s2"), 0755);
	write_file(in_dir("d/file"), "x");
	CHECK("subdirs_count_in_nlink", nlink_of(in_dir("d")) == 4, "nlink %ld", nlink_of(in_dir("d")));
	rmdir(in_dir("d/s1"));
	CHECK("rmdir_drops_nlink", nlink_of(in_dir("d")) == 3, "nlink %ld", nlink_of(in_dir("d")));
	mkdir(in_dir("e"), 0755);
	CHECK("rename_dir_moves_nlink", rename(in_dir("d/s2"), in_dir("e/s2")) == 0 &&
	      nlink_of(in_dir("d")) == 2 && nlink_of(in_dir("e")) == 3, "d %ld, e %ld", nlink_of(in_dir("d")),
	      nlink_of(in_dir("e")));
	rmdir(in_dir("e/s2"));
	rmdir(in_dir("e"));
}

/* Linux's errors of link(2); ro and other are tmpfs mounts in dir (read-only, and a second one). */
static void
check_link_errors(void)
{
	write_file(in_dir("f"), "data");
	ERR("link_dir_eperm", link(in_dir("d"), in_dir("dlink")), EPERM);
	ERR("link_existing_eexist", link(in_dir("f"), in_dir("d/file")), EEXIST);
	ERR("link_missing_enoent", link(in_dir("none"), in_dir("x")), ENOENT);
	ERR("link_missing_parent_enoent", link(in_dir("f"), in_dir("none/x")), ENOENT);
	ERR("link_through_file_enotdir", link(in_dir("f/x"), in_dir("x")), ENOTDIR);
	ERR("link_new_through_file_enotdir", link(in_dir("f"), in_dir("f/x")), ENOTDIR);
	ERR("link_across_mounts_exdev", link(in_dir("f"), in_dir("other/x")), EXDEV);
	ERR("link_from_proc_exdev", link("/proc/self/status", in_dir("x")), EXDEV);
	ERR("link_onto_ro_erofs", link(in_dir("f"), in_dir("ro/x")), EROFS);
	ERR("link_onto_mount_point_eexist", link(in_dir("f"), in_dir("ro")), EEXIST);
	ERR("symlink_onto_ro_erofs", symlink("f", in_dir("ro/x")), EROFS);
}

static void
check_symlink_basics(void)
{
	char buf[32], want[16];
	struct stat st, target;
	long n;

	write_file(in_dir("t"), "target data");
	CHECK("symlink_creates", symlink("t", in_dir("l")) == 0, "%s", strerror(errno));
	CHECK("lstat_is_link", lstat(in_dir("l"), &st) == 0 && S_ISLNK(st.st_mode) &&
	      (st.st_mode & 07777) == 0777 && st.st_size == 1 && st.st_nlink == 1,
	      "mode %o size %ld nlink %ld", st.st_mode, (long)st.st_size, (long)st.st_nlink);
	CHECK("stat_follows", stat(in_dir("l"), &st) == 0 && S_ISREG(st.st_mode) &&
	      stat(in_dir("t"), &target) == 0 && st.st_ino == target.st_ino, "mode %o", st.st_mode);
	CHECK("open_follows", strcmp(read_file(in_dir("l")), "target data") == 0, "read \"%s\"",
	      read_file(in_dir("l")));
	symlink("some/longer/target", in_dir("l2"));
	memset(buf, 'Z', sizeof(buf));
	n = readlink(in_dir("l2"), buf, sizeof(buf));
	CHECK("readlink_gives_target", n == 18 && memcmp(buf, "some/longer/target", 18) == 0 && buf[18] == 'Z',
	      "%ld \"%.*s\"", n, (int)(n > 0 ? n : 0), buf);
	memset(buf, 'Z', sizeof(buf));
	n = readlink(in_dir("l2"), buf, 4);
	CHECK("readlink_cut_to_buffer", n == 4 && memcmp(buf, "someZ", 5) == 0, "%ld", n);
	CHECK("lstat_size_is_target_length", lstat(in_dir("l2"), &st) == 0 && st.st_size == 18,
	      "size %ld", (long)st.st_size);
	ERR("readlink_not_link_einval", readlink(in_dir("t"), buf, sizeof(buf)), EINVAL);
	ERR("readlink_missing_enoent", readlink(in_dir("none"), buf, sizeof(buf)), ENOENT);
	ERR("readlink_dir_einval", readlink(dir, buf, sizeof(buf)), EINVAL);
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	CHECK("readlink_proc_self_is_pid", atol(buf) == getpid(), "\"%s\", pid %d", buf, getpid());
	snprintf(want, sizeof(want), "%d", getpid());
	memset(buf, 'Z', sizeof(buf));
	n = readlink("/proc/self", buf, 1);
	CHECK("readlink_proc_self_cut", n == 1 && buf[0] == want[0] && buf[1] == 'Z', "%ld \"%.2s\"", n, buf);
	ERR("symlink_empty_target_enoent", symlink("", in_dir("x")), ENOENT);
	ERR("symlink_existing_eexist", symlink("x", in_dir("t")), EEXIST);
	ERR("symlink_over_dangling_link_eexist", symlink("x", in_dir("l2")), EEXIST);
	ERR("symlink_missing_parent_enoent", symlink("x", in_dir("none/x")), ENOENT);
	ERR("stat_dangling_enoent", stat(in_dir("l2"), &st), ENOENT);
	CHECK("lstat_dangling_ok", lstat(in_dir("l2"), &st) == 0 && S_ISLNK(st.st_mode), "%s", strerror(errno));
	CHECK("fstatat_nofollow_is_link", fstatat(AT_FDCWD, in_dir("l"), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	      S_ISLNK(st.st_mode), "mode %o", st.st_mode);
	CHECK("access_follows", access(in_dir("l"), R_OK) == 0, "%s", strerror(errno));
	ERR("access_dangling_enoent", access(in_dir("l2"), F_OK), ENOENT);
}

/* A link target of PATH_MAX - 1 bytes is kept whole; PATH_MAX is ENAMETOOLONG. */
static void
check_long_target(void)
{
	static char target[PATH_MAX + 1], back[PATH_MAX];
	long n;

	memset(target, 'a', PATH_MAX);
	target[PATH_MAX] = '\0';
	ERR("symlink_target_path_max_enametoolong", symlink(target, in_dir("long")), ENAMETOOLONG);
	target[PATH_MAX - 1] = '\0';
	CHECK("symlink_target_path_max_minus_1", symlink(target, in_dir("long")) == 0, "%s", strerror(errno));
	n = readlink(in_dir("long"), back, sizeof(back));
	CHECK("readlink_long_target", n == PATH_MAX - 1 && memcmp(back, target, (size_t)n) == 0, "%ld", n);
	unlink(in_dir("long"));
}

static void
check_following(void)
{
	char cwd[160], want[160], buf[64];
	struct stat st;
	int fd;

	mkdir(in_dir("sub"), 0755);
	mkdir(in_dir("sub/inner"), 0755);
	write_file(in_dir("sub/g"), "in sub");
	write_file(in_dir("sub/inner/h"), "in inner");
	symlink("t", in_dir("c2"));
	symlink("c2", in_dir("c1"));
	CHECK("chain_followed", strcmp(read_file(in_dir("c1")), "target data") == 0, "read \"%s\"",
	      read_file(in_dir("c1")));
	symlink("../t", in_dir("sub/up"));
	CHECK("relative_target_from_links_dir", strcmp(read_file(in_dir("sub/up")), "target data") == 0,
	      "read \"%s\"", read_file(in_dir("sub/up")));
	symlink("sub/inner", in_dir("ldir"));
	CHECK("link_in_the_middle", strcmp(read_file(in_dir("ldir/h")), "in inner") == 0, "read \"%s\"",
	      read_file(in_dir("ldir/h")));
	CHECK("dotdot_after_link_is_targets_parent", strcmp(read_file(in_dir("ldir/../g")), "in sub") == 0,
	      "read \"%s\"", read_file(in_dir("ldir/../g")));
	ERR("link_to_file_in_middle_enotdir", stat(in_dir("l/x"), &st), ENOTDIR);
	CHECK("trailing_slash_follows", lstat(in_dir("ldir/"), &st) == 0 && S_ISDIR(st.st_mode), "mode %o",
	      st.st_mode);
	symlink("/", in_dir("root"));
	CHECK("absolute_target_from_root", stat(in_dir("root/proc/self/status"), &st) == 0, "%s",
	      strerror(errno));
	symlink("/proc/self", in_dir("lproc"));
	fd = open(in_dir("lproc/status"), O_RDONLY);
	CHECK("link_into_proc", fd >= 0 && read(fd, buf, 5) == 5 && memcmp(buf, "Name:", 5) == 0, "%s",
	      strerror(errno));
	close(fd);
	symlink("/bin", in_dir("lbin"));
	CHECK("link_into_root_fs", stat(in_dir("lbin/sh"), &st) == 0 && S_ISREG(st.st_mode), "%s",
	      strerror(errno));
	snprintf(want, sizeof(want), "%s/sub/inner", dir);
	CHECK("chdir_through_link_getcwd_real", chdir(in_dir("ldir")) == 0 && getcwd(cwd, sizeof(cwd)) &&
	      strcmp(cwd, want) == 0, "cwd %s (%s)", cwd, strerror(errno));
	CHECK("relative_path_after_chdir", strcmp(read_file("../g"), "in sub") == 0, "read \"%s\"",
	      read_file("../g"));
	chdir("/");
	ERR("open_nofollow_eloop", open(in_dir("l"), O_RDONLY | O_NOFOLLOW), ELOOP);
	fd = open(in_dir("t"), O_RDONLY | O_NOFOLLOW);
	CHECK("open_nofollow_plain_file", fd >= 0, "%s", strerror(errno));
	close(fd);
	fd = open(in_dir("ldir/h"), O_RDONLY | O_NOFOLLOW);
	CHECK("open_nofollow_follows_middle", fd >= 0, "%s", strerror(errno));
	close(fd);
	ERR("creat_excl_on_dangling_eexist", open(in_dir("l2"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
	symlink("made", in_dir("dangling"));
	fd = open(in_dir("dangling"), O_CREAT | O_WRONLY, 0644);
	CHECK("creat_through_dangling_creates_target", fd >= 0 && lstat(in_dir("made"), &st) == 0 &&
	      S_ISREG(st.st_mode), "%s", strerror(errno));
	close(fd);
	ERR("mkdir_on_link_eexist", mkdir(in_dir("l2"), 0755), EEXIST);
	ERR("rmdir_link_to_dir_enotdir", rmdir(in_dir("ldir")), ENOTDIR);
	ERR("rmdir_link_to_dir_slash_enotdir", rmdir(in_dir("ldir/")), ENOTDIR);
	ERR("unlink_link_slash_enotdir", unlink(in_dir("l/")), ENOTDIR);
	ERR("unlink_file_slash_enotdir", unlink(in_dir("t/")), ENOTDIR);
	ERR("mkdir_on_dangling_slash_eexist", mkdir(in_dir("l2/"), 0755), EEXIST);
	CHECK("link_to_dir_still_there", lstat(in_dir("ldir"), &st) == 0 && S_ISLNK(st.st_mode) &&
	      stat(in_dir("sub/inner"), &st) == 0, "%s", strerror(errno));
	CHECK("chmod_follows", chmod(in_dir("l"), 0600) == 0 && stat(in_dir("t"), &st) == 0 &&
	      (st.st_mode & 0777) == 0600 && lstat(in_dir("l"), &st) == 0 && (st.st_mode & 0777) == 0777,
	      "mode %o", st.st_mode);
	CHECK("truncate_follows", truncate(in_dir("c1"), 6) == 0 && stat(in_dir("t"), &st) == 0 &&
	      st.st_size == 6, "size %ld (%s)", (long)st.st_size, strerror(errno));
}

static void
check_loops(void)
{
	char name[32], next[32];
	struct stat st;

	symlink("loop_b", in_dir("loop_a"));
	symlink("loop_a", in_dir("loop_b"));
	ERR("loop_stat_eloop", stat(in_dir("loop_a"), &st), ELOOP);
	ERR("loop_open_eloop", open(in_dir("loop_a"), O_RDONLY), ELOOP);
	ERR("loop_in_middle_eloop", stat(in_dir("loop_a/x"), &st), ELOOP);
	CHECK("loop_lstat_ok", lstat(in_dir("loop_a"), &st) == 0 && S_ISLNK(st.st_mode), "%s", strerror(errno));
	/* n0 -> n1 -> ... -> n40 -> t: n1 takes 40 links to reach t, n0 41. */
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		snprintf(next, sizeof(next), i == 40 ? "t" : "n%d", i + 1);
		symlink(next, in_dir(name));
	}
	CHECK("forty_links_followed", stat(in_dir("n1"), &st) == 0 && S_ISREG(st.st_mode), "%s", strerror(errno));
	ERR("forty_one_links_eloop", stat(in_dir("n0"), &st), ELOOP);
	for (int i = 0; i <= 40; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		unlink(in_dir(name));
	}
}

/* What acts on the link itself: unlink, rename, link without AT_SYMLINK_FOLLOW; and with it. */
static void
check_link_itself(void)
{
	struct stat st = { 0 }, t;

	CHECK("link_to_symlink_links_the_link", link(in_dir("l"), in_dir("hl")) == 0 &&
	      lstat(in_dir("hl"), &st) == 0 && S_ISLNK(st.st_mode) && st.st_nlink == 2, "%s nlink %ld",
	      strerror(errno), (long)st.st_nlink);
	CHECK("linkat_follow_links_target", linkat(AT_FDCWD, in_dir("l"), AT_FDCWD, in_dir("ht"),
	      AT_SYMLINK_FOLLOW) == 0 && lstat(in_dir("ht"), &st) == 0 && stat(in_dir("t"), &t) == 0 &&
	      S_ISREG(st.st_mode) && st.st_ino == t.st_ino && t.st_nlink == 2, "%s", strerror(errno));
	CHECK("rename_renames_link", rename(in_dir("hl"), in_dir("hl2")) == 0 &&
	      lstat(in_dir("hl2"), &st) == 0 && S_ISLNK(st.st_mode), "%s", strerror(errno));
	CHECK("unlink_removes_link_not_target", unlink(in_dir("hl2")) == 0 && unlink(in_dir("l")) == 0 &&
	      lstat(in_dir("l"), &st) == -1 && stat(in_dir("t"), &st) == 0, "%s", strerror(errno));
}

/* execve through a link: the program runs, and /proc/self/exe names the file, not the link. */
static void
check_exec(void)
{
	char exe[256] = "", *argv[] = { "t_links", "--child", exe, NULL };
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int status = 0;
	pid_t pid;

	exe[n > 0 ? n : 0] = '\0';
	CHECK("proc_self_exe_readlink", n > 0 && exe[0] == '/', "%s", strerror(errno));
	symlink(exe, in_dir("prog"));
	pid = fork();
	if (pid == 0) {
		execv(in_dir("prog"), argv);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	CHECK("exec_through_link", WIFEXITED(status) && WEXITSTATUS(status) == 7, "status %#x", status);
}

/* The child of check_exec(): 7 if its /proc/self/exe is the file, not the link it was run by. */
static int
child(const char *want)
{
	char exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	return strcmp(exe, want) == 0 ? 7 : 8;
}

/* pagoda's root disk holds /test/link-to-tmp -> /tmp (tools/mkrootfs.sh): a link on ext2 into tmpfs. */
static void
check_root_disk_link(void)
{
	char path[160], buf[16];
	struct stat st, here;
	long n;

	if (access("/proc/memsnap", F_OK) != 0)
		return;                          /* not pagoda: the host has no such link */
	n = readlink("/test/link-to-tmp", buf, sizeof(buf));
	CHECK("ext2_readlink", n == 4 && memcmp(buf, "/tmp", 4) == 0, "%ld", n);
	CHECK("ext2_lstat_is_link", lstat("/test/link-to-tmp", &st) == 0 && S_ISLNK(st.st_mode) && st.st_size == 4,
	      "mode %o", st.st_mode);
	snprintf(path, sizeof(path), "/test/link-to-tmp/%s", dir + 5);
	CHECK("ext2_link_into_tmpfs", stat(path, &st) == 0 && stat(dir, &here) == 0 && st.st_ino == here.st_ino,
	      "%s: %s", path, strerror(errno));
	ERR("ext2_open_nofollow_eloop", open("/test/link-to-tmp", O_RDONLY | O_NOFOLLOW), ELOOP);
}

static void
cleanup(void)
{
	static const char *const names[] = {
		"t", "l2", "c1", "c2", "sub/up", "ldir", "sub/g", "sub/inner/h", "root", "lproc", "lbin",
		"dangling", "made", "loop_a", "loop_b", "ht", "prog", "f", "d/file",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(in_dir(names[i]));
	rmdir(in_dir("sub/inner"));
	rmdir(in_dir("sub"));
	rmdir(in_dir("d"));
}

int
main(int argc, char **argv)
{
	struct statfs before, after;
	long shmem0, free0;
	int pagoda = access("/proc/memsnap", F_OK) == 0;
	static char big[65536];
	int fd;

	if (argc > 2 && strcmp(argv[1], "--child") == 0)
		return child(argv[2]);
	strcpy(dir, "/tmp/t_links.XXXXXX");
	CHECK("mkdtemp_in_tmp", mkdtemp(dir) != NULL, "%s", strerror(errno));
	statfs("/tmp", &before);
	shmem0 = meminfo("Shmem");
	free0 = meminfo("MemFree");
	mkdir(in_dir("ro"), 0755);
	mkdir(in_dir("other"), 0755);
	CHECK("mount_ro_tmpfs", mount("none", in_dir("ro"), "tmpfs", MS_RDONLY, "size=64k") == 0, "%s",
	      strerror(errno));
	CHECK("mount_other_tmpfs", mount("none", in_dir("other"), "tmpfs", 0, "size=64k") == 0, "%s",
	      strerror(errno));
	fd = open(in_dir("big"), O_CREAT | O_WRONLY, 0644);
	CHECK("big_file_written", fd >= 0 && write(fd, big, sizeof(big)) == sizeof(big), "%s", strerror(errno));
	close(fd);
	CHECK("big_file_second_name", link(in_dir("big"), in_dir("big2")) == 0 && unlink(in_dir("big")) == 0,
	      "%s", strerror(errno));
	check_hard_links();
	check_dir_nlink();
	check_link_errors();
	check_symlink_basics();
	check_long_target();
	check_following();
	check_loops();
	check_link_itself();
	check_exec();
	check_root_disk_link();
	if (pagoda)
		CHECK("shmem_counts_linked_file", meminfo("Shmem") >= shmem0 + 64, "Shmem %ld kB, before %ld kB",
		      meminfo("Shmem"), shmem0);
	unlink(in_dir("big2"));
	cleanup();
	CHECK("umount_ro", umount(in_dir("ro")) == 0, "%s", strerror(errno));
	CHECK("umount_other", umount(in_dir("other")) == 0, "%s", strerror(errno));
	rmdir(in_dir("ro"));
	rmdir(in_dir("other"));
	CHECK("rmdir_the_temporary_dir", rmdir(dir) == 0, "%s", strerror(errno));
	if (pagoda) {
		statfs("/tmp", &after);
		CHECK("tmp_blocks_back", after.f_bfree == before.f_bfree, "%lu free blocks, before %lu",
		      (unsigned long)after.f_bfree, (unsigned long)before.f_bfree);
		CHECK("shmem_back", meminfo("Shmem") <= shmem0, "Shmem %ld kB, before %ld kB", meminfo("Shmem"),
		      shmem0);
		/* The heap keeps slab pages it made and exec fills the page cache: some slack. */
		CHECK("memfree_back", meminfo("MemFree") >= free0 - 256, "MemFree %ld kB, before %ld kB",
		      meminfo("MemFree"), free0);
	}
	return check_exit();
}
