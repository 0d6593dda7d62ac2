/*
 * kernel/fs/vfs_lookup.c - from a path name to the absolute path of the
 * file it names, following symbolic links (Linux's path_resolution(7)).
 *
 * The rest of kernel/fs/ works on absolute paths without links: the
 * mount table (kernel/fs/mount.c) finds the file system by the longest
 * prefix, and each file system walks the names below its top. So the
 * links are taken out first, here, and here only. The walk keeps two
 * strings: `abs`, the part resolved so far (absolute, no "." or "..", no
 * link in it), and `todo`, the names still to walk. Each round:
 *
 *   1. moves the names of todo up to its next ".." (or its end) onto abs;
 *   2. asks the file system abs is on whether a name of it is a link
 *      (its find_link operation: one walk of its own tree). If one is,
 *      the link's target takes the place of its name - what followed the
 *      link in abs goes back in front of todo - and the walk goes on from
 *      the link's directory (a relative target) or from "/" (an absolute
 *      one), through the mount table again, so a link may lead into any
 *      file system: /tmp/l -> /proc/self, /test/link-to-tmp -> /tmp;
 *   3. else a ".." takes the last name off abs. Since abs has no link in
 *      it, that is its real parent, as Linux's walk finds it.
 *
 *   path "/tmp/l/x/../y", /tmp/l -> d (a directory /tmp/d):
 *     abs "/"          todo "tmp/l/x/../y"
 *     abs "/tmp/l/x"   todo "../y"        find_link: "l" is a link to d
 *     abs "/tmp"       todo "d/x/../y"
 *     abs "/tmp/d/x"   todo "../y"        no link; ".." -> "/tmp/d"
 *     abs "/tmp/d/y"   todo ""            no link: done
 *
 * Every name but the last is followed; the last only if the call says so
 * (stat, open, chdir, execve do; lstat, readlink, O_NOFOLLOW do not, but
 * a '/' or "/." after it does: it must be a directory, so Linux follows
 * it too; unlink, rmdir, rename, mkdir and the names link and symlink
 * make take the name itself, slash or not, as Linux's filename_parentat). At most 40
 * links per lookup (Linux's MAXSYMLINKS), then ELOOP: a loop a -> b -> a
 * ends there too.
 *
 * Where this differs from Linux: a name that does not exist before a ".."
 * is taken off by name ("/tmp/none/.." is /tmp; Linux says ENOENT), as
 * kernel/fs/vfs.c always did; what is left to walk must fit in PATH_ABS
 * bytes as any path given does, once a link's target is spliced in, or it
 * is ENAMETOOLONG (Linux keeps a stack of the links instead, and follows a
 * target of up to PATH_MAX - 1 bytes).
 */
#include "kernel/fs/vfs.h"
#include "kernel/errno.h"
#include "kernel/fs/mount.h"
#include "kernel/string.h"

#define MAX_LINKS 40                  /* Linux's MAXSYMLINKS */

/*
 * On the stack: path lookup allocates nothing, so it cannot fail for want
 * of memory. A path given is at most PATH_ABS - 1 bytes, and so is what
 * is left to walk after a link's target is spliced in (ENAMETOOLONG past
 * it): a link is stored with a target of up to PATH_MAX - 1 bytes, but
 * only one that fits is followed here.
 */
struct walk {
	char todo[PATH_ABS];          /* the names still to walk */
	char target[PATH_ABS];        /* the link just met, then the new todo */
};

/* Is s[0..n) the name ".."? */
static bool
is_dotdot(const char *s, size_t n)
{
	return n == 2 && s[0] == '.' && s[1] == '.';
}

/* Where todo's first ".." name begins, or its length if it has none. */
static size_t
segment_len(const char *todo)
{
	size_t i = 0;

	while (todo[i]) {
		size_t n = 0;
		while (todo[i] == '/')
			i++;
		while (todo[i + n] && todo[i + n] != '/')
			n++;
		if (is_dotdot(todo + i, n))
			return i;
		i += n;
	}
	return i;
}

/* Appends the names of todo[0..len) to abs ("." and empty ones skipped). 0 or -ENAMETOOLONG. */
static int
append_names(char *abs, const char *todo, size_t len)
{
	size_t at = strlen(abs), i = 0;

	while (i < len) {
		size_t n = 0;
		while (i < len && todo[i] == '/')
			i++;
		while (i + n < len && todo[i + n] != '/')
			n++;
		if (n && !(n == 1 && todo[i] == '.')) {
			if (at + (at > 1) + n + 1 > PATH_ABS)
				return -ENAMETOOLONG;
			if (at > 1)
				abs[at++] = '/';
			memcpy(abs + at, todo + i, n);
			at += n;
			abs[at] = '\0';
		}
		i += n;
	}
	return 0;
}

/* Takes the last name off abs ("/" stays "/"). */
static void
go_up(char *abs)
{
	size_t cut = 0;

	for (size_t i = 0; abs[i]; i++)
		if (abs[i] == '/')
			cut = i;
	abs[cut ? cut : 1] = '\0';
}

/*
 * If a name of abs is a symbolic link (its last one too if last), its
 * target into target (PATH_ABS bytes) and *at = the length of abs up to
 * the end of that name; returns the target's length, 0 for no link.
 */
static int
find_link(const char *abs, bool last, size_t *at, char *target)
{
	const char *rel;
	struct mount *m = mount_find(abs, &rel);
	size_t end;
	int n;

	if (!m || !m->fs->find_link)
		return 0;
	n = m->fs->find_link(m, rel, last, &end, target, PATH_ABS);
	*at = (size_t)(rel - abs) + end;
	return n;
}

/*
 * The link that ends at abs[at] has the target in w->target: the new todo
 * is the target, then the names after the link, then the old todo from
 * rest on; abs becomes the link's directory, or "/" for an absolute target.
 */
static int
splice(char *abs, size_t at, struct walk *w, const char *rest)
{
	size_t len = strlen(w->target), after = strlen(abs + at), more = strlen(rest);

	if (len + after + 1 + more >= PATH_ABS)
		return -ENAMETOOLONG;
	memcpy(w->target + len, abs + at, after);
	w->target[len + after] = '/';
	memcpy(w->target + len + after + 1, rest, more + 1);
	strlcpy(w->todo, w->target, PATH_ABS);
	abs[at] = '\0';
	if (w->todo[0] == '/')
		strlcpy(abs, "/", PATH_ABS);
	else
		go_up(abs);
	return 0;
}

/* Does path end in a name that must be a directory ("x/", "x/.")? */
bool
vfs_wants_dir(const char *path)
{
	size_t len = strlen(path);

	return (len > 0 && path[len - 1] == '/') || (len > 1 && path[len - 2] == '/' && path[len - 1] == '.');
}

/* The rounds of the walk (see the top of the file); abs starts as the base. */
static int
walk_path(struct walk *w, char *abs, bool follow)
{
	int links = 0, err;

	for (;;) {
		size_t seg = segment_len(w->todo), before = strlen(abs), at;
		bool final = w->todo[seg] == '\0';
		int n = 0;

		if ((err = append_names(abs, w->todo, seg)) != 0)
			return err;
		if (strlen(abs) != before)        /* new names: is one of them a link? */
			n = find_link(abs, follow || !final, &at, w->target);
		if (n < 0)
			return n;
		if (n > 0) {
			if (++links > MAX_LINKS)
				return -ELOOP;
			if ((err = splice(abs, at, w, w->todo + seg)) != 0)
				return err;
			continue;
		}
		if (final)
			return 0;
		go_up(abs);                      /* todo + seg is "..": abs has no link, so by name */
		while (w->todo[seg] == '/')
			seg++;
		seg += 2;
		memmove(w->todo, w->todo + seg, strlen(w->todo + seg) + 1);
	}
}

/*
 * Resolves path (relative to base, an absolute path without links, unless
 * it starts with '/') into abs (PATH_ABS bytes): absolute, normalized,
 * every link on the way followed, the last name's as how says
 * (LOOKUP_FOLLOW, LOOKUP_NOFOLLOW, LOOKUP_NAME: kernel/fs/vfs.h). Returns
 * 0 (the file itself may not exist: the caller's operation says so),
 * -ENOENT for "", -ELOOP or -ENAMETOOLONG. Sleeps (a file system's walk
 * may read its disk).
 */
int
vfs_resolve(const char *base, const char *path, int how, char *abs)
{
	struct walk w;

	if (path[0] == '\0')
		return -ENOENT;
	if (strlcpy(w.todo, path, sizeof(w.todo)) >= sizeof(w.todo) ||
	    strlcpy(abs, path[0] == '/' ? "/" : base, PATH_ABS) >= PATH_ABS)
		return -ENAMETOOLONG;
	return walk_path(&w, abs, how == LOOKUP_FOLLOW || (how == LOOKUP_NOFOLLOW && vfs_wants_dir(path)));
}
