/*
 * drivers/fw_cfg.h - QEMU's firmware configuration device: named files the
 * host hands the guest (tools/qemu.sh passes the kernel command line), and
 * a few numbered items.
 */
#ifndef DRIVERS_FW_CFG_H
#define DRIVERS_FW_CFG_H

#include "kernel/types.h"

/* Never sleeps; usable before anything else is set up (port I/O only). */
long fw_cfg_read_file(const char *name, void *buf, size_t size);
unsigned fw_cfg_max_cpus(void);

#endif
