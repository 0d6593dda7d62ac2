/*
 * tests/unit/unit.c - the state of the unit test harness (unit.h), linked
 * into every test binary by tests/unit/build.sh: one copy per binary,
 * however many files its cases are in.
 */
#include "unit.h"

int unit_failed_cases;
const char *unit_case;
int unit_case_failed;
