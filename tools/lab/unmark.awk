# tools/lab/unmark.awk - turns the solution of one lab into its stub.
#
#   awk -v lab=5 -v file=mm/fault.c -f tools/lab/unmark.awk < in > out
#
# The solutions are marked in the real source (docs/labs/README.md):
#
#       /* LAB 5 BEGIN: give the writer its own copy */     ; LAB 1 BEGIN: text
#       ...the solution...                                  ...
#       /* LAB 5 STUB: return -ENOSYS; */                   ; LAB 1 STUB: code
#       /* LAB 5 END */                                     ; LAB 1 END
#
# A region of lab `lab` becomes the BEGIN line, reworded as
# "LAB 5: text -- your code here", then the code of its STUB lines at the
# marker's indentation. Everything else passes unchanged, other labs'
# regions too; lab=all replaces every region. Every region is checked
# (BEGIN and END in pairs, not nested, STUB only inside): a broken marker
# is reported as FILE:LINE and the exit status is 2. The number of regions
# replaced goes to the file named by -v count=PATH, if given.

# marker(line): 1 if line is a marker; sets m_indent, m_style ("c" or
# "asm"), m_lab, m_kind (BEGIN, STUB, END) and m_text (what follows "KIND:").
function marker(line,    s, w) {
	m_indent = line
	sub(/[^ \t].*$/, "", m_indent)
	s = line
	sub(/^[ \t]+/, "", s)
	if (substr(s, 1, 2) == "/*") {
		m_style = "c"
		s = substr(s, 3)
		if (!sub(/[ \t]*\*\/[ \t]*$/, "", s))
			return 0
	} else if (substr(s, 1, 1) == ";") {
		m_style = "asm"
		s = substr(s, 2)
		sub(/[ \t]+$/, "", s)
	} else {
		return 0
	}
	sub(/^[ \t]+/, "", s)
	if (s !~ /^LAB [0-9]+ (BEGIN|STUB|END)(:|$)/)
		return 0
	split(s, w, " ")
	m_lab = w[2]
	m_kind = w[3]
	sub(/:$/, "", m_kind)
	m_text = s
	sub(/^LAB [0-9]+ [A-Z]+:? ?/, "", m_text)
	return 1
}

function broken(why) {
	printf "%s:%d: %s\n", file, NR, why > "/dev/stderr"
	status = 2
}

function replaced(n) { return lab == "all" || n == lab }

# The BEGIN line as the student sees it.
function todo_line(    what) {
	what = "LAB " m_lab ": " (m_text == "" ? "" : m_text " -- ") "your code here"
	return m_style == "c" ? m_indent "/* " what " */" : m_indent "; " what
}

{
	if (!marker($0)) {
		if (!(open && replaced(open)))
			print
		next
	}
	if (m_kind == "BEGIN") {
		if (open)
			broken("LAB " m_lab " BEGIN inside the region of lab " open " (line " open_line ")")
		open = m_lab
		open_line = NR
		if (replaced(m_lab)) {
			print todo_line()
			regions++
		} else {
			print
		}
	} else if (m_kind == "STUB") {
		if (open != m_lab)
			broken("LAB " m_lab " STUB outside a region of lab " m_lab)
		if (replaced(m_lab))
			print m_indent m_text
		else
			print
	} else {
		if (open != m_lab)
			broken("LAB " m_lab " END without its BEGIN")
		if (!replaced(m_lab))
			print
		open = ""
	}
}

END {
	if (open)
		broken("the region of lab " open " (line " open_line ") has no END")
	if (count != "")
		print regions + 0 > count
	exit status
}
