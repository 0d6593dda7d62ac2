/*
 * mm/swapon.c - a swap area comes into use: at boot, and by swapon(2);
 * and swapoff(2)'s checks before mm/swapoff.c empties the area.
 *
 * An area is a block device (a disk or a partition: /dev/vdb) or a
 * regular file of the root ext2 (/swapfile), either made by mkswap. swapon
 * reads its header (page 0: version, last_page, the bad pages, and
 * "SWAPSPACE2" in its last 10 bytes), maps its slots to disk sectors (a
 * partition is one run; a file, whatever ext2 says, kernel/fs/ext2_swapfile.c),
 * sets up its slot map and swap cache, and gives it a priority
 * (mm/swap_area.c). From then on mm/swap.c may put pages there.
 *
 * The boot area: swap= names a device, else the second disk (hdb or vdb,
 * where tools/qemu.sh attaches build/swap.img), unless noswap. It comes in
 * as `swapon -a` brings in an fstab line without pri=: the first automatic
 * priority, -2.
 *
 * Errors, as Linux's swapon(2) gives them (man 2 swapon):
 *   EPERM   not CAP_SYS_ADMIN - never here: every process is root
 *           (kernel/sys_cred.c), so there is nobody to refuse
 *   EINVAL  unknown flags; not a block device or a regular file; a file on
 *           another file system than the root ext2 (tmpfs: Linux's tmpfs
 *           cannot swap either); no SWAPSPACE2 signature or a bad header;
 *           a swap file with holes, or without one whole page of disk
 *   ENOENT  and the other path errors, from opening it
 *   EBUSY   it is in use already: swapped on, or the mounted root
 *   EPERM   all SWP_MAX_AREAS areas are in use (Linux says EPERM too)
 */
#include "mm/swapon.h"
#include "drivers/blk.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/fs/ext2_swapfile.h"
#include "kernel/fs/ext2fs.h"
#include "kernel/fs/file.h"
#include "kernel/fs/vfs.h"
#include "kernel/printk.h"
#include "kernel/proc.h"
#include "kernel/rwsem.h"
#include "kernel/string.h"
#include "kernel/syscall.h"
#include "kernel/vsprintf.h"
#include "kernel/x86.h"
#include "mm/heap.h"
#include "mm/swap.h"
#include "mm/uaccess.h"

#define SWAP_MAGIC       "SWAPSPACE2"
#define SECTORS_PER_PAGE (PAGE_SIZE / SECTOR_SIZE)

/* The header's first kilobyte is boot code room; the fields follow it. */
struct swap_header_info {
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	uint8_t uuid[16];
	char volume_name[16];
	uint32_t padding[117];
	uint32_t badpages[];
};

/* One swapon or swapoff at a time: both sleep while the table is half changed. */
static struct rwsem swapon_lock = { .wq = WAIT_QUEUE_INIT(swapon_lock.wq) };

/* What is being swapped on: where it is, its name, and where its header is read from. */
struct swap_target {
	struct blk_device *dev;       /* the device the slots are on */
	struct file *file;            /* a swap file, open; NULL for a device */
	uint32_t ino;
	uint64_t pages;               /* pages of the device or the file */
	char name[SWAP_NAME_LEN];
};

/*
 * Reads and checks the header of t into page. Returns the number of slots
 * the header gives (last_page + 1), or -EIO, -EINVAL (no signature, a
 * version other than 1, or more pages than t has).
 */
static long
read_header(const struct swap_target *t, uint8_t *page)
{
	const struct swap_header_info *h = (const void *)(page + 1024);
	long got;

	if (t->file)
		got = file_read_at(t->file, page, PAGE_SIZE, 0);
	else
		got = blk_rw(t->dev, BLK_READ, 0, page, PAGE_SIZE) == 0 ? (long)PAGE_SIZE : -EIO;
	if (got != (long)PAGE_SIZE) {
		pr_err("swap: %s: cannot read the header\n", t->name);
		return got < 0 ? got : -EINVAL;
	}
	if (memcmp(page + PAGE_SIZE - 10, SWAP_MAGIC, 10) != 0) {
		pr_err("swap: %s: no SWAPSPACE2 signature (not made by mkswap?)\n", t->name);
		return -EINVAL;
	}
	if (h->version != 1 || h->last_page < 1 || h->last_page >= SWP_MAX_SLOTS ||
	    (uint64_t)h->last_page + 1 > t->pages || h->nr_badpages > (PAGE_SIZE - 1536) / 4) {
		pr_err("swap: %s: bad header (version %u, last_page %u of %lu pages, %u bad pages)\n",
		       t->name, h->version, h->last_page, t->pages, h->nr_badpages);
		return -EINVAL;
	}
	return (long)h->last_page + 1;
}

/*
 * Where t's slots are: one run for a device; a file's whole pages (at most
 * nslots), on the device *dev (the root partition).
 */
static int
map_slots(const struct swap_target *t, uint32_t nslots, struct swap_extents *x,
	  struct blk_device **dev)
{
	struct swap_extent *one;

	*dev = t->dev;
	if (t->file) {
		/* The map is read from the disk: what the file system still holds in memory goes first. */
		sys_sync();
		return ext2_swapfile_map(t->ino, nslots, x, dev);
	}
	one = kmalloc(sizeof(*one));
	if (!one)
		return -ENOMEM;
	swap_extents_init(x, one, 1);
	*one = (struct swap_extent){ .slot = 0, .npages = nslots, .sector = 0 };
	x->n = 1;
	x->npages = nslots;
	return 0;
}

static void
free_area_memory(struct swap_area *a)
{
	kfree(a->slots.map);
	kfree(a->cache);
	kfree(a->owners);
	kfree(a->extents.v);
	a->slots.map = NULL;
	a->cache = NULL;
	a->owners = NULL;
	a->extents.v = NULL;
}

/*
 * Brings t into use with priority prio (if prefer; else the next
 * automatic one). Returns 0, or -EINVAL, -EIO, -ENOMEM, -EPERM (the table
 * is full). Sleeps.
 */
static int
swapon_target(const struct swap_target *t, bool prefer, int prio)
{
	uint8_t *page = kmalloc(PAGE_SIZE);
	const struct swap_header_info *h = (const void *)(page + 1024);
	struct swap_area *a = swap_area_new();
	long nslots = !page ? -ENOMEM : !a ? -EPERM : read_header(t, page);
	struct blk_device *dev = NULL;
	int err = nslots < 0 ? (int)nslots : map_slots(t, (uint32_t)nslots, &a->extents, &dev);

	if (!err) {
		nslots = MIN((uint32_t)nslots, a->extents.npages);   /* a file may have fewer whole pages */
		a->slots.map = kmalloc((size_t)nslots * sizeof(uint16_t));
		a->cache = kzalloc((size_t)nslots * sizeof(struct page *));
		a->owners = kzalloc((size_t)nslots * sizeof(struct mem_cgroup *));
		err = a->slots.map && a->cache && a->owners ? 0 : -ENOMEM;
	}
	if (!err && nslots < 2)
		err = -EINVAL;
	if (err) {
		if (a)
			free_area_memory(a);
		kfree(page);
		return err;
	}
	swap_map_init(&a->slots, a->slots.map, (uint32_t)nslots, h->badpages, h->nr_badpages);
	a->dev = dev;
	a->is_file = t->file != NULL;
	a->ino = t->ino;
	strlcpy(a->name, t->name, sizeof(a->name));
	uint64_t flags = irq_save();
	swap_area_enable(a, prefer, prio);
	irq_restore(flags);
	pr_info("swap: %s: %lu slots (%lu KiB) in %u extent%s, %u bad, priority %d, label \"%.16s\"\n",
		a->name, swap_area_size(a), swap_area_size(a) * 4, a->extents.n,
		a->extents.n == 1 ? "" : "s", a->slots.nbad, a->prio, h->volume_name);
	kfree(page);
	return 0;
}

static struct blk_device *
find_boot_device(void)
{
	const char *name = karg_get("swap");
	struct blk_device *root = blk_first_disk();

	if (name)
		return blk_find(name);
	/* The second disk: hdb or vdb (tools/qemu.sh attaches swap.img there). */
	if (root && blk_find("hdb"))
		return blk_find("hdb");
	return blk_find("vdb");
}

/* The boot area (swap=, else the second disk) unless noswap; priority -2. Sleeps. */
void
swap_init(void)
{
	struct swap_target t = { 0 };

	if (karg_has("noswap")) {
		pr_info("swap: off (noswap)\n");
		return;
	}
	if ((t.dev = find_boot_device()) == NULL) {
		pr_info("swap: no swap device\n");
		return;
	}
	t.pages = t.dev->nsectors / SECTORS_PER_PAGE;
	snprintf(t.name, sizeof(t.name), "/dev/%s", t.dev->name);
	down_write(&swapon_lock);
	if (swapon_target(&t, false, 0) != 0)
		pr_err("swap: %s: not used; no swap\n", t.name);
	up_write(&swapon_lock);
}

/* Is one of a and b the other, or its disk? (A partition's disk is busy while the partition is.) */
static bool
same_disk(const struct blk_device *a, const struct blk_device *b)
{
	return a == b || a->disk == b || b->disk == a;
}

/* The area that is dev (a block device), or NULL. */
static struct swap_area *
area_of_device(const struct blk_device *dev)
{
	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_areas[i].used && !swap_areas[i].is_file && same_disk(swap_areas[i].dev, dev))
			return &swap_areas[i];
	return NULL;
}

/* The area that is the root's file ino, or NULL. */
static struct swap_area *
area_of_file(uint32_t ino)
{
	for (unsigned i = 0; i < SWP_MAX_AREAS; i++)
		if (swap_areas[i].used && swap_areas[i].is_file && swap_areas[i].ino == ino)
			return &swap_areas[i];
	return NULL;
}

/* Is the root's file ino an active swap file? (Writes to it are refused: ETXTBSY, as Linux.) */
bool
swap_file_active(uint32_t ino)
{
	return area_of_file(ino) != NULL;
}

/*
 * Fills t from the open file f named path: a block device or a root ext2
 * file. Returns 0, -EINVAL (another kind of file), -EBUSY (in use).
 */
static int
describe_target(struct file *f, const char *path, struct swap_target *t)
{
	struct blk_device *root = blk_find(ext2fs_mounted() ? ext2fs_root_device() : "");

	*t = (struct swap_target){ 0 };
	if (vfs_resolve(current->fs->cwd, path, LOOKUP_FOLLOW, t->name) != 0)
		strlcpy(t->name, path, sizeof(t->name));
	if ((f->mode & S_IFMT) == S_IFBLK) {
		t->dev = f->priv;
		t->pages = t->dev->nsectors / SECTORS_PER_PAGE;
		if (area_of_device(t->dev) || (root && same_disk(root, t->dev)))
			return -EBUSY;
		return 0;
	}
	if ((f->mode & S_IFMT) != S_IFREG || f->ino == 0 || !f->mapping)
		return -EINVAL;              /* a directory, a pipe, a file of tmpfs or /proc */
	if (area_of_file((uint32_t)f->ino))
		return -EBUSY;
	t->file = f;
	t->ino = (uint32_t)f->ino;
	t->pages = f->size / PAGE_SIZE;
	return 0;
}

/*
 * Copies the user's path in and opens it read-only. Linux opens a swap
 * area read-write (O_RDWR | O_EXCL), which on a read-only file system is
 * EROFS; pagoda's root is read-only and /dev's block devices refuse
 * writes, yet swap I/O never goes through either (it goes to the disk by
 * the area's extents), so read-only is what the open needs here.
 */
static int
open_user_path(const char *upath, char *path, size_t size, struct file **f)
{
	long err = strncpy_from_user(path, upath, size);

	if (err < 0)
		return (int)err;
	if ((size_t)err >= size - 1)
		return -ENAMETOOLONG;
	return vfs_open(path, O_RDONLY, f);
}

/*
 * swapon(2): brings the block device or swap file at upath into use.
 * flags: SWAP_FLAG_PREFER with a priority 0..32767 in the low bits, else
 * the next automatic priority (-2, -3, ...); the discard flags are
 * accepted and do nothing (our disks have no discard). Errors: see the
 * top of this file. Sleeps.
 */
long
sys_swapon(const char *upath, int flags)
{
	char path[256];
	struct swap_target t;
	struct file *f;
	int err;

	if (flags & ~SWAP_FLAGS_VALID)
		return -EINVAL;
	if ((err = open_user_path(upath, path, sizeof(path), &f)) != 0)
		return err;
	down_write(&swapon_lock);
	err = describe_target(f, path, &t);
	if (!err)
		err = swapon_target(&t, flags & SWAP_FLAG_PREFER,
				    (flags & SWAP_FLAG_PRIO_MASK) >> SWAP_FLAG_PRIO_SHIFT);
	up_write(&swapon_lock);
	file_put(f);
	return err;
}

/*
 * swapoff(2): reads every page of the area at upath back into memory and
 * stops using it (mm/swapoff.c). EINVAL if it is not an area in use;
 * ENOMEM when memory cannot hold its pages (the area stays in use, nothing
 * lost); path errors from opening it. Sleeps, for long.
 */
long
sys_swapoff(const char *upath)
{
	char path[256];
	struct swap_area *a = NULL;
	struct file *f;
	int err;

	if ((err = open_user_path(upath, path, sizeof(path), &f)) != 0)
		return err;
	down_write(&swapon_lock);
	if ((f->mode & S_IFMT) == S_IFBLK)
		a = area_of_device(f->priv);
	else if ((f->mode & S_IFMT) == S_IFREG && f->ino)
		a = area_of_file((uint32_t)f->ino);
	err = a ? swapoff_area(a) : -EINVAL;
	if (!err) {
		uint64_t flags = irq_save();
		swap_area_release(a);        /* first: nothing may look at its memory after */
		irq_restore(flags);
		free_area_memory(a);
	}
	up_write(&swapon_lock);
	file_put(f);
	return err;
}
