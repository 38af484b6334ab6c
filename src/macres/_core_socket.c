/* Sockets: Socket's hot calls, typed int/bool options, and the raw bindings
 * of getsockopt, setsockopt, sendto and recvfrom.
 *
 * Timeouts follow the stdlib: a negative timeout blocks in the kernel, 0
 * never waits (BlockingIOError), a positive one keeps the descriptor
 * non-blocking and waits with poll(2) until a deadline.  An operation that
 * fails once close() began (a blocked call woken by its shutdown) raises
 * ClosedResourceError chained to the OSError, as the pure reference
 * (macres/_pure/socket.py) does.
 *
 * Addresses of AF_INET, AF_INET6 and AF_UNIX are decoded here with the same
 * results as macres.raw._sockaddr; other families go to its decoder (the
 * stdlib's forms of netlink, packet, vsock, ... addresses; the sockaddr's
 * bytes for the rest).  Encoding is done here only for numeric hosts and
 * plain paths; anything else (host names, other families, malformed input
 * and its error messages) goes to the Python encoder.
 */
#include "_core.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MR_IO_MAX ((size_t)INT_MAX)
/* Timeouts are shorter than this many seconds, as the stdlib's (2**63 ns). */
#define MR_TIMEOUT_LIMIT (9223372036854775808.0 / 1e9)

/* -- addresses --------------------------------------------------------------- */
static PyObject *sockaddr_module = NULL;

/* macres.raw's encode_sockaddr/decode_sockaddr: the Python conversions of the
 * families this file leaves alone (they never call back into it). */
static PyObject *
sockaddr_function(const char *name)
{
    if (sockaddr_module == NULL) {
        sockaddr_module = PyImport_ImportModule("macres.raw");
        if (sockaddr_module == NULL)
            return NULL;
    }
    return PyObject_GetAttrString(sockaddr_module, name);
}

PyObject *
mr_sockaddr_decode(const void *data, Py_ssize_t len)
{
    const struct sockaddr *sa = data;
    if (len <= 0)
        Py_RETURN_NONE;
    if (len > (Py_ssize_t)sizeof(struct sockaddr_storage))
        len = sizeof(struct sockaddr_storage);
    if ((size_t)len < offsetof(struct sockaddr, sa_family) + sizeof sa->sa_family)
        return PyBytes_FromStringAndSize(data, len);
    char host[INET6_ADDRSTRLEN];
    switch (sa->sa_family) {
    case AF_INET:
        if ((size_t)len >= sizeof(struct sockaddr_in)) {
            const struct sockaddr_in *sin = data;
            if (inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host) == NULL)
                return mr_oserror(errno);
            return Py_BuildValue("(si)", host, (int)ntohs(sin->sin_port));
        }
        break;
    case AF_INET6:
        if ((size_t)len >= sizeof(struct sockaddr_in6)) {
            const struct sockaddr_in6 *sin6 = data;
            if (inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host) == NULL)
                return mr_oserror(errno);
            return Py_BuildValue("(siII)", host, (int)ntohs(sin6->sin6_port),
                                 (unsigned int)ntohl(sin6->sin6_flowinfo), (unsigned int)sin6->sin6_scope_id);
        }
        break;
    case AF_UNIX: {
        const struct sockaddr_un *sun = data;
        Py_ssize_t off = (Py_ssize_t)offsetof(struct sockaddr_un, sun_path);
        Py_ssize_t n = len - off;
        if (n < 0)
            n = 0;
        if (n > (Py_ssize_t)sizeof sun->sun_path)
            n = sizeof sun->sun_path;
#ifdef __linux__
        if (n > 0 && sun->sun_path[0] == '\0') /* an abstract name: bytes */
            return PyBytes_FromStringAndSize(sun->sun_path, n);
#endif
        const char *nul = memchr(sun->sun_path, '\0', (size_t)n);
        return PyUnicode_DecodeFSDefaultAndSize(sun->sun_path, nul ? nul - sun->sun_path : n);
    }
    case AF_UNSPEC:
        break;
    default: {
        /* The other families the stdlib knows (netlink, packet, vsock, ...)
         * have their forms in Python, which gives bytes for the rest. */
        PyObject *decode = sockaddr_function("decode_sockaddr");
        if (decode == NULL)
            return NULL;
        PyObject *r = PyObject_CallFunction(decode, "y#", (const char *)data, len);
        Py_DECREF(decode);
        return r;
    }
    }
    return PyBytes_FromStringAndSize(data, len);
}

/* Encode the simple, valid forms: 1 done, 0 not simple (use Python), -1 error. */
static int
encode_simple(int family, PyObject *address, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET || family == AF_INET6) {
        if (!PyTuple_CheckExact(address))
            return 0;
        Py_ssize_t n = PyTuple_GET_SIZE(address);
        if (n < 2 || n > (family == AF_INET ? 2 : 4))
            return 0;
        PyObject *host = PyTuple_GET_ITEM(address, 0), *port = PyTuple_GET_ITEM(address, 1);
        if (!PyUnicode_CheckExact(host) || !PyLong_CheckExact(port))
            return 0;
        Py_ssize_t hlen;
        const char *h = PyUnicode_AsUTF8AndSize(host, &hlen);
        if (h == NULL) {
            PyErr_Clear();
            return 0;
        }
        if (hlen == 0 || (Py_ssize_t)strlen(h) != hlen || strchr(h, '%') != NULL)
            return 0;
        long p = PyLong_AsLong(port);
        if (p < 0 || p > 0xFFFF) {
            PyErr_Clear();
            return 0;
        }
        if (family == AF_INET) {
            struct sockaddr_in *sin = (struct sockaddr_in *)ss;
            if (inet_pton(AF_INET, h, &sin->sin_addr) != 1)
                return 0;
#ifdef __APPLE__
            sin->sin_len = sizeof *sin;
#endif
            sin->sin_family = AF_INET;
            sin->sin_port = htons((unsigned short)p);
            *len = sizeof *sin;
            return 1;
        }
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        unsigned long flowinfo = 0, scope = 0;
        if (n > 2) {
            PyObject *f = PyTuple_GET_ITEM(address, 2);
            if (!PyLong_CheckExact(f))
                return 0;
            flowinfo = PyLong_AsUnsignedLong(f);
            if (PyErr_Occurred() || flowinfo > 0xFFFFFUL) {
                PyErr_Clear();
                return 0;
            }
        }
        if (n > 3) {
            PyObject *s = PyTuple_GET_ITEM(address, 3);
            if (!PyLong_CheckExact(s))
                return 0;
            scope = PyLong_AsUnsignedLong(s);
            if (PyErr_Occurred() || scope > 0xFFFFFFFFUL) {
                PyErr_Clear();
                return 0;
            }
        }
        if (inet_pton(AF_INET6, h, &sin6->sin6_addr) != 1)
            return 0;
#ifdef __APPLE__
        sin6->sin6_len = sizeof *sin6;
#endif
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((unsigned short)p);
        sin6->sin6_flowinfo = htonl((uint32_t)flowinfo);
        sin6->sin6_scope_id = (uint32_t)scope;
        *len = sizeof *sin6;
        return 1;
    }
    if (family == AF_UNIX) {
        const char *path;
        Py_ssize_t plen;
        if (PyUnicode_CheckExact(address)) {
            path = PyUnicode_AsUTF8AndSize(address, &plen);
            if (path == NULL) {
                PyErr_Clear();
                return 0;
            }
            /* Only ASCII: other str paths go through os.fsencode in Python. */
            if (!PyUnicode_IS_ASCII(address))
                return 0;
        }
        else if (PyBytes_CheckExact(address)) {
            path = PyBytes_AS_STRING(address);
            plen = PyBytes_GET_SIZE(address);
        }
        else {
            return 0;
        }
        struct sockaddr_un *sun = (struct sockaddr_un *)ss;
        if (plen == 0 || plen > (Py_ssize_t)sizeof sun->sun_path || memchr(path, '\0', (size_t)plen) != NULL)
            return 0;
        sun->sun_family = AF_UNIX;
        memcpy(sun->sun_path, path, (size_t)plen);
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen);
#ifdef __APPLE__
        sun->sun_len = (unsigned char)*len;
#endif
        return 1;
    }
    return 0;
}

/* Copy sockaddr bytes returned by a Python encoder into *ss*. */
static int
copy_encoded(PyObject *encoded, struct sockaddr_storage *ss, socklen_t *len)
{
    if (!PyBytes_Check(encoded) || PyBytes_GET_SIZE(encoded) > (Py_ssize_t)sizeof *ss) {
        PyErr_SetString(PyExc_TypeError, "the address encoder must return sockaddr bytes");
        return -1;
    }
    memset(ss, 0, sizeof *ss);
    memcpy(ss, PyBytes_AS_STRING(encoded), (size_t)PyBytes_GET_SIZE(encoded));
    *len = (socklen_t)PyBytes_GET_SIZE(encoded);
    return 0;
}

/* -- waiting ---------------------------------------------------------------------- */
/* Wait until fd is ready or raise TimeoutError at the deadline. */
static int
wait_ready(int fd, int writing, double deadline)
{
    for (;;) {
        double remaining = deadline - mr_monotonic();
        if (remaining <= 0) {
            PyErr_SetString(PyExc_TimeoutError, "timed out");
            return -1;
        }
        struct pollfd p = {.fd = fd, .events = writing ? POLLOUT : POLLIN};
        double ms = remaining * 1000.0;
        int timeout = ms >= (double)INT_MAX ? INT_MAX : (int)ms + (ms > (int)ms);
        int r, err;
        Py_BEGIN_ALLOW_THREADS
        r = poll(&p, 1, timeout);
        err = errno;
        Py_END_ALLOW_THREADS
        if (r > 0)
            return 0;
        if (r == 0) {
            PyErr_SetString(PyExc_TimeoutError, "timed out");
            return -1;
        }
        if (err != EINTR) {
            mr_oserror(err);
            return -1;
        }
        if (PyErr_CheckSignals() < 0)
            return -1;
    }
}

struct io_ctx {
    char *buf;
    size_t len;
    int flags;
    struct sockaddr_storage addr;
    socklen_t addrlen;
};

typedef ssize_t (*sock_fn)(int fd, void *ctx);

static ssize_t do_send(int fd, void *p), do_recv(int fd, void *p), do_sendto(int fd, void *p),
    do_recvfrom(int fd, void *p);

/* What a fault plan calls fn, and its byte count (io_ctx.len) when it moves bytes. */
static const char *
sock_fn_name(sock_fn fn, void *ctx, size_t **len)
{
    const char *name = fn == do_send ? "send" : fn == do_recv ? "recv" : fn == do_sendto ? "sendto"
                     : fn == do_recvfrom ? "recvfrom" : NULL;
    *len = name ? &((struct io_ctx *)ctx)->len : NULL;
    return name ? name : "accept";
}

/* The fault plan's answer for this attempt of fn (see mr_fault). */
static int
sock_fault(sock_fn fn, void *ctx)
{
    size_t *len;
    const char *name = sock_fn_name(fn, ctx, &len);
    return mr_fault_slow(name, len);
}

/* One socket call under the timeout rules.  -1: an exception is set. */
static ssize_t
sock_call(SocketObject *s, int writing, sock_fn fn, void *ctx, double *deadline)
{
    int fd = (int)s->base.handle;
    for (;;) {
        ssize_t r;
        int err;
        if (__builtin_expect(MR_FAULTS_ARMED() != 0, 0) && sock_fault(fn, ctx) < 0) {
            r = -1;
            err = errno;
            if (PyErr_Occurred())
                return -1;
        }
        else {
            Py_BEGIN_ALLOW_THREADS
            r = fn(fd, ctx);
            err = errno;
            Py_END_ALLOW_THREADS
        }
        if (r >= 0)
            return r;
        if (err == EINTR) {
            if (PyErr_CheckSignals() < 0)
                return -1;
            continue;
        }
        if (s->timeout > 0 && (err == EAGAIN || err == EWOULDBLOCK)) {
            if (handle_is_closed(&s->base)) { /* woken by close(): a shut-down listener stays ready */
                handle_closed_error(&s->base);
                return -1;
            }
            if (*deadline == 0)
                *deadline = mr_monotonic() + s->timeout;
            if (wait_ready(fd, writing, *deadline) < 0)
                return -1;
            continue;
        }
        mr_oserror(err);
        return -1;
    }
}

/* The error path of every socket operation: report a close-caused error as
 * ClosedResourceError, then drop the operation's reference. */
static PyObject *
sock_fail(SocketObject *s)
{
    handle_closed_instead(&s->base);
    handle_exit_after_error(&s->base);
    return NULL;
}

static ssize_t
do_send(int fd, void *p)
{
    struct io_ctx *c = p;
    return send(fd, c->buf, c->len, c->flags);
}

static ssize_t
do_recv(int fd, void *p)
{
    struct io_ctx *c = p;
    return recv(fd, c->buf, c->len, c->flags);
}

static ssize_t
do_sendto(int fd, void *p)
{
    struct io_ctx *c = p;
    return sendto(fd, c->buf, c->len, c->flags, (struct sockaddr *)&c->addr, c->addrlen);
}

static ssize_t
do_recvfrom(int fd, void *p)
{
    struct io_ctx *c = p;
    c->addrlen = sizeof c->addr;
    return recvfrom(fd, c->buf, c->len, c->flags, (struct sockaddr *)&c->addr, &c->addrlen);
}

static int
flags_arg(PyObject *obj, int *flags)
{
    *flags = 0;
    return obj == NULL ? 0 : mr_int(obj, flags, "flags");
}

#define SOCK(self) ((SocketObject *)(self))

/* -- Socket methods ---------------------------------------------------------------- */
PyDoc_STRVAR(send_doc, "send(data, flags=0)\n--\n\n"
"send(2): send *data* (maybe partly); return the count sent.\n\n"
"Raises:\n    BlockingIOError: timeout 0.0 and no room.  TimeoutError: the timeout passed.\n"
"    BrokenPipeError, ConnectionResetError, OSError: the call failed.");

static PyObject *
sock_send(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"data", "flags"};
    PyObject *a[2];
    PARSE("send", names, 1, 2, a);
    struct io_ctx c;
    if (flags_arg(a[1], &c.flags) < 0)
        return NULL;
    Py_buffer view;
    if (mr_readable_buffer(a[0], &view) < 0)
        return NULL;
    if (handle_enter(&SOCK(self)->base) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    c.buf = view.buf;
    c.len = (size_t)view.len > MR_IO_MAX ? MR_IO_MAX : (size_t)view.len;
    double deadline = 0;
    ssize_t r = sock_call(SOCK(self), 1, do_send, &c, &deadline);
    PyBuffer_Release(&view);
    if (r < 0)
        return sock_fail(SOCK(self));
    if (handle_exit(&SOCK(self)->base) < 0)
        return NULL;
    return PyLong_FromSsize_t(r);
}

PyDoc_STRVAR(sendall_doc, "sendall(data, flags=0)\n--\n\n"
"Send all of *data*; the timeout covers the whole transfer.\n\n"
"Raises:\n    TimeoutError: the timeout passed (some data may have been sent).\n"
"    BlockingIOError: timeout 0.0 and no room.  OSError: the call failed.");

static PyObject *
sock_sendall(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"data", "flags"};
    PyObject *a[2];
    PARSE("sendall", names, 1, 2, a);
    struct io_ctx c;
    if (flags_arg(a[1], &c.flags) < 0)
        return NULL;
    Py_buffer view;
    if (mr_readable_buffer(a[0], &view) < 0)
        return NULL;
    if (handle_enter(&SOCK(self)->base) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    double deadline = 0;
    Py_ssize_t done = 0;
    while (1) {
        c.buf = (char *)view.buf + done;
        c.len = (size_t)(view.len - done);
        if (c.len > MR_IO_MAX)
            c.len = MR_IO_MAX;
        ssize_t r = sock_call(SOCK(self), 1, do_send, &c, &deadline);
        if (r < 0) {
            PyBuffer_Release(&view);
            return sock_fail(SOCK(self));
        }
        done += r;
        if (done >= view.len)
            break;
        /* PEP 475: a signal handler runs between the parts, and may raise. */
        if (PyErr_CheckSignals() < 0) {
            PyBuffer_Release(&view);
            return sock_fail(SOCK(self));
        }
    }
    PyBuffer_Release(&view);
    if (handle_exit(&SOCK(self)->base) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(recv_doc, "recv(bufsize, flags=0)\n--\n\n"
"recv(2): up to *bufsize* bytes; b\"\" at end of stream.\n\n"
"Raises:\n    ValueError: *bufsize* negative.  BlockingIOError: timeout 0.0 and nothing there.\n"
"    TimeoutError: the timeout passed.  OSError: the call failed.");

static PyObject *
recv_bytes(SocketObject *s, Py_ssize_t n, int flags, int with_address)
{
    if (handle_enter(&s->base) < 0)
        return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) {
        handle_exit_after_error(&s->base);
        return NULL;
    }
    struct io_ctx c = {.buf = PyBytes_AS_STRING(b), .len = (size_t)n > MR_IO_MAX ? MR_IO_MAX : (size_t)n,
                       .flags = flags};
    double deadline = 0;
    ssize_t r = sock_call(s, 0, with_address ? do_recvfrom : do_recv, &c, &deadline);
    if (r < 0) {
        Py_DECREF(b);
        return sock_fail(s);
    }
    if (r != n && _PyBytes_Resize(&b, r) < 0) {
        handle_exit_after_error(&s->base);
        return NULL;
    }
    if (handle_exit(&s->base) < 0) {
        Py_DECREF(b);
        return NULL;
    }
    if (!with_address)
        return b;
    PyObject *addr = mr_sockaddr_decode(&c.addr, c.addrlen);
    if (addr == NULL) {
        Py_DECREF(b);
        return NULL;
    }
    return Py_BuildValue("(NN)", b, addr);
}

static PyObject *
sock_recv(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"bufsize", "flags"};
    PyObject *a[2];
    PARSE("recv", names, 1, 2, a);
    Py_ssize_t n;
    int flags;
    if (mr_ssize(a[0], &n) < 0 || flags_arg(a[1], &flags) < 0)
        return NULL;
    if (n < 0) {
        PyErr_Format(PyExc_ValueError, "negative buffersize in recv: %zd", n);
        return NULL;
    }
    return recv_bytes(SOCK(self), n, flags, 0);
}

PyDoc_STRVAR(recvfrom_doc, "recvfrom(bufsize, flags=0)\n--\n\n"
"recvfrom(2): (data, sender address); the address is None when the kernel gives none.\n\n"
"Raises:\n    ValueError: *bufsize* negative.  BlockingIOError, TimeoutError, OSError: as recv.");

static PyObject *
sock_recvfrom(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"bufsize", "flags"};
    PyObject *a[2];
    PARSE("recvfrom", names, 1, 2, a);
    Py_ssize_t n;
    int flags;
    if (mr_ssize(a[0], &n) < 0 || flags_arg(a[1], &flags) < 0)
        return NULL;
    if (n < 0) {
        PyErr_Format(PyExc_ValueError, "negative buffersize in recvfrom: %zd", n);
        return NULL;
    }
    return recv_bytes(SOCK(self), n, flags, 1);
}

/* recv_into/recvfrom_into: a writable buffer, at most nbytes (0: all of it). */
static PyObject *
recv_into(SocketObject *s, PyObject *buffer, PyObject *nbytes_obj, PyObject *flags_obj, int with_address)
{
    Py_ssize_t nbytes = 0;
    int flags;
    if ((nbytes_obj != NULL && mr_ssize(nbytes_obj, &nbytes) < 0) || flags_arg(flags_obj, &flags) < 0)
        return NULL;
    if (nbytes < 0) {
        PyErr_Format(PyExc_ValueError, "size must not be negative, got %zd", nbytes);
        return NULL;
    }
    Py_buffer view;
    if (mr_writable_buffer(buffer, &view) < 0)
        return NULL;
    if (nbytes > view.len) {
        PyErr_Format(PyExc_ValueError, "buffer holds %zd bytes, fewer than the %zd asked for", view.len, nbytes);
        PyBuffer_Release(&view);
        return NULL;
    }
    if (handle_enter(&s->base) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    size_t len = (size_t)(nbytes ? nbytes : view.len);
    struct io_ctx c = {.buf = view.buf, .len = len > MR_IO_MAX ? MR_IO_MAX : len, .flags = flags};
    double deadline = 0;
    ssize_t r = sock_call(s, 0, with_address ? do_recvfrom : do_recv, &c, &deadline);
    PyBuffer_Release(&view);
    if (r < 0)
        return sock_fail(s);
    if (handle_exit(&s->base) < 0)
        return NULL;
    if (!with_address)
        return PyLong_FromSsize_t(r);
    PyObject *addr = mr_sockaddr_decode(&c.addr, c.addrlen);
    if (addr == NULL)
        return NULL;
    return Py_BuildValue("(nN)", (Py_ssize_t)r, addr);
}

PyDoc_STRVAR(recv_into_doc, "recv_into(buffer, nbytes=0, flags=0)\n--\n\n"
"recv(2) into the writable *buffer* (at most *nbytes*, 0 for all of it); return the count.\n\n"
"Raises:\n    TypeError: read-only buffer.  ValueError: *nbytes* negative or past the buffer.\n"
"    BlockingIOError, TimeoutError, OSError: as recv.");

static PyObject *
sock_recv_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"buffer", "nbytes", "flags"};
    PyObject *a[3];
    PARSE("recv_into", names, 1, 3, a);
    return recv_into(SOCK(self), a[0], a[1], a[2], 0);
}

PyDoc_STRVAR(recvfrom_into_doc, "recvfrom_into(buffer, nbytes=0, flags=0)\n--\n\n"
"recvfrom(2) into *buffer* (at most *nbytes*, 0 for all of it): (count, sender address).\n\n"
"Raises:\n    TypeError: read-only buffer.  ValueError: *nbytes* negative or past the buffer.\n"
"    BlockingIOError, TimeoutError, OSError: as recv.");

static PyObject *
sock_recvfrom_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"buffer", "nbytes", "flags"};
    PyObject *a[3];
    PARSE("recvfrom_into", names, 1, 3, a);
    return recv_into(SOCK(self), a[0], a[1], a[2], 1);
}

PyDoc_STRVAR(sendto_doc, "sendto(data, [flags,] address)\n--\n\n"
"sendto(2): one datagram to *address*; return the count.\n\n"
"Raises:\n    TypeError, ValueError, OverflowError: a malformed address, before any call.\n"
"    BlockingIOError, TimeoutError, OSError: as send.");

static PyObject *
sock_sendto(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    SocketObject *s = SOCK(self);
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames)) {
        PyErr_SetString(PyExc_TypeError, "sendto() takes no keyword arguments");
        return NULL;
    }
    if (nargs != 2 && nargs != 3) {
        PyErr_Format(PyExc_TypeError, "sendto() takes 2 or 3 arguments (%zd given)", nargs);
        return NULL;
    }
    struct io_ctx c;
    PyObject *address = args[nargs - 1];
    c.flags = 0;
    if (nargs == 3 && mr_int(args[1], &c.flags, "flags") < 0)
        return NULL;
    if (address == Py_None) {
        PyErr_SetString(PyExc_TypeError, "sendto() needs an address");
        return NULL;
    }
    int simple = encode_simple(s->family, address, &c.addr, &c.addrlen);
    if (simple < 0)
        return NULL;
    if (simple == 0) {
        PyObject *encoded = PyObject_CallMethodOneArg(self, mr_str_sockaddr, address);
        if (encoded == NULL)
            return NULL;
        int rc = copy_encoded(encoded, &c.addr, &c.addrlen);
        Py_DECREF(encoded);
        if (rc < 0)
            return NULL;
    }
    Py_buffer view;
    if (mr_readable_buffer(args[0], &view) < 0)
        return NULL;
    if (handle_enter(&s->base) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    c.buf = view.buf;
    c.len = (size_t)view.len > MR_IO_MAX ? MR_IO_MAX : (size_t)view.len;
    double deadline = 0;
    ssize_t r = sock_call(s, 1, do_sendto, &c, &deadline);
    PyBuffer_Release(&view);
    if (r < 0)
        return sock_fail(s);
    if (handle_exit(&s->base) < 0)
        return NULL;
    return PyLong_FromSsize_t(r);
}

int
mr_setnonblocking(int fd, int nonblocking)
{
    int on = nonblocking ? 1 : 0;
    if (ioctl(fd, FIONBIO, &on) < 0)
        return -1;
    return 0;
}

struct accept_ctx {
    struct sockaddr_storage addr;
    socklen_t addrlen;
};

static ssize_t
do_accept(int fd, void *p)
{
    struct accept_ctx *c = p;
    c->addrlen = sizeof c->addr;
#ifdef __linux__
    return accept4(fd, (struct sockaddr *)&c->addr, &c->addrlen, SOCK_CLOEXEC);
#else
    /* macOS has no accept4: FD_CLOEXEC follows at once, in the caller; a
     * fork+exec in another thread between the two inherits the connection. */
    return accept(fd, (struct sockaddr *)&c->addr, &c->addrlen);
#endif
}

PyDoc_STRVAR(accept_doc, "accept()\n--\n\n"
"accept(2): return (connection, peer address); the connection is close-on-exec.\n\n"
"On Linux this is accept4(SOCK_CLOEXEC): the descriptor is never inheritable,\n"
"not even for an instant.  macOS has no accept4: there FD_CLOEXEC is set by the\n"
"next call, and a fork+exec in another thread between the two inherits the\n"
"connection.  The new socket's timeout is the default timeout, as in the stdlib.\n\n"
"Raises:\n    BlockingIOError: timeout 0.0 and nothing pending.  TimeoutError: the timeout passed.\n"
"    ClosedResourceError: the socket was closed (also while waiting here).\n"
"    OSError: EINVAL (not listening), EMFILE, ECONNABORTED.");

static PyObject *
sock_accept(PyObject *self, PyObject *unused)
{
    SocketObject *s = SOCK(self);
    PyTypeObject *type = Py_TYPE(self);
    PyObject *timeout = PyObject_CallNoArgs(mr_getdefaulttimeout);
    if (timeout == NULL)
        return NULL;
    double seconds = timeout == Py_None ? -1.0 : PyFloat_AsDouble(timeout);
    Py_DECREF(timeout);
    if (seconds == -1.0 && PyErr_Occurred())
        return NULL;
    SocketObject *conn = (SocketObject *)type->tp_new(type, NULL, NULL);
    if (conn == NULL)
        return NULL;
    if (handle_enter(&s->base) < 0) {
        Py_DECREF(conn);
        return NULL;
    }
    struct accept_ctx c;
    double deadline = 0;
    ssize_t fd = sock_call(s, 0, do_accept, &c, &deadline);
    if (fd < 0) {
        Py_DECREF(conn);
        return sock_fail(s);
    }
    int bad = 0;
#ifndef __linux__
    bad = fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0;
    /* An accepted socket inherits O_NONBLOCK from the listener there: set it. */
    if (!bad)
        bad = mr_setnonblocking((int)fd, seconds >= 0) < 0;
#else
    if (seconds >= 0)
        bad = mr_setnonblocking((int)fd, 1) < 0;
#endif
    if (bad) {
        int err = errno;
        close((int)fd);
        Py_DECREF(conn);
        mr_oserror(err);
        return sock_fail(s);
    }
    conn->family = s->family;
    conn->type = s->type;
    conn->proto = s->proto;
    conn->timeout = seconds;
    if (handle_adopt(&conn->base, (intptr_t)fd) < 0) { /* the adopt hook failed: conn closes fd */
        Py_DECREF(conn);
        handle_exit_after_error(&s->base);
        return NULL;
    }
    if (handle_exit(&s->base) < 0) {
        Py_DECREF(conn);
        return NULL;
    }
    PyObject *addr = mr_sockaddr_decode(&c.addr, c.addrlen);
    if (addr == NULL) {
        Py_DECREF(conn);
        return NULL;
    }
    return Py_BuildValue("(NN)", conn, addr);
}

/* -- construction: socket(2) and socketpair(2), owned in the same step ------------------ */
/* The default timeout, as the stdlib gives it to new sockets (-1.0: None). */
static int
default_timeout(double *seconds)
{
    PyObject *timeout = PyObject_CallNoArgs(mr_getdefaulttimeout);
    if (timeout == NULL)
        return -1;
    *seconds = timeout == Py_None ? -1.0 : PyFloat_AsDouble(timeout);
    Py_DECREF(timeout);
    return *seconds == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/* Make fd close-on-exec where socket(2) could not (macOS), and non-blocking
 * when asked (a timeout other than None); on failure close it.  -1 with errno. */
static int
setup_new_fd(int fd, int nonblocking)
{
    int bad = 0;
#ifndef __linux__
    bad = fcntl(fd, F_SETFD, FD_CLOEXEC) < 0;
#endif
    if (!bad && nonblocking)
        bad = mr_setnonblocking(fd, 1) < 0;
    if (bad) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    return 0;
}

/* Convert family, type, proto; the timeout a new socket of *type* gets
 * (0.0 for Linux's SOCK_NONBLOCK, else the default), whether O_NONBLOCK must
 * then be set, and the type for the call. */
static int
new_socket_args(PyObject *const *a, int *family, int *type, int *proto, double *timeout, int *set_nonblocking,
                int *call_type)
{
    *family = AF_INET;
    *type = SOCK_STREAM;
    *proto = 0;
    if ((a[0] != NULL && mr_int(a[0], family, "family") < 0) || (a[1] != NULL && mr_int(a[1], type, "type") < 0) ||
        (a[2] != NULL && mr_int(a[2], proto, "proto") < 0))
        return -1;
    *call_type = *type;
    *timeout = -1.0;
#ifdef SOCK_NONBLOCK
    if (*type & SOCK_NONBLOCK)
        *timeout = 0.0;
#endif
#ifdef SOCK_CLOEXEC
    *call_type |= SOCK_CLOEXEC;
#endif
    *set_nonblocking = 0;
    if (*timeout < 0) {
        if (default_timeout(timeout) < 0)
            return -1;
        *set_nonblocking = *timeout >= 0;
    }
    return 0;
}

static void
record_socket(SocketObject *s, int family, int type, int proto, double timeout)
{
    s->family = family;
    s->type = type & 0xF; /* Linux or-s creation flags into the type: the type proper is the low bits */
    s->proto = proto;
    s->timeout = timeout;
}

PyDoc_STRVAR(sock_open_doc, "_open(family, type, proto)\n--\n\n"
"socket(2), close-on-exec, owned by this new object in the same step as it is\n"
"made.  *type* may carry Linux's SOCK_NONBLOCK (timeout 0.0); otherwise the\n"
"timeout is socket.getdefaulttimeout() (the descriptor non-blocking if set).\n\n"
"Raises:\n    OSError: EAFNOSUPPORT, EPROTONOSUPPORT, EMFILE, EACCES.\n"
"    OverflowError: an argument out of range.  RuntimeError: already owns a socket.");

static PyObject *
sock_open(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "_open() takes 3 arguments");
        return NULL;
    }
    int family, type, proto, nonblocking, call_type;
    double timeout;
    if (new_socket_args(args, &family, &type, &proto, &timeout, &nonblocking, &call_type) < 0)
        return NULL;
    HandleObject *h = (HandleObject *)self;
    if (st_load(h) != (ST_CLOSED | ST_RELEASED) || h->handle != -1) {
        PyErr_SetString(PyExc_RuntimeError, "this object already owns a handle");
        return NULL;
    }
    int fd;
    if (mr_fault("socket", NULL) < 0)
        return PyErr_Occurred() ? NULL : mr_oserror(errno);
    Py_BEGIN_ALLOW_THREADS
    fd = socket(family, call_type, proto);
    if (fd >= 0 && setup_new_fd(fd, nonblocking) < 0)
        fd = -1;
    Py_END_ALLOW_THREADS
    if (fd < 0)
        return mr_oserror(errno);
    record_socket(SOCK(self), family, type, proto, timeout);
    if (handle_adopt(h, fd) < 0) /* the adopt hook failed: the object owns fd all the same */
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(sock_pair_doc, "_pair(family, type, proto)\n--\n\n"
"socketpair(2): two connected, close-on-exec sockets, each owned in the same\n"
"step as it is made; timeouts as for _open.\n\n"
"Raises:\n    OSError: EOPNOTSUPP/EAFNOSUPPORT (only AF_UNIX makes pairs), EMFILE.\n"
"    OverflowError: an argument out of range.");

static PyObject *
sock_pair(PyObject *cls, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "_pair() takes 3 arguments");
        return NULL;
    }
    int family, type, proto, nonblocking, call_type;
    double timeout;
    if (new_socket_args(args, &family, &type, &proto, &timeout, &nonblocking, &call_type) < 0)
        return NULL;
    PyTypeObject *t = (PyTypeObject *)cls;
    HandleObject *a = (HandleObject *)t->tp_new(t, NULL, NULL);
    HandleObject *b = a ? (HandleObject *)t->tp_new(t, NULL, NULL) : NULL;
    if (b == NULL) {
        Py_XDECREF(a);
        return NULL;
    }
    int fds[2], rc;
    if (mr_fault("socketpair", NULL) < 0) {
        int err = errno;
        Py_DECREF(a);
        Py_DECREF(b);
        return PyErr_Occurred() ? NULL : mr_oserror(err);
    }
    Py_BEGIN_ALLOW_THREADS
    rc = socketpair(family, call_type, proto, fds);
    if (rc == 0 && setup_new_fd(fds[0], nonblocking) < 0) {
        close(fds[1]);
        rc = -1;
    }
    else if (rc == 0 && setup_new_fd(fds[1], nonblocking) < 0) {
        close(fds[0]);
        rc = -1;
    }
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        Py_DECREF(a);
        Py_DECREF(b);
        return mr_oserror(errno);
    }
    record_socket(SOCK(a), family, type, proto, timeout);
    record_socket(SOCK(b), family, type, proto, timeout);
    return handle_adopt_pair(a, fds[0], b, fds[1]); /* both owned before any error returns */
}

/* -- options ------------------------------------------------------------------------- */
static PyObject *
decode_int_option(const unsigned char *buf, socklen_t n, int fast)
{
    if (n == 0) {
        const char *ctype = fast == OPT_BOOL ? "bool" : fast == OPT_UINT ? "uint" : fast == OPT_FD ? "fd" : "int";
        PyObject *msg = PyUnicode_FromFormat("getsockopt returned 0 bytes, a %s needs %d", ctype,
                                             fast == OPT_BOOL ? 1 : 4);
        if (msg != NULL) {
            PyObject *args = Py_BuildValue("(iN)", EPROTO, msg);
            if (args != NULL) {
                PyErr_SetObject(PyExc_OSError, args);
                Py_DECREF(args);
            }
        }
        return NULL;
    }
    if (fast == OPT_BOOL) {
        for (socklen_t i = 0; i < n; i++)
            if (buf[i])
                Py_RETURN_TRUE;
        Py_RETURN_FALSE;
    }
    if (n >= 4) {
        if (fast == OPT_UINT) {
            uint32_t u;
            memcpy(&u, buf, 4);
            return PyLong_FromUnsignedLong(u);
        }
        int32_t i;
        memcpy(&i, buf, 4);
        return PyLong_FromLong(i);
    }
    /* A shorter answer (a u8 for IP_TOS): unsigned, in native byte order. */
    unsigned long v = 0;
#if PY_LITTLE_ENDIAN
    for (socklen_t i = n; i > 0; i--)
        v = (v << 8) | buf[i - 1];
#else
    for (socklen_t i = 0; i < n; i++)
        v = (v << 8) | buf[i];
#endif
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
get_int_option(int fd, int level, int name, int fast)
{
    unsigned char buf[4] = {0};
    socklen_t n = sizeof buf;
    int r;
    MR_SYSCALL(r, getsockopt(fd, level, name, buf, &n));
    if (r < 0)
        return mr_oserror(errno);
    if (n > sizeof buf)
        n = sizeof buf;
    return decode_int_option(buf, n, fast);
}

PyDoc_STRVAR(getsockopt_doc, "getsockopt(opt) or getsockopt(level, name[, buflen])\n--\n\n"
"The typed form getsockopt(opt) returns the option's value (SO_RCVBUF -> int);\n"
"the raw form getsockopt(level, name) a C int and getsockopt(level, name, buflen)\n"
"up to *buflen* bytes, as the stdlib.\n\n"
"Raises:\n    UnsupportedOperation: a typed option this platform lacks.\n"
"    OSError: ENOPROTOOPT and what the kernel says.\n    ValueError: *buflen* negative or over 65536.");

#define MAX_OPTLEN 65536

static PyObject *
sock_getsockopt(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SocketObject *s = SOCK(self);
    if (nargs < 1 || nargs > 3) {
        PyErr_Format(PyExc_TypeError, "getsockopt() takes 1 to 3 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *opt = args[0];
    PyObject *result = NULL;
    if (PyObject_TypeCheck(opt, &SockOptSpec_Type)) {
        SockOptSpecObject *spec = (SockOptSpecObject *)opt;
        if (nargs != 1) {
            PyErr_SetString(PyExc_TypeError, "getsockopt(opt) takes a SockOpt alone");
            return NULL;
        }
        if (handle_enter(&s->base) < 0)
            return NULL;
        if (spec->fast != OPT_SLOW && spec->readable && spec->available) {
            result = get_int_option((int)s->base.handle, spec->level, spec->number, spec->fast);
        }
        else {
            PyObject *fd = PyLong_FromSsize_t(s->base.handle);
            if (fd != NULL) {
                result = PyObject_CallMethodOneArg(opt, mr_str_get, fd);
                Py_DECREF(fd);
            }
        }
    }
    else {
        if (nargs == 1) {
            PyErr_SetString(PyExc_TypeError, "getsockopt() needs a SockOpt or (level, name)");
            return NULL;
        }
        int level, name;
        Py_ssize_t buflen = -1;
        if (mr_int(args[0], &level, "level") < 0 || mr_int(args[1], &name, "option name") < 0)
            return NULL;
        if (nargs == 3 && args[2] != Py_None) {
            if (mr_ssize(args[2], &buflen) < 0)
                return NULL;
            if (buflen < 0 || buflen > MAX_OPTLEN) {
                PyErr_Format(PyExc_ValueError, "buflen must be 0-%d, got %zd", MAX_OPTLEN, buflen);
                return NULL;
            }
        }
        if (handle_enter(&s->base) < 0)
            return NULL;
        if (buflen < 0) {
            result = get_int_option((int)s->base.handle, level, name, OPT_INT);
        }
        else {
            PyObject *b = PyBytes_FromStringAndSize(NULL, buflen);
            if (b != NULL) {
                memset(PyBytes_AS_STRING(b), 0, (size_t)buflen);
                socklen_t n = (socklen_t)buflen;
                int r;
                MR_SYSCALL(r, getsockopt((int)s->base.handle, level, name, buflen ? PyBytes_AS_STRING(b) : NULL, &n));
                if (r < 0) {
                    Py_DECREF(b);
                    mr_oserror(errno);
                }
                else {
                    if ((Py_ssize_t)n > buflen)
                        n = (socklen_t)buflen;
                    if ((Py_ssize_t)n == buflen || _PyBytes_Resize(&b, n) == 0)
                        result = b;
                }
            }
        }
    }
    if (result == NULL)
        return sock_fail(s);
    if (handle_exit(&s->base) < 0) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static int
set_option_bytes(int fd, int level, int name, const void *data, socklen_t len)
{
    int r;
    MR_SYSCALL(r, setsockopt(fd, level, name, len ? data : NULL, len));
    if (r < 0) {
        mr_oserror(errno);
        return -1;
    }
    return 0;
}

/* The typed codec's checks for an int/bool value; fills *out. */
static int
encode_int_option(PyObject *value, int fast, int32_t *out)
{
    if (fast == OPT_BOOL) {
        if (!PyBool_Check(value)) {
            PyErr_Format(PyExc_TypeError, "a bool option takes True or False, not %s", Py_TYPE(value)->tp_name);
            return -1;
        }
        *out = value == Py_True;
        return 0;
    }
    const char *ctype = fast == OPT_UINT ? "uint" : fast == OPT_FD ? "fd" : "int";
    if (!PyLong_Check(value) && !PyIndex_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s option value must be an int, not %s", ctype, Py_TYPE(value)->tp_name);
        return -1;
    }
    PyObject *index = PyNumber_Index(value);
    if (index == NULL)
        return -1;
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(index, &overflow);
    if (v == -1 && PyErr_Occurred()) {
        Py_DECREF(index);
        return -1;
    }
    long long lo = fast == OPT_INT ? INT32_MIN : 0, hi = fast == OPT_UINT ? (long long)UINT32_MAX : INT32_MAX;
    if (overflow || v < lo || v > hi) {
        PyErr_Format(PyExc_OverflowError, "%s option value %S is out of range [%lld, %lld]", ctype, index, lo, hi);
        Py_DECREF(index);
        return -1;
    }
    Py_DECREF(index);
    *out = (int32_t)(uint32_t)v;
    return 0;
}

PyDoc_STRVAR(setsockopt_doc, "setsockopt(opt, value) or setsockopt(level, name, value)\n--\n\n"
"The typed form setsockopt(opt, value) encodes *value* with the option's codec;\n"
"the raw form setsockopt(level, name, value) takes a C int or the option's bytes.\n\n"
"Raises:\n    UnsupportedOperation: a typed option this platform lacks.\n"
"    TypeError: a value of the wrong type (before any call).\n"
"    OverflowError: an int outside a C int.  OSError: what the kernel says.");

static PyObject *
sock_setsockopt(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SocketObject *s = SOCK(self);
    if (nargs < 2 || nargs > 3) {
        PyErr_Format(PyExc_TypeError, "setsockopt() takes 2 or 3 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *opt = args[0];
    int rc;
    if (PyObject_TypeCheck(opt, &SockOptSpec_Type)) {
        SockOptSpecObject *spec = (SockOptSpecObject *)opt;
        if (nargs == 3) {
            PyErr_SetString(PyExc_TypeError, "setsockopt(opt, value) takes two arguments");
            return NULL;
        }
        if (spec->fast != OPT_SLOW && spec->writable && spec->available) {
            int32_t v;
            if (encode_int_option(args[1], spec->fast, &v) < 0)
                return NULL;
            if (handle_enter(&s->base) < 0)
                return NULL;
            rc = set_option_bytes((int)s->base.handle, spec->level, spec->number, &v, sizeof v);
        }
        else {
            if (handle_enter(&s->base) < 0)
                return NULL;
            PyObject *fd = PyLong_FromSsize_t(s->base.handle);
            PyObject *r = NULL;
            if (fd != NULL) {
                r = PyObject_CallMethodObjArgs(opt, mr_str_set, fd, args[1], NULL);
                Py_DECREF(fd);
            }
            rc = r == NULL ? -1 : 0;
            Py_XDECREF(r);
        }
    }
    else {
        if (nargs == 2) {
            PyErr_SetString(PyExc_TypeError, "setsockopt() needs (opt, value) or (level, name, value)");
            return NULL;
        }
        int level, name;
        if (mr_int(args[0], &level, "level") < 0 || mr_int(args[1], &name, "option name") < 0)
            return NULL;
        PyObject *value = args[2];
        if (PyLong_Check(value)) {
            int v;
            long long big = PyLong_AsLongLong(value);
            if (big == -1 && PyErr_Occurred()) {
                PyErr_Clear();
                PyErr_Format(PyExc_OverflowError, "option value %S does not fit a C int", value);
                return NULL;
            }
            if (big < INT_MIN || big > INT_MAX) {
                PyErr_Format(PyExc_OverflowError, "option value %lld does not fit a C int", big);
                return NULL;
            }
            v = (int)big;
            if (handle_enter(&s->base) < 0)
                return NULL;
            rc = set_option_bytes((int)s->base.handle, level, name, &v, sizeof v);
        }
        else if (value == Py_None) {
            PyErr_SetString(PyExc_TypeError, "setsockopt() needs (opt, value) or (level, name, value)");
            return NULL;
        }
        else {
            Py_buffer view;
            if (mr_readable_buffer(value, &view) < 0)
                return NULL;
            if (handle_enter(&s->base) < 0) {
                PyBuffer_Release(&view);
                return NULL;
            }
            rc = set_option_bytes((int)s->base.handle, level, name, view.buf, (socklen_t)view.len);
            PyBuffer_Release(&view);
        }
    }
    if (rc < 0)
        return sock_fail(s);
    if (handle_exit(&s->base) < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(call_timed_doc, "_call_timed(writing, fn, *args)\n--\n\n"
"Return fn(fd, *args) run as one registered operation under the timeout rules:\n"
"with a positive timeout, a BlockingIOError waits (poll for writing or reading)\n"
"and calls again until the deadline (TimeoutError).  For the calls the core does\n"
"not make itself (connect, sendmsg, recvmsg).");

static PyObject *
sock_call_timed(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SocketObject *s = SOCK(self);
    if (nargs < 2) {
        PyErr_SetString(PyExc_TypeError, "_call_timed() needs writing and the function to call");
        return NULL;
    }
    int writing = PyObject_IsTrue(args[0]);
    if (writing < 0)
        return NULL;
    PyObject *small[8];
    PyObject **stack = nargs - 1 <= 8 ? small : PyMem_Malloc((size_t)(nargs - 1) * sizeof(PyObject *));
    if (stack == NULL)
        return PyErr_NoMemory();
    PyObject *result = NULL;
    if (handle_enter(&s->base) < 0)
        goto done;
    PyObject *fd = PyLong_FromSsize_t(s->base.handle);
    if (fd == NULL) {
        handle_exit_after_error(&s->base);
        goto done;
    }
    stack[0] = fd;
    for (Py_ssize_t i = 2; i < nargs; i++)
        stack[i - 1] = args[i];
    double deadline = 0;
    for (;;) {
        result = PyObject_Vectorcall(args[1], stack, (size_t)(nargs - 1), NULL);
        if (result != NULL || s->timeout <= 0 || !PyErr_ExceptionMatches(PyExc_BlockingIOError))
            break;
        if (handle_is_closed(&s->base)) { /* woken by close(): a shut-down socket stays ready */
            PyErr_Clear();
            handle_closed_error(&s->base);
            break;
        }
        PyErr_Clear();
        if (deadline == 0)
            deadline = mr_monotonic() + s->timeout;
        if (wait_ready((int)s->base.handle, writing, deadline) < 0)
            break;
    }
    Py_DECREF(fd);
    if (result == NULL)
        sock_fail(s);
    else if (handle_exit(&s->base) < 0)
        Py_CLEAR(result);
done:
    if (stack != small)
        PyMem_Free(stack);
    return result;
}

/* -- attributes -------------------------------------------------------------------------- */
static PyObject *
sock_get_timeout(PyObject *self, void *closure)
{
    double t = SOCK(self)->timeout;
    if (t < 0)
        Py_RETURN_NONE;
    return PyFloat_FromDouble(t);
}

static int
sock_set_timeout(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL || value == Py_None) {
        SOCK(self)->timeout = -1.0;
        return 0;
    }
    double t = PyFloat_AsDouble(value);
    if (t == -1.0 && PyErr_Occurred())
        return -1;
    if (!(t >= 0)) {
        PyErr_SetString(PyExc_ValueError, "timeout must be a non-negative number or None");
        return -1;
    }
    if (!(t < MR_TIMEOUT_LIMIT)) {
        PyErr_SetString(PyExc_OverflowError, "timeout is too large: it must be shorter than 2**63 ns (None blocks)");
        return -1;
    }
    SOCK(self)->timeout = t;
    return 0;
}

PyDoc_STRVAR(sock_configure_doc, "_configure(family, type, proto, timeout)\n--\n\n"
"Record the socket's family, type and protocol, and its timeout (None blocks).");

static PyObject *
sock_configure(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SocketObject *s = SOCK(self);
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "_configure() takes 4 arguments");
        return NULL;
    }
    int family, type, proto;
    if (mr_int(args[0], &family, "family") < 0 || mr_int(args[1], &type, "type") < 0 ||
        mr_int(args[2], &proto, "proto") < 0 || sock_set_timeout(self, args[3], NULL) < 0)
        return NULL;
    s->family = family;
    s->type = type;
    s->proto = proto;
    Py_RETURN_NONE;
}

static PyGetSetDef socket_getset[] = {
    {"_timeout", sock_get_timeout, NULL, "Seconds each call may wait; None blocks.", NULL},
    {NULL},
};

static PyMemberDef socket_members[] = {
    {"_family", T_INT, offsetof(SocketObject, family), READONLY, NULL},
    {"_type", T_INT, offsetof(SocketObject, type), READONLY, NULL},
    {"_proto", T_INT, offsetof(SocketObject, proto), READONLY, NULL},
    {NULL},
};

static PyObject *
sock_resolved(PyObject *self, PyObject *address)
{
    return Py_NewRef(address);
}

static PyObject *
sock_sockaddr_default(PyObject *self, PyObject *address)
{
    PyObject *name = PyUnicode_InternFromString("_resolved");
    if (name == NULL)
        return NULL;
    /* one argument, never unpacked: the address is usually a tuple */
    PyObject *resolved = PyObject_CallMethodOneArg(self, name, address);
    Py_DECREF(name);
    if (resolved == NULL)
        return NULL;
    PyObject *encode = sockaddr_function("encode_sockaddr");
    PyObject *r = encode ? PyObject_CallFunction(encode, "iO", SOCK(self)->family, resolved) : NULL;
    Py_XDECREF(encode);
    Py_DECREF(resolved);
    return r;
}

static PyMethodDef socket_methods[] = {
    {"_resolved", sock_resolved, METH_O,
     PyDoc_STR("_resolved(address)\n--\n\n*address* with host names resolved (Socket overrides; here: as given).")},
    {"_sockaddr", sock_sockaddr_default, METH_O,
     PyDoc_STR("_sockaddr(address)\n--\n\nThe struct sockaddr bytes of *address* (after _resolved) for this family.")},
    {"send", (PyCFunction)(void (*)(void))sock_send, METH_FASTCALL | METH_KEYWORDS, send_doc},
    {"sendall", (PyCFunction)(void (*)(void))sock_sendall, METH_FASTCALL | METH_KEYWORDS, sendall_doc},
    {"recv", (PyCFunction)(void (*)(void))sock_recv, METH_FASTCALL | METH_KEYWORDS, recv_doc},
    {"recv_into", (PyCFunction)(void (*)(void))sock_recv_into, METH_FASTCALL | METH_KEYWORDS, recv_into_doc},
    {"recvfrom", (PyCFunction)(void (*)(void))sock_recvfrom, METH_FASTCALL | METH_KEYWORDS, recvfrom_doc},
    {"recvfrom_into", (PyCFunction)(void (*)(void))sock_recvfrom_into, METH_FASTCALL | METH_KEYWORDS,
     recvfrom_into_doc},
    {"sendto", (PyCFunction)(void (*)(void))sock_sendto, METH_FASTCALL | METH_KEYWORDS, sendto_doc},
    {"accept", sock_accept, METH_NOARGS, accept_doc},
    {"_open", (PyCFunction)(void (*)(void))sock_open, METH_FASTCALL, sock_open_doc},
    {"_pair", (PyCFunction)(void (*)(void))sock_pair, METH_FASTCALL | METH_CLASS, sock_pair_doc},
    {"getsockopt", (PyCFunction)(void (*)(void))sock_getsockopt, METH_FASTCALL, getsockopt_doc},
    {"setsockopt", (PyCFunction)(void (*)(void))sock_setsockopt, METH_FASTCALL, setsockopt_doc},
    {"_call_timed", (PyCFunction)(void (*)(void))sock_call_timed, METH_FASTCALL, call_timed_doc},
    {"_configure", (PyCFunction)(void (*)(void))sock_configure, METH_FASTCALL, sock_configure_doc},
    {NULL},
};

PyTypeObject SocketBase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.SocketBase",
    .tp_basicsize = sizeof(SocketObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("Socket's lifecycle (shut down to wake blocked calls on close) and hot calls."),
    .tp_base = &FdHandle_Type,
    .tp_methods = socket_methods,
    .tp_members = socket_members,
    .tp_getset = socket_getset,
};

/* -- SockOptSpec --------------------------------------------------------------------------- */
PyDoc_STRVAR(bind_spec_doc, "_bind_spec(level, number, fast, readable, writable, available)\n--\n\n"
"Record what Socket.getsockopt/setsockopt need to serve this option in C.\n"
"*fast* is 0 (the option's codec decides: the Python path), 1 int, 2 fd, 3 uint, 4 bool.");

static PyObject *
spec_bind(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    SockOptSpecObject *spec = (SockOptSpecObject *)self;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "_bind_spec() takes 6 arguments");
        return NULL;
    }
    int v[6];
    for (int i = 0; i < 6; i++)
        if (mr_int(args[i], &v[i], "argument") < 0)
            return NULL;
    if (v[2] < OPT_SLOW || v[2] > OPT_BOOL) {
        PyErr_SetString(PyExc_ValueError, "unknown fast-path kind");
        return NULL;
    }
    spec->level = v[0];
    spec->number = v[1];
    spec->fast = (uint8_t)v[2];
    spec->readable = v[3] != 0;
    spec->writable = v[4] != 0;
    spec->available = v[5] != 0;
    Py_RETURN_NONE;
}

static PyMethodDef spec_methods[] = {
    {"_bind_spec", (PyCFunction)(void (*)(void))spec_bind, METH_FASTCALL, bind_spec_doc},
    {NULL},
};

static PyObject *
spec_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    SockOptSpecObject *spec = (SockOptSpecObject *)type->tp_alloc(type, 0);
    if (spec != NULL)
        spec->fast = OPT_SLOW;
    return (PyObject *)spec;
}

PyTypeObject SockOptSpec_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "macres._core.SockOptSpec",
    .tp_basicsize = sizeof(SockOptSpecObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = PyDoc_STR("What the socket calls need of a typed option, kept in C fields."),
    .tp_new = spec_new,
    .tp_methods = spec_methods,
};

/* -- raw bindings -------------------------------------------------------------------------------- */
/* The raw option calls' (fd, level, name, buffer): C ints, and a buffer (writable for
 * getsockopt) whose length fits socklen_t.  On success the caller releases *view*. */
static int
option_args(PyObject *const *a, int writable, int *fd, int *level, int *name, Py_buffer *view)
{
    if (mr_int(a[0], fd, "fd") < 0 || mr_int(a[1], level, "level") < 0 || mr_int(a[2], name, "option name") < 0)
        return -1;
    if ((writable ? mr_writable_buffer(a[3], view) : mr_readable_buffer(a[3], view)) < 0)
        return -1;
    if (view->len > (Py_ssize_t)INT_MAX) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_OverflowError, writable ? "buffer length does not fit socklen_t"
                                                      : "option length does not fit socklen_t");
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(raw_getsockopt_doc, "getsockopt(fd, level, name, buf)\n--\n\n"
"getsockopt(socket, level, option_name, option_value, option_len).\n\n"
"Fills the writable *buf* (option_len starts as its length) and returns the length\n"
"the kernel reported, which never exceeds the buffer's.  The kernel sees the\n"
"buffer's contents (some options read their query from it).\n\n"
"Raises:\n    OSError: ENOPROTOOPT for an unknown option, ENOTSOCK, EBADF, EINVAL.\n"
"    TypeError: *buf* is read-only.  OverflowError: an int out of range.");

static PyObject *
raw_getsockopt(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "level", "name", "buf"};
    PyObject *a[4];
    PARSE("getsockopt", names, 4, 4, a);
    int fd, level, name;
    Py_buffer view;
    if (option_args(a, 1, &fd, &level, &name, &view) < 0)
        return NULL;
    socklen_t n = (socklen_t)view.len;
    int r;
    MR_SYSCALL(r, getsockopt(fd, level, name, view.len ? view.buf : NULL, &n));
    Py_ssize_t len = view.len;
    PyBuffer_Release(&view);
    if (r < 0)
        return mr_oserror(errno);
    return PyLong_FromSsize_t((Py_ssize_t)n < len ? (Py_ssize_t)n : len);
}

PyDoc_STRVAR(raw_setsockopt_doc, "setsockopt(fd, level, name, value)\n--\n\n"
"setsockopt(socket, level, option_name, option_value, option_len).\n\n"
"*value* is the option's bytes (an int option is a 4-byte C int in native byte\n"
"order: struct.pack(\"i\", v) or a ctypes.c_int).\n\n"
"Raises:\n    OSError: ENOPROTOOPT, EINVAL (wrong length or value), EPERM, ENOTSOCK, EBADF.\n"
"    TypeError: *value* is not a buffer.  OverflowError: an int out of range.");

static PyObject *
raw_setsockopt(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "level", "name", "value"};
    PyObject *a[4];
    PARSE("setsockopt", names, 4, 4, a);
    int fd, level, name;
    Py_buffer view;
    if (option_args(a, 0, &fd, &level, &name, &view) < 0)
        return NULL;
    int rc = set_option_bytes(fd, level, name, view.buf, (socklen_t)view.len);
    PyBuffer_Release(&view);
    if (rc < 0)
        return NULL;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(raw_sendto_doc, "sendto(fd, data, flags=0, family=0, address=None)\n--\n\n"
"sendto(socket, buffer, length, flags, dest_addr, dest_len): return the count sent.\n\n"
"With *address* None no destination is passed (a connected socket); otherwise\n"
"*family* decides the address form, as for bind.\n\n"
"Raises:\n    OSError: EAGAIN (BlockingIOError), EPIPE, EMSGSIZE, EDESTADDRREQ, EISCONN.\n"
"    TypeError, ValueError, OverflowError: a bad address, before the call.");

static PyObject *
raw_sendto(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "data", "flags", "family", "address"};
    PyObject *a[5];
    PARSE("sendto", names, 2, 5, a);
    int fd, flags = 0, family = 0;
    PyObject *address = a[4];
    int has_address = address != NULL && address != Py_None;
    /* family only matters with an address (the pure binding ignores it otherwise) */
    if (mr_int(a[0], &fd, "fd") < 0 || (a[2] != NULL && mr_int(a[2], &flags, "flags") < 0) ||
        (has_address && a[3] != NULL && mr_int(a[3], &family, "family") < 0))
        return NULL;
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (has_address) {
        int simple = encode_simple(family, address, &ss, &sslen);
        if (simple < 0)
            return NULL;
        if (simple == 0) {
            PyObject *encode = sockaddr_function("encode_sockaddr");
            if (encode == NULL)
                return NULL;
            PyObject *encoded = PyObject_CallFunction(encode, "iO", family, address);
            Py_DECREF(encode);
            if (encoded == NULL)
                return NULL;
            int rc = copy_encoded(encoded, &ss, &sslen);
            Py_DECREF(encoded);
            if (rc < 0)
                return NULL;
        }
    }
    Py_buffer view;
    if (mr_readable_buffer(a[1], &view) < 0)
        return NULL;
    ssize_t r;
    int err;
    size_t len = (size_t)view.len > MR_IO_MAX ? MR_IO_MAX : (size_t)view.len;
    if (sslen)
        MR_SYSCALL_LEN(r, len, sendto(fd, view.buf, len, flags, (struct sockaddr *)&ss, sslen));
    else
        MR_SYSCALL_CALL(r, "sendto", &len, send(fd, view.buf, len, flags)); /* the sendto binding */
    err = errno;
    PyBuffer_Release(&view);
    if (r < 0) {
        if (!PyErr_Occurred())
            mr_oserror(err);
        return NULL;
    }
    return PyLong_FromSsize_t(r);
}

PyDoc_STRVAR(raw_recvfrom_doc, "recvfrom(fd, buf, flags=0, nbytes=None)\n--\n\n"
"recvfrom(socket, buffer, length, flags, address, address_len).\n\n"
"Receives into the writable *buf* (at most *nbytes*, default its length) and\n"
"returns (count, sender address); the address is None when the kernel reports\n"
"none (a connected stream socket).\n\n"
"Raises:\n    OSError: EAGAIN (BlockingIOError), ECONNRESET, ENOTCONN.\n"
"    TypeError: *buf* is read-only.  ValueError: *buf* is smaller than *nbytes*.");

static PyObject *
raw_recvfrom(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    static const char *const names[] = {"fd", "buf", "flags", "nbytes"};
    PyObject *a[4];
    PARSE("recvfrom", names, 2, 4, a);
    int fd, flags = 0;
    if (mr_int(a[0], &fd, "fd") < 0 || (a[2] != NULL && mr_int(a[2], &flags, "flags") < 0))
        return NULL;
    Py_buffer view;
    if (mr_writable_buffer(a[1], &view) < 0)
        return NULL;
    Py_ssize_t n = view.len;
    if (a[3] != NULL && a[3] != Py_None) {
        if (mr_ssize(a[3], &n) < 0)
            goto fail;
        if (n < 0) {
            PyErr_Format(PyExc_ValueError, "size must not be negative, got %zd", n);
            goto fail;
        }
        if (n > view.len) {
            PyErr_Format(PyExc_ValueError, "buffer holds %zd bytes, fewer than the %zd asked for", view.len, n);
            goto fail;
        }
    }
    struct io_ctx c = {.buf = view.buf, .len = (size_t)n > MR_IO_MAX ? MR_IO_MAX : (size_t)n, .flags = flags};
    ssize_t r;
    int err;
    MR_SYSCALL_CALL(r, "recvfrom", &c.len, do_recvfrom(fd, &c));
    err = errno;
    PyBuffer_Release(&view);
    if (r < 0) {
        if (!PyErr_Occurred())
            mr_oserror(err);
        return NULL;
    }
    PyObject *addr = mr_sockaddr_decode(&c.addr, c.addrlen);
    if (addr == NULL)
        return NULL;
    return Py_BuildValue("(nN)", (Py_ssize_t)r, addr);
fail:
    PyBuffer_Release(&view);
    return NULL;
}

PyDoc_STRVAR(decode_doc, "decode_sockaddr(data)\n--\n\n"
"Return the Python form of the struct sockaddr_* bytes *data* (None when empty).\n\n"
"Raises:\n    ValueError: longer than a struct sockaddr_storage.");

static PyObject *
raw_decode_sockaddr(PyObject *module, PyObject *arg)
{
    Py_buffer view;
    if (mr_readable_buffer(arg, &view) < 0)
        return NULL;
    if (view.len > (Py_ssize_t)sizeof(struct sockaddr_storage)) {
        PyErr_Format(PyExc_ValueError, "a sockaddr is at most %zu bytes, not %zd", sizeof(struct sockaddr_storage),
                     view.len);
        PyBuffer_Release(&view);
        return NULL;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    memcpy(&ss, view.buf, (size_t)view.len);
    Py_ssize_t len = view.len;
    PyBuffer_Release(&view);
    return mr_sockaddr_decode(&ss, len);
}

PyMethodDef mr_socket_functions[] = {
    {"getsockopt", (PyCFunction)(void (*)(void))raw_getsockopt, METH_FASTCALL | METH_KEYWORDS, raw_getsockopt_doc},
    {"setsockopt", (PyCFunction)(void (*)(void))raw_setsockopt, METH_FASTCALL | METH_KEYWORDS, raw_setsockopt_doc},
    {"sendto", (PyCFunction)(void (*)(void))raw_sendto, METH_FASTCALL | METH_KEYWORDS, raw_sendto_doc},
    {"recvfrom", (PyCFunction)(void (*)(void))raw_recvfrom, METH_FASTCALL | METH_KEYWORDS, raw_recvfrom_doc},
    {"decode_sockaddr", raw_decode_sockaddr, METH_O, decode_doc},
    {NULL},
};
