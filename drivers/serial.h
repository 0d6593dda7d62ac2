/*
 * drivers/serial.h - the 16550 UART on COM1: the console and what tests read;
 * and COM2, a second channel for data (memory snapshots).
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "kernel/types.h"

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned long len);
void serial_set_receiver(void (*rx)(char c));
bool serial_aux_init(void);
void serial_aux_write(const char *s, unsigned long len);

#endif
