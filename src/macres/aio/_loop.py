"""Waiting for readiness through the running loop's own machinery: asyncio's or trio's.

Every awaitable operation of :mod:`macres.aio` is :func:`retry`: the
object's own non-blocking call, tried first; only when it raises
``BlockingIOError`` does the task wait for readiness, then it tries again.
The wait is the only point where the task suspends, so a cancellation
lands before the call, never between the kernel call and the return: a
cancelled operation consumes nothing.  One exception, for speed: under
asyncio a read of a byte stream (:func:`read_bytes`) runs in the loop's
readiness callback, as asyncio's transports read; what such a read took
for a task cancelled before it resumed is kept for the object's next
awaited read (:func:`take_kept`), so nothing is lost either.

Which library runs is asked once per operation, as sniffio does and
without it: a running asyncio loop in this thread (``asyncio._get_running_loop``),
else a trio run (``trio.lowlevel.current_task``), else ``RuntimeError``.

asyncio: ``loop.add_reader``/``add_writer`` with a future.  A macres object
gets a watch per direction (:class:`_Watch`) that stays registered between
waits, as asyncio's own transports keep theirs (two ``epoll_ctl`` calls per
wait saved), and holds a reference on the object while registered; a
readiness report that finds nobody waiting unregisters it.  Anything else
with ``fileno()`` is registered for one wait only.  trio:
``trio.lowlevel.wait_readable``/``wait_writable``, with the checkpoints trio
requires of every operation (``checkpoint_if_cancelled`` before the first
try, ``cancel_shielded_checkpoint`` after a success that did not wait); the
waiting task holds the reference.

The object is marked awaited (``_await_enter``), so ``close()``, finding
references held, calls the close hook this module installs
(:func:`_closing`): it unregisters the watches and wakes every task waiting
on the object, in whichever thread its loop runs, with
:class:`~macres.ClosedResourceError` (trio: ``notify_closing``).  The last
reference out performs the real close, so no loop ever polls a number that
was released and reused.  An object never awaited pays one test of a byte
in ``close()``, and only when references are held.

One task at a time may wait to read, and one to write, on an object, as in
trio: a second raises :class:`BusyResourceError`.
"""

from __future__ import annotations

import sys
import weakref
from asyncio import AbstractEventLoop, CancelledError, Future
from asyncio import _get_running_loop as _running_asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from typing_extensions import Buffer

from .._backend import core
from .._handle import Handle, HasFileno, fileno_of

__all__ = ["BusyResourceError", "peek_kept", "read_bytes", "retry", "take_kept", "wait_readable", "wait_writable", "write_all"]

T = TypeVar("T")


class BusyResourceError(RuntimeError):
    """Another task is already waiting to read from (or write to) this object."""

    __module__ = "macres.aio"


# -- asyncio: a watch per (object, direction), kept registered between waits ----------
class _Watch:
    """An object's readiness for reading or writing, watched by one asyncio loop.

    Registered with ``loop.add_reader``/``add_writer`` at the first wait and
    kept registered between waits, as asyncio's own transports keep theirs,
    so a busy connection costs no ``epoll_ctl``/``kevent`` change per wait.
    While registered it holds a reference on the object (``_await_enter``):
    the number stays the object's, and ``close()`` calls the close hook,
    which unregisters it (in the loop's thread) before the release.  A
    readiness report that finds no task waiting unregisters it, so an idle
    readable descriptor does not wake the loop again and again.  The object
    itself is held weakly: an idle watch does not keep an object its owner
    dropped alive; its finalizer closes it, and the close hook unregisters.
    """

    __slots__ = ("args", "fd", "future", "key", "loop", "more", "op", "ref", "registered", "repeat", "writing")

    def __init__(self, loop: AbstractEventLoop, obj: Handle, writing: bool, key: tuple[int, bool]) -> None:
        self.loop = loop
        self.ref = weakref.ref(obj)
        self.writing = writing
        self.key = key
        self.future: Future[Any] | None = None
        #: The loop may report once more what it reported last: the woken task
        #: runs after the next poll, which still sees the readiness it is about to use.
        self.repeat = False
        #: The waiting task's call, run by the callback itself (:func:`receive`); None: only wake the task.
        self.op: Callable[..., Any] | None = None
        self.args: tuple[Any, ...] = ()
        #: The last read filled its buffer: more is likely there, so try before waiting.
        self.more = False
        self.fd = obj._await_enter()
        try:
            if writing:
                loop.add_writer(self.fd, self.fire)
            else:
                loop.add_reader(self.fd, self.fire)
        except BaseException:
            obj._exit()
            raise
        #: Until unregister(): the loop watches the number and the object's reference is held.
        self.registered = True
        _waiting[key] = self
        _by_number[(id(loop), self.fd, writing)] = self

    def fire(self) -> None:
        """The loop's callback: wake the waiting task, or stop watching when none waits."""
        if self.repeat:
            self.repeat = False
            return
        future = self.future
        if future is None:
            self.unregister(self.ref())
        elif not future.done():
            op = self.op
            if op is None:
                future.set_result(None)
                self.repeat = True
                return
            try:
                value = op(*self.args)
            except BlockingIOError:  # reported ready, yet nothing there: wait on
                return
            except Exception as exc:  # noqa: BLE001 - the waiting task raises it
                future.set_exception(exc)
            else:
                future.set_result(value)

    def unregister(self, obj: Handle | None) -> None:
        """Stop watching and drop the reference on *obj* (None: collected); only where the loop is not running elsewhere."""
        if _waiting.get(self.key) is self:
            del _waiting[self.key]
        if not self.registered:  # already: a readiness report and a close can both come here
            return
        self.registered = False
        if _by_number.get(number := (id(self.loop), self.fd, self.writing)) is self:
            del _by_number[number]
        try:
            if not self.loop.is_closed():
                if self.writing:
                    self.loop.remove_writer(self.fd)
                else:
                    self.loop.remove_reader(self.fd)
        finally:
            if obj is not None:
                obj._exit()

    def closing(self, obj: Handle) -> None:
        """*obj* is closing: unregister and fail the waiting task, in the loop's thread."""
        loop = self.loop
        if _running_asyncio() is loop or loop.is_closed() or not loop.is_running():
            self._close_now(obj)
        else:
            loop.call_soon_threadsafe(self._close_now, obj)

    def _close_now(self, obj: Handle) -> None:
        future = self.future
        try:
            self.unregister(obj)
        finally:
            if future is not None and not future.done():
                future.set_exception(obj._closed_error())

    def release_from(self, loop: object) -> None:
        """Let another loop (or trio) take the object over: drop this watch if its loop is idle.

        Raises:
            BusyResourceError: a task waits here, or this watch's loop runs in another thread.
        """
        if self.future is not None:
            raise _busy(self.writing)
        if self.loop.is_running() and not self.loop.is_closed():
            raise BusyResourceError("this object is watched by an asyncio loop running in another thread; use it from there")
        self.unregister(self.ref())


class _TrioWaiter:
    __slots__ = ("fd", "token")

    def __init__(self, fd: int, token: Any) -> None:
        self.fd = fd
        self.token = token

    def closing(self, obj: Handle) -> None:
        """``trio.lowlevel.notify_closing`` the number, in the run's thread (the waiter's reference keeps it ours)."""
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


#: What watches or waits on each macres object, by (id(object), writing).
_waiting: dict[tuple[int, bool], _Watch | _TrioWaiter] = {}
#: The registered watches again, by (id(loop), number, writing): what a wait on a bare number must not replace.
_by_number: dict[tuple[int, int, bool], _Watch] = {}
#: The bare numbers waited on through asyncio now, by (id(loop), number, writing): one task each.
_foreign: set[tuple[int, int, bool]] = set()
#: The operations running under trio, by (id(object), writing): one task each, from start to return.
_trio_operations: set[tuple[int, bool]] = set()


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
def _ready(future: Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _wait_asyncio(loop: AbstractEventLoop, obj: Handle | HasFileno, writing: bool) -> None:
    if not isinstance(obj, Handle):
        await _wait_asyncio_fd(loop, fileno_of(obj, "obj"), writing)
        return
    watch = _watch_for(loop, obj, writing)
    future = watch.future = loop.create_future()
    try:
        await future
    finally:
        watch.future = None


def _watch_for(loop: AbstractEventLoop, obj: Handle, writing: bool) -> _Watch:
    """*obj*'s watch in *loop* for the direction, made if needed.

    Raises:
        BusyResourceError: a task already waits in that direction.
    """
    key = (id(obj), writing)
    watch = _waiting.get(key)
    if watch is None:
        return _Watch(loop, obj, writing, key)
    if isinstance(watch, _TrioWaiter) or watch.future is not None:
        raise _busy(writing)
    if watch.ref() is not obj and (watch.loop is loop or not watch.loop.is_running()):
        watch.unregister(None)  # a collected object's, left under the same id (its close hook never ran)
        return _Watch(loop, obj, writing, key)
    if watch.loop is not loop:
        watch.release_from(loop)  # another loop's, idle
        return _Watch(loop, obj, writing, key)
    return watch


async def _wait_asyncio_fd(loop: AbstractEventLoop, fd: int, writing: bool) -> None:
    """Wait for a number some other code owns: registered for this wait only (its close tells nobody).

    The loop holds one reader (and one writer) per number: a second task
    waiting on the same number, or a macres object's watch of it that a
    task waits on, is refused rather than silently replaced; an idle watch
    of it is dropped (its object registers again at its next wait).

    Raises:
        BusyResourceError: another task waits on that number in this direction.
    """
    key = (id(loop), fd, writing)
    watch = _by_number.get(key)
    if watch is not None:
        if watch.future is not None:
            raise _busy(writing)
        watch.unregister(watch.ref())
    if key in _foreign:
        raise _busy(writing)
    _foreign.add(key)
    future: Future[None] = loop.create_future()
    try:
        if writing:
            loop.add_writer(fd, _ready, future)
            try:
                await future
            finally:
                loop.remove_writer(fd)
        else:
            loop.add_reader(fd, _ready, future)
            try:
                await future
            finally:
                loop.remove_reader(fd)
    finally:
        _foreign.discard(key)


async def _wait_trio(trio: Any, obj: Handle | HasFileno, writing: bool) -> None:
    if not isinstance(obj, Handle):
        fd = fileno_of(obj, "obj")
        try:
            await (trio.lowlevel.wait_writable(fd) if writing else trio.lowlevel.wait_readable(fd))
        except trio.BusyResourceError as exc:
            raise _busy(writing) from exc
        return
    key = (id(obj), writing)
    other = _waiting.get(key)
    if other is not None:
        if isinstance(other, _TrioWaiter):
            raise _busy(writing)
        other.release_from(None)
    fd = obj._await_enter()
    try:
        _waiting[key] = _TrioWaiter(fd, trio.lowlevel.current_trio_token())
        try:
            if writing:
                await trio.lowlevel.wait_writable(fd)
            else:
                await trio.lowlevel.wait_readable(fd)
        except trio.ClosedResourceError as exc:
            if obj.closed:
                raise obj._closed_error() from exc
            raise
        finally:
            del _waiting[key]
    finally:
        obj._exit()


# -- reads of a byte stream: in the loop's callback, nothing lost to a cancellation --------
class _Kept:
    """What cancelled reads had taken from one object, for its next awaited read: bytes, then maybe an error."""

    __slots__ = ("data", "error", "ref")

    def __init__(self, obj: Handle) -> None:
        key = id(obj)
        self.ref = weakref.ref(obj, lambda _: _kept.pop(key, None))
        self.data = bytearray()
        self.error: Exception | None = None


#: By id of the object: what a read run by the loop's callback took, its task cancelled before it resumed.
_kept: dict[int, _Kept] = {}


def _keep(obj: Handle, future: Future[bytes]) -> None:
    error = future.exception()
    if error is None and not future.result():
        return  # end of stream: the next read meets it again in the kernel
    kept = _kept.get(id(obj))
    if kept is None or kept.ref() is not obj:
        kept = _kept[id(obj)] = _Kept(obj)
    if error is not None:
        kept.error = error  # type: ignore[assignment]  # the callback sets Exceptions only
    else:
        kept.data += future.result()


def _take(obj: Handle, size: int) -> bytes | None:
    key = id(obj)
    kept = _kept.get(key)
    if kept is None or kept.ref() is not obj or size < 0:  # a negative size: the call itself refuses it
        return None
    if obj.closed:  # the read itself raises ClosedResourceError
        del _kept[key]
        return None
    if kept.data:
        data = bytes(kept.data[:size])
        del kept.data[:size]
        if not kept.data and kept.error is None:
            del _kept[key]
        return data
    del _kept[key]
    assert kept.error is not None
    raise kept.error


def peek_kept(obj: Handle, size: int) -> bytes | None:
    """Up to *size* of the bytes kept for *obj*, left kept (a ``MSG_PEEK`` receive); None: none kept."""
    kept = _kept.get(id(obj))
    if kept is None or kept.ref() is not obj or size < 0 or not kept.data or obj.closed:
        return None
    return bytes(kept.data[:size])


async def take_kept(obj: Handle, size: int) -> bytes | None:
    """Up to *size* bytes that a cancelled :func:`read_bytes` had taken from *obj*, then the error it met, once; None: none kept.

    Raises:
        The error the cancelled read met, once its bytes are out.
    """
    if _running_asyncio() is not None:
        return _take(obj, size)
    trio = _trio()
    await trio.lowlevel.checkpoint_if_cancelled()
    data = _take(obj, size)
    if data is not None:
        await trio.lowlevel.cancel_shielded_checkpoint()
    return data


async def read_bytes(obj: Handle, op: Callable[[int], bytes], size: int, loop: AbstractEventLoop | None = None) -> bytes:
    """Await ``op(size)``, a non-blocking read of up to *size* bytes from *obj*'s byte stream.

    Under asyncio the read runs in the loop's readiness callback, as
    asyncio's own transports read: no call fails with ``EAGAIN`` first,
    and the next poll does not report the same readiness again.  It is
    tried before waiting only when the last read filled its buffer.
    Should the task be cancelled after the read ran and before it resumed,
    the bytes (or the error) are kept for *obj*'s next awaited read
    (:func:`take_kept`).  Under trio: :func:`retry`.  *loop*: the running
    asyncio loop when the caller already asked (a coroutine awaited in
    another loop than the one given gets asyncio's RuntimeError).

    Raises:
        Whatever *op* raises but ``BlockingIOError``; ClosedResourceError, BusyResourceError.
    """
    if size < 0:
        return op(size)  # refused (ValueError) before anything is taken or waited for
    if _kept:
        data = await take_kept(obj, size)
        if data is not None:
            return data
    if loop is None:
        loop = _running_asyncio()
        if loop is None:
            return await retry(obj, False, op, size)
    found = _waiting.get((id(obj), False))
    if found is not None and (isinstance(found, _TrioWaiter) or found.future is not None):
        raise _busy(False)  # before the read: it would take what the waiting task is owed
    watch = found if isinstance(found, _Watch) and found.loop is loop and found.ref() is obj else None
    if watch is None or watch.more:  # no idle watch of this loop yet, or more is likely there: try first
        try:
            data = op(size)
        except BlockingIOError:
            pass
        else:
            if watch is not None:
                watch.more = len(data) == size
            return data
    if watch is None:
        watch = _watch_for(loop, obj, False)
    future: Future[bytes] = loop.create_future()
    watch.future = future
    watch.op = op
    watch.args = (size,)
    try:
        data = await future
    except CancelledError:
        if future.done() and not future.cancelled():
            _keep(obj, future)
        raise
    finally:
        watch.future = None
        watch.op = None
        watch.args = ()
    watch.more = len(data) == size
    return data


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
def _refuse_if_busy(obj: object, writing: bool) -> None:
    """Raise BusyResourceError when another task waits on *obj* in that direction: its call comes first.

    Checked before a call is tried, not only before a wait: a second send
    would splice its bytes into the first one's, a second receive take the
    bytes the first is owed.
    """
    found = _waiting.get((id(obj), writing))
    if found is not None and (isinstance(found, _TrioWaiter) or found.future is not None):
        raise _busy(writing)


async def write_all(obj: Handle, op: Callable[..., int], data: Buffer, *args: Any) -> None:
    """Write all of *data* with ``op(part, *args)`` (a non-blocking send or write that returns its count), awaiting room as often as needed.

    The first attempt runs at once under asyncio (the common case: all of
    it goes, and nothing waits); every other one is :func:`retry`.  Cancelled
    part way, a prefix may have been written; each call itself is whole or
    nothing.

    Raises:
        Whatever *op* raises but ``BlockingIOError``; the errors of :func:`wait_writable`.
    """
    if _running_asyncio() is not None:
        _refuse_if_busy(obj, True)
        try:
            done = op(data, *args)
        except BlockingIOError:
            done = 0
    else:
        done = await retry(obj, True, op, data, *args)
    if done == len(data) and type(data) is bytes:  # type: ignore[arg-type]
        return
    with memoryview(data) as whole:
        if done == whole.nbytes:
            return
        with whole.cast("B") as view:
            while done < len(view):
                done += await retry(obj, True, op, view[done:], *args)


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
        if _waiting:  # _refuse_if_busy, inline: the hot path of every call
            found = _waiting.get((id(obj), writing))
            if found is not None and (isinstance(found, _TrioWaiter) or found.future is not None):
                raise _busy(writing)
        try:
            return op(*args)
        except BlockingIOError:
            pass
        if not isinstance(obj, Handle):
            while True:
                await _wait_asyncio_fd(loop, fileno_of(obj, "obj"), writing)
                try:
                    return op(*args)
                except BlockingIOError:
                    pass
        while True:  # _wait_asyncio, inline: the hot path of every busy connection
            watch = _watch_for(loop, obj, writing)
            future = watch.future = loop.create_future()
            try:
                await future
            finally:
                watch.future = None
            try:
                return op(*args)
            except BlockingIOError:
                pass
    trio = _trio()
    lowlevel = trio.lowlevel
    # The whole operation is the task's, its checkpoint after a success included (a
    # second sendall must not send between the first one's partial sends).
    key = (id(obj), writing)
    if key in _trio_operations:
        raise _busy(writing)
    _trio_operations.add(key)
    try:
        await lowlevel.checkpoint_if_cancelled()
        try:
            result = op(*args)
        except BlockingIOError:
            pass
        else:
            await lowlevel.cancel_shielded_checkpoint()
            return result
        while True:
            await _wait_trio(trio, obj, writing)
            try:
                return op(*args)
            except BlockingIOError:
                pass
    finally:
        _trio_operations.discard(key)
