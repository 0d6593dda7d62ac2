# tests/labs/lab8.sh - lab 8's tests and points (docs/labs/lab8.md)
# The badness formula on the host and in the kernel, the victim choice on
# test tasks (tests/ktest/lab8.c), then whole boots where the OOM killer
# must pick the right process: t_oom's hog (pid 6; t_oom is init, its small
# process is 5), t_oom's small process when the hog is exempt, and at the
# shell a small process that volunteers with oom_score_adj 1000 (pid 6,
# tests/labs/lab8-memhog.input) before memhog (pid 8), the biggest.
lab_title "the OOM killer: badness and victim choice"
lab_depends 1 2 3 4 5 6 7
lab_test 20 unit/oom_badness                    -- unit oom_badness
lab_test 10 kernel/lab8_badness_formula         -- ktest lab8_badness_formula
lab_test 10 kernel/lab8_badness_of_tasks        -- ktest lab8_badness_of_tasks
lab_test 10 kernel/lab8_victim_highest_badness  -- ktest lab8_victim_highest_badness
lab_test 10 kernel/lab8_victim_skips_unkillable -- ktest lab8_victim_skips_unkillable
lab_test 10 kernel/lab8_victim_follows_adj      -- ktest lab8_victim_follows_adj
lab_test 10 user/t_oom_hog_killed               -- boot MEM=8M "init=/bin/t_oom 128" 0 \
	"ok hog_killed" "ok small_survives_intact" "oom: Out of memory: Killed process 6 (t_oom)" \
	"none leaked"
lab_test 10 user/t_oom_exempt_hog               -- boot MEM=8M "init=/bin/t_oom 128 exempt" 0 \
	"ok exempt_hog_spares_itself_small_one_killed" "oom: Out of memory: Killed process 5 (t_oom)" \
	"oom_score_adj:0, points" "none leaked"
lab_test 10 user/memhog_oom_score_adj           -- boot MEM=8M INPUT=tests/labs/lab8-memhog.input \
	noswap 0 "Out of memory: Killed process 6 (tinysh)" "oom_score_adj:1000, points" \
	"Out of memory: Killed process 8 (memhog)" "none leaked"
