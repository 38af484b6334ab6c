/* Memory mappings: MappedRegion's lifecycle, access checks and views.
 *
 * Every access checks the pages' protection first, so a read or write that
 * mprotect forbids raises PermissionError instead of faulting.  view()
 * hands out a memoryview whose exporter is a small _Span object; each
 * export takes a reference on the region's lifecycle word (as an operation
 * does) and its release drops it.  So views are counted exactly, through
 * the buffer protocol: close() with views alive closes at once and the
 * munmap happens when the last view is released; an mprotect that would
 * remove a permission a live view relies on is refused (BufferError).
 *
 * The registry of live mappings (live_mappings(), for leak checks) is an
 * intrusive list of the regions mapped and not yet unmapped.
 */
#include "_core.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define R_PROT PROT_READ
#define W_PROT PROT_WRITE
#define PROT_BITS (PROT_READ | PROT_WRITE | PROT_EXEC)

#define ADDR(r) ((char *)(r)->base.handle)

static Py_ssize_t
maplen(RegionObject *r)
{
    return (r->size + mr_page_size - 1) / mr_page_size * mr_page_size;
}

static Py_ssize_t
npages(RegionObject *r)
{
    return maplen(r) / mr_page_size;
}

#define SPANS(r) ((r)->aux != NULL ? (r)->aux->spans : NULL)
#define PAGES(r) ((r)->base.prot < 0 ? (r)->aux->pages : NULL)

/* The aux block, made on first need (sized for every page). */
static struct RegionAux *
aux_of(RegionObject *r)
{
    if (r->aux == NULL) {
        r->aux = PyMem_Calloc(1, sizeof(struct RegionAux) + (size_t)npages(r));
        if (r->aux == NULL)
            PyErr_NoMemory();
    }
    return r->aux;
}

/* Free the aux block once nothing needs it. */
static void
aux_trim(RegionObject *r)
{
    if (r->aux != NULL && r->aux->spans == NULL && r->base.prot >= 0) {
        PyMem_Free(r->aux);
        r->aux = NULL;
    }
}

/* -- the registry ----------------------------------------------------------------- */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static RegionObject *registry = NULL;

static void
registry_add(RegionObject *r)
{
    pthread_mutex_lock(&registry_lock);
    r->reg_prev = NULL;
    r->reg_next = registry;
    if (registry != NULL)
        registry->reg_prev = r;
    registry = r;
    pthread_mutex_unlock(&registry_lock);
}

static void
registry_remove(RegionObject *r)
{
    pthread_mutex_lock(&registry_lock);
    if (r->reg_prev != NULL)
        r->reg_prev->reg_next = r->reg_next;
    else if (registry == r)
        registry = r->reg_next;
    if (r->reg_next != NULL)
        r->reg_next->reg_prev = r->reg_prev;
    r->reg_prev = r->reg_next = NULL;
    pthread_mutex_unlock(&registry_lock);
}

PyObject *
mr_live_mappings(PyObject *module, PyObject *unused)
{
    /* Copy the registry under its lock, build the dict after: an allocation
     * may run a finalizer that unmaps a region (and takes the lock). */
    Py_ssize_t n = 0, cap = 16;
    Py_ssize_t *pairs = malloc(2 * cap * sizeof(Py_ssize_t));
    if (pairs == NULL)
        return PyErr_NoMemory();
    pthread_mutex_lock(&registry_lock);
    for (RegionObject *r = registry; r != NULL; r = r->reg_next) {
        if (n == cap) {
            Py_ssize_t *bigger = realloc(pairs, 4 * cap * sizeof(Py_ssize_t));
            if (bigger == NULL)
                break; /* a partial answer is still an answer; rare */
            pairs = bigger;
            cap *= 2;
        }
        pairs[2 * n] = r->base.handle;
        pairs[2 * n + 1] = maplen(r);
        n++;
    }
    pthread_mutex_unlock(&registry_lock);
    PyObject *d = PyDict_New();
    for (Py_ssize_t i = 0; d != NULL && i < n; i++) {
        PyObject *k = PyLong_FromSsize_t(pairs[2 * i]), *v = PyLong_FromSsize_t(pairs[2 * i + 1]);
        if (k == NULL || v == NULL || PyDict_SetItem(d, k, v) < 0)
            Py_CLEAR(d);
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    free(pairs);
    return d;
}

int
mr_region_release(RegionObject *r)
{
    registry_remove(r);
    PyMem_Free(r->aux);
    r->aux = NULL;
    if (munmap(ADDR(r), (size_t)maplen(r)) < 0) {
        mr_oserror(errno);
        return -1;
    }
    return 0;
}

/* -- protection ------------------------------------------------------------------- */
/* Whether every page of bytes [lo, hi) has all bits of need (hi > lo). */
static int
allows(RegionObject *r, int need, Py_ssize_t lo, Py_ssize_t hi)
{
    const unsigned char *pages = PAGES(r);
    if (pages == NULL)
        return (r->base.prot & need) == need;
    for (Py_ssize_t p = lo / mr_page_size; p <= (hi - 1) / mr_page_size; p++)
        if ((pages[p] & need) != need)
            return 0;
    return 1;
}

static int
forbidden(Py_ssize_t lo, Py_ssize_t hi, const char *what)
{
    PyErr_Format(PyExc_PermissionError, "cannot %s bytes %zd..%zd: the pages' protection forbids it", what, lo, hi);
    return -1;
}

static int
prot_arg(PyObject *obj, int *prot)
{
    Py_ssize_t p;
    if (mr_ssize(obj, &p) < 0)
        return -1;
    if (p < 0 || (p & ~PROT_BITS)) {
        PyErr_Format(PyExc_ValueError, "protection %R has bits other than PROT_READ, PROT_WRITE and PROT_EXEC", obj);
        return -1;
    }
    *prot = (int)p;
    return 0;
}

static int
nonneg_arg(PyObject *obj, Py_ssize_t *out, const char *what)
{
    if (mr_ssize(obj, out) < 0)
        return -1;
    if (*out < 0) {
        PyErr_Format(PyExc_ValueError, "%s must not be negative, got %zd", what, *out);
        return -1;
    }
    return 0;
}

/* The checks of mprotect/msync/mlock/madvise ranges (see the pure _range). */
static int
check_range(RegionObject *r, PyObject *offset_obj, PyObject *length_obj, int aligned, Py_ssize_t *offset,
            Py_ssize_t *length)
{
    *offset = 0;
    if (offset_obj != NULL && nonneg_arg(offset_obj, offset, "offset") < 0)
        return -1;
    if (*offset > r->size) {
        PyErr_Format(PyExc_ValueError, "offset %zd is beyond the region's %zd bytes", *offset, r->size);
        return -1;
    }
    if (length_obj == NULL || length_obj == Py_None)
        *length = r->size - *offset;
    else if (nonneg_arg(length_obj, length, "length") < 0)
        return -1;
    if (*length > r->size - *offset) {
        PyErr_Format(PyExc_ValueError, "offset %zd + length %zd is beyond the region's %zd bytes", *offset, *length,
                     r->size);
        return -1;
    }
    if (aligned && *length) {
        if (*offset % mr_page_size) {
            PyErr_Format(PyExc_ValueError, "offset %zd is not a multiple of the page size %ld", *offset, mr_page_size);
            return -1;
        }
        if (*length % mr_page_size && *offset + *length != r->size) {
            PyErr_Format(PyExc_ValueError,
                         "length %zd is not a multiple of the page size %ld: the call would affect the whole "
                         "last page, beyond the range asked for",
                         *length, mr_page_size);
            return -1;
        }
    }
    return 0;
}

/* -- construction ------------------------------------------------------------------- */
/* A new region of *type* owning the mapping at address; the adopt hook's
 * error propagates (the region owns the mapping all the same and unmaps it). */
static PyObject *
region_adopt_new(RegionObject *r, void *address, Py_ssize_t size, int prot, int shared, int file_backed)
{
    r->size = size;
    r->base.prot = (int16_t)prot;
    r->base.flags = (uint8_t)((shared ? REGION_SHARED : 0) | (file_backed ? REGION_FILE_BACKED : 0));
    r->aux = NULL;
    int hooked = handle_adopt(&r->base, (intptr_t)address);
    registry_add(r);
    if (hooked < 0) {
        Py_DECREF(r);
        return NULL;
    }
    return (PyObject *)r;
}

PyDoc_STRVAR(region_new_doc, "_new(address, size, prot, *, shared, file_backed)\n--\n\n"
"Adopt the mapping at *address* (*size* bytes asked for, whole pages mapped).");

static PyObject *
region_new(PyObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"address", "size", "prot", "shared", "file_backed"};
    PyObject *a[5];
    PARSE("_new", names, 5, 5, a);
    Py_ssize_t address, size;
    int prot;
    if (mr_ssize(a[0], &address) < 0 || nonneg_arg(a[1], &size, "size") < 0 || prot_arg(a[2], &prot) < 0)
        return NULL;
    int shared = PyObject_IsTrue(a[3]), file_backed = PyObject_IsTrue(a[4]);
    if (shared < 0 || file_backed < 0)
        return NULL;
    PyTypeObject *type = (PyTypeObject *)cls;
    RegionObject *r = (RegionObject *)type->tp_new(type, NULL, NULL);
    if (r == NULL)
        return NULL;
    return region_adopt_new(r, (void *)address, size, prot, shared, file_backed);
}

PyDoc_STRVAR(region_mmap_doc, "_mmap(size, prot, flags, fd, offset, *, shared, file_backed)\n--\n\n"
"mmap(NULL, size rounded up to whole pages, prot, flags, fd, offset), owned by\n"
"a new region in the same step as it is made: nothing can interrupt in\n"
"between and leak the mapping.\n\n"
"Raises:\n    OSError: ENOMEM, EACCES, EINVAL, ENODEV.  ValueError: *size* negative, bad *prot*.\n"
"    OverflowError: *size* too large, an argument out of range.");

static PyObject *
region_mmap(PyObject *cls, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"size", "prot", "flags", "fd", "offset", "shared", "file_backed"};
    PyObject *a[7];
    PARSE("_mmap", names, 7, 7, a);
    Py_ssize_t size;
    int prot, flags, fd;
    long long offset;
    if (nonneg_arg(a[0], &size, "size") < 0 || prot_arg(a[1], &prot) < 0 || mr_int(a[2], &flags, "flags") < 0 ||
        mr_int(a[3], &fd, "fd") < 0 || mr_off(a[4], &offset) < 0)
        return NULL;
    int shared = PyObject_IsTrue(a[5]), file_backed = PyObject_IsTrue(a[6]);
    if (shared < 0 || file_backed < 0)
        return NULL;
    if (size > PY_SSIZE_T_MAX - (mr_page_size - 1)) {
        PyErr_Format(PyExc_OverflowError, "size %zd is too large to map", size);
        return NULL;
    }
    size_t length = (size_t)((size + mr_page_size - 1) / mr_page_size * mr_page_size);
    /* The object first: after mmap(2) nothing may fail before the adoption. */
    PyTypeObject *type = (PyTypeObject *)cls;
    RegionObject *r = (RegionObject *)type->tp_new(type, NULL, NULL);
    if (r == NULL)
        return NULL;
    void *address = MAP_FAILED;
    if (mr_fault("mmap", NULL) == 0) {
        Py_BEGIN_ALLOW_THREADS
        address = mmap(NULL, length, prot, flags, fd, (off_t)offset);
        Py_END_ALLOW_THREADS
    }
    if (address == MAP_FAILED) {
        int err = errno;
        Py_DECREF(r);
        return PyErr_Occurred() ? NULL : mr_oserror(err);
    }
    return region_adopt_new(r, address, size, prot, shared, file_backed);
}

/* -- access ------------------------------------------------------------------------- */
static Py_ssize_t
region_length(PyObject *self)
{
    RegionObject *r = (RegionObject *)self;
    if (handle_is_closed(&r->base)) {
        handle_closed_error(&r->base);
        return -1;
    }
    return r->size;
}

static PyObject *
get_index(RegionObject *r, Py_ssize_t i)
{
    if (i < 0)
        i += r->size;
    if (i < 0 || i >= r->size) {
        PyErr_SetString(PyExc_IndexError, "index out of range");
        return NULL;
    }
    if (!allows(r, R_PROT, i, i + 1)) {
        forbidden(i, i + 1, "read");
        return NULL;
    }
    return PyLong_FromLong((unsigned char)ADDR(r)[i]);
}

static PyObject *
get_slice(RegionObject *r, PyObject *key)
{
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(key, &start, &stop, &step) < 0)
        return NULL;
    Py_ssize_t count = PySlice_AdjustIndices(r->size, &start, &stop, step);
    if (count <= 0)
        return PyBytes_FromStringAndSize(NULL, 0);
    Py_ssize_t last = start + (count - 1) * step;
    Py_ssize_t lo = step > 0 ? start : last, hi = (step > 0 ? last : start) + 1;
    if (!allows(r, R_PROT, lo, hi)) {
        forbidden(lo, hi, "read");
        return NULL;
    }
    if (step == 1)
        return PyBytes_FromStringAndSize(ADDR(r) + start, count);
    PyObject *b = PyBytes_FromStringAndSize(NULL, count);
    if (b == NULL)
        return NULL;
    char *out = PyBytes_AS_STRING(b), *src = ADDR(r);
    for (Py_ssize_t i = 0, j = start; i < count; i++, j += step)
        out[i] = src[j];
    return b;
}

static PyObject *
region_subscript(PyObject *self, PyObject *key)
{
    RegionObject *r = (RegionObject *)self;
    PyObject *result = NULL;
    int is_slice = PySlice_Check(key);
    Py_ssize_t i = 0;
    if (!is_slice) {
        if (!PyIndex_Check(key)) {
            PyErr_Format(PyExc_TypeError, "region indices must be integers or slices, not %.200s",
                         Py_TYPE(key)->tp_name);
            return NULL;
        }
        i = PyNumber_AsSsize_t(key, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred())
            return NULL;
    }
    if (handle_enter(&r->base) < 0)
        return NULL;
    MR_LOCK(self)
    result = is_slice ? get_slice(r, key) : get_index(r, i);
    MR_UNLOCK()
    if (result == NULL)
        return handle_exit_after_error(&r->base), NULL;
    if (handle_exit(&r->base) < 0)
        Py_CLEAR(result);
    return result;
}

static PyObject *
region_item(PyObject *self, Py_ssize_t i)
{
    RegionObject *r = (RegionObject *)self;
    if (handle_enter(&r->base) < 0)
        return NULL;
    PyObject *result;
    MR_LOCK(self)
    /* sq_item gets negative indices already wrapped by len(): undo nothing. */
    result = (i < 0 || i >= r->size) ? (PyErr_SetString(PyExc_IndexError, "index out of range"), NULL)
                                     : get_index(r, i);
    MR_UNLOCK()
    if (result == NULL)
        return handle_exit_after_error(&r->base), NULL;
    if (handle_exit(&r->base) < 0)
        Py_CLEAR(result);
    return result;
}

static int
set_index(RegionObject *r, Py_ssize_t i, PyObject *value)
{
    if (i < 0)
        i += r->size;
    if (i < 0 || i >= r->size) {
        PyErr_SetString(PyExc_IndexError, "index out of range");
        return -1;
    }
    if (!PyLong_Check(value)) {
        PyErr_Format(PyExc_TypeError, "a byte must be an int, not %.200s", Py_TYPE(value)->tp_name);
        return -1;
    }
    long v = PyLong_AsLong(value);
    if ((v == -1 && PyErr_Occurred()) || v < 0 || v > 255) {
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "byte must be in range(0, 256)");
        return -1;
    }
    if (!allows(r, W_PROT, i, i + 1))
        return forbidden(i, i + 1, "write");
    ADDR(r)[i] = (char)v;
    return 0;
}

static int
set_slice(RegionObject *r, PyObject *key, Py_buffer *data)
{
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(key, &start, &stop, &step) < 0)
        return -1;
    Py_ssize_t count = PySlice_AdjustIndices(r->size, &start, &stop, step);
    if (count < 0)
        count = 0;
    if (data->len != count) {
        PyErr_Format(PyExc_ValueError, "cannot assign %zd bytes to a slice of %zd bytes", data->len, count);
        return -1;
    }
    if (count == 0)
        return 0;
    Py_ssize_t last = start + (count - 1) * step;
    Py_ssize_t lo = step > 0 ? start : last, hi = (step > 0 ? last : start) + 1;
    if (!allows(r, W_PROT, lo, hi))
        return forbidden(lo, hi, "write");
    if (step == 1) {
        memmove(ADDR(r) + start, data->buf, (size_t)count);
        return 0;
    }
    const char *src = data->buf;
    char *dst = ADDR(r);
    for (Py_ssize_t i = 0, j = start; i < count; i++, j += step)
        dst[j] = src[i];
    return 0;
}

static int
region_ass_subscript(PyObject *self, PyObject *key, PyObject *value)
{
    RegionObject *r = (RegionObject *)self;
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete memory");
        return -1;
    }
    int rc = -1;
    if (PySlice_Check(key)) {
        Py_buffer data;
        if (mr_readable_buffer(value, &data) < 0)
            return -1;
        if (handle_enter(&r->base) == 0) {
            MR_LOCK(self)
            rc = set_slice(r, key, &data);
            MR_UNLOCK()
            if (rc < 0)
                handle_exit_after_error(&r->base);
            else
                rc = handle_exit(&r->base);
        }
        PyBuffer_Release(&data);
        return rc;
    }
    if (!PyIndex_Check(key)) {
        PyErr_Format(PyExc_TypeError, "region indices must be integers or slices, not %.200s", Py_TYPE(key)->tp_name);
        return -1;
    }
    Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
    if (i == -1 && PyErr_Occurred())
        return -1;
    if (handle_enter(&r->base) < 0)
        return -1;
    MR_LOCK(self)
    rc = set_index(r, i, value);
    MR_UNLOCK()
    if (rc < 0)
        return handle_exit_after_error(&r->base);
    return handle_exit(&r->base);
}

/* -- views ---------------------------------------------------------------------------- */
static int
span_link(RegionObject *r, SpanObject *sp)
{
    struct RegionAux *aux = aux_of(r);
    if (aux == NULL)
        return -1;
    sp->prev = NULL;
    sp->next = aux->spans;
    if (aux->spans != NULL)
        aux->spans->prev = sp;
    aux->spans = sp;
    return 0;
}

static void
span_unlink(RegionObject *r, SpanObject *sp)
{
    if (sp->prev != NULL)
        sp->prev->next = sp->next;
    else
        r->aux->spans = sp->next;
    if (sp->next != NULL)
        sp->next->prev = sp->prev;
    sp->prev = sp->next = NULL;
    aux_trim(r);
}

static int
span_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    SpanObject *sp = (SpanObject *)self;
    RegionObject *r = sp->region;
    if (handle_enter(&r->base) < 0)
        return -1;
    int rc = -1;
    MR_LOCK((PyObject *)r)
    Py_ssize_t len = sp->stop - sp->start;
    int writable = sp->writable && (len == 0 || allows(r, W_PROT, sp->start, sp->stop));
    if (len > 0 && !allows(r, R_PROT, sp->start, sp->stop)) {
        PyErr_Format(PyExc_PermissionError, "cannot view bytes %zd..%zd: the pages lack PROT_READ", sp->start, sp->stop);
    }
    else if ((flags & PyBUF_WRITABLE) && !writable) {
        PyErr_SetString(PyExc_BufferError, "this view of the region is read-only");
    }
    else if (sp->exports == 0 && span_link(r, sp) < 0) {
        /* no memory for the list of views */
    }
    else if (PyBuffer_FillInfo(view, self, ADDR(r) + sp->start, len, !writable, flags) == 0) {
        sp->exported_writable = sp->exports++ == 0 ? writable : (sp->exported_writable | writable);
        rc = 0;
    }
    else if (sp->exports == 0) {
        span_unlink(r, sp);
    }
    MR_UNLOCK()
    if (rc < 0)
        handle_exit_after_error(&r->base);
    return rc;
}

static void
span_releasebuffer(PyObject *self, Py_buffer *view)
{
    SpanObject *sp = (SpanObject *)self;
    RegionObject *r = sp->region;
    MR_LOCK((PyObject *)r)
    if (--sp->exports == 0)
        span_unlink(r, sp);
    MR_UNLOCK()
    /* The last view of a closed region out: this unmaps it. */
    if (handle_exit(&r->base) < 0)
        PyErr_WriteUnraisable((PyObject *)r);
}

static void
span_dealloc(PyObject *self)
{
    SpanObject *sp = (SpanObject *)self;
    Py_XDECREF(sp->region);
    PyObject_Free(self);
}

static PyBufferProcs span_as_buffer = {
    .bf_getbuffer = span_getbuffer,
    .bf_releasebuffer = span_releasebuffer,
};

PyTypeObject Span_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core._Span",
    .tp_basicsize = sizeof(SpanObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = PyDoc_STR("The exporter behind a MappedRegion.view(): bytes [start, stop) of the region."),
    .tp_dealloc = span_dealloc,
    .tp_as_buffer = &span_as_buffer,
};

PyDoc_STRVAR(view_doc, "view(start=0, stop=None)\n--\n\n"
"Return a memoryview of bytes [start, stop) that reads and writes the mapping.\n\n"
"The view is writable when every page it covers has PROT_WRITE, and read-only\n"
"otherwise.  While it (or anything made from it) is alive, an mprotect that\n"
"removes a permission it relies on raises BufferError, and close() defers the\n"
"munmap until it is released.\n\n"
"Raises:\n    PermissionError: a covered page lacks PROT_READ.\n"
"    ValueError: the range is outside the region.  ClosedResourceError: closed.");

static PyObject *
region_view(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"start", "stop"};
    PyObject *a[2];
    PARSE("view", names, 0, 2, a);
    RegionObject *r = (RegionObject *)self;
    Py_ssize_t start = 0, stop;
    if (a[0] != NULL && nonneg_arg(a[0], &start, "start") < 0)
        return NULL;
    if (a[1] != NULL && a[1] != Py_None && nonneg_arg(a[1], &stop, "stop") < 0)
        return NULL;
    if (handle_enter(&r->base) < 0)
        return NULL;
    if (a[1] == NULL || a[1] == Py_None)
        stop = r->size;
    SpanObject *sp = NULL;
    PyObject *result = NULL;
    if (!(start <= stop && stop <= r->size)) {
        PyErr_Format(PyExc_ValueError, "view [%zd, %zd) is outside the region's %zd bytes", start, stop, r->size);
        goto done;
    }
    if (stop > start && !allows(r, R_PROT, start, stop)) {
        PyErr_Format(PyExc_PermissionError, "cannot view bytes %zd..%zd: the pages lack PROT_READ", start, stop);
        goto done;
    }
    sp = PyObject_New(SpanObject, &Span_Type);
    if (sp == NULL)
        goto done;
    sp->region = (RegionObject *)Py_NewRef(self);
    sp->start = start;
    sp->stop = stop;
    sp->writable = stop == start || allows(r, W_PROT, start, stop);
    sp->exported_writable = 0;
    sp->exports = 0;
    sp->prev = sp->next = NULL;
    result = PyMemoryView_FromObject((PyObject *)sp);
    Py_DECREF(sp);
done:
    if (result == NULL)
        return handle_exit_after_error(&r->base), NULL;
    if (handle_exit(&r->base) < 0)
        Py_CLEAR(result);
    return result;
}

/* -- mprotect -------------------------------------------------------------------------- */
static int
set_pages(RegionObject *r, Py_ssize_t offset, Py_ssize_t end, int prot)
{
    Py_ssize_t n = npages(r);
    Py_ssize_t first = offset / mr_page_size, last = (end + mr_page_size - 1) / mr_page_size;
    if (r->base.prot >= 0) {
        if (first == 0 && last == n) {
            r->base.prot = (int16_t)prot;
            return 0;
        }
        if (aux_of(r) == NULL)
            return -1;
        memset(r->aux->pages, r->base.prot, (size_t)n);
    }
    unsigned char *pages = r->aux->pages;
    memset(pages + first, prot, (size_t)(last - first));
    for (Py_ssize_t p = 1; p < n; p++)
        if (pages[p] != pages[0]) {
            r->base.prot = -1;
            return 0;
        }
    r->base.prot = (int16_t)pages[0];
    aux_trim(r);
    return 0;
}

PyDoc_STRVAR(mprotect_doc, "mprotect(prot, offset=0, length=None)\n--\n\n"
"mprotect(addr, len, prot): set the protection of whole pages of the region.\n\n"
"*offset* must be a multiple of the page size and *length* too, unless the range\n"
"reaches the end of the region.\n\n"
"Raises:\n    BufferError: a live view of the range needs a permission *prot* removes\n"
"        (PROT_READ for every view, PROT_WRITE for writable ones).\n"
"    ValueError: range outside the region or unaligned; *prot* has bits other than\n"
"        PROT_READ, PROT_WRITE and PROT_EXEC.\n"
"    PermissionError: EACCES (a shared file mapping whose descriptor was not open\n"
"        for writing).  ClosedResourceError: closed.");

static PyObject *
region_mprotect(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"prot", "offset", "length"};
    PyObject *a[3];
    PARSE("mprotect", names, 1, 3, a);
    RegionObject *r = (RegionObject *)self;
    int prot;
    if (prot_arg(a[0], &prot) < 0)
        return NULL;
    if (handle_enter(&r->base) < 0)
        return NULL;
    int rc = -1;
    MR_LOCK(self)
    Py_ssize_t offset, length;
    if (check_range(r, a[1], a[2], 1, &offset, &length) == 0) {
        Py_ssize_t end = offset + length;
        SpanObject *blocking = NULL;
        /* a view of no bytes reaches no page: it blocks nothing */
        for (SpanObject *sp = SPANS(r); sp != NULL && length; sp = sp->next) {
            if (sp->start < sp->stop && sp->start < end && offset < sp->stop && (!(prot & R_PROT) || (sp->exported_writable && !(prot & W_PROT)))) {
                blocking = sp;
                break;
            }
        }
        if (length == 0) {
            rc = 0;
        }
        else if (blocking != NULL) {
            PyErr_Format(PyExc_BufferError,
                         "cannot drop permissions of bytes %zd..%zd: a view of bytes %zd..%zd is alive; "
                         "release it first",
                         offset, end, blocking->start, blocking->stop);
        }
        else {
            /* Made without releasing the GIL (or, free-threaded, the region's
             * critical section): an access in another thread must never see
             * the new protection in the kernel before the page table here. */
            if (mr_fault("mprotect", NULL) < 0 || mprotect(ADDR(r) + offset, (size_t)length, prot) < 0) {
                if (!PyErr_Occurred()) /* a fault hook that raised leaves its exception */
                    mr_oserror(errno);
            }
            else
                rc = set_pages(r, offset, end, prot);
        }
    }
    MR_UNLOCK()
    if (rc < 0)
        return handle_exit_after_error(&r->base), NULL;
    if (handle_exit(&r->base) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(range_doc, "_range(offset, length, aligned)\n--\n\n"
"Check a range for mprotect/msync/mlock/madvise; return (offset, length).");

static PyObject *
region_range(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"offset", "length", "aligned"};
    PyObject *a[3];
    PARSE("_range", names, 3, 3, a);
    int aligned = PyObject_IsTrue(a[2]);
    if (aligned < 0)
        return NULL;
    Py_ssize_t offset, length;
    if (check_range((RegionObject *)self, a[0], a[1], aligned, &offset, &length) < 0)
        return NULL;
    return Py_BuildValue("(nn)", offset, length);
}

PyDoc_STRVAR(allows_doc, "_allows(need, lo, hi)\n--\n\nWhether every page of bytes [lo, hi) has all bits of *need*.");

static PyObject *
region_allows(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t v[3];
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "_allows() takes 3 arguments");
        return NULL;
    }
    for (int i = 0; i < 3; i++)
        if (mr_ssize(args[i], &v[i]) < 0)
            return NULL;
    RegionObject *r = (RegionObject *)self;
    if (v[1] < 0 || v[2] > r->size || v[2] <= v[1]) {
        PyErr_SetString(PyExc_ValueError, "_allows() needs 0 <= lo < hi <= size");
        return NULL;
    }
    int ok;
    MR_LOCK(self)
    ok = allows(r, (int)v[0], v[1], v[2]);
    MR_UNLOCK()
    return PyBool_FromLong(ok);
}

PyDoc_STRVAR(region_detach_doc, "detach()\n--\n\n"
"Give the mapping away unclosed: return its address; the caller must munmap it.\n\n"
"Raises:\n    BufferError: views are alive.  ClosedResourceError: already closed.");

static PyObject *
region_detach(PyObject *self, PyObject *unused)
{
    RegionObject *r = (RegionObject *)self;
    int has_views;
    MR_LOCK(self)
    has_views = SPANS(r) != NULL;
    MR_UNLOCK()
    if (has_views && !handle_is_closed(&r->base)) {
        PyObject *repr = PyObject_Repr(self);
        PyErr_Format(PyExc_BufferError, "cannot detach %S: views of it are alive", repr ? repr : Py_None);
        Py_XDECREF(repr);
        return NULL;
    }
    uint64_t s = st_load(&r->base);
    for (;;) {
        if (s & ST_CLOSED)
            return handle_closed_error(&r->base);
        if (__atomic_compare_exchange_n(&r->base.state, &s, s | ST_CLOSED | ST_RELEASED, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    registry_remove(r);
    PyMem_Free(r->aux);
    r->aux = NULL;
    return PyLong_FromSsize_t(r->base.handle);
}

/* -- attributes ------------------------------------------------------------------------- */
static PyObject *
region_get_address(PyObject *self, void *closure)
{
    RegionObject *r = (RegionObject *)self;
    if (handle_is_closed(&r->base))
        return handle_closed_error(&r->base);
    return PyLong_FromSsize_t(r->base.handle);
}

static PyObject *
region_get_prot_bits(PyObject *self, void *closure)
{
    RegionObject *r = (RegionObject *)self;
    if (handle_is_closed(&r->base))
        return handle_closed_error(&r->base);
    int common = PROT_BITS;
    MR_LOCK(self)
    const unsigned char *pages = PAGES(r);
    if (pages == NULL) {
        common = r->base.prot;
    }
    else {
        for (Py_ssize_t p = 0; p < npages(r); p++)
            common &= pages[p];
    }
    MR_UNLOCK()
    return PyLong_FromLong(common);
}

static PyObject *
region_get_page_size(PyObject *self, void *closure)
{
    return PyLong_FromLong(mr_page_size);
}

static PyObject *
region_get_shared(PyObject *self, void *closure)
{
    return PyBool_FromLong(((RegionObject *)self)->base.flags & REGION_SHARED);
}

static PyObject *
region_get_file_backed(PyObject *self, void *closure)
{
    return PyBool_FromLong((((RegionObject *)self)->base.flags & REGION_FILE_BACKED) != 0);
}

static PyObject *
region_get_size(PyObject *self, void *closure)
{
    return PyLong_FromSsize_t(((RegionObject *)self)->size);
}

static PyObject *
region_get_maplen(PyObject *self, void *closure)
{
    return PyLong_FromSsize_t(maplen((RegionObject *)self));
}

static PyObject *
region_get_views(PyObject *self, void *closure)
{
    RegionObject *r = (RegionObject *)self;
    Py_ssize_t n = 0;
    MR_LOCK(self)
    for (SpanObject *sp = SPANS(r); sp != NULL; sp = sp->next)
        n += sp->exports;
    MR_UNLOCK()
    return PyLong_FromSsize_t(n);
}

static PyGetSetDef region_getset[] = {
    {"address", region_get_address, NULL,
     "The start address of the mapping, for callers that pass it to C.\n\nRaises:\n    ClosedResourceError: closed.",
     NULL},
    {"_prot_bits", region_get_prot_bits, NULL, "The protection of every page, or what all pages share.", NULL},
    {"page_size", region_get_page_size, NULL, "The page size: offsets of mprotect/madvise are multiples of it.",
     NULL},
    {"shared", region_get_shared, NULL, "Whether the mapping is MAP_SHARED (writes reach the file / a forked child).",
     NULL},
    {"_file_backed", region_get_file_backed, NULL, NULL, NULL},
    {"_size", region_get_size, NULL, NULL, NULL},
    {"_maplen", region_get_maplen, NULL, NULL, NULL},
    {"_views", region_get_views, NULL, "Buffers exported through view() and not yet released.", NULL},
    {NULL},
};

static PyMethodDef region_methods[] = {
    {"_new", (PyCFunction)(void (*)(void))region_new, METH_FASTCALL | METH_KEYWORDS | METH_CLASS, region_new_doc},
    {"_mmap", (PyCFunction)(void (*)(void))region_mmap, METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
     region_mmap_doc},
    {"view", (PyCFunction)(void (*)(void))region_view, METH_FASTCALL | METH_KEYWORDS, view_doc},
    {"mprotect", (PyCFunction)(void (*)(void))region_mprotect, METH_FASTCALL | METH_KEYWORDS, mprotect_doc},
    {"_range", (PyCFunction)(void (*)(void))region_range, METH_FASTCALL | METH_KEYWORDS, range_doc},
    {"_allows", (PyCFunction)(void (*)(void))region_allows, METH_FASTCALL, allows_doc},
    {"detach", region_detach, METH_NOARGS, region_detach_doc},
    {NULL},
};

static PyMappingMethods region_as_mapping = {
    .mp_length = region_length,
    .mp_subscript = region_subscript,
    .mp_ass_subscript = region_ass_subscript,
};

static PySequenceMethods region_as_sequence = {
    .sq_length = region_length,
    .sq_item = region_item,
};

PyTypeObject RegionBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.MappedRegionBase",
    .tp_basicsize = sizeof(RegionObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("MappedRegion's lifecycle, checked access and counted views."),
    .tp_base = &Handle_Type,
    .tp_methods = region_methods,
    .tp_getset = region_getset,
    .tp_as_mapping = &region_as_mapping,
    .tp_as_sequence = &region_as_sequence,
};
