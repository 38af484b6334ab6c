"""Waiting for readiness through the running loop's own machinery: asyncio's or trio's.

Every awaitable operation of :mod:`macres.aio` is :func:`retry`: the
object's own non-blocking call, tried first; only when it raises
``BlockingIOError`` does the task wait for readiness, then it tries again.
The wait is the only point where the task suspends, so a cancellation
lands before the call, never between the kernel call and the return: a
cancelled operation consumes nothing.

Which library runs is asked once per operation, as sniffio does and
without it: a running asyncio loop in this thread (``asyncio._get_running_loop``),
else a trio run (``trio.lowlevel.current_task``), else ``RuntimeError``.

asyncio: ``loop.add_reader``/``add_writer`` with a future, removed again when
the wait ends, woken, cancelled or failed.  trio:
``trio.lowlevel.wait_readable``/``wait_writable``, with the checkpoints trio
requires of every operation (``checkpoint_if_cancelled`` before the first
try, ``cancel_shielded_checkpoint`` after a success that did not wait).

A waiting task holds a reference on the macres object it waits on
(``_await_enter``), and the object is marked awaited: ``close()`` calls the
close hook this module installs (:func:`_closing`), which wakes every task
waiting on it, in whichever thread its loop runs, with
:class:`~macres.ClosedResourceError`.  The last waiter out performs the real
close, so no loop ever polls a number that was released and reused.

One task at a time may wait to read, and one to write, on an object, as in
trio: a second raises :class:`BusyResourceError`.
"""

from __future__ import annotations

import sys
from asyncio import AbstractEventLoop, Future
from asyncio import _get_running_loop as _running_asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from .._backend import core
from .._handle import Handle, HasFileno, fileno_of

__all__ = ["BusyResourceError", "retry", "wait_readable", "wait_writable"]

T = TypeVar("T")


class BusyResourceError(RuntimeError):
    """Another task is already waiting to read from (or write to) this object."""

    __module__ = "macres.aio"


# -- the waiters, by (id(object), writing) ------------------------------------------
class _AsyncioWaiter:
    __slots__ = ("future", "loop")

    def __init__(self, loop: AbstractEventLoop) -> None:
        self.loop = loop
        self.future: Future[None] = loop.create_future()

    def closing(self, obj: Handle) -> None:
        """Fail the wait with ClosedResourceError, from the loop's thread."""
        if _running_asyncio() is self.loop:
            self._fail(obj._closed_error())
        else:
            self.loop.call_soon_threadsafe(self._fail, obj._closed_error())

    def _fail(self, exc: BaseException) -> None:
        if not self.future.done():
            self.future.set_exception(exc)


class _TrioWaiter:
    __slots__ = ("fd", "token")

    def __init__(self, fd: int, token: Any) -> None:
        self.fd = fd
        self.token = token

    def closing(self, obj: Handle) -> None:
        """``trio.lowlevel.notify_closing`` the number, in the run's thread (the number is still ours)."""
        trio = sys.modules["trio"]
        try:
            here = trio.lowlevel.current_trio_token() is self.token
        except RuntimeError:
            here = False
        if here:
            trio.lowlevel.notify_closing(self.fd)
        else:
            try:
                self.token.run_sync_soon(trio.lowlevel.notify_closing, self.fd)
            except trio.RunFinishedError:  # the run is over: nobody waits any more
                pass


_waiting: dict[tuple[int, bool], _AsyncioWaiter | _TrioWaiter] = {}


def _closing(obj: Handle) -> None:
    """The close hook: wake the tasks waiting on *obj* (called by close() before the release)."""
    for writing in (False, True):
        waiter = _waiting.get((id(obj), writing))
        if waiter is not None:
            try:
                waiter.closing(obj)
            except Exception:  # noqa: BLE001 - one loop's failure must not keep the others waiting
                pass


core.set_close_hook(_closing)


def _busy(writing: bool) -> BusyResourceError:
    what = "writing to" if writing else "reading from"
    return BusyResourceError(f"another task is already {what} this object")


# -- waiting once ---------------------------------------------------------------------
def _enter(obj: Handle | HasFileno) -> int:
    if isinstance(obj, Handle):
        return obj._await_enter()
    return fileno_of(obj, "obj")


def _exit(obj: Handle | HasFileno) -> None:
    if isinstance(obj, Handle):
        obj._exit()


def _ready(future: Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _wait_asyncio(loop: AbstractEventLoop, obj: Handle | HasFileno, writing: bool) -> None:
    key = (id(obj), writing)
    if key in _waiting:
        raise _busy(writing)
    fd = _enter(obj)
    try:
        waiter = _waiting[key] = _AsyncioWaiter(loop)
        try:
            if writing:
                loop.add_writer(fd, _ready, waiter.future)
                try:
                    await waiter.future
                finally:
                    loop.remove_writer(fd)
            else:
                loop.add_reader(fd, _ready, waiter.future)
                try:
                    await waiter.future
                finally:
                    loop.remove_reader(fd)
        finally:
            del _waiting[key]
    finally:
        _exit(obj)


async def _wait_trio(trio: Any, obj: Handle | HasFileno, writing: bool) -> None:
    key = (id(obj), writing)
    if key in _waiting:
        raise _busy(writing)
    fd = _enter(obj)
    try:
        _waiting[key] = _TrioWaiter(fd, trio.lowlevel.current_trio_token())
        try:
            if writing:
                await trio.lowlevel.wait_writable(fd)
            else:
                await trio.lowlevel.wait_readable(fd)
        except trio.ClosedResourceError as exc:
            if isinstance(obj, Handle) and obj.closed:
                raise obj._closed_error() from exc
            raise
        finally:
            del _waiting[key]
    finally:
        _exit(obj)


def _trio() -> Any:
    """The trio module when this thread runs inside ``trio.run``; RuntimeError otherwise."""
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            pass
        else:
            return trio
    raise RuntimeError("no running asyncio event loop or trio run in this thread")


async def wait_readable(obj: Handle | HasFileno) -> None:
    """Wait until *obj* (a macres object or anything with ``fileno()``) is readable, or hung up.

    Raises:
        ClosedResourceError: the macres object is closed, or closed while waiting.
        BusyResourceError: another task already waits to read it.
        RuntimeError: neither asyncio nor trio runs in this thread.
    """
    loop = _running_asyncio()
    if loop is not None:
        await _wait_asyncio(loop, obj, False)
    else:
        await _wait_trio(_trio(), obj, False)


async def wait_writable(obj: Handle | HasFileno) -> None:
    """Wait until *obj* is writable (or in error); as :func:`wait_readable` otherwise."""
    loop = _running_asyncio()
    if loop is not None:
        await _wait_asyncio(loop, obj, True)
    else:
        await _wait_trio(_trio(), obj, True)


# -- one operation --------------------------------------------------------------------
async def retry(obj: Handle | HasFileno, writing: bool, op: Callable[..., T], *args: Any) -> T:
    """Return ``op(*args)``, waiting for *obj*'s readiness (for writing or reading) while it raises ``BlockingIOError``.

    *op* is a non-blocking call that consumes nothing when it raises
    ``BlockingIOError``.  The task suspends only while waiting, so a
    cancellation never lands between a successful *op* and the return.

    Raises:
        Whatever *op* raises but ``BlockingIOError``; the errors of :func:`wait_readable`.
    """
    loop = _running_asyncio()
    if loop is not None:
        try:
            return op(*args)
        except BlockingIOError:
            pass
        while True:
            await _wait_asyncio(loop, obj, writing)
            try:
                return op(*args)
            except BlockingIOError:
                pass
    trio = _trio()
    await trio.lowlevel.checkpoint_if_cancelled()
    try:
        result = op(*args)
    except BlockingIOError:
        pass
    else:
        await trio.lowlevel.cancel_shielded_checkpoint()
        return result
    while True:
        await _wait_trio(trio, obj, writing)
        try:
            return op(*args)
        except BlockingIOError:
            pass
