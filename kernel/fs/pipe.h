/*
 * kernel/fs/pipe.h - pipes.
 */
#ifndef KERNEL_FS_PIPE_H
#define KERNEL_FS_PIPE_H

#include "kernel/fs/file.h"

int pipe_create(struct file **read_end, struct file **write_end);

#endif
