/*
 * drivers/virtq_event.h - the event-index rule of split virtqueues
 * (virtio 1.1 2.6.7 and 2.6.10; 2.7.7 and 2.7.10 in virtio 1.2), as pure
 * arithmetic so that the host can test it (tests/unit/test_virtq_event.c).
 *
 * Both ring indexes only grow, in 16 bits, wrapping at 65536. A side that
 * has published its index from old_idx up to new_idx (one notification
 * for all the entries in between) must tell the other side if one of
 * those entries is the one the other asked about: the entry at event_idx,
 * i.e. the index went from event_idx to event_idx + 1 in this step.
 *
 *     old_idx            new_idx               event_idx in [old_idx, new_idx):
 *        |  e  e  e  e  e  |                   notify
 *           ^event_idx
 *
 * Unsigned 16-bit differences do the wrap-around: new_idx - event_idx - 1
 * is how far behind new_idx the entry after event_idx is, and it must be
 * less than the new_idx - old_idx entries this step published. (Linux's
 * vring_need_event(); the specification's virtq_need_event().)
 *
 * drivers/virtio.c uses it twice: with the device's avail_event, to
 * decide whether a kick is needed; the device uses it with our
 * used_event to decide whether to interrupt.
 */
#ifndef DRIVERS_VIRTQ_EVENT_H
#define DRIVERS_VIRTQ_EVENT_H

#include "kernel/types.h"

static inline bool
virtq_need_event(uint16_t event_idx, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event_idx - 1) < (uint16_t)(new_idx - old_idx);
}

#endif
