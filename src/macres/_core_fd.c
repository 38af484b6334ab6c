/* File descriptors: FileDescriptor's hot calls, open and pipe, and the raw
 * bindings of the same calls.
 *
 * Each method is one system call between handle_enter and handle_exit,
 * with the GIL released around it and EINTR retried as PEP 475 does.
 * Arguments are checked before the closed check, as the pure reference
 * (macres/_pure/fd.py) does.
 */
#include "_core.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Set the error of a failed MR_SYSCALL (unless a signal handler's is set). */
static PyObject *
syscall_error(void)
{
    if (!PyErr_Occurred())
        mr_oserror(errno);
    return NULL;
}

/* The error of a failed MR_SYSCALL on *path*, whose filename is what os
 * reports: the str or bytes of the path (os.fspath of a PathLike). */
static PyObject *
syscall_error_path(PyObject *path)
{
    if (PyErr_Occurred())
        return NULL;
    int err = errno;
    PyObject *name = PyOS_FSPath(path);
    if (name == NULL) {
        PyErr_Clear();
        name = Py_NewRef(path);
    }
    errno = err;
    PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, name);
    Py_DECREF(name);
    return NULL;
}

/* Reads and writes of more than INT_MAX bytes return a short count, as
 * both kernels would (macOS refuses larger counts outright). */
#define MR_IO_MAX ((Py_ssize_t)INT_MAX)

#define FD(self) ((int)((HandleObject *)(self))->handle)

static int
nonnegative(Py_ssize_t v, const char *what)
{
    if (v >= 0)
        return 0;
    PyErr_Format(PyExc_ValueError, "%s must not be negative, got %zd", what, v);
    return -1;
}

static int
offset_arg(PyObject *obj, long long *out)
{
    if (mr_off(obj, out) < 0)
        return -1;
    if (*out < 0) {
        PyErr_Format(PyExc_ValueError, "offset must not be negative, got %lld", *out);
        return -1;
    }
    return 0;
}

/* bytes of up to n, read by pread (offset >= 0) or read (offset < 0). */
static PyObject *
read_bytes(HandleObject *h, Py_ssize_t n, long long offset)
{
    if (n > MR_IO_MAX)
        n = MR_IO_MAX;
    if (handle_enter(h) < 0)
        return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL)
        goto fail;
    ssize_t r;
    size_t len = (size_t)n;
    if (offset < 0)
        MR_SYSCALL_LEN(r, len, read((int)h->handle, PyBytes_AS_STRING(b), len));
    else
        MR_SYSCALL_LEN(r, len, pread((int)h->handle, PyBytes_AS_STRING(b), len, (off_t)offset));
    if (r < 0) {
        Py_DECREF(b);
        syscall_error();
        goto fail;
    }
    if (r != n && _PyBytes_Resize(&b, r) < 0)
        goto fail;
    if (handle_exit(h) < 0) {
        Py_DECREF(b);
        return NULL;
    }
    return b;
fail:
    handle_exit_after_error(h);
    return NULL;
}

/* Move bytes between the buffer obj and the descriptor: into obj (read, or
 * pread at offset >= 0) when !out, from it (write, or pwrite) when out. */
static PyObject *
transfer(HandleObject *h, PyObject *obj, long long offset, int out)
{
    Py_buffer view;
    if ((out ? mr_readable_buffer(obj, &view) : mr_writable_buffer(obj, &view)) < 0)
        return NULL;
    if (handle_enter(h) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    int fd = (int)h->handle;
    size_t len = (size_t)(view.len > MR_IO_MAX ? MR_IO_MAX : view.len);
    ssize_t r;
    if (out && offset < 0)
        MR_SYSCALL_LEN(r, len, write(fd, view.buf, len));
    else if (out)
        MR_SYSCALL_LEN(r, len, pwrite(fd, view.buf, len, (off_t)offset));
    else if (offset < 0)
        MR_SYSCALL_LEN(r, len, read(fd, view.buf, len));
    else
        MR_SYSCALL_LEN(r, len, pread(fd, view.buf, len, (off_t)offset));
    PyBuffer_Release(&view);
    if (r < 0) {
        syscall_error();
        return handle_exit_after_error(h), NULL;
    }
    if (handle_exit(h) < 0)
        return NULL;
    return PyLong_FromSsize_t(r);
}

/* The first read of read_all when fstat gives no size, and its least growth. */
#define MR_READ_CHUNK ((size_t)8192)

/* read(2) at the file offset until EOF (FileIO.readall's protocol): the first
 * buffer holds what fstat's size says is left plus one byte, so a regular
 * file is read in one call and its EOF seen in the next; a pipe or a file
 * that grows makes the buffer grow by an eighth (at least 8 KiB) each time.
 * EAGAIN after some bytes returns them; before any, it raises. */
static PyObject *
read_all(HandleObject *h)
{
    if (handle_enter(h) < 0)
        return NULL;
    int fd = (int)h->handle;
    struct stat st;
    off_t pos;
    int r;
    Py_BEGIN_ALLOW_THREADS
    r = fstat(fd, &st);
    pos = lseek(fd, 0, SEEK_CUR);
    Py_END_ALLOW_THREADS
    size_t size = MR_READ_CHUNK;
    if (r == 0 && S_ISREG(st.st_mode) && pos >= 0 && st.st_size >= pos &&
        (unsigned long long)(st.st_size - pos) < (unsigned long long)PY_SSIZE_T_MAX - 1)
        size = (size_t)(st.st_size - pos) + 1;
    PyObject *b = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
    if (b == NULL)
        goto fail;
    size_t got = 0;
    for (;;) {
        if (got == size) {
            size_t more = size >= 65536 ? size >> 3 : size + 256;
            size = size + (more < MR_READ_CHUNK ? MR_READ_CHUNK : more);
            if (size > (size_t)PY_SSIZE_T_MAX) {
                PyErr_SetString(PyExc_OverflowError, "unbounded read returned more bytes than a Python bytes object can hold");
                goto fail_bytes;
            }
            if (_PyBytes_Resize(&b, (Py_ssize_t)size) < 0)
                goto fail;
        }
        size_t want = size - got;
        ssize_t n;
        if (want > (size_t)MR_IO_MAX)
            want = (size_t)MR_IO_MAX;
        MR_SYSCALL_LEN(n, want, read(fd, PyBytes_AS_STRING(b) + got, want));
        if (n == 0)
            break;
        if (n < 0) {
            if (got > 0 && !PyErr_Occurred() && (errno == EAGAIN || errno == EWOULDBLOCK))
                break;
            syscall_error();
            goto fail_bytes;
        }
        got += (size_t)n;
    }
    if (got != size && _PyBytes_Resize(&b, (Py_ssize_t)got) < 0)
        goto fail;
    if (handle_exit(h) < 0) {
        Py_DECREF(b);
        return NULL;
    }
    return b;
fail_bytes:
    Py_DECREF(b);
fail:
    handle_exit_after_error(h);
    return NULL;
}

/* -- FileDescriptor methods ---------------------------------------------------- */
PyDoc_STRVAR(read_doc, "read(n=-1)\n--\n\n"
"Read up to *n* bytes at the file offset (read(2)); b\"\" at EOF.\n\n"
"A negative *n* or None reads until EOF, as readall() does.\n\n"
"Raises:\n    OSError: the call failed (BlockingIOError on an empty non-blocking pipe).");

static PyObject *
fd_read(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"n"};
    PyObject *a[1];
    PARSE("read", names, 0, 1, a);
    Py_ssize_t n;
    if (a[0] == NULL || a[0] == Py_None)
        return read_all((HandleObject *)self);
    if (mr_ssize(a[0], &n) < 0)
        return NULL;
    if (n < 0)
        return read_all((HandleObject *)self);
    return read_bytes((HandleObject *)self, n, -1);
}

PyDoc_STRVAR(readall_doc, "readall()\n--\n\n"
"Read from the file offset until EOF (read(2) in a loop); return the bytes.\n\n"
"The first read(2) asks for what fstat(2) says is left plus one byte; later\n"
"ones grow, as io.FileIO.readall's do.  A non-blocking descriptor that has\n"
"no more data returns what was read.\n\n"
"Raises:\n    OSError: the call failed (BlockingIOError when nothing at all was\n"
"    available on a non-blocking descriptor).");

static PyObject *
fd_readall(PyObject *self, PyObject *unused)
{
    return read_all((HandleObject *)self);
}

PyDoc_STRVAR(readinto_doc, "readinto(buf)\n--\n\n"
"Read into the writable *buf* at the file offset (read(2)); return the count (0 at EOF).\n\n"
"Raises:\n    TypeError: *buf* is read-only.  OSError: the call failed.");

static PyObject *
fd_readinto(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"buf"};
    PyObject *a[1];
    PARSE("readinto", names, 1, 1, a);
    return transfer((HandleObject *)self, a[0], -1, 0);
}

PyDoc_STRVAR(write_doc, "write(data)\n--\n\n"
"Write *data* at the file offset (write(2)); return how many bytes went.\n\n"
"May write fewer bytes than given (pipes, sockets, signals): see write_all.\n\n"
"Raises:\n    OSError: the call failed (BrokenPipeError, BlockingIOError, ...).");

static PyObject *
fd_write(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"data"};
    PyObject *a[1];
    PARSE("write", names, 1, 1, a);
    return transfer((HandleObject *)self, a[0], -1, 1);
}

PyDoc_STRVAR(pread_doc, "pread(n, offset)\n--\n\n"
"Read up to *n* bytes at *offset* without moving the file offset (pread(2)).\n\n"
"Raises:\n    ValueError: *n* or *offset* is negative.\n    OSError: the call failed (ESPIPE on a pipe).\n"
"    OverflowError: *offset* does not fit off_t.");

static PyObject *
fd_pread(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"n", "offset"};
    PyObject *a[2];
    PARSE("pread", names, 2, 2, a);
    Py_ssize_t n;
    long long offset;
    if (mr_ssize(a[0], &n) < 0 || nonnegative(n, "size") < 0 || offset_arg(a[1], &offset) < 0)
        return NULL;
    return read_bytes((HandleObject *)self, n, offset);
}

PyDoc_STRVAR(pread_into_doc, "pread_into(buf, offset)\n--\n\n"
"Read into the writable *buf* at *offset* (pread(2)); return the count.\n\n"
"Zero-copy: the bytes land in *buf* directly.\n\n"
"Raises:\n    ValueError: *offset* is negative.  TypeError: *buf* is read-only.\n"
"    OSError: the call failed.  OverflowError: *offset* does not fit off_t.");

static PyObject *
fd_pread_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"buf", "offset"};
    PyObject *a[2];
    PARSE("pread_into", names, 2, 2, a);
    long long offset;
    if (offset_arg(a[1], &offset) < 0)
        return NULL;
    return transfer((HandleObject *)self, a[0], offset, 0);
}

PyDoc_STRVAR(pwrite_doc, "pwrite(data, offset)\n--\n\n"
"Write *data* at *offset* without moving the file offset (pwrite(2)).\n\n"
"Raises:\n    ValueError: *offset* is negative.  OSError: the call failed.\n"
"    OverflowError: *offset* does not fit off_t.");

static PyObject *
fd_pwrite(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"data", "offset"};
    PyObject *a[2];
    PARSE("pwrite", names, 2, 2, a);
    long long offset;
    if (offset_arg(a[1], &offset) < 0)
        return NULL;
    return transfer((HandleObject *)self, a[0], offset, 1);
}

static PyObject *
do_seek(HandleObject *h, long long offset, int whence)
{
    if (handle_enter(h) < 0)
        return NULL;
    off_t r;
    MR_SYSCALL(r, lseek((int)h->handle, (off_t)offset, whence));
    if (r < 0) {
        syscall_error();
        return handle_exit_after_error(h), NULL;
    }
    if (handle_exit(h) < 0)
        return NULL;
    return PyLong_FromLongLong((long long)r);
}

PyDoc_STRVAR(seek_doc, "seek(offset, whence=SEEK_SET)\n--\n\n"
"Move the file offset (lseek(2)); return the new offset.\n\n"
"Raises:\n    OSError: ESPIPE (pipe), EINVAL (bad *whence*, negative result).\n"
"    OverflowError: *offset* does not fit off_t.");

static PyObject *
fd_seek(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"offset", "whence"};
    PyObject *a[2];
    PARSE("seek", names, 1, 2, a);
    long long offset;
    int whence = SEEK_SET;
    if (mr_off(a[0], &offset) < 0 || (a[1] != NULL && mr_int(a[1], &whence, "whence") < 0))
        return NULL;
    return do_seek((HandleObject *)self, offset, whence);
}

PyDoc_STRVAR(tell_doc, "tell()\n--\n\nReturn the file offset (lseek(fd, 0, SEEK_CUR)).\n\n"
"Raises:\n    OSError: ESPIPE on a pipe.");

static PyObject *
fd_tell(PyObject *self, PyObject *unused)
{
    return do_seek((HandleObject *)self, 0, SEEK_CUR);
}

PyObject *
mr_fstat_fd(int fd)
{
    struct stat st;
    int r;
    MR_SYSCALL(r, fstat(fd, &st));
    if (r < 0)
        return syscall_error();
    return mr_stat_new(&st);
}

PyDoc_STRVAR(fstat_doc, "fstat()\n--\n\n"
"Return the file's Stat (fstat(2)).\n\nRaises:\n    OSError: the call failed.");

static PyObject *
fd_fstat(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    if (handle_enter(h) < 0)
        return NULL;
    PyObject *st = mr_fstat_fd((int)h->handle);
    if (st == NULL)
        return handle_exit_after_error(h), NULL;
    if (handle_exit(h) < 0) {
        Py_DECREF(st);
        return NULL;
    }
    return st;
}

/* -- construction ----------------------------------------------------------------- */
/* The builtin open's mode letters -> open(2) flags, before O_CLOEXEC. */
static int
mode_flags(PyObject *mode, int *flags)
{
    static const struct {
        const char *mode;
        int flags;
    } table[] = {
        {"r", O_RDONLY},
        {"r+", O_RDWR},
        {"w", O_WRONLY | O_CREAT | O_TRUNC},
        {"w+", O_RDWR | O_CREAT | O_TRUNC},
        {"a", O_WRONLY | O_CREAT | O_APPEND},
        {"a+", O_RDWR | O_CREAT | O_APPEND},
        {"x", O_WRONLY | O_CREAT | O_EXCL},
        {"x+", O_RDWR | O_CREAT | O_EXCL},
    };
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(mode, &n);
    if (text == NULL)
        return -1;
    char chars[4] = {0};
    Py_ssize_t k = 0;
    int dropped_b = 0;
    for (Py_ssize_t i = 0; i < n && k <= 2; i++) { /* "rb+" -> "r+": one "b" goes */
        if (text[i] == 'b' && !dropped_b) {
            dropped_b = 1;
            continue;
        }
        chars[k++] = text[i];
    }
    if (k == 2 && chars[0] == '+') { /* "+r" is accepted by the builtin too */
        chars[0] = chars[1];
        chars[1] = '+';
    }
    if (k <= 2 && (Py_ssize_t)strlen(text) == n) {
        for (size_t t = 0; t < sizeof table / sizeof table[0]; t++) {
            if (strcmp(chars, table[t].mode) == 0) {
                *flags = table[t].flags;
                return 0;
            }
        }
    }
    PyErr_Format(PyExc_ValueError, "invalid mode %R: expected r, r+, w, w+, a, a+, x or x+, optionally with b", mode);
    return -1;
}

PyDoc_STRVAR(open_doc, "open(path, flags='r', mode=0o666, *, dir_fd=None, inheritable=False)\n--\n\n"
"Open *path* and return its FileDescriptor (open(2)/openat(2)).\n\n"
"*flags* is a string with the builtin open's meaning (\"r\", \"r+\", \"w\", \"w+\",\n"
"\"a\", \"a+\", \"x\", \"x+\", optionally with \"b\"; no text mode) or an int of\n"
"O_* bits.  A mode string with \"a\" puts the file offset at the end, as the\n"
"builtin open does (lseek(SEEK_END)); O_APPEND as an int leaves it at 0, as\n"
"os.open does.  *mode* is the permission of a created file (before the umask).\n"
"*dir_fd* (a number, a FileDescriptor or a Directory) makes a relative *path*\n"
"relative to that directory.  The descriptor is close-on-exec (O_CLOEXEC is\n"
"added) unless *inheritable* is true.  The descriptor is adopted in the same\n"
"step as it is opened: nothing can interrupt in between and leak it.\n\n"
"Raises:\n    ValueError: an invalid mode string, a NUL byte in *path*.\n"
"    OSError: the call failed (FileNotFoundError, PermissionError, FileExistsError\n"
"    for \"x\", ...), with *path* as filename.\n"
"    OverflowError: *flags* or *mode* out of range.\n"
"    ClosedResourceError: *dir_fd* is a closed object.");

static PyObject *
fd_open(PyObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"path", "flags", "mode", "dir_fd", "inheritable"};
    PyObject *a[5];
    PARSE("open", names, 1, 5, a);
    if (nargs > 3) {
        PyErr_SetString(PyExc_TypeError, "open() takes dir_fd and inheritable as keywords only");
        return NULL;
    }
    int flags = O_RDONLY, mode = 0666, dir_fd = AT_FDCWD, appending = 0;
    if (a[1] != NULL) {
        if (PyUnicode_Check(a[1])) {
            if (mode_flags(a[1], &flags) < 0)
                return NULL;
            appending = (flags & O_APPEND) != 0;
        }
        else if (mr_int(a[1], &flags, "flags") < 0) {
            return NULL;
        }
    }
    if (a[2] != NULL && mr_int(a[2], &mode, "mode") < 0)
        return NULL;
    if (mode < 0) {
        PyErr_Format(PyExc_OverflowError, "mode %d does not fit mode_t", mode);
        return NULL;
    }
    int inheritable = a[4] == NULL ? 0 : PyObject_IsTrue(a[4]);
    if (inheritable < 0)
        return NULL;
    if (!inheritable)
        flags |= O_CLOEXEC;
    HandleObject *dir = NULL;
    if (a[3] != NULL && a[3] != Py_None) {
        if (PyObject_TypeCheck(a[3], &FdHandle_Type)) {
            dir = (HandleObject *)a[3];
        }
        else if (mr_int(a[3], &dir_fd, "dir_fd") < 0) {
            return NULL;
        }
    }
    mr_path path;
    if (mr_path_convert(a[0], &path) < 0)
        return NULL;
    /* The object first: after open(2) nothing may fail before the adoption. */
    HandleObject *h = (HandleObject *)((PyTypeObject *)cls)->tp_new((PyTypeObject *)cls, NULL, NULL);
    if (h == NULL)
        goto fail;
    if (dir != NULL) { /* the directory stays ours for the duration of the call */
        if (handle_enter(dir) < 0)
            goto fail;
        dir_fd = (int)dir->handle;
    }
    int fd;
    MR_SYSCALL(fd, openat(dir_fd, path.s, flags, (mode_t)mode));
    int err = errno;
    if (dir != NULL && handle_exit(dir) < 0) {
        if (fd >= 0)
            close(fd);
        goto fail;
    }
    /* A mode string with "a" starts at the end, as the builtin open's FileIO
       seeks there (a pipe or a tty cannot seek: ESPIPE is no error);
       O_APPEND given as an int stays at 0, as with os.open. */
    if (fd >= 0 && appending && lseek(fd, 0, SEEK_END) < 0 && errno != ESPIPE) {
        err = errno;
        close(fd);
        fd = -1;
    }
    errno = err;
    mr_path_release(&path);
    if (fd < 0) {
        Py_DECREF(h);
        return syscall_error_path(a[0]);
    }
    if (handle_adopt(h, fd) < 0) { /* the adopt hook failed: the object owns fd and closes it */
        Py_DECREF(h);
        return NULL;
    }
    return (PyObject *)h;
fail:
    Py_XDECREF(h);
    mr_path_release(&path);
    return NULL;
}

PyDoc_STRVAR(pipe_doc, "_pipe(inheritable=False)\n--\n\n"
"Return (reader, writer) of a new pipe, close-on-exec unless *inheritable*\n"
"(pipe2(O_CLOEXEC) on Linux; pipe(2) then FD_CLOEXEC on macOS, which has no\n"
"pipe2).  Both ends are owned in the same step as they are made.\n\n"
"Raises:\n    OSError: EMFILE, ENFILE.");

static PyObject *
fd_pipe(PyObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"inheritable"};
    PyObject *a[1];
    PARSE("_pipe", names, 0, 1, a);
    int inheritable = a[0] == NULL ? 0 : PyObject_IsTrue(a[0]);
    if (inheritable < 0)
        return NULL;
    PyTypeObject *type = (PyTypeObject *)cls;
    HandleObject *r = (HandleObject *)type->tp_new(type, NULL, NULL);
    HandleObject *w = r ? (HandleObject *)type->tp_new(type, NULL, NULL) : NULL;
    if (w == NULL) {
        Py_XDECREF(r);
        return NULL;
    }
    int fds[2], rc;
    /* An injected EINTR is retried, as os.pipe (the pure core's call) retries it. */
    while (mr_fault("pipe", NULL) < 0) {
        int err = errno;
        if (!PyErr_Occurred() && err == EINTR && PyErr_CheckSignals() == 0)
            continue;
        Py_DECREF(r);
        Py_DECREF(w);
        return PyErr_Occurred() ? NULL : mr_oserror(err);
    }
#ifdef __linux__
    Py_BEGIN_ALLOW_THREADS
    rc = pipe2(fds, inheritable ? 0 : O_CLOEXEC);
    Py_END_ALLOW_THREADS
#else
    Py_BEGIN_ALLOW_THREADS
    rc = pipe(fds);
    if (rc == 0 && !inheritable &&
        (fcntl(fds[0], F_SETFD, FD_CLOEXEC) < 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) < 0)) {
        int err = errno;
        close(fds[0]);
        close(fds[1]);
        errno = err;
        rc = -1;
    }
    Py_END_ALLOW_THREADS
#endif
    if (rc < 0) {
        Py_DECREF(r);
        Py_DECREF(w);
        return mr_oserror(errno);
    }
    return handle_adopt_pair(r, fds[0], w, fds[1]); /* both owned before any error returns */
}

PyDoc_STRVAR(dup_doc, "dup(*, inheritable=False)\n--\n\n"
"Return a new descriptor for the same open file (fcntl(F_DUPFD_CLOEXEC), or\n"
"dup(2) when *inheritable*).\n\n"
"The copy shares the file offset, status flags and flock locks, and is\n"
"close-on-exec unless *inheritable*.  It is owned in the same step as it is\n"
"made: nothing can interrupt in between and leak it.\n\n"
"Raises:\n    OSError: EMFILE.  ClosedResourceError: closed.");

static PyObject *
fd_dup(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"inheritable"};
    PyObject *a[1];
    if (nargs > 0) {
        PyErr_SetString(PyExc_TypeError, "dup() takes inheritable as a keyword only");
        return NULL;
    }
    PARSE("dup", names, 0, 1, a);
    int inheritable = a[0] == NULL ? 0 : PyObject_IsTrue(a[0]);
    if (inheritable < 0)
        return NULL;
    HandleObject *h = (HandleObject *)self;
    PyTypeObject *type = Py_TYPE(self);
    /* The object first: after the dup nothing may fail before the adoption. */
    HandleObject *copy = (HandleObject *)type->tp_new(type, NULL, NULL);
    if (copy == NULL)
        return NULL;
    if (handle_enter(h) < 0) {
        Py_DECREF(copy);
        return NULL;
    }
    int fd;
    if (inheritable)
        MR_SYSCALL(fd, dup((int)h->handle));
    else
        MR_SYSCALL_CALL(fd, "dup", NULL, fcntl((int)h->handle, F_DUPFD_CLOEXEC, 0));
    if (fd < 0) {
        Py_DECREF(copy);
        syscall_error();
        return handle_exit_after_error(h), NULL;
    }
    int hooked = handle_adopt(copy, fd); /* a failing hook: copy owns fd and closes it */
    if (hooked < 0) {
        Py_DECREF(copy);
        return handle_exit_after_error(h), NULL;
    }
    if (handle_exit(h) < 0) {
        Py_DECREF(copy);
        return NULL;
    }
    return (PyObject *)copy;
}

static PyMethodDef file_descriptor_methods[] = {
    {"read", (PyCFunction)(void (*)(void))fd_read, METH_FASTCALL | METH_KEYWORDS, read_doc},
    {"readall", fd_readall, METH_NOARGS, readall_doc},
    {"readinto", (PyCFunction)(void (*)(void))fd_readinto, METH_FASTCALL | METH_KEYWORDS, readinto_doc},
    {"write", (PyCFunction)(void (*)(void))fd_write, METH_FASTCALL | METH_KEYWORDS, write_doc},
    {"pread", (PyCFunction)(void (*)(void))fd_pread, METH_FASTCALL | METH_KEYWORDS, pread_doc},
    {"pread_into", (PyCFunction)(void (*)(void))fd_pread_into, METH_FASTCALL | METH_KEYWORDS, pread_into_doc},
    {"pwrite", (PyCFunction)(void (*)(void))fd_pwrite, METH_FASTCALL | METH_KEYWORDS, pwrite_doc},
    {"seek", (PyCFunction)(void (*)(void))fd_seek, METH_FASTCALL | METH_KEYWORDS, seek_doc},
    {"tell", fd_tell, METH_NOARGS, tell_doc},
    {"fstat", fd_fstat, METH_NOARGS, fstat_doc},
    {"open", (PyCFunction)(void (*)(void))fd_open, METH_FASTCALL | METH_KEYWORDS | METH_CLASS, open_doc},
    {"_pipe", (PyCFunction)(void (*)(void))fd_pipe, METH_FASTCALL | METH_KEYWORDS | METH_CLASS, pipe_doc},
    {"dup", (PyCFunction)(void (*)(void))fd_dup, METH_FASTCALL | METH_KEYWORDS, dup_doc},
    {NULL},
};

PyTypeObject FileDescriptorBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.FileDescriptorBase",
    .tp_basicsize = sizeof(HandleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("FileDescriptor's lifecycle and hot calls."),
    .tp_base = &FdHandle_Type,
    .tp_methods = file_descriptor_methods,
};

/* -- raw bindings ------------------------------------------------------------------- */
static int
fd_arg(PyObject *obj, int *fd)
{
    return mr_int(obj, fd, "fd");
}

PyDoc_STRVAR(raw_fstat_doc, "fstat(fd)\n--\n\n"
"fstat(fildes, buf): return the file's Stat.\n\n"
"Raises:\n    OSError: EBADF and the like.  OverflowError: *fd* out of range.");

static PyObject *
raw_fstat(PyObject *module, PyObject *arg)
{
    int fd;
    if (fd_arg(arg, &fd) < 0)
        return NULL;
    return mr_fstat_fd(fd);
}

static PyObject *
stat_path(PyObject *path, int dirfd, int flags)
{
    mr_path p;
    if (mr_path_convert(path, &p) < 0)
        return NULL;
    struct stat st;
    int r;
    /* Named for the binding that asked: stat and lstat are fstatat here. */
    const char *call = dirfd != AT_FDCWD ? "fstatat" : flags ? "lstat" : "stat";
    MR_SYSCALL_CALL(r, call, NULL, fstatat(dirfd, p.s, &st, flags));
    mr_path_release(&p);
    if (r < 0)
        return syscall_error_path(path);
    return mr_stat_new(&st);
}

PyDoc_STRVAR(raw_stat_doc, "stat(path)\n--\n\n"
"stat(path, buf): return the Stat of *path*, following symbolic links.\n\n"
"Raises:\n    OSError: the call failed (FileNotFoundError, ...).  ValueError: NUL byte.");

static PyObject *
raw_stat(PyObject *module, PyObject *path)
{
    return stat_path(path, AT_FDCWD, 0);
}

PyDoc_STRVAR(raw_lstat_doc, "lstat(path)\n--\n\n"
"lstat(path, buf): return the Stat of *path* itself (a symbolic link is not followed).\n\n"
"Raises:\n    OSError: the call failed (FileNotFoundError, ...).  ValueError: NUL byte.");

static PyObject *
raw_lstat(PyObject *module, PyObject *path)
{
    return stat_path(path, AT_FDCWD, AT_SYMLINK_NOFOLLOW);
}

PyDoc_STRVAR(raw_fstatat_doc, "fstatat(dirfd, path, flags=0)\n--\n\n"
"fstatat(fd, path, buf, flag): the Stat of *path* relative to the directory *dirfd*.\n\n"
"Raises:\n    OSError: the call failed.  ValueError: NUL byte.  OverflowError: an int out of range.");

static PyObject *
raw_fstatat(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"dirfd", "path", "flags"};
    PyObject *a[3];
    PARSE("fstatat", names, 2, 3, a);
    int dirfd, flags = 0;
    if (mr_int(a[0], &dirfd, "dirfd") < 0 || (a[2] != NULL && mr_int(a[2], &flags, "flags") < 0))
        return NULL;
    return stat_path(a[1], dirfd, flags);
}

PyDoc_STRVAR(raw_pread_doc, "pread(fd, buf, offset)\n--\n\n"
"pread(fildes, buf, nbyte, offset): read into *buf* at *offset*; return the count.\n\n"
"A negative *offset* fails with EINVAL, as pread(2) does.\n\n"
"Raises:\n    OSError: the call failed (ESPIPE on a pipe, EINVAL for a negative offset).\n"
"    TypeError: *buf* is read-only.  OverflowError: *offset* out of range.");

static PyObject *
raw_pread(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "buf", "offset"};
    PyObject *a[3];
    PARSE("pread", names, 3, 3, a);
    int fd;
    long long offset;
    if (fd_arg(a[0], &fd) < 0 || mr_off(a[2], &offset) < 0)
        return NULL;
    Py_buffer view;
    if (mr_writable_buffer(a[1], &view) < 0)
        return NULL;
    ssize_t r;
    size_t len = (size_t)(view.len > MR_IO_MAX ? MR_IO_MAX : view.len);
    MR_SYSCALL_LEN(r, len, pread(fd, view.buf, len, (off_t)offset));
    PyBuffer_Release(&view);
    if (r < 0)
        return syscall_error();
    return PyLong_FromSsize_t(r);
}

PyDoc_STRVAR(raw_pwrite_doc, "pwrite(fd, data, offset)\n--\n\n"
"pwrite(fildes, buf, nbyte, offset): write *data* at *offset*; return the count.\n\n"
"Raises:\n    OSError: the call failed.  OverflowError: *offset* out of range.");

static PyObject *
raw_pwrite(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "data", "offset"};
    PyObject *a[3];
    PARSE("pwrite", names, 3, 3, a);
    int fd;
    long long offset;
    if (fd_arg(a[0], &fd) < 0 || mr_off(a[2], &offset) < 0)
        return NULL;
    Py_buffer view;
    if (mr_readable_buffer(a[1], &view) < 0)
        return NULL;
    ssize_t r;
    size_t len = (size_t)(view.len > MR_IO_MAX ? MR_IO_MAX : view.len);
    MR_SYSCALL_LEN(r, len, pwrite(fd, view.buf, len, (off_t)offset));
    PyBuffer_Release(&view);
    if (r < 0)
        return syscall_error();
    return PyLong_FromSsize_t(r);
}

PyDoc_STRVAR(raw_read_doc, "read(fd, buf, nbytes=None)\n--\n\n"
"read(fildes, buf, nbyte): read into the writable *buf*; return the count (0 at EOF).\n\n"
"*nbytes* defaults to the buffer's length.\n\n"
"Raises:\n    OSError: the call failed.  TypeError: *buf* is read-only.\n"
"    ValueError: *buf* is smaller than *nbytes*, or *nbytes* is negative.");

static PyObject *
raw_read(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "buf", "nbytes"};
    PyObject *a[3];
    PARSE("read", names, 2, 3, a);
    int fd;
    if (fd_arg(a[0], &fd) < 0)
        return NULL;
    Py_buffer view;
    if (mr_writable_buffer(a[1], &view) < 0)
        return NULL;
    Py_ssize_t n = view.len;
    if (a[2] != NULL && a[2] != Py_None) {
        if (mr_ssize(a[2], &n) < 0 || nonnegative(n, "size") < 0)
            goto fail;
        if (n > view.len) {
            PyErr_Format(PyExc_ValueError, "buffer holds %zd bytes, fewer than the %zd asked for", view.len, n);
            goto fail;
        }
    }
    ssize_t r;
    size_t len = (size_t)(n > MR_IO_MAX ? MR_IO_MAX : n);
    MR_SYSCALL_LEN(r, len, read(fd, view.buf, len));
    PyBuffer_Release(&view);
    if (r < 0)
        return syscall_error();
    return PyLong_FromSsize_t(r);
fail:
    PyBuffer_Release(&view);
    return NULL;
}

PyDoc_STRVAR(raw_write_doc, "write(fd, data)\n--\n\n"
"write(fildes, buf, nbyte): write *data*; return how many bytes were written.\n\n"
"Raises:\n    OSError: the call failed (EPIPE, EAGAIN, ...).");

static PyObject *
raw_write(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "data"};
    PyObject *a[2];
    PARSE("write", names, 2, 2, a);
    int fd;
    if (fd_arg(a[0], &fd) < 0)
        return NULL;
    Py_buffer view;
    if (mr_readable_buffer(a[1], &view) < 0)
        return NULL;
    ssize_t r;
    size_t len = (size_t)(view.len > MR_IO_MAX ? MR_IO_MAX : view.len);
    MR_SYSCALL_LEN(r, len, write(fd, view.buf, len));
    PyBuffer_Release(&view);
    if (r < 0)
        return syscall_error();
    return PyLong_FromSsize_t(r);
}

PyDoc_STRVAR(raw_lseek_doc, "lseek(fd, offset, whence)\n--\n\n"
"lseek(fildes, offset, whence): move the file offset; return the new one.\n\n"
"Raises:\n    OSError: ESPIPE, EINVAL.  OverflowError: *offset* out of range.");

static PyObject *
raw_lseek(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "offset", "whence"};
    PyObject *a[3];
    PARSE("lseek", names, 3, 3, a);
    int fd, whence;
    long long offset;
    if (fd_arg(a[0], &fd) < 0 || mr_off(a[1], &offset) < 0 || mr_int(a[2], &whence, "whence") < 0)
        return NULL;
    off_t r;
    MR_SYSCALL(r, lseek(fd, (off_t)offset, whence));
    if (r < 0)
        return syscall_error();
    return PyLong_FromLongLong((long long)r);
}

PyDoc_STRVAR(raw_open_doc, "open(path, flags, mode=0o666)\n--\n\n"
"open(path, oflag, mode): open a file and return its descriptor.\n\n"
"Unlike os.open no O_CLOEXEC is added: the flags are the caller's.\n\n"
"Raises:\n    OSError: the call failed (FileNotFoundError, PermissionError, ...).\n"
"    ValueError: NUL byte in *path*.  OverflowError: *flags* or *mode* out of range.");

static PyObject *
raw_open(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"path", "flags", "mode"};
    PyObject *a[3];
    PARSE("open", names, 2, 3, a);
    int flags;
    unsigned long mode = 0666;
    if (mr_int(a[1], &flags, "flags") < 0)
        return NULL;
    if (a[2] != NULL) {
        PyObject *index = PyNumber_Index(a[2]);
        if (index == NULL)
            return NULL;
        mode = PyLong_AsUnsignedLong(index);
        Py_DECREF(index);
        if (mode == (unsigned long)-1 && PyErr_Occurred())
            return NULL;
        if (mode > 0xFFFFFFFFUL) {
            PyErr_Format(PyExc_OverflowError, "mode %lu does not fit a C unsigned int", mode);
            return NULL;
        }
    }
    mr_path path;
    if (mr_path_convert(a[0], &path) < 0)
        return NULL;
    int fd;
    MR_SYSCALL(fd, open(path.s, flags, (unsigned int)mode));
    if (fd < 0) { /* the file name as the raw layer reports it: decoded str */
        int err = errno;
        PyObject *name = PyUnicode_DecodeFSDefault(path.s);
        mr_path_release(&path);
        if (name == NULL)
            return NULL;
        errno = err;
        syscall_error_path(name);
        Py_DECREF(name);
        return NULL;
    }
    mr_path_release(&path);
    return PyLong_FromLong(fd);
}

PyDoc_STRVAR(raw_close_doc, "close(fd)\n--\n\n"
"close(fildes): close a descriptor.  Never retried on EINTR.\n\n"
"Raises:\n    OSError: EBADF and the like.  OverflowError: *fd* out of range.");

static PyObject *
raw_close(PyObject *module, PyObject *arg)
{
    int fd, r;
    if (fd_arg(arg, &fd) < 0)
        return NULL;
    Py_BEGIN_ALLOW_THREADS
    r = close(fd);
    Py_END_ALLOW_THREADS
    if (r == 0 && mr_fault("close", NULL) < 0) /* a planned close error: the descriptor is gone all the same */
        r = -1;
    if (r < 0 && errno != EINTR)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    Py_RETURN_NONE;
}

PyMethodDef mr_fd_functions[] = {
    {"fstat", raw_fstat, METH_O, raw_fstat_doc},
    {"stat", raw_stat, METH_O, raw_stat_doc},
    {"lstat", raw_lstat, METH_O, raw_lstat_doc},
    {"fstatat", (PyCFunction)(void (*)(void))raw_fstatat, METH_FASTCALL | METH_KEYWORDS, raw_fstatat_doc},
    {"pread", (PyCFunction)(void (*)(void))raw_pread, METH_FASTCALL | METH_KEYWORDS, raw_pread_doc},
    {"pwrite", (PyCFunction)(void (*)(void))raw_pwrite, METH_FASTCALL | METH_KEYWORDS, raw_pwrite_doc},
    {"read", (PyCFunction)(void (*)(void))raw_read, METH_FASTCALL | METH_KEYWORDS, raw_read_doc},
    {"write", (PyCFunction)(void (*)(void))raw_write, METH_FASTCALL | METH_KEYWORDS, raw_write_doc},
    {"lseek", (PyCFunction)(void (*)(void))raw_lseek, METH_FASTCALL | METH_KEYWORDS, raw_lseek_doc},
    {"open", (PyCFunction)(void (*)(void))raw_open, METH_FASTCALL | METH_KEYWORDS, raw_open_doc},
    {"close", raw_close, METH_O, raw_close_doc},
    {NULL},
};
