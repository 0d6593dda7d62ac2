/*
 * mm/shmem.h - shared memory objects: pages found by (object, index),
 * with no file behind them, that go to swap under pressure (Linux's shmem).
 *
 * The API a memory file system (tmpfs) builds on:
 *
 *   shmem_create(size)          a new object of size bytes, all zero, refcount 1
 *   shmem_get / shmem_put       one more / one fewer holder; the last put frees
 *                               every page and swap slot of the object
 *   shmem_size(obj)             its size in bytes
 *   shmem_read(obj, off, ...)   copies out up to len bytes at off, stopping at the
 *                               size (holes read as zeros and stay holes)
 *   shmem_write(obj, off, ...)  copies len bytes in at off, growing the size if
 *                               the write ends past it
 *   shmem_truncate(obj, size)   sets the size; pages and slots wholly past it are
 *                               freed (unmapped first), the tail of the last page
 *                               is zeroed
 *   shmem_getpage(obj, i, ...)  the page at index i with a reference: resident,
 *                               read back from swap, or new and zeroed
 *
 * Buffers are kernel memory. Sizes and offsets are bytes, indexes pages.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include "kernel/types.h"
#include "mm/pagecache.h"

struct file;

struct shmem_object {
	struct address_space mapping;  /* pages and swap entries by index; i_mmap: who maps it */
	uint64_t size;                 /* bytes */
	uint64_t nr_swapped;           /* its pages out on swap (slots in its tree) */
	int refcount;
	uint64_t ino;                  /* a number of its own, as Linux's shmem inodes */
	struct list_head all_link;     /* in every object's list: swapoff looks in each */
};

/* Never sleep. */
struct shmem_object *shmem_create(uint64_t size);
void shmem_get(struct shmem_object *obj);
void shmem_put(struct shmem_object *obj);
uint64_t shmem_size(const struct shmem_object *obj);
struct shmem_object *shmem_of_mapping(struct address_space *mapping);
struct file *shmem_anon_file(uint64_t size);

/* May sleep (swap reads, frames through the door's reclaim). */
int shmem_getpage(struct shmem_object *obj, uint64_t index, struct page **pagep, bool *major);
long shmem_read(struct shmem_object *obj, uint64_t off, void *buf, size_t len);
long shmem_write(struct shmem_object *obj, uint64_t off, const void *buf, size_t len);
int shmem_truncate(struct shmem_object *obj, uint64_t size);
struct shmem_object *shmem_next_live(struct shmem_object *prev);

/* Reclaim's side (mm/reclaim.c); never sleep. */
bool shmem_prepare_swap_out(struct page *page);
int shmem_finish_swap_out(struct page *page);

#endif
