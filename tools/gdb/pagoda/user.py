"""
pagoda/user.py - debugging a user program: `user-symbols PROG` and
`user-break PROG LOCATION`.

User programs are static, non-PIE ELF files (user/user.mk): their code
sits at the addresses the file names, so GDB needs no offset to use their
symbols. This helper loads the symbols of $BUILD/user/bin/PROG beside the
kernel's. Break in a user program with a hardware breakpoint (hbreak):
it matches the address in whichever process runs it, and needs no write
into a page that may not even be present yet (demand paging), and that
the page cache may share with other processes.
"""
import os

import gdb


def program_path(name):
    """The executable of a user program: a name in $BUILD/user/bin, or a path."""
    path = name
    if "/" not in path:
        path = os.path.join(os.environ.get("BUILD", "build"), "user", "bin", path)
    if not os.path.exists(path):
        raise gdb.GdbError("no such program: %s" % path)
    return path


def load_symbols(path):
    """Loads the symbols of path, once."""
    if not any(o.filename and os.path.samefile(o.filename, path) for o in gdb.objfiles()):
        gdb.execute("add-symbol-file %s" % path, from_tty=False)


class UserSymbols(gdb.Command):
    """user-symbols PROG: loads the symbols of the user program PROG (a name
in build/user/bin, or a path), so that `hbreak main` or `hbreak PROG.c:LINE`
stops in it and `bt` names its functions. Add `if current->pid == N` to
stop in one process only."""

    def __init__(self):
        super().__init__("user-symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) != 1:
            raise gdb.GdbError("usage: user-symbols PROG")
        load_symbols(program_path(argv[0]))


class UserBreak(gdb.Command):
    """user-break PROG LOCATION: loads PROG's symbols (as user-symbols) and
stops at LOCATION (main, a function, FILE.c:LINE) in every process that runs
PROG: a hardware breakpoint on the condition that the current task's name
is PROG (other programs may have code at the same address)."""

    def __init__(self):
        super().__init__("user-break", gdb.COMMAND_BREAKPOINTS)

    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) != 2:
            raise gdb.GdbError("usage: user-break PROG LOCATION")
        path = program_path(argv[0])
        load_symbols(path)
        name = os.path.basename(path)
        gdb.execute('hbreak %s if $_streq(current->name, "%s")' % (argv[1], name))


UserSymbols()
UserBreak()
