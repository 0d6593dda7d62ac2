/*
 * mm/x86/pf.h - the page-fault and double-fault entry points.
 */
#ifndef MM_X86_PF_H
#define MM_X86_PF_H

#include "mm/fault.h"

void pf_init(void);

#endif
