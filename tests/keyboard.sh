# tests/keyboard.sh - typing at a program's terminal, as a person would:
# sourced by tests/run (the console of a pagoda boot) and
# tests/user-host.sh (a pseudo-terminal on the host, made by script(1)).

# type_when LOG [PATTERN TEXT]...: for each pair, waits (up to 20 s) until
# LOG shows PATTERN (grep -E; console lines end in \r), then types TEXT
# (printf's escapes: \032 is Ctrl-Z, \003 Ctrl-C, \177 DEL) - with the
# program really running when the key arrives. Then keeps the terminal
# open until LOG shows TYPE_END (default: the machine powered off).
type_when() {
	local log=$1 i
	shift
	while [ $# -ge 2 ]; do
		for ((i = 0; i < 200; i++)); do
			grep -qE -- "$1" "$log" 2>/dev/null && break
			sleep 0.1
		done
		sleep 0.2                   # as a person would: the program has started by now
		printf "$2"
		shift 2
	done
	for ((i = 0; i < 100; i++)); do
		grep -qE -- "${TYPE_END:-^power: off}" "$log" 2>/dev/null && break
		sleep 0.1
	done
}

# What t_tty (user/tests/t_tty.c) asks for, and what is typed.
TTY_KEYS=('type: line' 'hello world\n' 'type: erase' 'abX\177c\n' 'type: secret' 's3cr3t\n'
	'type: raw' 'xyz' 'type: gap' 'pq' 'type: ctrl-c' '\003' 'type: intr' '\003')
