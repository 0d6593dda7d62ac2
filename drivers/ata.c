/*
 * drivers/ata.c - placeholder until the driver lands: finds nothing.
 */
#include "drivers/ata.h"

void
ata_init(void)
{
}
