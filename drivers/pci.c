/*
 * drivers/pci.c - placeholder until the driver lands: finds nothing.
 */
#include "drivers/pci.h"

void
pci_init(void)
{
}
