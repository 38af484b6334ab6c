/* Values: Stat, Rusage and ResourceUsage as C types.
 *
 * Each keeps the C struct's numbers and builds a Python value only when a
 * field is read, so making one costs a single allocation (os.stat_result
 * builds some twenty objects up front).  Immutable, hashable, compared by
 * value, with the field names and reprs of the pure reference
 * (macres/_pure/values.py).
 */
#include "_core.h"

#include <math.h>

#include <sys/resource.h>
#include <sys/stat.h>

/* ==================================================================== Stat */
enum {
    X_BIRTH = 1,
    X_FLAGS = 2,
    X_GEN = 4,
};

typedef struct {
    PyObject_HEAD
    unsigned long long ino, dev, rdev, flags, gen;
    long long mode, nlink, uid, gid, size, blksize, blocks;
    long long sec[4]; /* atime, mtime, ctime, birthtime */
    long nsec[4];
    unsigned char extra;
} StatObject;

#define DEV_SIGNED ((dev_t)-1 < (dev_t)0)

#ifdef __APPLE__
#define ST_TIME(st, which) ((st)->st_##which##timespec)
#else
#define ST_TIME(st, which) ((st)->st_##which##tim)
#endif

PyObject *
mr_stat_new(const struct stat *st)
{
    StatObject *s = PyObject_New(StatObject, &Stat_Type);
    if (s == NULL)
        return NULL;
    s->mode = (long long)st->st_mode;
    s->ino = (unsigned long long)st->st_ino;
    s->dev = (unsigned long long)st->st_dev;
    s->nlink = (long long)st->st_nlink;
    /* (uid_t)-1 reads as -1, as CPython's _PyLong_FromUid makes it */
    s->uid = st->st_uid == (uid_t)-1 ? -1 : (long long)st->st_uid;
    s->gid = st->st_gid == (gid_t)-1 ? -1 : (long long)st->st_gid;
    s->rdev = (unsigned long long)st->st_rdev;
    s->size = (long long)st->st_size;
    s->blksize = (long long)st->st_blksize;
    s->blocks = (long long)st->st_blocks;
    s->sec[0] = (long long)ST_TIME(st, a).tv_sec;
    s->nsec[0] = (long)ST_TIME(st, a).tv_nsec;
    s->sec[1] = (long long)ST_TIME(st, m).tv_sec;
    s->nsec[1] = (long)ST_TIME(st, m).tv_nsec;
    s->sec[2] = (long long)ST_TIME(st, c).tv_sec;
    s->nsec[2] = (long)ST_TIME(st, c).tv_nsec;
#ifdef __APPLE__
    s->sec[3] = (long long)st->st_birthtimespec.tv_sec;
    s->nsec[3] = (long)st->st_birthtimespec.tv_nsec;
    s->flags = (unsigned long long)st->st_flags;
    s->gen = (unsigned long long)st->st_gen;
    s->extra = X_BIRTH | X_FLAGS | X_GEN;
#else
    s->sec[3] = 0;
    s->nsec[3] = 0;
    s->flags = s->gen = 0;
    s->extra = 0;
#endif
    return (PyObject *)s;
}

static PyObject *
dev_value(unsigned long long v)
{
    if (DEV_SIGNED)
        return PyLong_FromLongLong((long long)v);
    return PyLong_FromUnsignedLongLong(v);
}

/* Integer nanoseconds of (sec, nsec), exact for every time_t. */
static PyObject *
ns_value(long long sec, long nsec)
{
    if (sec > -9000000000LL && sec < 9000000000LL)
        return PyLong_FromLongLong(sec * 1000000000LL + nsec);
    PyObject *s = PyLong_FromLongLong(sec), *billion = PyLong_FromLong(1000000000L), *n = PyLong_FromLong(nsec);
    PyObject *r = NULL;
    if (s && billion && n) {
        PyObject *prod = PyNumber_Multiply(s, billion);
        if (prod) {
            r = PyNumber_Add(prod, n);
            Py_DECREF(prod);
        }
    }
    Py_XDECREF(s);
    Py_XDECREF(billion);
    Py_XDECREF(n);
    return r;
}

static PyObject *
float_time(long long sec, long nsec)
{
    /* The same expression as CPython's fill_time, so the floats agree with os.stat's. */
    return PyFloat_FromDouble(sec + nsec * 1e-9);
}

enum stat_field {
    F_MODE, F_INO, F_DEV, F_NLINK, F_UID, F_GID, F_SIZE, F_ATIME_NS, F_MTIME_NS, F_CTIME_NS, F_BLKSIZE,
    F_BLOCKS, F_RDEV, F_BIRTHTIME_NS, F_FLAGS, F_GEN, F_ATIME, F_MTIME, F_CTIME, F_BIRTHTIME, F_COUNT
};

static const char *const stat_names[F_COUNT] = {
    "st_mode", "st_ino", "st_dev", "st_nlink", "st_uid", "st_gid", "st_size", "st_atime_ns", "st_mtime_ns",
    "st_ctime_ns", "st_blksize", "st_blocks", "st_rdev", "st_birthtime_ns", "st_flags", "st_gen",
    "st_atime", "st_mtime", "st_ctime", "st_birthtime",
};

/* The first 16 fields are the value: what repr shows, == compares and the
 * constructor takes. */
#define STAT_KEY_FIELDS 16

static PyObject *
stat_field(StatObject *s, int f)
{
    switch (f) {
    case F_MODE: return PyLong_FromLongLong(s->mode);
    case F_INO: return PyLong_FromUnsignedLongLong(s->ino);
    case F_DEV: return dev_value(s->dev);
    case F_NLINK: return PyLong_FromLongLong(s->nlink);
    case F_UID: return PyLong_FromLongLong(s->uid);
    case F_GID: return PyLong_FromLongLong(s->gid);
    case F_SIZE: return PyLong_FromLongLong(s->size);
    case F_ATIME_NS: return ns_value(s->sec[0], s->nsec[0]);
    case F_MTIME_NS: return ns_value(s->sec[1], s->nsec[1]);
    case F_CTIME_NS: return ns_value(s->sec[2], s->nsec[2]);
    case F_BLKSIZE: return PyLong_FromLongLong(s->blksize);
    case F_BLOCKS: return PyLong_FromLongLong(s->blocks);
    case F_RDEV: return dev_value(s->rdev);
    case F_BIRTHTIME_NS:
        if (!(s->extra & X_BIRTH))
            Py_RETURN_NONE;
        return ns_value(s->sec[3], s->nsec[3]);
    case F_FLAGS:
        if (!(s->extra & X_FLAGS))
            Py_RETURN_NONE;
        return PyLong_FromUnsignedLongLong(s->flags);
    case F_GEN:
        if (!(s->extra & X_GEN))
            Py_RETURN_NONE;
        return PyLong_FromUnsignedLongLong(s->gen);
    case F_ATIME: return float_time(s->sec[0], s->nsec[0]);
    case F_MTIME: return float_time(s->sec[1], s->nsec[1]);
    case F_CTIME: return float_time(s->sec[2], s->nsec[2]);
    case F_BIRTHTIME:
        if (!(s->extra & X_BIRTH))
            Py_RETURN_NONE;
        return float_time(s->sec[3], s->nsec[3]);
    }
    Py_RETURN_NONE;
}

static PyObject *
stat_get(PyObject *self, void *closure)
{
    return stat_field((StatObject *)self, (int)(intptr_t)closure);
}

#define STAT_GET(i, doc) {(char *)0, stat_get, NULL, doc, (void *)(intptr_t)(i)}

static PyGetSetDef stat_getset[F_COUNT + 1];

static const char *const stat_docs[F_COUNT] = {
    "File type and permission bits.", "Inode number.", "Device holding the file.", "Number of hard links.",
    "Owner's user id.", "Owner's group id.", "Size in bytes.", "Last access, integer nanoseconds.",
    "Last modification, integer nanoseconds.", "Last status change, integer nanoseconds.",
    "Preferred I/O block size.", "512-byte blocks allocated.", "Device number, for device files.",
    "Creation time in integer nanoseconds (macOS), else None.", "BSD file flags (UF_*/SF_*, macOS), else None.",
    "File generation number (macOS), else None.", "Last access, float seconds.",
    "Last modification, float seconds.", "Last status change, float seconds.",
    "Creation time in float seconds (macOS), else None.",
};

static void
stat_getset_init(void)
{
    for (int i = 0; i < F_COUNT; i++) {
        stat_getset[i].name = stat_names[i];
        stat_getset[i].get = stat_get;
        stat_getset[i].set = NULL;
        stat_getset[i].doc = stat_docs[i];
        stat_getset[i].closure = (void *)(intptr_t)i;
    }
    stat_getset[F_COUNT].name = NULL;
}

/* Split integer nanoseconds into (sec, nsec) with 0 <= nsec < 1e9. */
static int
split_ns(PyObject *ns, long long *sec, long *nsec)
{
    PyObject *billion = PyLong_FromLong(1000000000L);
    if (billion == NULL)
        return -1;
    PyObject *qr = PyNumber_Divmod(ns, billion);
    Py_DECREF(billion);
    if (qr == NULL)
        return -1;
    if (!PyTuple_Check(qr) || PyTuple_GET_SIZE(qr) != 2) {
        Py_DECREF(qr);
        PyErr_SetString(PyExc_TypeError, "a time in nanoseconds must be an int");
        return -1;
    }
    *sec = PyLong_AsLongLong(PyTuple_GET_ITEM(qr, 0));
    *nsec = PyLong_AsLong(PyTuple_GET_ITEM(qr, 1));
    Py_DECREF(qr);
    return PyErr_Occurred() ? -1 : 0;
}

static int
as_ull(PyObject *v, unsigned long long *out, const char *name)
{
    PyObject *i = PyNumber_Index(v);
    if (i == NULL)
        return -1;
    long long x = PyLong_AsLongLong(i);
    if (x == -1 && PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError)) {
            Py_DECREF(i);
            return -1;
        }
        PyErr_Clear();
        *out = PyLong_AsUnsignedLongLong(i); /* above LLONG_MAX: unsigned, or OverflowError */
        Py_DECREF(i);
        return (*out == (unsigned long long)-1 && PyErr_Occurred()) ? -1 : 0;
    }
    Py_DECREF(i);
    *out = (unsigned long long)x; /* negative ids (-1) keep their bits */
    return 0;
}

static int
as_ll(PyObject *v, long long *out)
{
    PyObject *i = PyNumber_Index(v);
    if (i == NULL)
        return -1;
    *out = PyLong_AsLongLong(i);
    Py_DECREF(i);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Fill *s* from the 16 key fields in *v* (NULL or None for the last three: absent). */
static int
stat_fill(StatObject *s, PyObject *const *v)
{
    if (as_ll(v[F_MODE], &s->mode) < 0 || as_ull(v[F_INO], &s->ino, "st_ino") < 0 ||
        as_ull(v[F_DEV], &s->dev, "st_dev") < 0 || as_ll(v[F_NLINK], &s->nlink) < 0 || as_ll(v[F_UID], &s->uid) < 0 ||
        as_ll(v[F_GID], &s->gid) < 0 || as_ll(v[F_SIZE], &s->size) < 0)
        return -1;
    for (int t = 0; t < 3; t++)
        if (split_ns(v[F_ATIME_NS + t], &s->sec[t], &s->nsec[t]) < 0)
            return -1;
    if (as_ll(v[F_BLKSIZE], &s->blksize) < 0 || as_ll(v[F_BLOCKS], &s->blocks) < 0 ||
        as_ull(v[F_RDEV], &s->rdev, "st_rdev") < 0)
        return -1;
    s->extra = 0;
    s->sec[3] = 0;
    s->nsec[3] = 0;
    s->flags = s->gen = 0;
    if (v[F_BIRTHTIME_NS] != NULL && v[F_BIRTHTIME_NS] != Py_None) {
        if (split_ns(v[F_BIRTHTIME_NS], &s->sec[3], &s->nsec[3]) < 0)
            return -1;
        s->extra |= X_BIRTH;
    }
    if (v[F_FLAGS] != NULL && v[F_FLAGS] != Py_None) {
        if (as_ull(v[F_FLAGS], &s->flags, "st_flags") < 0)
            return -1;
        s->extra |= X_FLAGS;
    }
    if (v[F_GEN] != NULL && v[F_GEN] != Py_None) {
        if (as_ull(v[F_GEN], &s->gen, "st_gen") < 0)
            return -1;
        s->extra |= X_GEN;
    }
    return 0;
}

PyDoc_STRVAR(from_fields_doc, "from_fields(st_mode, st_ino, st_dev, st_nlink, st_uid, st_gid, st_size, "
"st_atime_ns, st_mtime_ns, st_ctime_ns, st_blksize, st_blocks, st_rdev, st_birthtime_ns=None, st_flags=None, "
"st_gen=None)\n--\n\nBuild a value from the fields of a C struct stat.");

static PyObject *
stat_from_fields(PyObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *v[STAT_KEY_FIELDS];
    if (mr_parse("from_fields", args, nargs, kwnames, stat_names, 13, STAT_KEY_FIELDS, v) < 0)
        return NULL;
    StatObject *s = PyObject_New(StatObject, &Stat_Type);
    if (s == NULL)
        return NULL;
    if (stat_fill(s, v) < 0) {
        Py_DECREF(s);
        return NULL;
    }
    return (PyObject *)s;
}

/* Stat(result): a value from an os.stat_result (or anything with its field names). */
static PyObject *
stat_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"result", "extra", NULL};
    PyObject *result, *extra = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O|O:Stat", kwlist, &result, &extra))
        return NULL;
    PyObject *v[STAT_KEY_FIELDS] = {NULL};
    StatObject *s = NULL;
    for (int i = 0; i < 13; i++) {
        v[i] = PyObject_GetAttrString(result, stat_names[i]);
        if (v[i] == NULL)
            goto done;
    }
    if (extra != Py_None) {
        if (!PyTuple_Check(extra) || PyTuple_GET_SIZE(extra) != 3) {
            PyErr_SetString(PyExc_TypeError, "extra must be (birthtime_ns, flags, gen) or None");
            goto done;
        }
        for (int i = 0; i < 3; i++)
            v[13 + i] = Py_NewRef(PyTuple_GET_ITEM(extra, i));
    }
    else {
        /* A stdlib result from macOS carries these; elsewhere they are absent. */
        const char *names[] = {"st_birthtime", "st_flags", "st_gen"};
        for (int i = 0; i < 3; i++) {
            PyObject *x = PyObject_GetAttrString(result, names[i]);
            if (x == NULL) {
                PyErr_Clear();
                continue;
            }
            if (i == 0) { /* float seconds -> rounded nanoseconds */
                double d = PyFloat_AsDouble(x);
                Py_DECREF(x);
                if (d == -1.0 && PyErr_Occurred())
                    goto done;
                x = PyLong_FromDouble(d * 1e9 + (d >= 0 ? 0.5 : -0.5));
                if (x == NULL)
                    goto done;
            }
            v[13 + i] = x;
        }
    }
    s = PyObject_New(StatObject, &Stat_Type);
    if (s != NULL && stat_fill(s, v) < 0)
        Py_CLEAR(s);
done:
    for (int i = 0; i < STAT_KEY_FIELDS; i++)
        Py_XDECREF(v[i]);
    return (PyObject *)s;
}

static void
stat_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyObject *
stat_key(StatObject *s)
{
    PyObject *t = PyTuple_New(STAT_KEY_FIELDS);
    if (t == NULL)
        return NULL;
    for (int i = 0; i < STAT_KEY_FIELDS; i++) {
        PyObject *v = stat_field(s, i);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

static int
stat_same(StatObject *a, StatObject *b)
{
    return a->mode == b->mode && a->ino == b->ino && a->dev == b->dev && a->nlink == b->nlink &&
           a->uid == b->uid && a->gid == b->gid && a->rdev == b->rdev && a->size == b->size &&
           a->blksize == b->blksize && a->blocks == b->blocks && a->extra == b->extra &&
           memcmp(a->sec, b->sec, sizeof a->sec) == 0 && memcmp(a->nsec, b->nsec, sizeof a->nsec) == 0 &&
           a->flags == b->flags && a->gen == b->gen;
}

static PyObject *
stat_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &Stat_Type) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int same = stat_same((StatObject *)a, (StatObject *)b);
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static Py_hash_t
stat_hash(PyObject *self)
{
    PyObject *key = stat_key((StatObject *)self);
    if (key == NULL)
        return -1;
    Py_hash_t h = PyObject_Hash(key);
    Py_DECREF(key);
    return h;
}

static PyObject *
fields_repr(PyObject *self, const char *name, const char *const *names, int n,
            PyObject *(*field)(PyObject *, int))
{
    PyObject *parts = PyList_New(0);
    if (parts == NULL)
        return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *v = field(self, i);
        if (v == NULL)
            goto fail;
        PyObject *item = PyUnicode_FromFormat("%s=%R", names[i], v);
        Py_DECREF(v);
        if (item == NULL || PyList_Append(parts, item) < 0) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_DECREF(item);
    }
    PyObject *sep = PyUnicode_FromString(", ");
    if (sep == NULL)
        goto fail;
    PyObject *body = PyUnicode_Join(sep, parts);
    Py_DECREF(sep);
    Py_DECREF(parts);
    if (body == NULL)
        return NULL;
    PyObject *r = PyUnicode_FromFormat("%s(%U)", name, body);
    Py_DECREF(body);
    return r;
fail:
    Py_DECREF(parts);
    return NULL;
}

static PyObject *
stat_field_obj(PyObject *self, int i)
{
    return stat_field((StatObject *)self, i);
}

static PyObject *
stat_repr(PyObject *self)
{
    return fields_repr(self, "Stat", stat_names, STAT_KEY_FIELDS, stat_field_obj);
}

static PyObject *
stat_reduce(PyObject *self, PyObject *unused)
{
    PyObject *key = stat_key((StatObject *)self);
    if (key == NULL)
        return NULL;
    PyObject *ctor = PyObject_GetAttrString((PyObject *)Py_TYPE(self), "from_fields");
    if (ctor == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    return Py_BuildValue("(NN)", ctor, key);
}

static PyMethodDef stat_methods[] = {
    {"from_fields", (PyCFunction)(void (*)(void))stat_from_fields, METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
     from_fields_doc},
    {"__reduce__", stat_reduce, METH_NOARGS, NULL},
    {NULL},
};

PyDoc_STRVAR(stat_doc, "Stat(result)\n--\n\n"
"What stat(2)/fstat(2) report, with the C field names.\n\n"
"Times are float seconds (st_mtime) and integer nanoseconds (st_mtime_ns).\n"
"st_birthtime, st_flags and st_gen exist on macOS and are None on Linux.\n"
"Stat(os.stat(path)) turns a stdlib result into one; from_fields builds one\n"
"from C fields.  Immutable, hashable, compared by value.");

PyTypeObject Stat_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres.Stat",
    .tp_basicsize = sizeof(StatObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = stat_doc,
    .tp_new = stat_new,
    .tp_dealloc = stat_dealloc,
    .tp_repr = stat_repr,
    .tp_hash = stat_hash,
    .tp_richcompare = stat_richcompare,
    .tp_methods = stat_methods,
    .tp_getset = stat_getset,
};

/* ========================================================= Rusage, ResourceUsage */
#ifdef __APPLE__
#define MAXRSS_UNIT 1LL /* bytes */
#else
#define MAXRSS_UNIT 1024LL /* KiB */
#endif

#define RU_FIELDS 16

typedef struct {
    PyObject_HEAD
    double utime, stime;
    long long v[14]; /* ru_maxrss .. ru_nivcsw, in the C units */
} RusageObject;

static const char *const ru_names[RU_FIELDS] = {
    "ru_utime", "ru_stime", "ru_maxrss", "ru_ixrss", "ru_idrss", "ru_isrss", "ru_minflt", "ru_majflt",
    "ru_nswap", "ru_inblock", "ru_oublock", "ru_msgsnd", "ru_msgrcv", "ru_nsignals", "ru_nvcsw", "ru_nivcsw",
};

static const char *const ru_docs[RU_FIELDS] = {
    "User CPU time, float seconds.", "System CPU time, float seconds.", "Peak resident set size.",
    "Integral shared text size (0 on Linux).", "Integral unshared data size (0 on Linux).",
    "Integral unshared stack size (0 on Linux).", "Page faults served without I/O.",
    "Page faults that needed I/O.", "Swaps (0 on Linux).", "Block input operations.", "Block output operations.",
    "IPC messages sent (0 on Linux).", "IPC messages received (0 on Linux).", "Signals received (0 on Linux).",
    "Voluntary context switches.", "Involuntary context switches.",
};

PyObject *
mr_rusage_new(PyTypeObject *type, const struct rusage *ru)
{
    RusageObject *r = PyObject_New(RusageObject, type);
    if (r == NULL)
        return NULL;
    /* CPython's resource module: tv_sec + tv_usec * 0.000001. */
    r->utime = (double)ru->ru_utime.tv_sec + ru->ru_utime.tv_usec * 0.000001;
    r->stime = (double)ru->ru_stime.tv_sec + ru->ru_stime.tv_usec * 0.000001;
    r->v[0] = ru->ru_maxrss;
    r->v[1] = ru->ru_ixrss;
    r->v[2] = ru->ru_idrss;
    r->v[3] = ru->ru_isrss;
    r->v[4] = ru->ru_minflt;
    r->v[5] = ru->ru_majflt;
    r->v[6] = ru->ru_nswap;
    r->v[7] = ru->ru_inblock;
    r->v[8] = ru->ru_oublock;
    r->v[9] = ru->ru_msgsnd;
    r->v[10] = ru->ru_msgrcv;
    r->v[11] = ru->ru_nsignals;
    r->v[12] = ru->ru_nvcsw;
    r->v[13] = ru->ru_nivcsw;
    return (PyObject *)r;
}

static PyObject *
ru_field(PyObject *self, int i)
{
    RusageObject *r = (RusageObject *)self;
    if (i == 0)
        return PyFloat_FromDouble(r->utime);
    if (i == 1)
        return PyFloat_FromDouble(r->stime);
    if (i == 2 && Py_TYPE(self) == &ResourceUsage_Type)
        return PyLong_FromLongLong(r->v[0] * MAXRSS_UNIT);
    return PyLong_FromLongLong(r->v[i - 2]);
}

static PyObject *
ru_get(PyObject *self, void *closure)
{
    return ru_field(self, (int)(intptr_t)closure);
}

static PyGetSetDef ru_getset[RU_FIELDS + 1];

static void
ru_getset_init(void)
{
    for (int i = 0; i < RU_FIELDS; i++) {
        ru_getset[i].name = ru_names[i];
        ru_getset[i].get = ru_get;
        ru_getset[i].set = NULL;
        ru_getset[i].doc = i == 2 ? "Peak resident set size: bytes in ResourceUsage, the C unit in Rusage."
                                  : ru_docs[i];
        ru_getset[i].closure = (void *)(intptr_t)i;
    }
    ru_getset[RU_FIELDS].name = NULL;
}

/* Fill from 16 numbers in struct rusage order and C units. */
static int
ru_fill(RusageObject *r, PyObject *const *v)
{
    r->utime = PyFloat_AsDouble(v[0]);
    if (r->utime == -1.0 && PyErr_Occurred())
        return -1;
    r->stime = PyFloat_AsDouble(v[1]);
    if (r->stime == -1.0 && PyErr_Occurred())
        return -1;
    if (isnan(r->utime) || isnan(r->stime)) { /* a NaN would break equality and hashing */
        PyErr_SetString(PyExc_ValueError, "a CPU time must be a number of seconds, not NaN");
        return -1;
    }
    for (int i = 0; i < 14; i++)
        if (as_ll(v[i + 2], &r->v[i]) < 0)
            return -1;
    return 0;
}

/* Rusage(ru_utime, ru_stime, ..., ru_nivcsw): the 16 fields, as attrs would take them. */
static PyObject *
rusage_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *v[RU_FIELDS] = {NULL};
    static char *kwlist[RU_FIELDS + 1];
    for (int i = 0; i < RU_FIELDS; i++)
        kwlist[i] = (char *)ru_names[i];
    kwlist[RU_FIELDS] = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOOOOOOOOOOOO:Rusage", kwlist, &v[0], &v[1], &v[2], &v[3],
                                     &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10], &v[11], &v[12], &v[13],
                                     &v[14], &v[15]))
        return NULL;
    RusageObject *r = PyObject_New(RusageObject, type);
    if (r != NULL && ru_fill(r, v) < 0)
        Py_CLEAR(r);
    return (PyObject *)r;
}

/* ResourceUsage(c_fields): a 16-sequence in struct rusage order and C units. */
static PyObject *
resource_usage_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"c_fields", NULL};
    PyObject *fields;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:ResourceUsage", kwlist, &fields))
        return NULL;
    PyObject *seq = PySequence_Fast(fields, "c_fields must be a sequence of the 16 struct rusage fields");
    if (seq == NULL)
        return NULL;
    RusageObject *r = NULL;
    if (PySequence_Fast_GET_SIZE(seq) != RU_FIELDS) {
        PyErr_Format(PyExc_ValueError, "c_fields must have 16 items, not %zd", PySequence_Fast_GET_SIZE(seq));
    }
    else {
        r = PyObject_New(RusageObject, type);
        if (r != NULL && ru_fill(r, PySequence_Fast_ITEMS(seq)) < 0)
            Py_CLEAR(r);
    }
    Py_DECREF(seq);
    return (PyObject *)r;
}

PyDoc_STRVAR(from_raw_doc, "from_raw(ru)\n--\n\n"
"Normalise a macres.raw.Rusage (ru_maxrss in RUSAGE_MAXRSS_UNITs) into a ResourceUsage.");

static PyObject *
resource_usage_from_raw(PyObject *cls, PyObject *ru)
{
    if (Py_TYPE(ru) == &Rusage_Type) {
        RusageObject *src = (RusageObject *)ru;
        RusageObject *r = PyObject_New(RusageObject, (PyTypeObject *)cls);
        if (r == NULL)
            return NULL;
        r->utime = src->utime;
        r->stime = src->stime;
        memcpy(r->v, src->v, sizeof r->v);
        return (PyObject *)r;
    }
    PyObject *v[RU_FIELDS] = {NULL};
    RusageObject *r = NULL;
    for (int i = 0; i < RU_FIELDS; i++) {
        v[i] = PyObject_GetAttrString(ru, ru_names[i]);
        if (v[i] == NULL)
            goto done;
    }
    r = PyObject_New(RusageObject, (PyTypeObject *)cls);
    if (r != NULL && ru_fill(r, v) < 0)
        Py_CLEAR(r);
done:
    for (int i = 0; i < RU_FIELDS; i++)
        Py_XDECREF(v[i]);
    return (PyObject *)r;
}

static void
ru_dealloc(PyObject *self)
{
    PyObject_Free(self);
}

static PyObject *
ru_repr(PyObject *self)
{
    return fields_repr(self, mr_type_name(Py_TYPE(self)), ru_names, RU_FIELDS, ru_field);
}

static PyObject *
ru_richcompare(PyObject *a, PyObject *b, int op)
{
    if (Py_TYPE(a) != Py_TYPE(b) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    RusageObject *x = (RusageObject *)a, *y = (RusageObject *)b;
    int same = x->utime == y->utime && x->stime == y->stime && memcmp(x->v, y->v, sizeof x->v) == 0;
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static Py_hash_t
ru_hash(PyObject *self)
{
    PyObject *t = PyTuple_New(RU_FIELDS);
    if (t == NULL)
        return -1;
    for (int i = 0; i < RU_FIELDS; i++) {
        PyObject *v = ru_field(self, i);
        if (v == NULL) {
            Py_DECREF(t);
            return -1;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    Py_hash_t h = PyObject_Hash(t);
    Py_DECREF(t);
    return h;
}

static PyObject *
ru_c_fields(RusageObject *r)
{
    PyObject *t = PyTuple_New(RU_FIELDS);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyFloat_FromDouble(r->utime));
    PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(r->stime));
    for (int i = 0; i < 14; i++)
        PyTuple_SET_ITEM(t, i + 2, PyLong_FromLongLong(r->v[i]));
    for (int i = 0; i < RU_FIELDS; i++)
        if (PyTuple_GET_ITEM(t, i) == NULL) {
            Py_DECREF(t);
            return NULL;
        }
    return t;
}

static PyObject *
ru_reduce(PyObject *self, PyObject *unused)
{
    PyObject *fields = ru_c_fields((RusageObject *)self);
    if (fields == NULL)
        return NULL;
    if (Py_TYPE(self) == &ResourceUsage_Type)
        return Py_BuildValue("(O(N))", Py_TYPE(self), fields);
    return Py_BuildValue("(ON)", Py_TYPE(self), fields);
}

static PyMethodDef rusage_methods[] = {
    {"__reduce__", ru_reduce, METH_NOARGS, NULL},
    {NULL},
};

static PyMethodDef resource_usage_methods[] = {
    {"from_raw", resource_usage_from_raw, METH_O | METH_CLASS, from_raw_doc},
    {"__reduce__", ru_reduce, METH_NOARGS, NULL},
    {NULL},
};

PyTypeObject Rusage_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres.raw.Rusage",
    .tp_basicsize = sizeof(RusageObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = PyDoc_STR("struct rusage as the C library reports it.\n\n"
                        "ru_utime/ru_stime are float seconds; ru_maxrss is in the platform's unit (KiB on\n"
                        "Linux, bytes on macOS): the object layer's ResourceUsage normalises it to bytes."),
    .tp_new = rusage_new,
    .tp_dealloc = ru_dealloc,
    .tp_repr = ru_repr,
    .tp_hash = ru_hash,
    .tp_richcompare = ru_richcompare,
    .tp_methods = rusage_methods,
    .tp_getset = ru_getset,
};

PyTypeObject ResourceUsage_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres.ResourceUsage",
    .tp_basicsize = sizeof(RusageObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = PyDoc_STR("ResourceUsage(c_fields)\n--\n\n"
                        "Resource usage in normalised units.\n\n"
                        "ru_utime/ru_stime are float seconds; ru_maxrss is in bytes on every platform\n"
                        "(Linux reports KiB, macOS bytes); the other counters are the C integers.\n"
                        "Immutable, hashable and compared by value."),
    .tp_new = resource_usage_new,
    .tp_dealloc = ru_dealloc,
    .tp_repr = ru_repr,
    .tp_hash = ru_hash,
    .tp_richcompare = ru_richcompare,
    .tp_methods = resource_usage_methods,
    .tp_getset = ru_getset,
};

/* Called from mr_types_ready before PyType_Ready: builds the getset tables. */
void
mr_values_init(void)
{
    stat_getset_init();
    ru_getset_init();
}
