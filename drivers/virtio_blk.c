/*
 * drivers/virtio_blk.c - placeholder until the driver lands: finds nothing.
 */
#include "drivers/virtio_blk.h"

void
virtio_blk_init(void)
{
}
