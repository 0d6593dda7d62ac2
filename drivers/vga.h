/*
 * drivers/vga.h - a mirror of the console on the VGA text screen.
 */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

void vga_init(void);
void vga_write(const char *s, unsigned long len);

#endif
