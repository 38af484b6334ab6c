/* Directories: DirectoryBase (Directory's lifecycle and listing), its
 * iterator, and the DirectoryEntry value.
 *
 * A listing reads the kernel's entries in batches: getdents64(2) into a
 * 32 KiB buffer on Linux, readdir(3) (which batches through getdirentries)
 * on macOS.  Each entry carries its name, inode and type from the batch; a
 * type the file system does not report (DT_UNKNOWN) is asked of
 * fstatat(AT_SYMLINK_NOFOLLOW), the only per-entry call.
 *
 * Iterating a Directory opens its own open file description
 * (openat(fd, ".")), owned by the iterator and closed when it ends, is
 * closed or is collected: iterations do not disturb each other and never
 * use the Directory's number after it was closed (each step checks the
 * Directory first and raises ClosedResourceError).
 * macres/_pure/directory.py is the reference of the same contract.
 */
#include "_core.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#define DIR_BUFSIZE (32 * 1024)
#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)

/* -- FileType members, indexed by d_type (macres._filetype, loaded lazily) -- */
static PyObject *file_types[16];
static PyObject *file_type_cls;

static int
load_file_types(void)
{
    if (file_types[0] != NULL)
        return 0;
    PyObject *mod = PyImport_ImportModule("macres._filetype");
    if (mod == NULL)
        return -1;
    PyObject *cls = PyObject_GetAttrString(mod, "FileType");
    Py_DECREF(mod);
    if (cls == NULL)
        return -1;
    PyObject *table[16] = {NULL};
    for (int i = 0; i < 16; i++) {
        table[i] = PyObject_CallFunction(cls, "i", i);
        if (table[i] == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_ValueError))
                goto fail;
            PyErr_Clear();
        }
    }
    if (table[0] == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "FileType has no UNKNOWN (0)");
        goto fail;
    }
    for (int i = 0; i < 16; i++)
        file_types[i] = table[i] != NULL ? table[i] : Py_NewRef(table[0]);
    file_type_cls = cls;
    return 0;
fail:
    for (int i = 0; i < 16; i++)
        Py_XDECREF(table[i]);
    Py_DECREF(cls);
    return -1;
}

/* A d_type the table knows (FileType.UNKNOWN's 0 for any other). */
static inline unsigned char
known_type(unsigned int t)
{
    return (t < 16 && file_types[t] != file_types[0]) ? (unsigned char)t : 0;
}

/* ============================================================ DirectoryEntry */
typedef struct {
    PyObject_HEAD
    PyObject *name;           /* str */
    unsigned long long inode; /* d_ino */
    unsigned char type;       /* d_type, one FileType knows */
} EntryObject;

PyTypeObject DirectoryEntry_Type;

static PyObject *
entry_make(PyObject *name, unsigned long long inode, unsigned char type)
{
    EntryObject *e = PyObject_New(EntryObject, &DirectoryEntry_Type);
    if (e == NULL) {
        Py_DECREF(name);
        return NULL;
    }
    e->name = name; /* stolen */
    e->inode = inode;
    e->type = type;
    return (PyObject *)e;
}

/* One entry from a batch; *dirfd* answers fstatat when the type is DT_UNKNOWN. */
static PyObject *
entry_from(int dirfd, const char *name, size_t len, unsigned long long inode, unsigned int type)
{
    if (type == DT_UNKNOWN) {
        struct stat st;
        int r;
        Py_BEGIN_ALLOW_THREADS
        r = fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW);
        Py_END_ALLOW_THREADS
        if (r == 0)
            type = (st.st_mode & S_IFMT) >> 12; /* IFTODT */
    }
    PyObject *s = PyUnicode_DecodeFSDefaultAndSize(name, (Py_ssize_t)len);
    if (s == NULL)
        return NULL;
    return entry_make(s, inode, known_type(type));
}

static PyObject *
entry_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"name", "inode", "type", NULL};
    PyObject *name, *ino, *kind;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "UO!O:DirectoryEntry", kwlist, &name, &PyLong_Type, &ino, &kind))
        return NULL;
    unsigned long long inode = PyLong_AsUnsignedLongLong(ino); /* OverflowError: negative or too big */
    if (inode == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    if (load_file_types() < 0)
        return NULL;
    PyObject *member = PyObject_CallOneArg(file_type_cls, kind); /* ValueError as FileType(kind) */
    if (member == NULL)
        return NULL;
    long t = PyLong_AsLong(member);
    Py_DECREF(member);
    if (t == -1 && PyErr_Occurred())
        return NULL;
    EntryObject *e = (EntryObject *)type->tp_alloc(type, 0);
    if (e == NULL)
        return NULL;
    e->name = Py_NewRef(name);
    e->inode = inode;
    e->type = (unsigned char)t;
    return (PyObject *)e;
}

static void
entry_dealloc(PyObject *self)
{
    Py_DECREF(((EntryObject *)self)->name);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
entry_get_inode(PyObject *self, void *closure)
{
    return PyLong_FromUnsignedLongLong(((EntryObject *)self)->inode);
}

static PyObject *
entry_get_type(PyObject *self, void *closure)
{
    if (load_file_types() < 0)
        return NULL;
    return Py_NewRef(file_types[((EntryObject *)self)->type]);
}

static PyObject *
entry_repr(PyObject *self)
{
    EntryObject *e = (EntryObject *)self;
    PyObject *t = entry_get_type(self, NULL);
    if (t == NULL)
        return NULL;
    PyObject *r = PyUnicode_FromFormat("DirectoryEntry(name=%R, inode=%llu, type=%R)", e->name, e->inode, t);
    Py_DECREF(t);
    return r;
}

static PyObject *
entry_richcompare(PyObject *a, PyObject *b, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, &DirectoryEntry_Type) ||
        Py_TYPE(a) != Py_TYPE(b))
        Py_RETURN_NOTIMPLEMENTED;
    EntryObject *x = (EntryObject *)a, *y = (EntryObject *)b;
    int eq = x->inode == y->inode && x->type == y->type;
    if (eq) {
        eq = PyObject_RichCompareBool(x->name, y->name, Py_EQ);
        if (eq < 0)
            return NULL;
    }
    return PyBool_FromLong(op == Py_EQ ? eq : !eq);
}

static Py_hash_t
entry_hash(PyObject *self)
{
    EntryObject *e = (EntryObject *)self;
    Py_hash_t h = PyObject_Hash(e->name);
    if (h == -1)
        return -1;
    Py_uhash_t x = (Py_uhash_t)h * 1000003u ^ (Py_uhash_t)e->inode * 31u ^ (Py_uhash_t)e->type;
    return x == (Py_uhash_t)-1 ? -2 : (Py_hash_t)x;
}

static PyObject *
entry_reduce(PyObject *self, PyObject *unused)
{
    EntryObject *e = (EntryObject *)self;
    return Py_BuildValue("(O(OKi))", (PyObject *)Py_TYPE(self), e->name, e->inode, (int)e->type);
}

static PyMemberDef entry_members[] = {
    {"name", T_OBJECT_EX, offsetof(EntryObject, name), READONLY, "The name, decoded with os.fsdecode."},
    {NULL},
};

static PyGetSetDef entry_getset[] = {
    {"inode", entry_get_inode, NULL, "The inode number (d_ino).", NULL},
    {"type", entry_get_type, NULL, "The FileType (d_type; FileType.UNKNOWN where even fstatat could not say).",
     NULL},
    {NULL},
};

static PyMethodDef entry_methods[] = {
    {"__reduce__", entry_reduce, METH_NOARGS, NULL},
    {NULL},
};

PyTypeObject DirectoryEntry_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres.DirectoryEntry",
    .tp_basicsize = sizeof(EntryObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = PyDoc_STR("DirectoryEntry(name, inode, type)\n--\n\n"
                        "One name in a directory: name (str), inode (d_ino) and type (FileType)."),
    .tp_new = entry_new,
    .tp_dealloc = entry_dealloc,
    .tp_repr = entry_repr,
    .tp_hash = entry_hash,
    .tp_richcompare = entry_richcompare,
    .tp_members = entry_members,
    .tp_getset = entry_getset,
    .tp_methods = entry_methods,
};

/* ====================================================== batches of entries */
static PyObject *
dir_error(void)
{
    if (!PyErr_Occurred())
        mr_oserror(errno);
    return NULL;
}

static inline int
is_dot(const char *name)
{
    return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

#ifdef __linux__
struct dirent64_ {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* getdents64(2) into buf: bytes read, 0 at the end, -1 (errno or exception). */
static Py_ssize_t
read_batch(int fd, char *buf)
{
    Py_ssize_t n;
    MR_SYSCALL_CALL(n, "getdents64", NULL, (Py_ssize_t)syscall(SYS_getdents64, fd, buf, (size_t)DIR_BUFSIZE));
    return n;
}
#endif

/* The entries of the directory *fd* (an open file description the caller
 * owns alone), read from its start, except "." and "..". */
static PyObject *
read_all(int fd)
{
    PyObject *list = PyList_New(0);
    if (list == NULL)
        return NULL;
#ifdef __linux__
    char *buf = PyMem_Malloc(DIR_BUFSIZE);
    if (buf == NULL) {
        Py_DECREF(list);
        return PyErr_NoMemory();
    }
    off_t r;
    MR_SYSCALL(r, lseek(fd, 0, SEEK_SET));
    if (r < 0)
        goto fail;
    for (;;) {
        Py_ssize_t n = read_batch(fd, buf);
        if (n < 0)
            goto fail;
        if (n == 0)
            break;
        for (Py_ssize_t pos = 0; pos < n;) {
            struct dirent64_ *d = (struct dirent64_ *)(buf + pos);
            pos += d->d_reclen;
            if (is_dot(d->d_name))
                continue;
            PyObject *e = entry_from(fd, d->d_name, strlen(d->d_name), d->d_ino, d->d_type);
            if (e == NULL || PyList_Append(list, e) < 0) {
                Py_XDECREF(e);
                PyMem_Free(buf);
                Py_DECREF(list);
                return NULL;
            }
            Py_DECREF(e);
        }
    }
    PyMem_Free(buf);
    return list;
fail:
    PyMem_Free(buf);
    Py_DECREF(list);
    return dir_error();
#else
    /* readdir on a duplicate: the stream owns the duplicate (closedir closes
     * it) and shares fd's offset, rewound first. */
    int dup_fd;
    MR_SYSCALL(dup_fd, fcntl(fd, F_DUPFD_CLOEXEC, 0));
    if (dup_fd < 0) {
        Py_DECREF(list);
        return dir_error();
    }
    DIR *dirp = fdopendir(dup_fd);
    if (dirp == NULL) {
        int err = errno;
        close(dup_fd);
        Py_DECREF(list);
        return mr_oserror(err);
    }
    rewinddir(dirp);
    for (;;) {
        struct dirent *d;
        errno = 0;
        Py_BEGIN_ALLOW_THREADS
        d = readdir(dirp);
        Py_END_ALLOW_THREADS
        if (d == NULL) {
            if (errno != 0) {
                int err = errno;
                closedir(dirp);
                Py_DECREF(list);
                return mr_oserror(err);
            }
            break;
        }
        if (is_dot(d->d_name))
            continue;
        PyObject *e = entry_from(dirfd(dirp), d->d_name, d->d_namlen, d->d_ino, d->d_type);
        if (e == NULL || PyList_Append(list, e) < 0) {
            Py_XDECREF(e);
            closedir(dirp);
            Py_DECREF(list);
            return NULL;
        }
        Py_DECREF(e);
    }
    closedir(dirp);
    return list;
#endif
}

/* ========================================================= the iterator */
typedef struct {
    PyObject_HEAD
    HandleObject *dir; /* strong reference; NULL once finished */
    int fd;            /* the iterator's own description; -1 once finished */
    uint8_t busy;      /* a thread is reading (GIL released) */
    uint8_t close_pending;
#ifdef __linux__
    char *buf;
    Py_ssize_t len, pos;
#else
    DIR *dirp; /* owns fd */
#endif
} DirIterObject;

PyTypeObject DirIter_Type;

static void
iter_finish(DirIterObject *it)
{
    if (it->fd >= 0) {
#ifdef __linux__
        close(it->fd);
        PyMem_Free(it->buf);
        it->buf = NULL;
#else
        closedir(it->dirp);
        it->dirp = NULL;
#endif
        it->fd = -1;
    }
    Py_CLEAR(it->dir);
}

/* The next entry, or NULL: the end (no exception), or an error.  busy is set
 * while the GIL may be released (the read, an fstatat), so that another
 * thread's next() is refused and its close() deferred (close_pending)
 * rather than freeing the buffer or the descriptor under this one. */
static PyObject *
iter_step(DirIterObject *it)
{
    for (;;) {
#ifdef __linux__
        if (it->pos >= it->len) {
            Py_ssize_t n = read_batch(it->fd, it->buf);
            if (n <= 0 || it->close_pending)
                return n < 0 ? dir_error() : NULL;
            it->len = n;
            it->pos = 0;
        }
        struct dirent64_ *d = (struct dirent64_ *)(it->buf + it->pos);
        it->pos += d->d_reclen;
        if (is_dot(d->d_name))
            continue;
        return entry_from(it->fd, d->d_name, strlen(d->d_name), d->d_ino, d->d_type);
#else
        struct dirent *d;
        int err;
        Py_BEGIN_ALLOW_THREADS
        errno = 0;
        d = readdir(it->dirp);
        err = errno;
        Py_END_ALLOW_THREADS
        if (d == NULL || it->close_pending)
            return (d == NULL && err != 0) ? mr_oserror(err) : NULL;
        if (is_dot(d->d_name))
            continue;
        return entry_from(it->fd, d->d_name, d->d_namlen, d->d_ino, d->d_type);
#endif
    }
}

static PyObject *
iter_next(PyObject *self)
{
    DirIterObject *it = (DirIterObject *)self;
    if (it->fd < 0)
        return NULL;
    if (it->busy) {
        PyErr_SetString(PyExc_RuntimeError, "directory iterator already executing");
        return NULL;
    }
    if (handle_is_closed(it->dir)) {
        handle_closed_error(it->dir);
        iter_finish(it);
        return NULL;
    }
    it->busy = 1;
    PyObject *entry = iter_step(it);
    it->busy = 0;
    if (entry == NULL || it->close_pending)
        iter_finish(it); /* the end, an error, or a close() that came meanwhile */
    return entry;
}

static PyObject *
iter_close(PyObject *self, PyObject *unused)
{
    DirIterObject *it = (DirIterObject *)self;
    if (it->busy)
        it->close_pending = 1; /* the reading thread finishes it */
    else
        iter_finish(it);
    Py_RETURN_NONE;
}

static PyObject *
iter_enter(PyObject *self, PyObject *unused)
{
    return Py_NewRef(self);
}

static PyObject *
iter_exit(PyObject *self, PyObject *args)
{
    return iter_close(self, NULL);
}

static void
iter_dealloc(PyObject *self)
{
    iter_finish((DirIterObject *)self);
    Py_TYPE(self)->tp_free(self);
}

static PyMethodDef iter_methods[] = {
    {"close", iter_close, METH_NOARGS,
     PyDoc_STR("close()\n--\n\nEnd the iteration and close its descriptor now; idempotent.")},
    {"__enter__", iter_enter, METH_NOARGS, NULL},
    {"__exit__", iter_exit, METH_VARARGS, NULL},
    {NULL},
};

PyTypeObject DirIter_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core._DirectoryIterator",
    .tp_basicsize = sizeof(DirIterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = PyDoc_STR("The entries of a Directory, read in batches through the iterator's own description."),
    .tp_dealloc = iter_dealloc,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = iter_next,
    .tp_methods = iter_methods,
};

/* ======================================================== DirectoryBase */
/* openat(fd, ".") on the directory's handle, entered for the call. */
static int
open_own(HandleObject *h)
{
    if (handle_enter(h) < 0)
        return -1;
    int fd;
    MR_SYSCALL(fd, openat((int)h->handle, ".", DIR_FLAGS));
    if (fd < 0) {
        dir_error();
        handle_exit_after_error(h);
        return -1;
    }
    if (handle_exit(h) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static PyObject *
dir_iter(PyObject *self)
{
    HandleObject *h = (HandleObject *)self;
    if (load_file_types() < 0)
        return NULL;
    DirIterObject *it = PyObject_New(DirIterObject, &DirIter_Type);
    if (it == NULL)
        return NULL;
    it->dir = NULL;
    it->fd = -1;
    it->busy = it->close_pending = 0;
#ifdef __linux__
    it->buf = PyMem_Malloc(DIR_BUFSIZE);
    it->len = it->pos = 0;
    if (it->buf == NULL) {
        Py_DECREF(it);
        return PyErr_NoMemory();
    }
#else
    it->dirp = NULL;
#endif
    int fd = open_own(h);
    if (fd < 0) {
#ifdef __linux__
        PyMem_Free(it->buf);
        it->buf = NULL;
#endif
        Py_DECREF(it);
        return NULL;
    }
#ifndef __linux__
    it->dirp = fdopendir(fd);
    if (it->dirp == NULL) {
        int err = errno;
        close(fd);
        Py_DECREF(it);
        return mr_oserror(err);
    }
#endif
    it->fd = fd;
    it->dir = (HandleObject *)Py_NewRef(self);
    return (PyObject *)it;
}

PyDoc_STRVAR(read_all_doc, "_read_all()\n--\n\n"
"The entries of the directory read through its own descriptor from the start (getdents64(2); readdir(3)\n"
"on a duplicate on macOS), except '.' and '..'.  For a caller that alone reads this descriptor (walk).\n\n"
"Raises:\n    ClosedResourceError: the directory is closed.  OSError: the read failed.");

static PyObject *
dir_read_all(PyObject *self, PyObject *unused)
{
    HandleObject *h = (HandleObject *)self;
    if (load_file_types() < 0 || handle_enter(h) < 0)
        return NULL;
    PyObject *list = read_all((int)h->handle);
    if (list == NULL)
        return handle_exit_after_error(h), NULL;
    if (handle_exit(h) < 0) {
        Py_DECREF(list);
        return NULL;
    }
    return list;
}

static PyMethodDef directory_methods[] = {
    {"_read_all", dir_read_all, METH_NOARGS, read_all_doc},
    {NULL},
};

PyTypeObject DirectoryBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.DirectoryBase",
    .tp_basicsize = sizeof(HandleObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("Directory's lifecycle and listing."),
    .tp_base = &FdHandle_Type,
    .tp_iter = dir_iter,
    .tp_methods = directory_methods,
};
