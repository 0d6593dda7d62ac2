/*
 * tests/unit/ext2_mirror.h - the image and the mirror the ext2 writer's
 * unit test works on (tests/unit/ext2_mirror.c): each do_X() makes one
 * call through kernel/fs/ext2_write.h on the image and the same system
 * call on the host directory, and the error codes must agree (a
 * "not ok" line otherwise). finish() is the judgement: e2fsck -fn
 * silent, and debugfs's rdump equal to the mirror.
 */
#ifndef TESTS_UNIT_EXT2_MIRROR_H
#define TESTS_UNIT_EXT2_MIRROR_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/fs/ext2.h"
#include "kernel/fs/ext2_write.h"

#define E2 "PATH=$PATH:/sbin:/usr/sbin "

extern char tmpdir[];                /* everything's temporary directory */
extern char image[300], mirror[300];
extern int image_fd;                 /* the image, read and written by file_read/file_write */
extern struct ext2_fs fs;            /* mounted by setup() */
extern int reports;                  /* lines the writer reported (must stay 0) */

int file_read(void *ctx, uint64_t off, void *buf, size_t len);
void report(void *ctx, const char *msg);
/* system() of fmt with two strings; *status is its result. */
void run(const char *fmt, const char *a, const char *b, int *status);
/* A fresh image (mke2fs opts, size in KiB) mounted read-write, and an empty mirror. */
bool setup(const char *opts, unsigned kib);
/* Opens the image again after finish(), mounted read-write; the mirror stays as it is. */
bool reopen(void);
/* Marks the image clean and closes it; e2fsck -fn must be silent; compare: rdump == mirror. */
void finish(bool compare);

/* The directory inode of path's parent on the image, and its last name. */
int split(const char *path, uint32_t *dir, const char **name);
unsigned char pattern(uint64_t i, unsigned seed);
/* Deletes ino if err is 0 and the inode has no links left. */
int reap(int err, uint32_t ino);
uint16_t links_of(const char *p);
/* The image's file reads back as the mirror's. */
void check_same_data(const char *p);

/* One call on both; paths are relative to the top of each. */
int e_mkdir(const char *p);
void do_mkdir(const char *p);
void do_create(const char *p);
void do_write(const char *p, uint64_t off, size_t len, unsigned seed, size_t chunk);
void do_truncate(const char *p, uint64_t size);
void do_unlink(const char *p);
void do_rmdir(const char *p);
void do_rename(const char *a, const char *b);
void do_link(const char *a, const char *b);
void do_symlink(const char *target, const char *p);

#endif
