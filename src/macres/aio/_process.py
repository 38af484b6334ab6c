"""Awaiting a process's exit: a child this program owns, or any process by pid."""

from __future__ import annotations

import errno

import attrs

from ..process import Child, ExitStatus, Process
from ._loop import retry

__all__ = ["AsyncChild", "AsyncProcess"]


def _reaped_or_block(child: Child) -> ExitStatus:
    if child.poll() is None:  # reaps once the child has ended; never blocks
        raise BlockingIOError
    status = child.exit_status
    if status is None:  # reaped elsewhere: poll() gives 0 as Popen's, the status is lost
        raise ChildProcessError(errno.ECHILD, f"process {child.pid} was reaped elsewhere: its exit status is lost")
    return status


def _exited_or_block(process: Process) -> None:
    if not process.exited():
        raise BlockingIOError


@attrs.frozen(eq=False)
class AsyncChild:
    """A :class:`~macres.Child` borrowed for asyncio or trio: :meth:`wait` awaits its end.

    The wait is readiness on the child's own descriptor (its pidfd on Linux,
    its kqueue on macOS) in the running loop: no thread, no SIGCHLD handler.
    A cancelled wait reaps nothing; closing the child wakes the waiting task
    with :class:`~macres.ClosedResourceError`.
    """

    #: The child borrowed: still the caller's to close.
    child: Child

    async def wait(self) -> ExitStatus:
        """Await the child's end and reap it (``waitid``/``wait4`` once its descriptor is readable); the decoded status.

        Raises:
            ClosedResourceError: closed (also while waiting).  ChildProcessError: reaped elsewhere.
        """
        return await retry(self.child, False, _reaped_or_block, self.child)


@attrs.frozen(eq=False)
class AsyncProcess:
    """A :class:`~macres.Process` (any process by pid) borrowed for asyncio or trio: :meth:`wait` awaits its exit.

    Works for processes that are not children; the exit status belongs to
    their parent, so none is returned.  Closing the process object wakes the
    waiting task with :class:`~macres.ClosedResourceError`.
    """

    #: The process borrowed: still the caller's to close.
    process: Process

    async def wait(self) -> None:
        """Await the process's exit (pidfd readable on Linux, ``NOTE_EXIT`` on macOS); it is not reaped.

        Raises:
            ClosedResourceError: closed (also while waiting).
        """
        await retry(self.process, False, _exited_or_block, self.process)
