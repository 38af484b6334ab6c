/* macres._core: the compiled core shared declarations.
 *
 * The core holds the lifecycle every macres object stands on (Handle and its
 * subtypes) and the hot calls.  src/macres/_pure/ is the readable reference
 * of the same contract, and the fallback where nothing compiles.
 *
 * Platform branches (#ifdef __APPLE__ / __linux__) appear only where the
 * two systems differ: struct stat's time fields, accept4/pipe2/pidfds,
 * SOCK_CLOEXEC.
 */
#ifndef MACRES_CORE_H
#define MACRES_CORE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <errno.h>
#include <stdint.h>

/* Bumped when the contract between this module and macres/_backend.py
 * changes; a stale build with another number is not loaded. */
#define MACRES_CORE_CONTRACT 7

/* -- per-object critical sections: nothing under the GIL, the C API's own
 * critical sections on a free-threaded build (3.13+). */
#ifdef Py_GIL_DISABLED
#define MR_LOCK(o) Py_BEGIN_CRITICAL_SECTION(o)
#define MR_UNLOCK() Py_END_CRITICAL_SECTION()
#else
#define MR_LOCK(o) {
#define MR_UNLOCK() }
#endif

/* -- the lifecycle state word (Go's internal/poll fdMutex, reduced) --------
 * bit 63: closed (close() or detach() happened: no new operation enters)
 * bit 62: released (the handle was released or given away: exactly once)
 * bits 0-61: references: operations in flight, a region's exported views,
 *            and close() itself while it interrupts.
 * The last reference out after a close does the real release. */
#define ST_CLOSED ((uint64_t)1 << 63)
#define ST_RELEASED ((uint64_t)1 << 62)
#define ST_REFS (ST_RELEASED - 1)

enum handle_kind { HK_PYTHON = 0, HK_FD = 1, HK_SOCKET = 2, HK_REGION = 3, HK_PROCESS = 4 };

typedef struct {
    PyObject_HEAD
    intptr_t handle;      /* descriptor, pidfd or address; valid while not released */
    uint64_t state;       /* see above; accessed with atomics only */
    PyObject *weakreflist;
    uint8_t kind;         /* enum handle_kind, fixed by the C base type */
    /* Small fields of the subtypes, kept in what would be padding (every
     * Python subclass instance also carries a 16-byte GC header, so bytes
     * count): a region's flags and page protection. */
    uint8_t flags;
    int16_t prot;
    /* Set (never cleared) once a task awaited readiness on the handle
     * (_await_enter): close() then calls the close hook, which wakes the
     * waiters, before the release.  One byte of what was padding. */
    uint8_t awaited;
} HandleObject;

typedef struct {
    HandleObject base;
    int family;
    int type;
    int proto;
    double timeout;       /* < 0: None (block); 0: never wait; > 0: seconds */
} SocketObject;

struct SpanObject;

#define REGION_SHARED 1
#define REGION_FILE_BACKED 2

typedef struct RegionObject_ {
    HandleObject base;
    Py_ssize_t size;      /* bytes asked for; the mapping is whole pages */
    /* base.prot: the protection of every page, or -1 when they differ;
     * base.flags: REGION_SHARED | REGION_FILE_BACKED. */
    /* What only some regions need, allocated while needed: the views with
     * live exports and the per-page protection while pages differ (one
     * pointer, so that a plain region is no bigger than an mmap.mmap). */
    struct RegionAux *aux;
    /* The registry of live mappings (live_mappings()): mapped, not yet unmapped. */
    struct RegionObject_ *reg_prev, *reg_next;
} RegionObject;

struct RegionAux {
    struct SpanObject *spans; /* views with live exports (a list, no references) */
    unsigned char pages[];    /* per-page protection, valid while base.prot == -1 */
};

typedef struct SpanObject {
    PyObject_HEAD
    RegionObject *region; /* strong reference */
    Py_ssize_t start, stop;
    int writable;         /* writable when made (the pages allowed it) */
    int exported_writable;
    Py_ssize_t exports;
    struct SpanObject *prev, *next;
} SpanObject;

typedef struct {
    HandleObject base;
    int pid;
    PyObject *status;     /* ExitStatus once reaped, else NULL */
    PyObject *usage;      /* ResourceUsage once reaped, else NULL */
} ProcessObject;

typedef struct {
    PyObject_HEAD
    int level;
    int number;
    uint8_t fast;         /* enum opt_fast */
    uint8_t readable;
    uint8_t writable;
    uint8_t available;
} SockOptSpecObject;

enum opt_fast { OPT_SLOW = 0, OPT_INT = 1, OPT_FD = 2, OPT_UINT = 3, OPT_BOOL = 4 };

/* -- types ------------------------------------------------------------------ */
extern PyTypeObject Handle_Type, FdHandle_Type, FileDescriptorBase_Type, SocketBase_Type, RegionBase_Type,
    ProcessBase_Type, CurrentProcessBase_Type, Span_Type, Stat_Type, Rusage_Type, ResourceUsage_Type, SockOptSpec_Type,
    DirectoryBase_Type, DirectoryEntry_Type, DirIter_Type;

/* -- module-wide references (set at import) -------------------------------- */
extern PyObject *mr_ClosedResourceError;
extern PyObject *mr_adopt_hook;        /* callable or NULL */
extern PyObject *mr_close_hook;        /* callable or NULL: wakes a closing handle's async waiters */
extern PyObject *mr_getdefaulttimeout; /* socket.getdefaulttimeout */
extern PyObject *mr_str_release, *mr_str_sockaddr, *mr_str_send, *mr_str_get, *mr_str_set,
    *mr_str_kind;
extern long mr_page_size;

/* -- the lifecycle (_core_handle.c) ----------------------------------------- */
static inline uint64_t st_load(HandleObject *h) { return __atomic_load_n(&h->state, __ATOMIC_ACQUIRE); }

/* Take a reference unless closed: 0 on success, -1 (nothing set) when closed. */
static inline int handle_try_enter(HandleObject *h)
{
    uint64_t s = st_load(h);
    for (;;) {
        if (s & ST_CLOSED)
            return -1;
        if (__atomic_compare_exchange_n(&h->state, &s, s + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return 0;
    }
}

PyObject *handle_closed_error(HandleObject *h);    /* sets ClosedResourceError, returns NULL */
int handle_release_once(HandleObject *h);          /* the last reference after close: release */

/* Take a reference, or set ClosedResourceError and return -1. */
static inline int handle_enter(HandleObject *h)
{
    if (handle_try_enter(h) == 0)
        return 0;
    handle_closed_error(h);
    return -1;
}

/* Drop a reference; the last one out after a close releases (-1: that release failed). */
static inline int handle_exit(HandleObject *h)
{
    if (__atomic_sub_fetch(&h->state, 1, __ATOMIC_ACQ_REL) != ST_CLOSED)
        return 0;
    return handle_release_once(h);
}

int handle_exit_after_error(HandleObject *h);      /* keeps the pending exception */
int handle_adopt(HandleObject *h, intptr_t handle); /* takes ownership; runs the adopt hook */
PyObject *handle_adopt_pair(HandleObject *a, int fd_a, HandleObject *b, int fd_b); /* steals a and b */
int handle_close(HandleObject *h);                 /* the close() protocol; -1 on release error */
int handle_is_closed(HandleObject *h);
/* A socket operation failed while the socket was being closed: replace the
 * error by ClosedResourceError (chained).  Returns -1 always. */
int handle_closed_instead(HandleObject *h);

/* -- helpers (_core.c) --------------------------------------------------------- */
int mr_parse(const char *fname, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
             const char *const *names, Py_ssize_t required, Py_ssize_t total, PyObject **out);

/* Parse a METH_FASTCALL|METH_KEYWORDS call into out[total] (NULL: not given),
 * returning NULL from the calling function on bad arguments.  Positional calls
 * take the fast path; keywords go through mr_parse. */
#define PARSE(fname, names, required, total, out)                                                            \
    do {                                                                                                     \
        if (kwnames == NULL && nargs >= (required) && nargs <= (total)) {                                    \
            for (Py_ssize_t i_ = 0; i_ < (total); i_++)                                                      \
                (out)[i_] = i_ < nargs ? args[i_] : NULL;                                                    \
        }                                                                                                    \
        else if (mr_parse(fname, args, nargs, kwnames, names, required, total, out) < 0) {                  \
            return NULL;                                                                                     \
        }                                                                                                    \
    } while (0)

int mr_ssize(PyObject *obj, Py_ssize_t *out);      /* index -> Py_ssize_t (OverflowError) */
int mr_int(PyObject *obj, int *out, const char *what); /* index -> C int (OverflowError) */
int mr_off(PyObject *obj, long long *out);         /* index -> off_t range (OverflowError) */
PyObject *mr_oserror(int err);                     /* OSError(err, strerror); NULL */
PyObject *mr_oserror_msg(int err, const char *msg);
int mr_writable_buffer(PyObject *obj, Py_buffer *view); /* TypeError read-only, ValueError non-contiguous */
int mr_readable_buffer(PyObject *obj, Py_buffer *view); /* ValueError for non-contiguous buffers */
double mr_monotonic(void);
/* A path argument as C string: an ASCII str shares its own bytes where the
 * file system encoding is UTF-8, anything else goes through os.fsencode. */
typedef struct {
    const char *s;
    PyObject *owner;
} mr_path;
int mr_path_convert(PyObject *obj, mr_path *p); /* TypeError, ValueError (NUL byte) */
void mr_path_release(mr_path *p);
const char *mr_type_name(PyTypeObject *t);     /* the name after the last dot */

/* -- fault injection (macres.testing.faults) --------------------------------
 * mr_faults_armed is nonzero while a fault plan is active in some thread.
 * Then every system call site asks the plan first (mr_fault_slow calls the
 * Python hook with the call's name and byte count): 0 makes the call (with
 * *len shortened for a short transfer), -1 fails it with errno set (EINTR
 * runs the retry path), or with an exception set and errno 0.  Inactive, a
 * site costs one load and one predictable branch. */
/* Hidden: one RIP-relative load, not a load through the GOT (and no register kept for it). */
extern int mr_faults_armed __attribute__((visibility("hidden")));
#ifdef MACRES_NO_FAULT_POINTS /* bench/fault_points.py builds without them, to count their cost */
#define MR_FAULTS_ARMED() 0
#else
#define MR_FAULTS_ARMED() __atomic_load_n(&mr_faults_armed, __ATOMIC_RELAXED)
#endif
__attribute__((cold, noinline)) int mr_fault_slow(const char *call, size_t *len);
static inline int mr_fault(const char *call, size_t *len)
{
    if (__builtin_expect(MR_FAULTS_ARMED() == 0, 1))
        return 0;
    if (len == NULL)
        return mr_fault_slow(call, NULL);
    /* A copy: the caller's count does not escape, so it stays in a register. */
    size_t copy = *len;
    int r = mr_fault_slow(call, &copy);
    *len = copy;
    return r;
}

/* Run a system call, retrying EINTR unless a signal handler raised.  After
 * it, a negative result means failure: an exception is set when a handler
 * (or the fault hook) raised, else errno holds the error.  The call's name
 * for fault plans is the expression's first word ("read(fd, ...)": read);
 * MR_SYSCALL_LEN also names the size_t variable holding the byte count, which
 * a short-transfer fault may lower before the call. */
#define MR_SYSCALL_CALL(result, call, lenp, expr)                                                           \
    do {                                                                                                     \
        int err_;                                                                                            \
        for (;;) {                                                                                           \
            if (mr_fault((call), (lenp)) < 0) {                                                              \
                result = -1;                                                                                 \
                err_ = errno;                                                                                \
            }                                                                                                \
            else {                                                                                           \
                Py_BEGIN_ALLOW_THREADS                                                                       \
                result = (expr);                                                                             \
                err_ = errno;                                                                                \
                Py_END_ALLOW_THREADS                                                                         \
            }                                                                                                \
            if (result < 0 && err_ == EINTR && PyErr_CheckSignals() == 0)                                    \
                continue;                                                                                    \
            break;                                                                                           \
        }                                                                                                    \
        errno = err_;                                                                                        \
    } while (0)
#define MR_SYSCALL(result, expr) MR_SYSCALL_CALL(result, #expr, NULL, expr)
#define MR_SYSCALL_LEN(result, len, expr) MR_SYSCALL_CALL(result, #expr, &(len), expr)

/* -- values (_core_values.c) ----------------------------------------------- */
struct stat;
struct rusage;
PyObject *mr_stat_new(const struct stat *st);
PyObject *mr_rusage_new(PyTypeObject *type, const struct rusage *ru);
void mr_values_init(void);

/* -- calls shared by the raw layer and the objects ------------------------- */
PyObject *mr_fstat_fd(int fd);
int mr_cached_pid(void);

/* -- sockets (_core_socket.c) ---------------------------------------------- */
PyObject *mr_sockaddr_decode(const void *sa, Py_ssize_t len);
int mr_setnonblocking(int fd, int nonblocking);

/* -- region (_core_region.c) ----------------------------------------------- */
int mr_region_release(RegionObject *r);
PyObject *mr_live_mappings(PyObject *module, PyObject *unused);

/* -- module tables per file -------------------------------------------------- */
extern PyMethodDef mr_raw_methods[];
int mr_types_ready(PyObject *module);

#endif
