/* macres._core: module set-up and the argument helpers every file shares. */
#include "_core.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

PyObject *mr_ClosedResourceError = NULL;
PyObject *mr_adopt_hook = NULL;
PyObject *mr_close_hook = NULL;
PyObject *mr_getdefaulttimeout = NULL;
PyObject *mr_str_release, *mr_str_sockaddr, *mr_str_send, *mr_str_get, *mr_str_set, *mr_str_kind;
long mr_page_size = 4096;

/* -- arguments -------------------------------------------------------------- */
int
mr_parse(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
         const char *const *names, Py_ssize_t required, Py_ssize_t total, PyObject **out)
{
    if (nargs > total) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd arguments (%zd given)", fname, total, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < total; i++)
        out[i] = i < nargs ? args[i] : NULL;
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t k = 0; k < nkw; k++) {
            PyObject *key = PyTuple_GET_ITEM(kwnames, k);
            Py_ssize_t j = 0;
            for (; j < total; j++)
                if (PyUnicode_CompareWithASCIIString(key, names[j]) == 0)
                    break;
            if (j == total) {
                PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", fname, key);
                return -1;
            }
            if (out[j] != NULL) {
                PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", fname, names[j]);
                return -1;
            }
            out[j] = args[nargs + k];
        }
    }
    for (Py_ssize_t i = 0; i < required; i++) {
        if (out[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", fname, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}

int
mr_ssize(PyObject *obj, Py_ssize_t *out)
{
    if (PyLong_CheckExact(obj)) {
        *out = PyLong_AsSsize_t(obj);
        return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
    }
    PyObject *index = PyNumber_Index(obj);
    if (index == NULL)
        return -1;
    *out = PyLong_AsSsize_t(index);
    Py_DECREF(index);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

int
mr_int(PyObject *obj, int *out, const char *what)
{
    long v;
    if (PyLong_CheckExact(obj)) {
        v = PyLong_AsLong(obj);
    }
    else {
        PyObject *index = PyNumber_Index(obj);
        if (index == NULL) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) { /* name the argument, as the pure core does */
                PyErr_Clear();
                PyErr_Format(PyExc_TypeError, "%s must be an int, not %.100s", what, Py_TYPE(obj)->tp_name);
            }
            return -1;
        }
        v = PyLong_AsLong(index);
        Py_DECREF(index);
    }
    if (v == -1 && PyErr_Occurred()) {
        if (PyErr_ExceptionMatches(PyExc_OverflowError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_OverflowError, "%s does not fit a C int", what);
        }
        return -1;
    }
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_Format(PyExc_OverflowError, "%s %ld does not fit a C int", what, v);
        return -1;
    }
    *out = (int)v;
    return 0;
}

int
mr_off(PyObject *obj, long long *out)
{
    if (PyLong_CheckExact(obj)) {
        *out = PyLong_AsLongLong(obj);
    }
    else {
        PyObject *index = PyNumber_Index(obj);
        if (index == NULL)
            return -1;
        *out = PyLong_AsLongLong(index);
        Py_DECREF(index);
    }
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

PyObject *
mr_oserror(int err)
{
    errno = err;
    PyErr_SetFromErrno(PyExc_OSError);
    return NULL;
}

PyObject *
mr_oserror_msg(int err, const char *msg)
{
    PyObject *args = Py_BuildValue("(is)", err, msg);
    if (args != NULL) {
        PyErr_SetObject(PyExc_OSError, args);
        Py_DECREF(args);
    }
    return NULL;
}

/* After a failed PyObject_GetBuffer with BufferError: report a read-only
 * buffer (when *writable*) as TypeError and a non-contiguous one as
 * ValueError, as the raw layer's argument checks do; other errors stay. */
static void
buffer_error(PyObject *obj, int writable)
{
    if (!PyErr_ExceptionMatches(PyExc_BufferError))
        return;
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    Py_buffer probe;
    if (PyObject_GetBuffer(obj, &probe, PyBUF_FULL_RO) < 0) {
        PyErr_Clear();
        PyErr_Restore(type, value, tb);
        return;
    }
    int readonly = probe.readonly, contiguous = PyBuffer_IsContiguous(&probe, 'C');
    PyBuffer_Release(&probe);
    if (writable && readonly)
        PyErr_Format(PyExc_TypeError, "a writable buffer is required: %S", value ? value : Py_None);
    else if (!contiguous)
        PyErr_SetString(PyExc_ValueError, "buffer must be C-contiguous");
    else {
        PyErr_Restore(type, value, tb);
        return;
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

int
mr_writable_buffer(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_WRITABLE) == 0)
        return 0;
    buffer_error(obj, 1);
    return -1;
}

int
mr_readable_buffer(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) == 0)
        return 0;
    buffer_error(obj, 0);
    return -1;
}

/* Whether the file system encoding is UTF-8 with surrogateescape: an ASCII
 * str is then its own encoding, with nothing to convert. */
static int fs_utf8 = 0;

int
mr_path_convert(PyObject *obj, mr_path *p)
{
    p->owner = NULL;
    if (fs_utf8 && PyUnicode_CheckExact(obj) && PyUnicode_IS_COMPACT_ASCII(obj)) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(obj);
        p->s = (const char *)PyUnicode_1BYTE_DATA(obj);
        if (memchr(p->s, '\0', (size_t)n) != NULL) {
            PyErr_SetString(PyExc_ValueError, "embedded null byte");
            return -1;
        }
        return 0;
    }
    if (!PyUnicode_FSConverter(obj, &p->owner))
        return -1;
    p->s = PyBytes_AS_STRING(p->owner);
    return 0;
}

void
mr_path_release(mr_path *p)
{
    Py_CLEAR(p->owner);
}

static int
check_fs_encoding(void)
{
    PyObject *sys = PyImport_ImportModule("sys");
    if (sys == NULL)
        return -1;
    PyObject *enc = PyObject_CallMethod(sys, "getfilesystemencoding", NULL);
    PyObject *errors = enc ? PyObject_CallMethod(sys, "getfilesystemencodeerrors", NULL) : NULL;
    Py_DECREF(sys);
    if (errors == NULL) {
        Py_XDECREF(enc);
        return -1;
    }
    fs_utf8 = PyUnicode_CompareWithASCIIString(enc, "utf-8") == 0 &&
              PyUnicode_CompareWithASCIIString(errors, "surrogateescape") == 0;
    Py_DECREF(enc);
    Py_DECREF(errors);
    return 0;
}

const char *
mr_type_name(PyTypeObject *t)
{
    const char *dot = strrchr(t->tp_name, '.');
    return dot ? dot + 1 : t->tp_name;
}

double
mr_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* -- the pid, refreshed in a forked child ------------------------------------- */
static volatile int cached_pid = 0;

static void
refresh_pid(void)
{
    cached_pid = (int)getpid();
}

int
mr_cached_pid(void)
{
    return cached_pid;
}

/* -- module functions -------------------------------------------------------- */
PyDoc_STRVAR(set_adopt_hook_doc, "set_adopt_hook(hook)\n--\n\n"
"Call hook(obj) with every object as it adopts a handle (None: no hook).\n"
"macres.testing's registry uses it.");

static PyObject *
set_adopt_hook(PyObject *module, PyObject *hook)
{
    if (hook != Py_None && !PyCallable_Check(hook)) {
        PyErr_SetString(PyExc_TypeError, "the adopt hook must be callable or None");
        return NULL;
    }
    Py_XSETREF(mr_adopt_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    Py_RETURN_NONE;
}

static PyObject *
get_adopt_hook(PyObject *module, PyObject *unused)
{
    return Py_NewRef(mr_adopt_hook ? mr_adopt_hook : Py_None);
}

PyDoc_STRVAR(set_close_hook_doc, "set_close_hook(hook)\n--\n\n"
"Call hook(obj) as an awaited object closes, before its release, while tasks\n"
"wait on it (None: no hook).  macres.aio's waiter registry uses it.");

static PyObject *
set_close_hook(PyObject *module, PyObject *hook)
{
    if (hook != Py_None && !PyCallable_Check(hook)) {
        PyErr_SetString(PyExc_TypeError, "the close hook must be callable or None");
        return NULL;
    }
    Py_XSETREF(mr_close_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    Py_RETURN_NONE;
}

static PyObject *
get_close_hook(PyObject *module, PyObject *unused)
{
    return Py_NewRef(mr_close_hook ? mr_close_hook : Py_None);
}

/* -- fault injection --------------------------------------------------------- */
int mr_faults_armed __attribute__((visibility("hidden")));
static PyObject *mr_fault_hook; /* hook(call, length) -> int, or NULL */

int
mr_fault_slow(const char *call, size_t *len)
{
    PyObject *hook = mr_fault_hook;
    if (hook == NULL)
        return 0;
    /* The call's name: the first word of the call expression. */
    size_t n = 0;
    while (call[n] == '_' || (call[n] >= 'a' && call[n] <= 'z') || (call[n] >= '0' && call[n] <= '9'))
        n++;
    PyObject *args[2];
    args[0] = PyUnicode_FromStringAndSize(call, (Py_ssize_t)n);
    args[1] = args[0] ? PyLong_FromSsize_t(len ? (Py_ssize_t)*len : -1) : NULL;
    PyObject *r = args[1] ? PyObject_Vectorcall(hook, args, 2, NULL) : NULL;
    Py_XDECREF(args[0]);
    Py_XDECREF(args[1]);
    Py_ssize_t answer = r ? PyLong_AsSsize_t(r) : -1;
    Py_XDECREF(r);
    if (answer == -1 && PyErr_Occurred()) {
        errno = 0;
        return -1;
    }
    if (answer < 0) { /* -errno: fail the call */
        errno = (int)-answer;
        return -1;
    }
    if (len != NULL && (size_t)answer < *len) /* a short transfer */
        *len = (size_t)answer;
    return 0;
}

PyDoc_STRVAR(set_fault_hook_doc, "set_fault_hook(hook)\n--\n\n"
"Ask hook(call, length) before every system call the core makes (None: stop).\n\n"
"*length* is the byte count of a transfer, else -1.  The hook returns -errno to\n"
"fail the call, or the byte count to use (at most *length*).  macres.testing.faults\n"
"installs it while a fault plan is active.");

static PyObject *
set_fault_hook(PyObject *module, PyObject *hook)
{
    if (hook != Py_None && !PyCallable_Check(hook)) {
        PyErr_SetString(PyExc_TypeError, "the fault hook must be callable or None");
        return NULL;
    }
    __atomic_store_n(&mr_faults_armed, 0, __ATOMIC_RELAXED);
    Py_XSETREF(mr_fault_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    __atomic_store_n(&mr_faults_armed, mr_fault_hook != NULL, __ATOMIC_RELAXED);
    Py_RETURN_NONE;
}

static PyObject *
get_fault_hook(PyObject *module, PyObject *unused)
{
    return Py_NewRef(mr_fault_hook ? mr_fault_hook : Py_None);
}

extern PyMethodDef mr_fd_functions[], mr_socket_functions[], mr_process_functions[], mr_spawn_functions[];
int mr_event_init(PyObject *module); /* _core_event.c */

static PyMethodDef module_methods[] = {
    {"set_adopt_hook", set_adopt_hook, METH_O, set_adopt_hook_doc},
    {"get_adopt_hook", get_adopt_hook, METH_NOARGS, NULL},
    {"set_close_hook", set_close_hook, METH_O, set_close_hook_doc},
    {"get_close_hook", get_close_hook, METH_NOARGS, NULL},
    {"set_fault_hook", set_fault_hook, METH_O, set_fault_hook_doc},
    {"get_fault_hook", get_fault_hook, METH_NOARGS, NULL},
    {"live_mappings", mr_live_mappings, METH_NOARGS,
     PyDoc_STR("live_mappings()\n--\n\nReturn {address: length} of every mapping a MappedRegion holds now.")},
    {NULL},
};

static int
add_functions(PyObject *module, PyMethodDef *defs)
{
    /* PyModule_GetNameObject returns a new reference and PyCFunction_NewEx
     * takes its own: the name is released here, once. */
    PyObject *name = PyModule_GetNameObject(module);
    if (name == NULL)
        return -1;
    int rc = 0;
    for (PyMethodDef *d = defs; d->ml_name != NULL && rc == 0; d++) {
        PyObject *f = PyCFunction_NewEx(d, NULL, name);
        if (f == NULL || PyModule_AddObject(module, d->ml_name, f) < 0) {
            Py_XDECREF(f);
            rc = -1;
        }
    }
    Py_DECREF(name);
    return rc;
}

static struct PyModuleDef core_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "macres._core",
    .m_doc = "The compiled core of macres: the handle lifecycle, the hot calls, Stat and ResourceUsage.\n\n"
             "macres/_pure/ is the readable reference of the same contract.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__core(void)
{
    PyObject *m = PyModule_Create(&core_module);
    if (m == NULL)
        return NULL;
#ifdef Py_GIL_DISABLED
    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
    PyObject *errors = PyImport_ImportModule("macres._errors");
    if (errors == NULL)
        goto fail;
    mr_ClosedResourceError = PyObject_GetAttrString(errors, "ClosedResourceError");
    Py_DECREF(errors);
    if (mr_ClosedResourceError == NULL)
        goto fail;
    PyObject *socket = PyImport_ImportModule("socket");
    if (socket == NULL)
        goto fail;
    mr_getdefaulttimeout = PyObject_GetAttrString(socket, "getdefaulttimeout");
    Py_DECREF(socket);
    if (mr_getdefaulttimeout == NULL)
        goto fail;
    if (!(mr_str_release = PyUnicode_InternFromString("_release")) ||
        !(mr_str_sockaddr = PyUnicode_InternFromString("_sockaddr")) ||
        !(mr_str_send = PyUnicode_InternFromString("_send")) ||
        !(mr_str_get = PyUnicode_InternFromString("get")) || !(mr_str_set = PyUnicode_InternFromString("set")) ||
        !(mr_str_kind = PyUnicode_InternFromString("_kind")))
        goto fail;
    long page = sysconf(_SC_PAGESIZE);
    if (page > 0)
        mr_page_size = page;
    if (check_fs_encoding() < 0)
        goto fail;
    refresh_pid();
    if (pthread_atfork(NULL, NULL, refresh_pid) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_atfork failed");
        goto fail;
    }
    if (mr_types_ready(m) < 0 || mr_event_init(m) < 0)
        goto fail;
    if (add_functions(m, mr_fd_functions) < 0 || add_functions(m, mr_socket_functions) < 0 ||
        add_functions(m, mr_process_functions) < 0 || add_functions(m, mr_spawn_functions) < 0)
        goto fail;
    if (PyModule_AddIntConstant(m, "CONTRACT", MACRES_CORE_CONTRACT) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}

/* -- types -------------------------------------------------------------------- */
int
mr_types_ready(PyObject *module)
{
    struct {
        PyTypeObject *type;
        const char *name;
        const char *kind;
    } types[] = {
        {&Handle_Type, "Handle", "handle"},
        {&FdHandle_Type, "FdHandle", "file descriptor"},
        {&FileDescriptorBase_Type, "FileDescriptorBase", "file descriptor"},
        {&SocketBase_Type, "SocketBase", "socket"},
        {&RegionBase_Type, "MappedRegionBase", "mapping"},
        {&ProcessBase_Type, "ProcessBase", "process"},
        {&CurrentProcessBase_Type, "CurrentProcessBase", NULL},
        {&Span_Type, "_Span", NULL},
        {&Stat_Type, "Stat", NULL},
        {&Rusage_Type, "Rusage", NULL},
        {&ResourceUsage_Type, "ResourceUsage", NULL},
        {&SockOptSpec_Type, "SockOptSpec", NULL},
        {&DirectoryBase_Type, "DirectoryBase", "file descriptor"},
        {&DirectoryEntry_Type, "DirectoryEntry", NULL},
        {&DirIter_Type, "_DirectoryIterator", NULL},
    };
    mr_values_init();
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (PyType_Ready(types[i].type) < 0)
            return -1;
        if (types[i].kind != NULL) {
            PyObject *kind = PyUnicode_FromString(types[i].kind);
            if (kind == NULL || PyDict_SetItem(types[i].type->tp_dict, mr_str_kind, kind) < 0) {
                Py_XDECREF(kind);
                return -1;
            }
            Py_DECREF(kind);
            PyType_Modified(types[i].type);
        }
        Py_INCREF(types[i].type);
        if (PyModule_AddObject(module, types[i].name, (PyObject *)types[i].type) < 0) {
            Py_DECREF(types[i].type);
            return -1;
        }
    }
    return 0;
}
