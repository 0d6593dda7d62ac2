/*
 * drivers/vga.c - 80x25 colour text mode at physical 0xb8000.
 *
 * Mirrors the console for whoever runs QEMU with a window. Each cell is
 * two bytes: the character and its attribute (light grey on black). When
 * the cursor passes the last line, everything scrolls up one line.
 * The buffer is reached through the direct map, like any physical memory.
 */
#include "drivers/vga.h"
#include "kernel/string.h"
#include "mm/layout.h"

#define VGA_PHYS   0xb8000
#define COLS       80
#define ROWS       25
#define ATTR       0x07

static uint16_t *screen;
static int row, col;

void
vga_init(void)
{
	screen = phys_to_virt(VGA_PHYS);
	for (int i = 0; i < COLS * ROWS; i++)
		screen[i] = (ATTR << 8) | ' ';
	row = col = 0;
}

static void
scroll_if_needed(void)
{
	if (row < ROWS)
		return;
	memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(*screen));
	for (int i = 0; i < COLS; i++)
		screen[(ROWS - 1) * COLS + i] = (ATTR << 8) | ' ';
	row = ROWS - 1;
}

static void
vga_putc(char c)
{
	if (c == '\n') {
		col = 0;
		row++;
	} else {
		screen[row * COLS + col] = (ATTR << 8) | (uint8_t)c;
		if (++col == COLS) {
			col = 0;
			row++;
		}
	}
	scroll_if_needed();
}

void
vga_write(const char *s, unsigned long len)
{
	if (!screen)
		return;
	for (unsigned long i = 0; i < len; i++)
		vga_putc(s[i]);
}
