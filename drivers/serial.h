/*
 * drivers/serial.h - the 16550 UART on COM1: the console and what tests read.
 */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned long len);
void serial_set_receiver(void (*rx)(char c));

#endif
