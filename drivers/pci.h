/*
 * drivers/pci.h - the PCI bus: finding functions, reading their
 * configuration space, decoding and mapping their BARs.
 *
 * Configuration space of one function (type 0 header, the part we use):
 *
 *   0x00  vendor id | device id        0x04  command | status
 *   0x08  rev | prog-if | subclass | class
 *   0x0c  cache line | latency | header type (bit 7: multi-function) | BIST
 *   0x10  BAR0 ... 0x24 BAR5           0x34  capabilities pointer
 *   0x3c  interrupt line | interrupt pin (1 = INTA# ... 4 = INTD#, 0 = none)
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include "kernel/types.h"

#define PCI_MAX_DEVICES   32

/* Configuration space offsets. */
#define PCI_VENDOR_ID     0x00
#define PCI_DEVICE_ID     0x02
#define PCI_COMMAND       0x04
#define PCI_STATUS        0x06
#define PCI_PROG_IF       0x09
#define PCI_SUBCLASS      0x0a
#define PCI_CLASS         0x0b
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR0          0x10
#define PCI_CAP_PTR       0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d

#define PCI_COMMAND_IO        (1u << 0)
#define PCI_COMMAND_MEMORY    (1u << 1)
#define PCI_COMMAND_MASTER    (1u << 2)
#define PCI_COMMAND_INTX_OFF  (1u << 10)
#define PCI_STATUS_CAP_LIST   (1u << 4)

#define PCI_CAP_ID_VENDOR 0x09

/* One function found on the bus. */
struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class, subclass, prog_if;
	uint8_t header_type;          /* without the multi-function bit */
	uint8_t irq_line;             /* 8259 IRQ the firmware routed INTx to; 0xff: none */
	uint8_t irq_pin;              /* 0: no interrupt pin */
};

/* A decoded base address register. */
struct pci_bar {
	uint64_t base;                /* physical address, or I/O port */
	uint64_t size;                /* bytes; 0 when the BAR is not implemented */
	bool io;                      /* I/O ports (else memory) */
	bool is64;                    /* a 64-bit memory BAR: it uses the next slot too */
	bool prefetchable;
};

void pci_init(void);

uint8_t pci_config_read8(const struct pci_dev *pdev, unsigned off);
uint16_t pci_config_read16(const struct pci_dev *pdev, unsigned off);
uint32_t pci_config_read32(const struct pci_dev *pdev, unsigned off);
void pci_config_write16(const struct pci_dev *pdev, unsigned off, uint16_t val);
void pci_config_write32(const struct pci_dev *pdev, unsigned off, uint32_t val);

struct pci_dev *pci_find(uint16_t vendor, uint16_t device, unsigned index);
void pci_for_each(void (*fn)(struct pci_dev *pdev, void *arg), void *arg);
int pci_bar(const struct pci_dev *pdev, unsigned n, struct pci_bar *bar);
volatile void *pci_map_bar(const struct pci_dev *pdev, unsigned n);
void pci_enable_bus_master(const struct pci_dev *pdev);
unsigned pci_find_capability(const struct pci_dev *pdev, uint8_t id, unsigned after);
const char *pci_name(const struct pci_dev *pdev);

/* Memory-mapped register access: volatile, so each is one real access. */
static inline uint8_t mmio_read8(volatile void *p) { return *(volatile uint8_t *)p; }
static inline uint16_t mmio_read16(volatile void *p) { return *(volatile uint16_t *)p; }
static inline uint32_t mmio_read32(volatile void *p) { return *(volatile uint32_t *)p; }
static inline void mmio_write8(volatile void *p, uint8_t v) { *(volatile uint8_t *)p = v; }
static inline void mmio_write16(volatile void *p, uint16_t v) { *(volatile uint16_t *)p = v; }
static inline void mmio_write32(volatile void *p, uint32_t v) { *(volatile uint32_t *)p = v; }

#endif
