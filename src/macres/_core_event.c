/* EventQueue's lifecycle and its hot path, wait, and the Event value.
 *
 * macres/_pure/event.py is the reference; its docstring describes the
 * protocol: tokens as the kernel's event data, the registrations dict
 * (token -> (obj, data, interest, ...)), events of removed registrations or
 * of closed macres objects dropped, and the waker (an eventfd FdHandle
 * registered under token 0 on Linux, an EVFILT_USER event of the queue on
 * macOS) that close() uses to wake threads blocked in wait.
 */
#include "_core.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/epoll.h>
#endif
#ifdef __APPLE__
#include <sys/event.h>
#include <sys/time.h>
#endif

#define READ 1
#define WRITE 2
#define STACK_EVENTS 64

/* ================================================================ Event */
typedef struct {
    PyObject_HEAD
    PyObject *fields[6]; /* obj, data, readable, writable, eof, error */
} EventObject;

static const char *const event_names[] = {"obj", "data", "readable", "writable", "eof", "error"};
#define EVENT_FIELDS 6

PyTypeObject Event_Type;

/* A new Event; steals nothing. */
static PyObject *
event_make(PyObject *obj, PyObject *data, int readable, int writable, int eof, int error)
{
    EventObject *e = PyObject_GC_New(EventObject, &Event_Type);
    if (e == NULL)
        return NULL;
    e->fields[0] = Py_NewRef(obj);
    e->fields[1] = Py_NewRef(data);
    e->fields[2] = Py_NewRef(readable ? Py_True : Py_False);
    e->fields[3] = Py_NewRef(writable ? Py_True : Py_False);
    e->fields[4] = Py_NewRef(eof ? Py_True : Py_False);
    e->fields[5] = Py_NewRef(error ? Py_True : Py_False);
    PyObject_GC_Track(e);
    return (PyObject *)e;
}

static PyObject *
event_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"obj", "data", "readable", "writable", "eof", "error", NULL};
    PyObject *f[EVENT_FIELDS] = {NULL, NULL, NULL, NULL, Py_False, Py_False};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOO|OO:Event", kwlist, &f[0], &f[1], &f[2], &f[3], &f[4],
                                     &f[5]))
        return NULL;
    EventObject *e = (EventObject *)type->tp_alloc(type, 0);
    if (e == NULL)
        return NULL;
    for (int i = 0; i < EVENT_FIELDS; i++)
        e->fields[i] = Py_NewRef(f[i]);
    return (PyObject *)e;
}

static int
event_traverse(PyObject *self, visitproc visit, void *arg)
{
    EventObject *e = (EventObject *)self;
    for (int i = 0; i < EVENT_FIELDS; i++)
        Py_VISIT(e->fields[i]);
    return 0;
}

static int
event_clear(PyObject *self)
{
    EventObject *e = (EventObject *)self;
    for (int i = 0; i < EVENT_FIELDS; i++)
        Py_CLEAR(e->fields[i]);
    return 0;
}

static void
event_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    event_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
event_tuple(EventObject *e)
{
    PyObject *t = PyTuple_New(EVENT_FIELDS);
    if (t == NULL)
        return NULL;
    for (int i = 0; i < EVENT_FIELDS; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(e->fields[i]));
    return t;
}

static PyObject *
event_repr(PyObject *self)
{
    EventObject *e = (EventObject *)self;
    return PyUnicode_FromFormat("%s(obj=%R, data=%R, readable=%R, writable=%R, eof=%R, error=%R)",
                                mr_type_name(Py_TYPE(self)), e->fields[0], e->fields[1], e->fields[2],
                                e->fields[3], e->fields[4], e->fields[5]);
}

static PyObject *
event_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) || Py_TYPE(a) != Py_TYPE(b))
        Py_RETURN_NOTIMPLEMENTED;
    PyObject *ta = event_tuple((EventObject *)a), *tb = ta ? event_tuple((EventObject *)b) : NULL;
    PyObject *r = tb ? PyObject_RichCompare(ta, tb, op) : NULL;
    Py_XDECREF(ta);
    Py_XDECREF(tb);
    return r;
}

static Py_hash_t
event_hash(PyObject *self)
{
    PyObject *t = event_tuple((EventObject *)self);
    if (t == NULL)
        return -1;
    Py_hash_t h = PyObject_Hash(t);
    Py_DECREF(t);
    return h;
}

static PyObject *
event_reduce(PyObject *self, PyObject *unused)
{
    PyObject *t = event_tuple((EventObject *)self);
    return t ? Py_BuildValue("(ON)", (PyObject *)Py_TYPE(self), t) : NULL;
}

static PyObject *
event_get(PyObject *self, void *closure)
{
    return Py_NewRef(((EventObject *)self)->fields[(intptr_t)closure]);
}

static PyGetSetDef event_getset[] = {
    {"obj", event_get, NULL, "What was registered: the object, or the descriptor number.", (void *)0},
    {"data", event_get, NULL, "The value registered with it.", (void *)1},
    {"readable", event_get, NULL, "Ready for reading (registered for READ).", (void *)2},
    {"writable", event_get, NULL, "Ready for writing (registered for WRITE).", (void *)3},
    {"eof", event_get, NULL, "The other end hung up: reads reach EOF after the data left.", (void *)4},
    {"error", event_get, NULL, "An error is pending on the descriptor.", (void *)5},
    {NULL},
};

static PyMethodDef event_methods[] = {
    {"__reduce__", event_reduce, METH_NOARGS, NULL},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS, NULL},
    {NULL},
};

PyDoc_STRVAR(event_doc, "Event(obj, data, readable, writable, eof=False, error=False)\n--\n\n"
"What EventQueue.wait reports for one registration (frozen).\n\n"
"obj is what was registered, data the value given with it; readable and\n"
"writable say which registered direction is ready; eof that the other end\n"
"hung up; error that the descriptor has an error pending.");

PyTypeObject Event_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres.Event",
    .tp_basicsize = sizeof(EventObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = event_doc,
    .tp_new = event_new,
    .tp_alloc = PyType_GenericAlloc,
    .tp_free = PyObject_GC_Del,
    .tp_dealloc = event_dealloc,
    .tp_traverse = event_traverse,
    .tp_clear = event_clear,
    .tp_repr = event_repr,
    .tp_hash = event_hash,
    .tp_richcompare = event_richcompare,
    .tp_methods = event_methods,
    .tp_getset = event_getset,
};

/* ================================================================ EventQueueBase */
typedef struct {
    HandleObject base;
    PyObject *regs;  /* dict: token -> record (obj, data, interest, ...) */
    PyObject *waker; /* an FdHandle (Linux's eventfd), or NULL */
} QueueObject;

PyTypeObject EventQueueBase_Type;
static PyObject *str_forget;

static PyObject *
queue_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    QueueObject *q = (QueueObject *)Handle_Type.tp_new(type, args, kwds);
    if (q == NULL)
        return NULL;
    q->waker = NULL;
    if ((q->regs = PyDict_New()) == NULL) {
        Py_DECREF(q);
        return NULL;
    }
    return (PyObject *)q;
}

static int
queue_traverse(PyObject *self, visitproc visit, void *arg)
{
    QueueObject *q = (QueueObject *)self;
    Py_VISIT(q->regs);
    Py_VISIT(q->waker);
    return 0;
}

static int
queue_clear(PyObject *self)
{
    QueueObject *q = (QueueObject *)self;
    Py_CLEAR(q->regs);
    Py_CLEAR(q->waker);
    return 0;
}

/* The lifecycle's finalizer (warn, close), then the waker's quiet close. */
static void
queue_finalize(PyObject *self)
{
    QueueObject *q = (QueueObject *)self;
    Handle_Type.tp_finalize(self);
    if (q->waker != NULL) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (handle_close((HandleObject *)q->waker) < 0)
            PyErr_Clear();
        PyErr_Restore(type, value, tb);
    }
}

static void
queue_dealloc(PyObject *self)
{
    HandleObject *h = (HandleObject *)self;
    if (PyObject_CallFinalizerFromDealloc(self) < 0)
        return; /* resurrected */
    PyObject_GC_UnTrack(self);
    if (h->weakreflist != NULL)
        PyObject_ClearWeakRefs(self);
    queue_clear(self);
    Py_TYPE(self)->tp_free(self);
}

/* -- arguments, as _pure/event.py checks them -------------------------------- */
static int
max_events_arg(PyObject *obj, int *out)
{
    PyObject *idx = PyNumber_Index(obj);
    if (idx == NULL)
        return -1;
    int overflow;
    long v = PyLong_AsLongAndOverflow(idx, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        Py_DECREF(idx);
        return -1;
    }
    if (overflow > 0 || v > INT_MAX)
        PyErr_Format(PyExc_OverflowError, "max_events %S does not fit a C int", idx);
    else if (overflow < 0 || v < 1)
        PyErr_Format(PyExc_ValueError, "max_events must be at least 1, got %S", idx);
    else
        *out = (int)v;
    Py_DECREF(idx);
    return PyErr_Occurred() ? -1 : 0;
}

/* The deadline of a timeout in seconds: *forever for None. */
static int
deadline_arg(PyObject *obj, double *deadline, int *forever)
{
    *forever = obj == NULL || obj == Py_None;
    if (*forever)
        return 0;
    double t = PyFloat_AsDouble(obj);
    if (t == -1.0 && PyErr_Occurred())
        return -1;
    if (isnan(t)) {
        PyErr_SetString(PyExc_ValueError, "timeout must not be NaN");
        return -1;
    }
    if (t < 0) {
        PyObject *f = PyFloat_FromDouble(t);
        if (f != NULL) {
            PyErr_Format(PyExc_ValueError, "timeout must not be negative, got %R", f);
            Py_DECREF(f);
        }
        return -1;
    }
    *deadline = mr_monotonic() + t;
    return 0;
}

/* -- one kernel report, and turning reports into Events --------------------------- */
typedef struct {
    uint64_t token;
    uint8_t readable, writable, eof, error;
} report;

/* Append the Events of *reports* to *list*; a closed macres object's
 * registration is forgotten through self._forget(token). */
static int
collect(QueueObject *q, report *reports, int n, PyObject *list)
{
    for (int i = 0; i < n; i++) {
        report *r = &reports[i];
        if (r->token == 0)
            continue; /* the waker */
        PyObject *key = PyLong_FromUnsignedLongLong(r->token);
        if (key == NULL)
            return -1;
        PyObject *rec = PyDict_GetItemWithError(q->regs, key);
        if (rec == NULL) {
            Py_DECREF(key);
            if (PyErr_Occurred())
                return -1;
            continue; /* unregistered */
        }
        if (!PyTuple_Check(rec) || PyTuple_GET_SIZE(rec) < 3) {
            Py_DECREF(key);
            PyErr_SetString(PyExc_TypeError, "a registration must be a tuple (obj, data, interest, ...)");
            return -1;
        }
        Py_INCREF(rec); /* Python code may run below (a finalizer, _forget) */
        PyObject *obj = PyTuple_GET_ITEM(rec, 0);
        if (PyObject_TypeCheck(obj, &Handle_Type) && handle_is_closed((HandleObject *)obj)) {
            PyObject *res = PyObject_CallMethodOneArg((PyObject *)q, str_forget, key);
            Py_DECREF(key);
            Py_DECREF(rec);
            if (res == NULL)
                return -1;
            Py_DECREF(res);
            continue;
        }
        Py_DECREF(key);
        long interest = PyLong_AsLong(PyTuple_GET_ITEM(rec, 2));
        if (interest == -1 && PyErr_Occurred()) {
            Py_DECREF(rec);
            return -1;
        }
        int readable = r->readable && (interest & READ), writable = r->writable && (interest & WRITE);
        if (readable || writable) {
            PyObject *ev = event_make(obj, PyTuple_GET_ITEM(rec, 1), readable, writable, r->eof, r->error);
            if (ev == NULL || PyList_Append(list, ev) < 0) {
                Py_XDECREF(ev);
                Py_DECREF(rec);
                return -1;
            }
            Py_DECREF(ev);
        }
        Py_DECREF(rec);
    }
    return 0;
}

/* Wait once in the kernel for up to n reports (fewer on macOS: read and write
 * of one token merged).  Returns the count, -1 with an exception set.  EINTR
 * is retried after the signal handlers ran, with what is left of the time. */
static int poll_kernel(int fd, report *reports, void *buf, int n, double deadline, int forever);

#ifdef __linux__
#define KERNEL_EVENT struct epoll_event

static int
poll_kernel(int fd, report *reports, void *buf, int n, double deadline, int forever)
{
    struct epoll_event *evs = buf;
    int got, err;
    for (;;) {
        int ms = -1;
        if (!forever) {
            double left = deadline - mr_monotonic();
            double m = ceil((left > 0 ? left : 0) * 1000.0);
            ms = m > (double)INT_MAX ? INT_MAX : (int)m;
        }
        /* Not MR_SYSCALL: each attempt recomputes what is left of the timeout. */
        if (mr_fault("epoll_wait", NULL) < 0) {
            got = -1;
            err = errno;
        }
        else {
            Py_BEGIN_ALLOW_THREADS
            got = epoll_wait(fd, evs, n, ms);
            err = errno;
            Py_END_ALLOW_THREADS
        }
        if (got >= 0)
            break;
        if (err != EINTR) {
            if (!PyErr_Occurred()) /* a fault hook that raised leaves its exception */
                mr_oserror(err);
            return -1;
        }
        if (PyErr_CheckSignals() < 0)
            return -1;
    }
    const uint32_t in = EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP, out = EPOLLOUT | EPOLLHUP | EPOLLERR;
    for (int i = 0; i < got; i++) {
        uint32_t m = evs[i].events;
        reports[i].token = evs[i].data.u64;
        reports[i].readable = (m & in) != 0;
        reports[i].writable = (m & out) != 0;
        reports[i].eof = (m & (EPOLLHUP | EPOLLRDHUP)) != 0;
        reports[i].error = (m & EPOLLERR) != 0;
    }
    return got;
}

static int
wake_kernel(QueueObject *q)
{
    (void)q;
    return 0; /* the waker's eventfd does it */
}
#endif /* __linux__ */

#ifdef __APPLE__
#define KERNEL_EVENT struct kevent

static int
poll_kernel(int fd, report *reports, void *buf, int n, double deadline, int forever)
{
    struct kevent *evs = buf;
    int got, err;
    for (;;) {
        struct timespec ts, *tsp = NULL;
        if (!forever) {
            double left = deadline - mr_monotonic();
            if (left < 0)
                left = 0;
            if (left > 1e9) /* far enough: a time_t-safe slice, the loop goes on */
                left = 1e9;
            ts.tv_sec = (time_t)left;
            ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
            tsp = &ts;
        }
        /* Not MR_SYSCALL: each attempt recomputes what is left of the timeout. */
        if (mr_fault("kevent", NULL) < 0) {
            got = -1;
            err = errno;
        }
        else {
            Py_BEGIN_ALLOW_THREADS
            got = kevent(fd, NULL, 0, evs, n, tsp);
            err = errno;
            Py_END_ALLOW_THREADS
        }
        if (got >= 0)
            break;
        if (err != EINTR) {
            if (!PyErr_Occurred()) /* a fault hook that raised leaves its exception */
                mr_oserror(err);
            return -1;
        }
        if (PyErr_CheckSignals() < 0)
            return -1;
    }
    /* Merge the read and write filters of one token, in order of first
     * appearance, through a small open-addressing table of report indexes. */
    int nr = 0, size = 1;
    while (size < 2 * got)
        size <<= 1;
    int small[2 * STACK_EVENTS], *slots = size <= 2 * STACK_EVENTS ? small : PyMem_Malloc(size * sizeof(int));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (int i = 0; i < size; i++)
        slots[i] = -1;
    for (int i = 0; i < got; i++) {
        struct kevent *ev = &evs[i];
        if (ev->filter == EVFILT_USER)
            continue; /* the waker */
        uint64_t token = (uint64_t)(uintptr_t)ev->udata;
        unsigned h = (unsigned)(token * 0x9E3779B97F4A7C15ULL >> 32) & (unsigned)(size - 1);
        while (slots[h] >= 0 && reports[slots[h]].token != token)
            h = (h + 1) & (unsigned)(size - 1);
        if (slots[h] < 0) {
            slots[h] = nr;
            reports[nr].token = token;
            reports[nr].readable = reports[nr].writable = reports[nr].eof = reports[nr].error = 0;
            nr++;
        }
        report *r = &reports[slots[h]];
        int eof = (ev->flags & EV_EOF) != 0;
        r->readable |= ev->filter == EVFILT_READ;
        r->writable |= ev->filter == EVFILT_WRITE;
        r->eof |= eof;
        r->error |= (ev->flags & EV_ERROR) != 0 || (eof && ev->fflags != 0);
    }
    if (slots != small)
        PyMem_Free(slots);
    return nr;
}

static int
wake_kernel(QueueObject *q)
{
    struct kevent trigger;
    EV_SET(&trigger, 0, EVFILT_USER, 0, NOTE_TRIGGER, 0, NULL);
    int rc, err;
    Py_BEGIN_ALLOW_THREADS
    rc = kevent((int)q->base.handle, &trigger, 1, NULL, 0, NULL);
    err = errno;
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        mr_oserror(err);
        return -1;
    }
    return 0;
}
#endif /* __APPLE__ */

/* The loop of wait: poll until an event of a live registration is ready or
 * the time is up. */
static PyObject *
wait_loop(QueueObject *q, int n, double deadline, int forever)
{
    KERNEL_EVENT stack_events[STACK_EVENTS];
    report stack_reports[STACK_EVENTS];
    void *buf = stack_events;
    report *reports = stack_reports;
    if (n > STACK_EVENTS) {
        buf = PyMem_Malloc((size_t)n * sizeof(KERNEL_EVENT));
        reports = PyMem_Malloc((size_t)n * sizeof(report));
        if (buf == NULL || reports == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    for (;;) {
        int got = poll_kernel((int)q->base.handle, reports, buf, n, deadline, forever);
        if (got < 0)
            goto fail;
        if (handle_is_closed(&q->base)) {
            handle_closed_error(&q->base);
            goto fail;
        }
        PyObject *list = PyList_New(0);
        if (list == NULL)
            goto fail;
        if (collect(q, reports, got, list) < 0) {
            Py_DECREF(list);
            goto fail;
        }
        if (PyList_GET_SIZE(list) > 0 || got == 0 || (!forever && mr_monotonic() >= deadline)) {
            if (buf != stack_events) {
                PyMem_Free(buf);
                PyMem_Free(reports);
            }
            return list;
        }
        Py_DECREF(list);
    }
fail:
    if (buf != stack_events) {
        PyMem_Free(buf);
        PyMem_Free(reports);
    }
    return NULL;
}

PyDoc_STRVAR(wait_doc, "wait(timeout=None, max_events=64)\n--\n\n"
"Wait until registered objects are ready; return one Event per ready registration.\n\n"
"epoll_wait(2) on Linux, kevent(2) on macOS.  *timeout* is in seconds (None:\n"
"until something is ready; 0: poll); an empty list means it expired.  At most\n"
"*max_events* events come back; more stay ready for the next call.  Events of\n"
"registrations that were removed, or whose macres object was closed, are\n"
"dropped (and the wait goes on with what is left of the timeout).  EINTR is\n"
"retried, after the signal's handler ran (PEP 475).\n\n"
"Raises:\n"
"    ClosedResourceError: the queue was closed, also by another thread while waiting.\n"
"    ValueError: *max_events* below 1; a negative or NaN timeout.\n"
"    OverflowError: *max_events* beyond a C int.");

static PyObject *
queue_wait(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"timeout", "max_events"};
    PyObject *a[2];
    PARSE("wait", names, 0, 2, a);
    QueueObject *q = (QueueObject *)self;
    int n = 64, forever;
    double deadline = 0;
    if (a[1] != NULL && max_events_arg(a[1], &n) < 0)
        return NULL;
    if (deadline_arg(a[0], &deadline, &forever) < 0)
        return NULL;
    if (handle_enter(&q->base) < 0)
        return NULL;
    HandleObject *waker = (HandleObject *)q->waker;
    if (waker != NULL && handle_enter(waker) < 0)
        return handle_exit_after_error(&q->base), NULL;
    Py_ssize_t cap = 2 * PyDict_GET_SIZE(q->regs) + 1;
    PyObject *result = wait_loop(q, cap < n ? (int)cap : n, deadline, forever);
    if (result == NULL) {
        if (waker != NULL)
            handle_exit_after_error(waker);
        return handle_exit_after_error(&q->base), NULL;
    }
    if (waker != NULL && handle_exit(waker) < 0) {
        Py_DECREF(result);
        return handle_exit_after_error(&q->base), NULL;
    }
    if (handle_exit(&q->base) < 0) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

/* Wake every thread blocked in wait; the queue is marked closed already and
 * the caller holds a reference, so the descriptor is still the queue's. */
static int
queue_wake(QueueObject *q)
{
    HandleObject *w = (HandleObject *)q->waker;
    if (w == NULL)
        return wake_kernel(q);
    int err = 0;
    if (handle_try_enter(w) == 0) {
        uint64_t one = 1;
        ssize_t r;
        Py_BEGIN_ALLOW_THREADS
        r = write((int)w->handle, &one, sizeof one);
        err = r < 0 ? errno : 0;
        Py_END_ALLOW_THREADS
        if (err == EAGAIN) /* the counter is full: signalled already */
            err = 0;
        handle_exit(w); /* never the last reference: the queue holds the waker open until handle_close */
    }
    /* The waker closes either way; its release waits for the last waiter. */
    if (handle_close(w) < 0) {
        if (err == 0)
            return -1;
        PyErr_Clear();
    }
    if (err != 0) {
        mr_oserror(err);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(close_doc, "close()\n--\n\n"
"Close the queue; a second call does nothing.\n\n"
"A thread blocked in wait wakes and raises ClosedResourceError; the\n"
"descriptor is released when the last such thread is out.\n\n"
"Raises:\n    OSError: the release itself failed (the descriptor is gone anyway).");

static PyObject *
queue_close(PyObject *self, PyObject *unused)
{
    QueueObject *q = (QueueObject *)self;
    if (handle_try_enter(&q->base) < 0)
        Py_RETURN_NONE;
    handle_close(&q->base); /* marks it closed; the release waits for the reference held here */
    if (queue_wake(q) < 0)
        return handle_exit_after_error(&q->base), NULL;
    if (handle_exit(&q->base) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(detach_doc, "detach()\n--\n\n"
"Give the queue descriptor away unclosed and mark this object closed; waiters wake as for close().\n\n"
"Raises:\n    ClosedResourceError: already closed or detached.");

static PyObject *
queue_detach(PyObject *self, PyObject *unused)
{
    QueueObject *q = (QueueObject *)self;
    HandleObject *h = &q->base;
    if (handle_enter(h) < 0)
        return NULL;
    uint64_t s = st_load(h);
    for (;;) {
        if (s & ST_CLOSED) {
            handle_closed_error(h);
            return handle_exit_after_error(h), NULL;
        }
        if (__atomic_compare_exchange_n(&h->state, &s, s | ST_CLOSED | ST_RELEASED, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    PyObject *number = PyLong_FromSsize_t(h->handle);
    if (number == NULL || queue_wake(q) < 0) {
        Py_XDECREF(number);
        return handle_exit_after_error(h), NULL;
    }
    if (handle_exit(h) < 0) {
        Py_DECREF(number);
        return NULL;
    }
    return number;
}

PyDoc_STRVAR(setup_doc, "_setup(handle, waker, regs)\n--\n\n"
"Adopt the queue descriptor *handle*, its *waker* (Linux: an eventfd FdHandle\n"
"registered under token 0; None on macOS) and the registrations *regs*\n"
"(token -> record).");

static PyObject *
queue_setup(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    QueueObject *q = (QueueObject *)self;
    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "_setup() takes 3 arguments (%zd given)", nargs);
        return NULL;
    }
    if (st_load(&q->base) != (ST_CLOSED | ST_RELEASED) || q->base.handle != -1) {
        PyErr_SetString(PyExc_RuntimeError, "this object already owns a handle");
        return NULL;
    }
    PyObject *waker = args[1], *regs = args[2];
    if (waker != Py_None && !PyObject_TypeCheck(waker, &FdHandle_Type)) {
        PyErr_Format(PyExc_TypeError, "the waker must be an FdHandle or None, not %s", Py_TYPE(waker)->tp_name);
        return NULL;
    }
    if (!PyDict_CheckExact(regs)) {
        PyErr_Format(PyExc_TypeError, "the registrations must be a dict, not %s", Py_TYPE(regs)->tp_name);
        return NULL;
    }
    Py_ssize_t handle = PyNumber_AsSsize_t(args[0], PyExc_OverflowError);
    if (handle == -1 && PyErr_Occurred())
        return NULL;
    Py_XSETREF(q->waker, waker == Py_None ? NULL : Py_NewRef(waker));
    Py_XSETREF(q->regs, Py_NewRef(regs));
    if (handle_adopt(&q->base, (intptr_t)handle) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
queue_forget(PyObject *self, PyObject *token)
{
    QueueObject *q = (QueueObject *)self;
    if (PyDict_DelItem(q->regs, token) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_KeyError))
            return NULL;
        PyErr_Clear();
    }
    Py_RETURN_NONE;
}

static PyObject *
queue_get_regs(PyObject *self, void *closure)
{
    return Py_NewRef(((QueueObject *)self)->regs);
}

static PyObject *
queue_get_waker(PyObject *self, void *closure)
{
    PyObject *w = ((QueueObject *)self)->waker;
    return Py_NewRef(w ? w : Py_None);
}

static PyMethodDef queue_methods[] = {
    {"wait", (PyCFunction)(void (*)(void))queue_wait, METH_FASTCALL | METH_KEYWORDS, wait_doc},
    {"close", queue_close, METH_NOARGS, close_doc},
    {"detach", queue_detach, METH_NOARGS, detach_doc},
    {"_setup", (PyCFunction)(void (*)(void))queue_setup, METH_FASTCALL, setup_doc},
    {"_forget", queue_forget, METH_O,
     PyDoc_STR("_forget(token)\n--\n\nDrop the registration *token*, whose object was closed behind the queue's back.")},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS, NULL},
    {NULL},
};

static PyGetSetDef queue_getset[] = {
    {"_regs", queue_get_regs, NULL, "The registrations: token -> record.", NULL},
    {"_waker", queue_get_waker, NULL, "The waker FdHandle (Linux), or None.", NULL},
    {NULL},
};

PyTypeObject EventQueueBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.EventQueueBase",
    .tp_basicsize = sizeof(QueueObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = PyDoc_STR("EventQueue's lifecycle and its hot path, wait, in C."),
    .tp_base = &FdHandle_Type,
    .tp_new = queue_new,
    .tp_alloc = PyType_GenericAlloc,
    .tp_free = PyObject_GC_Del,
    .tp_dealloc = queue_dealloc,
    .tp_finalize = queue_finalize,
    .tp_traverse = queue_traverse,
    .tp_clear = queue_clear,
    .tp_methods = queue_methods,
    .tp_getset = queue_getset,
};

/* Ready the types and add them to the module (called from PyInit__core). */
int
mr_event_init(PyObject *module)
{
    if ((str_forget = PyUnicode_InternFromString("_forget")) == NULL)
        return -1;
    if (PyType_Ready(&Event_Type) < 0 || PyType_Ready(&EventQueueBase_Type) < 0)
        return -1;
    PyObject *match = Py_BuildValue("(ssssss)", event_names[0], event_names[1], event_names[2], event_names[3],
                                    event_names[4], event_names[5]);
    if (match == NULL || PyDict_SetItemString(Event_Type.tp_dict, "__match_args__", match) < 0) {
        Py_XDECREF(match);
        return -1;
    }
    Py_DECREF(match);
    PyType_Modified(&Event_Type);
    if (PyModule_AddObjectRef(module, "Event", (PyObject *)&Event_Type) < 0 ||
        PyModule_AddObjectRef(module, "EventQueueBase", (PyObject *)&EventQueueBase_Type) < 0)
        return -1;
    return 0;
}
