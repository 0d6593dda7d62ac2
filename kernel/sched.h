/*
 * kernel/sched.h - creating, switching and ending tasks.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/task.h"

#define TIME_SLICE_TICKS 5        /* 50 ms at HZ = 100 */

void sched_init(void);
struct task *task_create_kernel(const char *name, void (*fn)(void *), void *arg);
struct task *task_alloc(const char *name);
void task_free(struct task *t);
__noreturn void task_exit_dead(void);
void task_wake(struct task *t);
void sched_sleep(uint64_t jiffy);
void task_make_runnable(struct task *t);
void schedule(void);
void sched_yield_now(void);
void sched_tick(void);
bool sched_need_resched(void);
void sched_sleep_until(uint64_t jiffy);
struct task *task_find(int pid);
void task_for_each(void (*fn)(struct task *t, void *arg), void *arg);
__noreturn void sched_idle(void);
bool task_is_idle(const struct task *t);
int sched_nr_running(void);
int sched_nr_tasks(void);
int sched_last_pid(void);
uint64_t sched_total_forks(void);
struct task *task_next_process(int pid);

#endif
