"""Static checks of what the objects return: ``mypy --strict tests/typing``.

``assert_type`` pins the types users rely on (``fstat()`` is a ``Stat``,
``rusage()`` a ``ResourceUsage``, ...).  The lines marked ``# type:
ignore[...]`` are mistakes mypy must reject; ``warn_unused_ignores`` (part
of ``--strict``) fails the run if it stops rejecting them.  Nothing here
runs: the functions only exist to be type-checked (tests/test_typing.py
runs mypy over this folder).
"""

from __future__ import annotations

from typing_extensions import assert_type

import macres
from macres import raw


def check_file(fd: macres.FileDescriptor) -> None:
    """FileDescriptor's calls and their types."""
    assert_type(fd.fstat(), macres.Stat)
    assert_type(fd.fstat().st_size, int)
    assert_type(fd.fstat().st_birthtime, "float | None")
    assert_type(fd.fstatfs(), macres.StatFS)
    assert_type(fd.fpathconf("NAME_MAX"), "int | None")
    assert_type(fd.pread(10, 0), bytes)
    assert_type(fd.pwrite(b"x", 0), int)
    assert_type(fd.fileno(), int)
    assert_type(fd.dup(), macres.FileDescriptor)
    with fd.locked() as held:
        assert_type(held, macres.FileDescriptor)
    with macres.open("path", "r+") as opened:
        assert_type(opened, macres.FileDescriptor)
    fd.pwrite("text", 0)  # type: ignore[arg-type]
    fd.ftruncate("10")  # type: ignore[arg-type]


def check_transfer_locks_xattrs(fd: macres.FileDescriptor, sock: macres.Socket) -> None:
    """Copying, range locks and extended attributes: what each returns."""
    assert_type(fd.copy_to(fd.dup(), 10, progress=lambda done, total: None), int)
    assert_type(macres.fs.copy("a", "b", metadata=True), int)
    assert_type(sock.sendfile(fd, 0, None), int)
    with fd.lock_range(0, 10, exclusive=False, timeout=1.0) as held:
        assert_type(held, macres.FileDescriptor)
    holder = fd.lock_holder(0, 10)
    assert_type(holder, "macres.LockHolder | None")
    if holder is not None:
        assert_type(holder.pid, "int | None")
    assert_type(fd.getxattr("user.a"), bytes)
    assert_type(fd.listxattr(), list[str])
    assert_type(macres.fs.getxattr("p", "user.a"), bytes)
    fd.setxattr("user.a", "text")  # type: ignore[arg-type]
    fd.lock(0, 10, True)  # type: ignore[call-arg]


def check_directory(d: macres.Directory) -> None:
    """Directory iteration yields typed entries."""
    for entry in d:
        assert_type(entry, macres.DirectoryEntry)
        assert_type(entry.name, str)
    assert_type(d.stat("name"), macres.Stat)
    assert_type(entry.type, macres.FileType)
    assert_type(entry.inode, int)
    assert_type(d.opendir("sub"), macres.Directory)
    assert_type(d.readlink("link"), "str | bytes")
    for path, dirnames, filenames, sub in macres.walk("top"):
        assert_type(path, str)
        assert_type(dirnames, "list[str]")
        assert_type(filenames, "list[str]")
        assert_type(sub, macres.Directory)
    d.rename("a", "b", target="elsewhere")  # type: ignore[arg-type]
    d.mkdir("a", "755")  # type: ignore[arg-type]


def check_shared_memory() -> None:
    """Shared memory objects are FileDescriptors, mapped by MappedRegion."""
    from macres.shm import get_seals, memfd, shm_open

    with memfd("name", allow_sealing=True) as fd:
        assert_type(fd, macres.FileDescriptor)
        assert_type(get_seals(fd), int)
        assert_type(macres.MappedRegion.from_file(fd), macres.MappedRegion)
    assert_type(shm_open("/name", exclusive=True), macres.FileDescriptor)
    shm_open("/name", True)  # type: ignore[call-arg]


def check_process(child: macres.Child, other: macres.Process) -> None:
    """The three process types' calls and their types."""
    assert_type(child.wait(), macres.ExitStatus)
    assert_type(child.wait().code, "int | None")
    assert_type(child.poll(), "int | None")
    assert_type(child.returncode, "int | None")
    assert_type(child.exit_status, "macres.ExitStatus | None")
    assert_type(child.communicate(b"in", timeout=1.0), "tuple[bytes | None, bytes | None]")
    assert_type(child.stdout, "macres.FileDescriptor | None")
    assert_type(child.rusage(), macres.ResourceUsage)
    assert_type(child.rusage().ru_maxrss, int)
    assert_type(child.rusage().ru_utime, float)
    assert_type(child.getpriority(), int)
    assert_type(child.rlimit(0), "tuple[int, int]")
    assert_type(macres.Process.spawn(["true"], stdout=macres.PIPE), macres.Child)
    assert_type(other.fileno(), int)
    assert_type(other.wait(1.0), None)
    assert_type(macres.Process.current(), macres.CurrentProcess)
    assert_type(macres.Process.current().rusage(), macres.ResourceUsage)
    child.setpriority("low")  # type: ignore[arg-type]
    other.poll()  # type: ignore[attr-defined]
    macres.Process.current().close()  # type: ignore[attr-defined]


def check_region(region: macres.MappedRegion) -> None:
    """MappedRegion's calls and their types."""
    assert_type(region.view(), memoryview)
    assert_type(region[0:4], bytes)
    assert_type(len(region), int)
    region.mprotect(macres.PROT_READ)
    region.mprotect("r")  # type: ignore[arg-type]


def check_socket(sock: macres.Socket) -> None:
    """Socket descriptor passing hands back owned FileDescriptors."""
    data, fds = sock.recv_fds(10, 1)
    assert_type(data, bytes)
    assert_type(fds, "list[macres.FileDescriptor]")
    assert_type(macres.Socket.pair(), "tuple[macres.Socket, macres.Socket]")


def check_raw() -> None:
    """The raw layer returns values, not C structs."""
    assert_type(raw.fstat(0), raw.Stat)
    assert_type(raw.getrlimit(0), raw.Rlimit)
    assert_type(raw.getrusage(0), raw.Rusage)
    assert_type(raw.pipe(), "tuple[int, int]")
    raw.open(b"path", "r")  # type: ignore[arg-type]


def check_events(fd: macres.FileDescriptor) -> None:
    """EventQueue's registrations and events carry the value type; the sources' reads are typed."""
    from macres.event import READ

    with macres.EventQueue[str]() as queue, macres.EventQueue() as plain:
        queue.register(fd, READ, "data")
        plain.register(fd)
        assert_type(plain, "macres.EventQueue[None]")
        assert_type(queue.wait(1.0), "list[macres.Event[str]]")
        assert_type(queue.wait()[0].data, str)
        assert_type(plain.wait()[0].data, None)
        queue.register(fd, READ, 5)  # type: ignore[arg-type]
        plain.register(fd, READ, "not None")  # type: ignore[call-overload]
    assert_type(macres.Timer(1.0).read(), int)
    assert_type(macres.UserEvent().read(), bool)
    assert_type(macres.SignalSource([2]).read(), "list[macres.SignalInfo]")
    assert_type(macres.FileWatch(".").read(), "list[macres.WatchEvent]")
    assert_type(macres.ProcessExit(1).exited(), bool)
