/* Processes: the kill, rusage and reaping of Process and Child, and the raw kill, getrusage and getpid.
 *
 * ProcessBase is the core of the two types that hold a process by a
 * descriptor (macres.Process, any process by pid; macres.Child, a child it
 * owns): the handle is a descriptor that becomes readable when the process
 * exits, a pidfd on Linux and a kqueue with EVFILT_PROC/NOTE_EXIT on macOS,
 * and the release closes it.  The current process is no ProcessBase: it
 * holds nothing.  On Linux kill() uses pidfd_send_signal, which reaches that
 * process or nothing; on macOS it goes to the Python method _send, which
 * serialises signals with reaping.
 *
 * _wait4 reaps and records the final status in one C call: no signal
 * handler can run between the two, so a reaped child's pid is never
 * mistaken for a live one (a lost status would let a later kill() reach a
 * process that reused the pid where there is no pidfd).
 */
#include "_core.h"

/* A call that does not block, made as CPython's os functions make it: an
 * EINTR (only a fault plan gives one) is retried once the handlers ran. */
#define RETRY_EINTR(rc, expr)                                                                               \
    do {                                                                                                     \
        (rc) = (expr);                                                                                       \
    } while ((rc) < 0 && errno == EINTR && !PyErr_Occurred() && PyErr_CheckSignals() == 0)

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#ifndef NSIG
#define NSIG 65
#endif

static int
signal_arg(PyObject *obj, int *sig)
{
    Py_ssize_t v;
    if (mr_ssize(obj, &v) < 0) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "invalid signal number %R", obj);
        }
        return -1;
    }
    if (v < 0 || v >= NSIG) {
        PyErr_Format(PyExc_ValueError, "invalid signal number %zd", v);
        return -1;
    }
    *sig = (int)v;
    return 0;
}

#define REAPED(p) ((p)->status != NULL && (p)->status != Py_None)

PyDoc_STRVAR(kill_doc, "kill(sig=SIGKILL)\n--\n\n"
"Send signal *sig* (a signal.Signals or int; 0 only probes; SIGKILL by default, as\n"
"Popen.kill) to this process.\n\n"
"On Linux it goes through the pidfd (pidfd_send_signal): it reaches this process or\n"
"nothing.  Once this object knows the child's status (it reaped it, or found it reaped\n"
"elsewhere) it does nothing, also after close, as Popen once returncode is set; else\n"
"after close, ClosedResourceError.\n\n"
"Raises:\n    ProcessLookupError: the process is gone.\n"
"    PermissionError: another user's process.  ValueError: not a signal number.\n"
"    ClosedResourceError: the handle was closed.");

static PyObject *
process_kill(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    ProcessObject *p = (ProcessObject *)self;
    int sig = SIGKILL;
    if (nargs > 1) {
        PyErr_Format(PyExc_TypeError, "kill() takes at most 1 argument (%zd given)", nargs);
        return NULL;
    }
    if (nargs == 1 && signal_arg(args[0], &sig) < 0)
        return NULL;
    if (REAPED(p)) /* the status is known (also after close): nothing to signal, as Popen once returncode is set */
        Py_RETURN_NONE;
    if (handle_enter(&p->base) < 0)
        return NULL;
#if defined(__linux__) && defined(SYS_pidfd_send_signal)
    int rc;
    RETRY_EINTR(rc, mr_fault("pidfd_send_signal", NULL) < 0
                        ? -1 : (int)syscall(SYS_pidfd_send_signal, (int)p->base.handle, sig, NULL, 0));
    if (rc < 0) {
        if (!PyErr_Occurred()) /* a fault hook that raised leaves its exception */
            mr_oserror(errno);
        return handle_exit_after_error(&p->base), NULL;
    }
#else
    PyObject *handle = PyLong_FromSsize_t(p->base.handle), *signum = PyLong_FromLong(sig);
    PyObject *res = NULL;
    if (handle && signum)
        res = PyObject_CallMethodObjArgs(self, mr_str_send, handle, signum, NULL);
    Py_XDECREF(handle);
    Py_XDECREF(signum);
    if (res == NULL)
        return handle_exit_after_error(&p->base), NULL;
    Py_DECREF(res);
#endif
    if (handle_exit(&p->base) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(fileno_doc, "fileno()\n--\n\n"
"The descriptor that becomes readable when the process exits: the pidfd on Linux, a\n"
"kqueue with EVFILT_PROC/NOTE_EXIT registered on macOS.  For select, selectors, asyncio\n"
"and EventQueue; it stays this object's (closed by close()).\n\n"
"Raises:\n    ClosedResourceError: closed or detached.");

static PyObject *
process_fileno(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    if (handle_enter(h) < 0)
        return NULL;
    Py_ssize_t fd = h->handle;
    if (handle_exit(h) < 0)
        return NULL;
    return PyLong_FromSsize_t(fd);
}

PyDoc_STRVAR(rusage_doc, "rusage()\n--\n\n"
"The resource usage wait4 reported for this child once this object reaped it\n"
"(readable after close too).\n\n"
"Raises:\n    ValueError: not reaped by this object (the system reports usage only for\n"
"        oneself and for reaped children).\n"
"    ClosedResourceError: closed before the child was reaped.");

static PyObject *
process_rusage(PyObject *self, PyObject *unused)
{
    ProcessObject *p = (ProcessObject *)self;
    if (p->usage != NULL && p->usage != Py_None)
        return Py_NewRef(p->usage);
    if (handle_enter(&p->base) < 0)
        return NULL;
    PyErr_Format(PyExc_ValueError, "the resource usage of process %d is known only once this handle reaped it",
                 p->pid);
    return handle_exit_after_error(&p->base), NULL;
}

static int
process_traverse(PyObject *self, visitproc visit, void *arg)
{
    ProcessObject *p = (ProcessObject *)self;
    Py_VISIT(p->status);
    Py_VISIT(p->usage);
    return 0;
}

static int
process_clear(PyObject *self)
{
    ProcessObject *p = (ProcessObject *)self;
    Py_CLEAR(p->status);
    Py_CLEAR(p->usage);
    return 0;
}

static void
process_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    if (PyObject_CallFinalizerFromDealloc(self) < 0)
        return; /* resurrected */
    if (((HandleObject *)self)->weakreflist != NULL)
        PyObject_ClearWeakRefs(self);
    process_clear(self);
    Py_TYPE(self)->tp_free(self);
}

PyDoc_STRVAR(configure_doc, "_configure(pid)\n--\n\n"
"Record which process the handle names.");

static PyObject *
process_configure(PyObject *self, PyObject *arg)
{
    ProcessObject *p = (ProcessObject *)self;
    int pid;
    if (mr_int(arg, &pid, "pid") < 0)
        return NULL;
    p->pid = pid;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(reaped_doc, "_reaped(status, usage)\n--\n\n"
"Record the final ExitStatus and ResourceUsage of a reaped child.");

static PyObject *
process_reaped(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    ProcessObject *p = (ProcessObject *)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "_reaped() takes 2 arguments");
        return NULL;
    }
    Py_XSETREF(p->status, args[0] == Py_None ? NULL : Py_NewRef(args[0]));
    Py_XSETREF(p->usage, args[1] == Py_None ? NULL : Py_NewRef(args[1]));
    Py_RETURN_NONE;
}

PyDoc_STRVAR(wait4_doc, "_wait4(options)\n--\n\n"
"wait4(pid, status, options, rusage) on this process's pid; return the raw status, or None\n"
"when WNOHANG found no change.\n\n"
"A final status (the child exited or a signal ended it) is recorded with the child's\n"
"usage in the same C call, before any Python code can run; once recorded it is returned\n"
"without a system call.  EINTR runs the signal handlers and retries (PEP 475).\n\n"
"Raises:\n    ChildProcessError: not a child of this process, or reaped elsewhere.\n"
"    OSError: EINVAL for bad *options*.  OverflowError: *options* out of range.");

static PyObject *
process_wait4(PyObject *self, PyObject *arg)
{
    ProcessObject *p = (ProcessObject *)self;
    int options;
    if (mr_int(arg, &options, "options") < 0)
        return NULL;
    if (REAPED(p))
        return Py_NewRef(p->status);
    int status = 0;
    struct rusage ru;
    pid_t got;
    memset(&ru, 0, sizeof ru);
    MR_SYSCALL(got, wait4((pid_t)p->pid, &status, options, &ru));
    if (got < 0)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    if (got == 0)
        Py_RETURN_NONE;
    PyObject *value = PyLong_FromLong(status);
    if (value == NULL)
        return NULL;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        Py_XSETREF(p->status, Py_NewRef(value));
        PyObject *usage = mr_rusage_new(&ResourceUsage_Type, &ru);
        if (usage == NULL) {
            Py_DECREF(value);
            return NULL; /* the status is recorded: the child counts as reaped */
        }
        Py_XSETREF(p->usage, usage);
    }
    return value;
}

PyDoc_STRVAR(release_doc, "_release(handle)\n--\n\n"
"Release the handle: _end_child(handle) first (the object layer stops and reaps an owned\n"
"child there), then close(2) on the descriptor.  The descriptor is closed in C whatever _end_child\n"
"raised (a signal handler's exception at its entry included), so it never leaks.");

static PyObject *end_child_name = NULL;

static PyObject *
process_release(PyObject *self, PyObject *handle)
{
    if (end_child_name == NULL && (end_child_name = PyUnicode_InternFromString("_end_child")) == NULL)
        return NULL;
    PyObject *r = PyObject_CallMethodOneArg(self, end_child_name, handle);
    Py_ssize_t fd = PyNumber_AsSsize_t(handle, PyExc_OverflowError);
    if (fd == -1 && PyErr_Occurred()) {
        Py_XDECREF(r);
        return NULL;
    }
    if (close((int)fd) < 0 && errno != EINTR && r != NULL) {
        Py_DECREF(r);
        return mr_oserror(errno);
    }
    return r;
}

static PyObject *
process_end_child(PyObject *self, PyObject *handle)
{
    Py_RETURN_NONE;
}

static PyObject *close_name = NULL;

/* __exit__ runs close() (the object layer's: it stops and reaps the child).
 * An exception raised before close() did anything (a signal handler's, at its
 * very entry) would leave the child to the finalizer: the core then closes
 * the handle itself, and the release stops and reaps the child. */
static PyObject *
process_exit_ctx(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (close_name == NULL && (close_name = PyUnicode_InternFromString("close")) == NULL)
        return NULL;
    PyObject *r = PyObject_CallMethodNoArgs(self, close_name);
    if (r != NULL) {
        Py_DECREF(r);
        Py_RETURN_NONE;
    }
    if (!handle_is_closed((HandleObject *)self)) {
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (handle_close((HandleObject *)self) < 0)
            PyErr_Clear(); /* the first exception is the one to report */
        PyErr_Restore(type, value, tb);
    }
    return NULL;
}

static PyObject *
process_get_pid(PyObject *self, void *closure)
{
    return PyLong_FromLong(((ProcessObject *)self)->pid);
}

static PyGetSetDef process_getset[] = {
    {"pid", process_get_pid, NULL, "The process id (kept after close, for messages).", NULL},
    {NULL},
};

static PyObject *
process_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyErr_SetString(PyExc_NotImplementedError, "signalling a process without a pidfd is the object layer's (_send)");
    return NULL;
}

static PyMethodDef process_methods[] = {
    {"_send", (PyCFunction)(void (*)(void))process_send, METH_FASTCALL,
     PyDoc_STR("_send(handle, sig)\n--\n\nSignal the process where there is no pidfd (macOS; the object layer serialises it with reaping).")},
    {"kill", (PyCFunction)(void (*)(void))process_kill, METH_FASTCALL, kill_doc},
    {"fileno", process_fileno, METH_NOARGS, fileno_doc},
    {"rusage", process_rusage, METH_NOARGS, rusage_doc},
    {"_wait4", process_wait4, METH_O, wait4_doc},
    {"_release", process_release, METH_O, release_doc},
    {"_end_child", process_end_child, METH_O,
     PyDoc_STR("_end_child(handle)\n--\n\nStop and reap an owned child before the release (the object layer's; here nothing).")},
    {"__exit__", (PyCFunction)(void (*)(void))process_exit_ctx, METH_FASTCALL, NULL},
    {"_configure", process_configure, METH_O, configure_doc},
    {"_reaped", (PyCFunction)(void (*)(void))process_reaped, METH_FASTCALL, reaped_doc},
    {NULL},
};

static PyMemberDef process_members[] = {
    {"_pid", T_INT, offsetof(ProcessObject, pid), READONLY, NULL},
    {"_status", T_OBJECT, offsetof(ProcessObject, status), READONLY, NULL},
    {"_usage", T_OBJECT, offsetof(ProcessObject, usage), READONLY, NULL},
    {NULL},
};

PyTypeObject ProcessBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.ProcessBase",
    .tp_basicsize = sizeof(ProcessObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = PyDoc_STR("The lifecycle of Process and Child (a descriptor that becomes readable at exit) and their hot calls."),
    .tp_base = &Handle_Type,
    .tp_dealloc = process_dealloc,
    .tp_traverse = process_traverse,
    .tp_clear = process_clear,
    .tp_methods = process_methods,
    .tp_members = process_members,
    .tp_getset = process_getset,
};

/* -- the current process ----------------------------------------------------- */
/* CurrentProcessBase holds nothing: no handle, no lifecycle.  Its pid is the
 * one this process has now (refreshed by pthread_atfork in a forked child). */

static PyObject *
self_usage(void)
{
    struct rusage ru;
    if (mr_fault("getrusage", NULL) < 0 || getrusage(RUSAGE_SELF, &ru) < 0)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    return mr_rusage_new(&ResourceUsage_Type, &ru);
}

PyDoc_STRVAR(current_kill_doc, "kill(sig)\n--\n\n"
"kill(getpid(), sig): send *sig* to the calling process (0 only probes); there is no\n"
"default signal here.  After a fork it signals the child itself.\n\n"
"Raises:\n    ValueError: not a signal number.");

static PyObject *
current_kill(PyObject *self, PyObject *arg)
{
    int sig;
    if (signal_arg(arg, &sig) < 0)
        return NULL;
    int rc;
    RETRY_EINTR(rc, mr_fault("kill", NULL) < 0 ? -1 : kill((pid_t)mr_cached_pid(), sig));
    if (rc < 0)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(current_rusage_doc, "rusage()\n--\n\n"
"The calling process's resource usage (getrusage(RUSAGE_SELF)), ru_maxrss in bytes.");

static PyObject *
current_rusage(PyObject *self, PyObject *unused)
{
    return self_usage();
}

static PyObject *
current_get_pid(PyObject *self, void *closure)
{
    return PyLong_FromLong(mr_cached_pid());
}

static PyGetSetDef current_getset[] = {
    {"pid", current_get_pid, NULL, "The calling process's id (the child's own after a fork).", NULL},
    {NULL},
};

static PyMethodDef current_methods[] = {
    {"kill", current_kill, METH_O, current_kill_doc},
    {"rusage", current_rusage, METH_NOARGS, current_rusage_doc},
    {NULL},
};

PyTypeObject CurrentProcessBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.CurrentProcessBase",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("The calling process's hot calls, kill and rusage; it holds nothing."),
    .tp_new = PyType_GenericNew,
    .tp_methods = current_methods,
    .tp_getset = current_getset,
};

/* -- raw bindings ------------------------------------------------------------ */
PyDoc_STRVAR(raw_kill_doc, "kill(pid, sig)\n--\n\n"
"kill(pid, sig): send signal *sig* (0 only probes) to a process or group.\n\n"
"*pid* > 0 names a process, 0 the caller's group, -1 every process the caller may\n"
"signal, -pgid a group: the caller chooses, C-faithfully.\n\n"
"Raises:\n    ProcessLookupError: ESRCH.  PermissionError: EPERM.\n"
"    OSError: EINVAL for an invalid signal.  OverflowError: an argument out of range.");

static PyObject *
raw_kill(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "kill() takes 2 arguments (%zd given)", nargs);
        return NULL;
    }
    int pid, sig;
    if (mr_int(args[0], &pid, "pid") < 0 || mr_int(args[1], &sig, "signal") < 0)
        return NULL;
    int rc;
    RETRY_EINTR(rc, mr_fault("kill", NULL) < 0 ? -1 : kill((pid_t)pid, sig));
    if (rc < 0)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(raw_getrusage_doc, "getrusage(who)\n--\n\n"
"getrusage(who, r_usage): resource usage of RUSAGE_SELF or RUSAGE_CHILDREN.\n\n"
"Times are float seconds; ru_maxrss is in the platform's unit (abi.RUSAGE_MAXRSS_UNIT bytes).\n\n"
"Raises:\n    OSError: EINVAL for an unknown *who*.  OverflowError: out of range.");

static PyObject *
raw_getrusage(PyObject *module, PyObject *arg)
{
    int who;
    if (mr_int(arg, &who, "who") < 0)
        return NULL;
    struct rusage ru;
    if (mr_fault("getrusage", NULL) < 0 || getrusage(who, &ru) < 0)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    return mr_rusage_new(&Rusage_Type, &ru);
}

PyDoc_STRVAR(raw_getpid_doc, "getpid()\n--\n\ngetpid(): the caller's process id.  Never fails.");

static PyObject *
raw_getpid(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong((long)getpid());
}

PyMethodDef mr_process_functions[] = {
    {"kill", (PyCFunction)(void (*)(void))raw_kill, METH_FASTCALL, raw_kill_doc},
    {"getrusage", raw_getrusage, METH_O, raw_getrusage_doc},
    {"getpid", raw_getpid, METH_NOARGS, raw_getpid_doc},
    {NULL},
};
