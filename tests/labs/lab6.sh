# tests/labs/lab6.sh - lab 6's tests and points (docs/labs/lab6.md)
# The kernel tests run clock_choose() and lru2's check_references() on pages
# of a test address space, on lists of their own (tests/ktest/lab6.c); the
# unit tests run the same code on the host with fake accessed bits; refstr
# on pagoda with evict=clock must fault exactly as often as the simulator
# (tools/policysim -p clock) says: the known answers below. refstr's pages
# go to swap and come back (labs 4, 5, 7), through its system calls (lab 3).
lab_title "page replacement: the clock hand and lru2's second chance"
lab_depends 1 2 3 4 5 7

# Silberschatz's string, and 300 references over 14 pages with writes (the
# same as tests/policy.sh's); policysim -p clock -f 3,4 / -f 5,8 gives the counts.
lab6_silberschatz=7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1
lab6_random=$(awk 'BEGIN { x = 7; for (i = 0; i < 300; i++) { x = (x * 1103515245 + 12345) % 2147483648;
	p = int(x / 65536) % 14; w = int(x / 8) % 3 == 0 ? "w" : "";
	printf "%s%d%s", i ? "," : "", p, w } }')

lab_test 15 kernel/lab6_clock_second_chance -- ktest lab6_clock_second_chance
lab_test 10 kernel/lab6_clock_full_sweep     -- ktest lab6_clock_full_sweep
lab_test 10 kernel/lab6_clock_batch          -- ktest lab6_clock_batch
lab_test 10 kernel/lab6_lru2_used_once_is_kept_and_marked -- ktest lab6_lru2_used_once_is_kept_and_marked
lab_test 10 kernel/lab6_lru2_used_again_is_activated      -- ktest lab6_lru2_used_again_is_activated
lab_test 10 unit/evict_policies_clock -- unit evict_policies clock_gives_used_pages_a_second_chance \
	clock_finds_a_victim_when_every_page_was_used clock_matches_the_simulator
lab_test 5 unit/evict_lru_references -- unit evict_lru used_once_is_kept_and_marked_then_activated \
	marked_but_unused_is_reclaimed two_ptes_at_once_activate_at_once
lab_test 15 refstr/clock_silberschatz_as_simulated -- boot \
	"evict=clock init=/bin/refstr -f 3,4 $lab6_silberschatz" 0 \
	"refstr: 20 references to 6 pages, 3 frames: 14 faults" \
	"refstr: 20 references to 6 pages, 4 frames: 9 faults" "none leaked"
lab_test 15 refstr/clock_random_as_simulated -- boot \
	"evict=clock init=/bin/refstr -f 5,8 $lab6_random" 0 \
	"refstr: 300 references to 14 pages, 5 frames: 185 faults" \
	"refstr: 300 references to 14 pages, 8 frames: 131 faults" "none leaked"
