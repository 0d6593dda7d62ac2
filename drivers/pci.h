/*
 * drivers/pci.h - (being written)
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

void pci_init(void);

#endif
