"""
pagoda/user.py - debugging a user program: `user-symbols PROG`.

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
        path = argv[0]
        if "/" not in path:
            path = os.path.join(os.environ.get("BUILD", "build"), "user", "bin", path)
        if not os.path.exists(path):
            raise gdb.GdbError("no such program: %s" % path)
        gdb.execute("add-symbol-file %s" % path, from_tty=False)


UserSymbols()
