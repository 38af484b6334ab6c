/* The one lifecycle: Handle and FdHandle.
 *
 * Every macres object that owns an OS handle stands on Handle.  Its state is
 * one 64-bit word changed only by compare-and-swap (see _core.h): an
 * operation takes a reference unless the closed bit is set, close() sets the
 * bit, and whoever drops the last reference after that releases the handle,
 * exactly once.  No Python code runs between the steps, so a signal handler
 * or an exception cannot split them, and the word stays correct without the
 * GIL.
 *
 * close() holds a reference of its own while it interrupts a socket's
 * blocked operations (shutdown), so the number it shuts down cannot have
 * been released and reused in between.
 */
#include "_core.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *const kind_names[] = {"handle", "file descriptor", "socket", "mapping", "process"};

PyObject *
handle_closed_error(HandleObject *h)
{
    const char *kind = kind_names[h->kind];
    if (h->kind == HK_PYTHON) {
        PyObject *name = PyObject_GetAttr((PyObject *)Py_TYPE(h), mr_str_kind);
        if (name != NULL && PyUnicode_Check(name)) {
            PyErr_Format(mr_ClosedResourceError, "I/O operation on a closed %U", name);
            Py_DECREF(name);
            return NULL;
        }
        Py_XDECREF(name);
        PyErr_Clear();
    }
    PyErr_Format(mr_ClosedResourceError, "I/O operation on a closed %s", kind);
    return NULL;
}

int
handle_is_closed(HandleObject *h)
{
    return (st_load(h) & ST_CLOSED) != 0;
}

/* Release the handle itself; called exactly once. */
static int
handle_release(HandleObject *h)
{
    intptr_t handle = h->handle;
    int rc = 0;
    switch (h->kind) {
    case HK_FD:
    case HK_SOCKET:
        h->handle = -1;
        /* Never retried: on EINTR the descriptor is gone anyway (Linux, and
         * macOS's close$NOCANCEL semantics through the libc wrapper). */
        if ((close((int)handle) < 0 || mr_fault("close", NULL) < 0) && errno != EINTR) {
            if (!PyErr_Occurred()) /* else the fault hook raised */
                mr_oserror(errno);
            rc = -1;
        }
        break;
    case HK_REGION:
        rc = mr_region_release((RegionObject *)h);
        h->handle = -1;
        break;
    default: {
        PyObject *value = PyLong_FromSsize_t(handle);
        h->handle = -1;
        if (value == NULL)
            return -1;
        PyObject *r = PyObject_CallMethodOneArg((PyObject *)h, mr_str_release, value);
        Py_DECREF(value);
        if (r == NULL)
            rc = -1;
        Py_XDECREF(r);
    }
    }
    return rc;
}

/* The last reference is gone and the closed bit is set: claim the release. */
int
handle_release_once(HandleObject *h)
{
    uint64_t expect = ST_CLOSED;
    if (!__atomic_compare_exchange_n(&h->state, &expect, ST_CLOSED | ST_RELEASED, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return 0;
    return handle_release(h);
}

/* Replace the pending OSError (fetched as type, value, tb) with ClosedResourceError
 * raised from it.  Steals the three references. */
static void
closed_from(HandleObject *h, PyObject *type, PyObject *value, PyObject *tb)
{
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL)
        PyException_SetTraceback(value, tb);
    handle_closed_error(h);
    PyObject *t2, *v2, *tb2;
    PyErr_Fetch(&t2, &v2, &tb2);
    PyErr_NormalizeException(&t2, &v2, &tb2);
    /* raise ClosedResourceError from the OSError: both setters steal a reference */
    PyException_SetCause(v2, Py_NewRef(value));
    PyException_SetContext(v2, Py_NewRef(value));
    PyErr_Restore(t2, v2, tb2);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

/* An OSError(EBADF) from an operation on a descriptor that fcntl(F_GETFD) no
 * longer finds open: other code closed the number behind this object's back,
 * and the error becomes ClosedResourceError from it (STYLE.md: EBADF on an
 * owned handle).  Asked only here, on the error path, because an open
 * descriptor answers EBADF too (a write on one opened read-only).  The caller
 * still holds its reference, so the number is still this object's. */
static void
closed_elsewhere_instead(HandleObject *h)
{
    if ((h->kind != HK_FD && h->kind != HK_SOCKET) || !PyErr_ExceptionMatches(PyExc_OSError))
        return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    int ebadf = 0;
    PyObject *code = value == NULL ? NULL : PyObject_GetAttrString(value, "errno");
    if (code == NULL)
        PyErr_Clear();
    else {
        ebadf = PyLong_Check(code) && PyLong_AsLong(code) == EBADF;
        Py_DECREF(code);
    }
    if (ebadf && fcntl((int)h->handle, F_GETFD) < 0 && errno == EBADF)
        closed_from(h, type, value, tb);
    else
        PyErr_Restore(type, value, tb);
}

int
handle_exit_after_error(HandleObject *h)
{
    closed_elsewhere_instead(h);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (handle_exit(h) < 0)
        PyErr_Clear(); /* the operation's own error is the one to report */
    PyErr_Restore(type, value, tb);
    return -1;
}

int
handle_closed_instead(HandleObject *h)
{
    if (!handle_is_closed(h) || !PyErr_ExceptionMatches(PyExc_OSError))
        return -1;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    closed_from(h, type, value, tb);
    return -1;
}

/* Adopt two new descriptors into two new objects (a pipe's ends, a socket
 * pair) and return the pair, stealing both references.  Both are owned
 * before any error returns: a failing adopt hook on the first must not leave
 * the second descriptor to nobody.  The first error wins; on error the
 * objects, dropped, close their descriptors. */
PyObject *
handle_adopt_pair(HandleObject *a, int fd_a, HandleObject *b, int fd_b)
{
    PyObject *etype = NULL, *evalue = NULL, *etb = NULL;
    if (handle_adopt(a, fd_a) < 0)
        PyErr_Fetch(&etype, &evalue, &etb);
    int failed = handle_adopt(b, fd_b) < 0;
    if (etype != NULL) {
        if (failed)
            PyErr_Clear();
        PyErr_Restore(etype, evalue, etb);
        failed = 1;
    }
    if (failed) {
        Py_DECREF(a);
        Py_DECREF(b);
        return NULL;
    }
    return Py_BuildValue("(NN)", a, b);
}

int
handle_adopt(HandleObject *h, intptr_t handle)
{
    if (st_load(h) != (ST_CLOSED | ST_RELEASED) || h->handle != -1) {
        PyErr_SetString(PyExc_RuntimeError, "this object already owns a handle");
        return -1;
    }
    h->handle = handle;
    __atomic_store_n(&h->state, 0, __ATOMIC_RELEASE);
    if (mr_adopt_hook != NULL) {
        /* The hook's error propagates; the object owns the handle all the
         * same, so whoever drops it closes it. */
        PyObject *r = PyObject_CallOneArg(mr_adopt_hook, (PyObject *)h);
        if (r == NULL)
            return -1;
        Py_DECREF(r);
    }
    return 0;
}

/* close() found references held and a task that awaited the handle: the
 * close hook wakes the waiters (each holds a reference while it waits, so
 * the number is still this object's, and the last of them out releases).
 * Only reached when references are held; a failing hook is reported as
 * unraisable, and the close goes on. */
static void
notify_waiters(HandleObject *h)
{
    PyObject *hook = mr_close_hook;
    if (hook == NULL)
        return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    Py_INCREF(hook);
    PyObject *r = PyObject_CallOneArg(hook, (PyObject *)h);
    if (r == NULL)
        PyErr_WriteUnraisable(hook);
    Py_XDECREF(r);
    Py_DECREF(hook);
    PyErr_Restore(type, value, tb);
}

int
handle_close(HandleObject *h)
{
    uint64_t s = st_load(h);
    for (;;) {
        if (s & ST_CLOSED)
            return 0;
        if (__atomic_compare_exchange_n(&h->state, &s, (s | ST_CLOSED) + 1, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    uint64_t others = s & ST_REFS; /* references besides this call's own */
    if (others && __atomic_load_n(&h->awaited, __ATOMIC_ACQUIRE)) {
        notify_waiters(h); /* may drop the references of idle async watches */
        others = (st_load(h) & ST_REFS) - 1;
    }
    if (others && h->kind == HK_SOCKET) {
        /* Operations are in flight: wake those blocked in the kernel.  This
         * call holds a reference, so the number is still this socket's. */
        int err = errno;
        Py_BEGIN_ALLOW_THREADS
        shutdown((int)h->handle, SHUT_RDWR);
        Py_END_ALLOW_THREADS
        errno = err;
    }
    return handle_exit(h);
}

/* -- type slots ------------------------------------------------------------ */
static uint8_t
kind_of(PyTypeObject *type)
{
    for (PyTypeObject *t = type; t != NULL; t = t->tp_base) {
        if (t == &SocketBase_Type)
            return HK_SOCKET;
        if (t == &FdHandle_Type)
            return HK_FD;
        if (t == &RegionBase_Type)
            return HK_REGION;
        if (t == &ProcessBase_Type)
            return HK_PROCESS;
    }
    return HK_PYTHON;
}

static PyObject *
handle_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    HandleObject *h = (HandleObject *)type->tp_alloc(type, 0);
    if (h == NULL)
        return NULL;
    h->handle = -1;
    h->state = ST_CLOSED | ST_RELEASED; /* owns nothing until _adopt */
    h->weakreflist = NULL;
    h->kind = kind_of(type);
    h->flags = 0;
    h->prot = 0;
    h->awaited = 0;
    if (h->kind == HK_SOCKET)
        ((SocketObject *)h)->timeout = -1.0;
    return (PyObject *)h;
}

/* Release whatever the object still owns, as it is finalized.  References
 * still counted now were left by an operation that never unregistered (a
 * signal handler raised between a Python-level _enter() and the try that
 * would _exit()): nothing can be in an operation on an object being
 * finalized, whose callers hold a reference to it.  A region's references
 * are also its exported views, and a view in the same garbage cycle may
 * still be read by another finalizer: a region waits for its views. */
static void
handle_release_abandoned(HandleObject *h)
{
    if (h->kind == HK_REGION)
        return;
    uint64_t s = st_load(h);
    for (;;) {
        if (s & ST_RELEASED)
            return;
        if (__atomic_compare_exchange_n(&h->state, &s, s | ST_CLOSED | ST_RELEASED, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    if (handle_release(h) < 0)
        PyErr_Clear();
}

static void
handle_finalize(PyObject *self)
{
    HandleObject *h = (HandleObject *)self;
    uint64_t s = st_load(h);
    if (s & ST_RELEASED)
        return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    /* As the stdlib's socket does: under -W error the warning becomes an
     * exception, which goes to sys.unraisablehook (a test then fails).  A
     * closed object whose release is still pending (a close cut short)
     * does not warn: it was closed. */
    if (!(s & ST_CLOSED) && PyErr_ResourceWarning(self, 1, "unclosed %R", self) < 0)
        PyErr_WriteUnraisable(self);
    /* A failed release (EBADF: closed behind our back) is not reported from a
     * finalizer, as the stdlib's socket and io objects do not report it. */
    if (handle_close(h) < 0)
        PyErr_Clear();
    handle_release_abandoned(h);
    PyErr_Restore(type, value, tb);
}

static void
handle_dealloc(PyObject *self)
{
    HandleObject *h = (HandleObject *)self;
    if (PyObject_CallFinalizerFromDealloc(self) < 0)
        return; /* resurrected */
    if (h->weakreflist != NULL)
        PyObject_ClearWeakRefs(self);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
handle_repr(PyObject *self)
{
    HandleObject *h = (HandleObject *)self;
    if (handle_is_closed(h))
        return PyUnicode_FromFormat("<macres.%s closed>", mr_type_name(Py_TYPE(self)));
    return PyUnicode_FromFormat("<macres.%s %zd>", mr_type_name(Py_TYPE(self)), (Py_ssize_t)h->handle);
}

/* -- methods ---------------------------------------------------------------- */
PyDoc_STRVAR(close_doc, "close()\n--\n\n"
"Release the handle; a second call does nothing.\n\n"
"Operations running in other threads finish first (sockets are shut down to\n"
"wake them); later operations raise ClosedResourceError.\n\n"
"Raises:\n    OSError: the release itself failed (the handle is gone anyway).");

static PyObject *
handle_close_meth(PyObject *self, PyObject *unused)
{
    if (handle_close((HandleObject *)self) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(detach_doc, "detach()\n--\n\n"
"Give the handle away unclosed and mark this object closed.\n\n"
"Raises:\n    ClosedResourceError: already closed or detached.");

static PyObject *
handle_detach(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    uint64_t s = st_load(h);
    for (;;) {
        if (s & ST_CLOSED)
            return handle_closed_error(h);
        if (__atomic_compare_exchange_n(&h->state, &s, s | ST_CLOSED | ST_RELEASED, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    return PyLong_FromSsize_t(h->handle);
}

static PyObject *
handle_enter_ctx(PyObject *self, PyObject *unused)
{
    return Py_NewRef(self);
}

static PyObject *close_name = NULL;

/* __exit__ calls close() as a method: a subclass may extend it (a Process
 * stops and reaps its child first). */
static PyObject *
handle_exit_ctx(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (close_name == NULL && (close_name = PyUnicode_InternFromString("close")) == NULL)
        return NULL;
    PyObject *r = PyObject_CallMethodNoArgs(self, close_name);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(op_enter_doc, "_enter()\n--\n\nRegister an operation and return the handle; raise ClosedResourceError if closed.");

static PyObject *
handle_op_enter(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    if (handle_enter(h) < 0)
        return NULL;
    return PyLong_FromSsize_t(h->handle);
}

PyDoc_STRVAR(await_enter_doc, "_await_enter()\n--\n\n"
"As _enter(), for a task about to wait for readiness: the object is marked\n"
"awaited, so that close() calls the close hook to wake it.");

static PyObject *
handle_await_enter(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    /* Marked before the reference is taken: a close() that sees the reference sees the mark. */
    __atomic_store_n(&h->awaited, 1, __ATOMIC_RELEASE);
    if (handle_enter(h) < 0)
        return NULL;
    return PyLong_FromSsize_t(h->handle);
}

PyDoc_STRVAR(op_exit_doc, "_exit()\n--\n\nUnregister an operation; the last one out after a close releases.");

static PyObject *
handle_op_exit(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    if ((st_load(h) & ST_REFS) == 0) {
        PyErr_SetString(PyExc_RuntimeError, "_exit() without _enter()");
        return NULL;
    }
    if (handle_exit(h) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(op_call_doc, "_call(fn, *args, **kwargs)\n--\n\n"
"Return fn(handle, *args, **kwargs) run as one registered operation.\n\n"
"On a socket, an OSError caused by close() shutting it down is reported as\n"
"ClosedResourceError.");

static PyObject *
handle_op_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    HandleObject *h = (HandleObject *)self;
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "_call() needs the function to call");
        return NULL;
    }
    Py_ssize_t total = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    PyObject *small[8];
    PyObject **stack = total <= 8 ? small : PyMem_Malloc(total * sizeof(PyObject *));
    if (stack == NULL)
        return PyErr_NoMemory();
    PyObject *result = NULL;
    if (handle_enter(h) < 0)
        goto done;
    PyObject *number = PyLong_FromSsize_t(h->handle);
    if (number == NULL) {
        handle_exit_after_error(h);
        goto done;
    }
    stack[0] = number;
    for (Py_ssize_t i = 1; i < total; i++)
        stack[i] = args[i];
    result = PyObject_Vectorcall(args[0], stack, nargs, kwnames);
    Py_DECREF(number);
    if (result == NULL) {
        if (h->kind == HK_SOCKET)
            handle_closed_instead(h);
        handle_exit_after_error(h);
    }
    else if (handle_exit(h) < 0) {
        Py_CLEAR(result);
    }
done:
    if (stack != small)
        PyMem_Free(stack);
    return result;
}

PyDoc_STRVAR(adopt_doc, "_adopt(handle)\n--\n\nTake ownership of *handle*; called once by the constructor.");

static PyObject *
handle_adopt_meth(PyObject *self, PyObject *arg)
{
    Py_ssize_t value = PyNumber_AsSsize_t(arg, PyExc_OverflowError);
    if (value == -1 && PyErr_Occurred())
        return NULL;
    if (handle_adopt((HandleObject *)self, (intptr_t)value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(acquire_doc, "_acquire(call, *args)\n--\n\n"
"Own the handle ``call(*args)`` returns, with no bytecode between the call and\n"
"the ownership: *call* is a C function that runs no Python code (``os.open``,\n"
"``os.pidfd_open``, ``list.pop``), so a signal handler that raises comes before\n"
"(nothing acquired) or after (the object owns it).  Returns the handle.\n\n"
"Raises:\n    Whatever *call* raises; RuntimeError: this object already owns a handle.");

static PyObject *
handle_acquire(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    HandleObject *h = (HandleObject *)self;
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "_acquire() needs the call to make");
        return NULL;
    }
    if (st_load(h) != (ST_CLOSED | ST_RELEASED) || h->handle != -1) {
        PyErr_SetString(PyExc_RuntimeError, "this object already owns a handle");
        return NULL;
    }
    PyObject *got = PyObject_Vectorcall(args[0], args + 1, (size_t)(nargs - 1), NULL);
    if (got == NULL)
        return NULL;
    Py_ssize_t value = PyNumber_AsSsize_t(got, PyExc_OverflowError);
    if (value == -1 && PyErr_Occurred()) {
        Py_DECREF(got);
        return NULL;
    }
    if (handle_adopt(h, (intptr_t)value) < 0) { /* the adopt hook failed: the object owns the handle */
        Py_DECREF(got);
        return NULL;
    }
    return got;
}

PyDoc_STRVAR(take_doc, "_take(source)\n--\n\n"
"Move the handle of the open, idle *source* (of the same kind) into a new\n"
"object of this class; *source* ends closed.  The handle has an owner at\n"
"every moment.\n\n"
"Raises:\n    ClosedResourceError: *source* is closed.  RuntimeError: *source* is in use.\n"
"    TypeError: *source* holds another kind of handle.");

static PyObject *
handle_take(PyObject *cls, PyObject *arg)
{
    PyTypeObject *type = (PyTypeObject *)cls;
    if (!PyObject_TypeCheck(arg, &Handle_Type) || ((HandleObject *)arg)->kind != kind_of(type)) {
        PyErr_Format(PyExc_TypeError, "%s cannot take the handle of a %s", mr_type_name(type),
                     mr_type_name(Py_TYPE(arg)));
        return NULL;
    }
    HandleObject *source = (HandleObject *)arg;
    HandleObject *h = (HandleObject *)type->tp_new(type, NULL, NULL);
    if (h == NULL)
        return NULL;
    uint64_t open_idle = 0;
    if (!__atomic_compare_exchange_n(&source->state, &open_idle, ST_CLOSED | ST_RELEASED, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        Py_DECREF(h);
        if (open_idle & ST_CLOSED)
            return handle_closed_error(source);
        PyErr_Format(PyExc_RuntimeError, "cannot take the handle of %R: it is in use", arg);
        return NULL;
    }
    intptr_t handle = source->handle;
    source->handle = -1;
    if (handle_adopt(h, handle) < 0) { /* the adopt hook failed: h owns the handle and releases it */
        Py_DECREF(h);
        return NULL;
    }
    return (PyObject *)h;
}

static PyObject *
handle_closed_error_meth(PyObject *self, PyObject *unused)
{
    handle_closed_error((HandleObject *)self);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    return value;
}

static PyObject *
handle_reduce_ex(PyObject *self, PyObject *arg)
{
    PyErr_Format(PyExc_TypeError, "cannot pickle %s: it owns an OS handle", mr_type_name(Py_TYPE(self)));
    return NULL;
}

static PyObject *
handle_get_closed(PyObject *self, void *closure)
{
    return PyBool_FromLong(handle_is_closed((HandleObject *)self));
}

static PyObject *
handle_get_handle(PyObject *self, void *closure)
{
    HandleObject *h = (HandleObject *)self;
    if (handle_is_closed(h))
        return PyLong_FromLong(-1);
    return PyLong_FromSsize_t(h->handle);
}

static PyObject *
handle_get_inflight(PyObject *self, void *closure)
{
    return PyLong_FromUnsignedLongLong(st_load((HandleObject *)self) & ST_REFS);
}

/* Give a Python subclass its own descriptors of the core's methods.
 *
 * CPython's specialised calls of a C method (3.11's PRECALL_*_METHOD_DESCRIPTOR,
 * 3.12's CALL_*_METHOD_DESCRIPTOR) require the instance's type to be exactly
 * the type the method descriptor belongs to; for a subclass instance
 * (FileDescriptor over FileDescriptorBase) every call falls back to the
 * generic path, some 50 instructions more.  So each method the subclass
 * inherits from a core type gets a descriptor of its own, for the same C
 * function.  Methods a Python class overrides are left alone. */
static int
own_methods(PyTypeObject *cls)
{
    PyObject *mro = cls->tp_mro;
    if (mro == NULL || !PyTuple_Check(mro))
        return 0;
    for (Py_ssize_t i = 1; i < PyTuple_GET_SIZE(mro); i++) {
        PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        if ((base->tp_flags & Py_TPFLAGS_HEAPTYPE) || base->tp_methods == NULL)
            continue;
        for (PyMethodDef *def = base->tp_methods; def->ml_name != NULL; def++) {
            if ((def->ml_flags & (METH_CLASS | METH_STATIC)) || def->ml_name[0] == '_')
                continue;
            /* What the subclass resolves the name to, first in its MRO. */
            PyObject *found = NULL;
            for (Py_ssize_t j = 0; j < PyTuple_GET_SIZE(mro) && found == NULL; j++) {
                PyObject *dict = ((PyTypeObject *)PyTuple_GET_ITEM(mro, j))->tp_dict;
                if (dict != NULL)
                    found = PyDict_GetItemString(dict, def->ml_name);
            }
            if (found == NULL || !PyObject_TypeCheck(found, &PyMethodDescr_Type) ||
                ((PyMethodDescrObject *)found)->d_method != def || PyDescr_TYPE(found) == cls)
                continue;
            PyObject *descr = PyDescr_NewMethod(cls, def);
            if (descr == NULL)
                return -1;
            int rc = PyObject_SetAttrString((PyObject *)cls, def->ml_name, descr);
            Py_DECREF(descr);
            if (rc < 0)
                return -1;
        }
    }
    return 0;
}

static PyObject *
handle_init_subclass(PyObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (nargs || (kwnames && PyTuple_GET_SIZE(kwnames))) {
        PyErr_SetString(PyExc_TypeError, "__init_subclass__() takes no arguments");
        return NULL;
    }
    if (own_methods((PyTypeObject *)cls) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
handle_release_meth(PyObject *self, PyObject *handle)
{
    PyErr_Format(PyExc_NotImplementedError, "%s does not say how to release its handle", mr_type_name(Py_TYPE(self)));
    return NULL;
}

static PyMethodDef handle_methods[] = {
    {"_release", handle_release_meth, METH_O,
     PyDoc_STR("_release(handle)\n--\n\nReally release *handle*; a subclass whose handle is no descriptor says how.")},
    {"__init_subclass__", (PyCFunction)(void (*)(void))handle_init_subclass,
     METH_FASTCALL | METH_KEYWORDS | METH_CLASS, NULL},
    {"close", handle_close_meth, METH_NOARGS, close_doc},
    {"detach", handle_detach, METH_NOARGS, detach_doc},
    {"__enter__", handle_enter_ctx, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)(void (*)(void))handle_exit_ctx, METH_FASTCALL, NULL},
    {"_enter", handle_op_enter, METH_NOARGS, op_enter_doc},
    {"_exit", handle_op_exit, METH_NOARGS, op_exit_doc},
    {"_await_enter", handle_await_enter, METH_NOARGS, await_enter_doc},
    {"_call", (PyCFunction)(void (*)(void))handle_op_call, METH_FASTCALL | METH_KEYWORDS, op_call_doc},
    {"_adopt", handle_adopt_meth, METH_O, adopt_doc},
    {"_acquire", (PyCFunction)(void (*)(void))handle_acquire, METH_FASTCALL, acquire_doc},
    {"_take", handle_take, METH_O | METH_CLASS, take_doc},
    {"_closed_error", handle_closed_error_meth, METH_NOARGS, NULL},
    {"__reduce_ex__", handle_reduce_ex, METH_O, NULL},
    {NULL},
};

static PyGetSetDef handle_getset[] = {
    {"closed", handle_get_closed, NULL, "Whether close() or detach() happened.", NULL},
    {"_closing", handle_get_closed, NULL, NULL, NULL},
    {"_handle", handle_get_handle, NULL, "The handle, -1 once closed.", NULL},
    {"_inflight", handle_get_inflight, NULL, "References held now (operations, views, a closing call).", NULL},
    {NULL},
};

static PyMemberDef handle_members[] = {
    {"__weakref__", T_OBJECT, offsetof(HandleObject, weakreflist), READONLY, NULL},
    {NULL},
};

PyTypeObject Handle_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.Handle",
    .tp_basicsize = sizeof(HandleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("Base of every object that owns an OS handle: one lifecycle, in C."),
    .tp_new = handle_new,
    .tp_dealloc = handle_dealloc,
    .tp_finalize = handle_finalize,
    .tp_repr = handle_repr,
    .tp_weaklistoffset = offsetof(HandleObject, weakreflist),
    .tp_methods = handle_methods,
    .tp_getset = handle_getset,
    .tp_members = handle_members,
};

/* -- FdHandle ------------------------------------------------------------------ */
PyDoc_STRVAR(fileno_doc, "fileno()\n--\n\n"
"Return the descriptor number, for select, selectors, asyncio and socket.\n\n"
"Raises:\n    ClosedResourceError: closed or detached.");

static PyObject *
fd_fileno(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    if (handle_is_closed(h))
        return handle_closed_error(h);
    return PyLong_FromSsize_t(h->handle);
}

static PyMethodDef fdhandle_methods[] = {
    {"fileno", fd_fileno, METH_NOARGS, fileno_doc},
    {NULL},
};

PyTypeObject FdHandle_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.FdHandle",
    .tp_basicsize = sizeof(HandleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("A Handle whose handle is a file descriptor: closed with close(2)."),
    .tp_base = &Handle_Type,
    .tp_methods = fdhandle_methods,
};
