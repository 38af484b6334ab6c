/* Spawning a child: the engine under Process.spawn.
 *
 * spawn(executables, argv, envp, cwd, stdin, stdout, stderr, pass_fds,
 *       setsid, pgroup, umask, uid, gid, groups, rlimits) -> (pid, pidfd)
 *
 * The parent makes a fixed number of system calls whatever the number of
 * descriptors it has open, and never names a descriptor it has not been
 * given: the child alone decides what it keeps.
 *
 * Linux: vfork().  The child shares the parent's memory until it execs, so
 * it runs only async-signal-safe calls on data the parent prepared (no
 * allocation, no Python), and it reports a failure by storing the step and
 * errno in that shared memory before _exit(127): no error pipe.  The parent
 * blocks every signal around vfork(), so no handler of the parent runs on
 * the child's borrowed stack; the child resets every caught signal (and
 * SIGPIPE/SIGXFSZ, which Python ignores) to its default before it unblocks.
 * The parent opens the child's pidfd (pidfd_open) before it unblocks signals,
 * so no handler of this thread (a SIGCHLD handler's waitpid(-1)) reaps the
 * child before it is watched; a child already reaped (SIGCHLD ignored: the
 * kernel reaps at exit) is reported as -ESRCH, and still counts as started.
 * Credentials change through the raw system calls: glibc's setuid() and
 * friends signal every thread of the process (its set*id broadcast), and
 * the vfork child is a process of one thread whose memory is the parent's.
 * Descriptors: the streams are dup2'ed into place (a low source is first
 * moved above 2 so that swapped streams work), close_range(3, ~0,
 * CLOSE_RANGE_CLOEXEC) marks every other descriptor, and each pass_fd is
 * made inheritable again: one call plus one per pass_fd.  A descriptor
 * another thread opens at any time is in the copied table when vfork()
 * runs and is marked with the rest, or is opened after it and is not in
 * the child at all.  Kernels older than 5.11 (no CLOSE_RANGE_CLOEXEC) close
 * the gaps between pass_fds with close_range; older than 5.9 (no
 * close_range) close every number up to RLIMIT_NOFILE.
 *
 * macOS: posix_spawn() with POSIX_SPAWN_CLOEXEC_DEFAULT (only what the file
 * actions name is inherited: the streams through dup2 or
 * posix_spawn_file_actions_addinherit_np, each pass_fd through
 * addinherit_np), the cwd through posix_spawn_file_actions_addchdir_np,
 * POSIX_SPAWN_SETSID / POSIX_SPAWN_SETPGROUP, an empty signal mask and
 * SIGPIPE/SIGXFSZ at their defaults.  posix_spawn reports an exec failure
 * itself, so PATH candidates are tried in the parent.  user, group,
 * extra_groups, umask and rlimits are not posix_spawn attributes: with any
 * of them the parent fork()s (signals blocked), the child sets them and
 * then calls posix_spawn with POSIX_SPAWN_SETEXEC (an exec with the same
 * attributes and file actions), and reports a failure through a pipe that
 * CLOEXEC_DEFAULT closes on a successful exec.
 *
 * In both, the PATH search is the caller's list of candidate paths
 * (executables), tried in order with execvpe(3)'s rules: EACCES is
 * remembered and the search goes on, ENOENT/ENOTDIR/ESTALE/ENODEV/
 * ETIMEDOUT go on, any other error ends it.  A failure raises OSError
 * whose errno picks the subclass (FileNotFoundError, PermissionError, ...)
 * with the program or the cwd as its filename; the failed child has been
 * reaped by then.
 */
#include "_core.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <grp.h>
#include <sys/syscall.h>
#endif
#ifdef __APPLE__
#include <crt_externs.h>
#include <grp.h>
#include <spawn.h>
/* A loadable bundle reaches the process's environment through _NSGetEnviron(), not the environ symbol. */
#define environ (*_NSGetEnviron())
#else
extern char **environ;
#endif

#ifndef NSIG
#define NSIG 65
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* The step of the child that failed, for the parent's message. */
enum spawn_step {
    STEP_NONE = 0,
    STEP_SETSID,
    STEP_SETPGID,
    STEP_STREAMS,
    STEP_CLOSE,
    STEP_PASS_FDS,
    STEP_CHDIR,
    STEP_RLIMIT,
    STEP_SETGROUPS,
    STEP_SETGID,
    STEP_SETUID,
    STEP_EXEC,
};

static const char *const step_names[] = {
    "", "setsid", "setpgid", "dup2 of a stream", "close_range", "pass_fds",
    "chdir", "setrlimit", "setgroups", "setgid", "setuid", "exec",
};

typedef struct {
    int resource;
    struct rlimit limit;
} spawn_rlimit;

/* Everything the child needs, prepared by the parent; the child writes only step and err. */
typedef struct {
    char **execs;
    Py_ssize_t n_execs;
    char **argv;
    char **envp; /* NULL: the parent's environ */
    const char *cwd;
    int streams[3]; /* -1: inherit */
    int *pass;      /* sorted, distinct */
    Py_ssize_t n_pass;
    int setsid;
    long pgroup; /* -1: unchanged */
    long umask_value;
    long uid, gid; /* -1: unchanged */
    gid_t *groups;
    Py_ssize_t n_groups; /* -1: unchanged */
    spawn_rlimit *rlimits;
    Py_ssize_t n_rlimits;
    volatile int step;
    volatile int err;
} spawn_ctx;

/* execvpe(3)'s search over the candidates; returns the errno to report. */
static int
exec_candidates(spawn_ctx *c, char **envp)
{
    int err = ENOENT, saw_eacces = 0;
    for (Py_ssize_t i = 0; i < c->n_execs; i++) {
        execve(c->execs[i], c->argv, envp);
        err = errno;
        if (err == EACCES)
            saw_eacces = 1;
        else if (err != ENOENT && err != ENOTDIR && err != ESTALE && err != ENODEV && err != ETIMEDOUT)
            return err;
    }
    return saw_eacces ? EACCES : err;
}

#ifdef __linux__

static int
close_rest(spawn_ctx *c)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return 0;
    if (errno == EINVAL) { /* 5.9 and 5.10: close_range without the flag; close the gaps */
        unsigned int low = 3;
        int ok = 1;
        for (Py_ssize_t i = 0; i <= c->n_pass && ok; i++) {
            unsigned int high = i < c->n_pass ? (unsigned int)c->pass[i] : ~0U;
            if (high < low)
                continue;
            if (high > low && syscall(SYS_close_range, low, high == ~0U ? ~0U : high - 1, 0U) != 0)
                ok = 0;
            if (high != ~0U)
                low = high + 1;
        }
        if (ok)
            return 0;
    }
    if (errno != ENOSYS && errno != EINVAL)
        return -1;
#endif
    /* Before 5.9: every number up to the limit, except the pass_fds. */
    struct rlimit rl;
    long limit = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (long)rl.rlim_cur : 1L << 20;
    Py_ssize_t next = 0;
    for (long fd = 3; fd < limit; fd++) {
        while (next < c->n_pass && c->pass[next] < fd)
            next++;
        if (next < c->n_pass && c->pass[next] == fd)
            continue;
        close((int)fd);
    }
    return 0;
}

/* The vfork child: only async-signal-safe calls, on memory the parent prepared. */
static void __attribute__((noreturn, noinline))
child_exec(spawn_ctx *c)
{
    int step = STEP_NONE;
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction sa;
        if (sigaction(sig, NULL, &sa) != 0)
            continue;
        int restore = sig == SIGPIPE || sig == SIGXFSZ;
        if (sa.sa_handler != SIG_DFL && (restore || sa.sa_handler != SIG_IGN)) {
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = SIG_DFL;
            sigaction(sig, &sa, NULL);
        }
    }
    if (c->setsid && setsid() < 0) {
        step = STEP_SETSID;
        goto fail;
    }
    if (c->pgroup >= 0 && setpgid(0, (pid_t)c->pgroup) < 0) {
        step = STEP_SETPGID;
        goto fail;
    }
    step = STEP_STREAMS;
    int src[3];
    for (int i = 0; i < 3; i++) {
        src[i] = c->streams[i];
        if (src[i] >= 0 && src[i] < 3 && src[i] != i && (src[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 3)) < 0)
            goto fail;
    }
    for (int i = 0; i < 3; i++) {
        if (src[i] < 0)
            continue;
        if (src[i] == i ? fcntl(i, F_SETFD, 0) < 0 : dup2(src[i], i) < 0)
            goto fail;
    }
    step = STEP_CLOSE;
    if (close_rest(c) < 0)
        goto fail;
    step = STEP_PASS_FDS;
    for (Py_ssize_t i = 0; i < c->n_pass; i++) {
        if (fcntl(c->pass[i], F_SETFD, 0) < 0)
            goto fail;
    }
    step = STEP_CHDIR;
    if (c->cwd != NULL && chdir(c->cwd) < 0)
        goto fail;
    if (c->umask_value >= 0)
        umask((mode_t)c->umask_value);
    step = STEP_RLIMIT;
    for (Py_ssize_t i = 0; i < c->n_rlimits; i++) {
        if (setrlimit(c->rlimits[i].resource, &c->rlimits[i].limit) < 0)
            goto fail;
    }
    step = STEP_SETGROUPS;
    if (c->n_groups >= 0 && syscall(SYS_setgroups, (size_t)c->n_groups, c->groups) < 0)
        goto fail;
    step = STEP_SETGID;
    if (c->gid >= 0 && syscall(SYS_setresgid, (gid_t)c->gid, (gid_t)c->gid, (gid_t)c->gid) < 0)
        goto fail;
    step = STEP_SETUID;
    if (c->uid >= 0 && syscall(SYS_setresuid, (uid_t)c->uid, (uid_t)c->uid, (uid_t)c->uid) < 0)
        goto fail;
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    step = STEP_EXEC;
    errno = exec_candidates(c, c->envp != NULL ? c->envp : environ);
fail:
    c->err = errno;
    c->step = step;
    _exit(127);
}

/* Start the child; returns its pid, or -1 with errno (no child left) and c->step set.
 * *pidfd gets the child's pidfd, opened before the signal mask is restored (no handler of
 * this thread can reap the child first), or -errno when pidfd_open failed: -ESRCH for a
 * child that already exited and was reaped elsewhere (SIGCHLD ignored, another thread). */
static pid_t
start_child(spawn_ctx *c, int *pidfd)
{
    *pidfd = -ENOSYS;
    sigset_t all, old;
    sigfillset(&all);
    int e = pthread_sigmask(SIG_SETMASK, &all, &old);
    if (e != 0) {
        errno = e;
        return -1;
    }
    pid_t pid = vfork();
    if (pid == 0)
        child_exec(c);
    int saved = errno;
#ifdef SYS_pidfd_open
    if (pid > 0 && c->step == STEP_NONE) {
        int fd = (int)syscall(SYS_pidfd_open, pid, 0U); /* close-on-exec, as every pidfd */
        *pidfd = fd >= 0 ? fd : -errno;
    }
#endif
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        errno = saved;
        return -1;
    }
    if (c->step != STEP_NONE) { /* the child failed and _exit'ed: reap it */
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        errno = c->err;
        return -1;
    }
    return pid;
}

#elif defined(__APPLE__)

/* The fork child of the credential path: set what posix_spawn cannot, then exec through it. */
static void __attribute__((noreturn))
child_setexec(spawn_ctx *c, posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr, int report)
{
    int step = STEP_RLIMIT, err = 0;
    if (c->umask_value >= 0)
        umask((mode_t)c->umask_value);
    for (Py_ssize_t i = 0; i < c->n_rlimits; i++) {
        if (setrlimit(c->rlimits[i].resource, &c->rlimits[i].limit) < 0)
            goto fail;
    }
    step = STEP_SETGROUPS;
    if (c->n_groups >= 0 && setgroups((int)c->n_groups, c->groups) < 0)
        goto fail;
    step = STEP_SETGID;
    if (c->gid >= 0 && setgid((gid_t)c->gid) < 0)
        goto fail;
    step = STEP_SETUID;
    if (c->uid >= 0 && setuid((uid_t)c->uid) < 0)
        goto fail;
    step = STEP_EXEC;
    {
        int saw_eacces = 0;
        err = ENOENT;
        char **envp = c->envp != NULL ? c->envp : environ;
        for (Py_ssize_t i = 0; i < c->n_execs; i++) {
            pid_t unused;
            err = posix_spawn(&unused, c->execs[i], fa, attr, c->argv, envp);
            if (err == EACCES)
                saw_eacces = 1;
            else if (err != ENOENT && err != ENOTDIR && err != ESTALE && err != ENODEV && err != ETIMEDOUT)
                break;
        }
        if (saw_eacces && (err == ENOENT || err == ENOTDIR || err == ESTALE || err == ENODEV || err == ETIMEDOUT))
            err = EACCES;
        errno = err;
    }
fail:
    {
        int msg[2] = {step, errno};
        ssize_t unused = write(report, msg, sizeof msg);
        (void)unused;
    }
    _exit(127);
}

static pid_t
start_child(spawn_ctx *c, int *pidfd)
{
    *pidfd = -ENOSYS; /* no pidfds: the object layer watches the pid with a kqueue */
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    int e, fa_made = 0, attr_made = 0;
    pid_t pid = -1;
    c->step = STEP_STREAMS;
    if ((e = posix_spawn_file_actions_init(&fa)) != 0)
        goto done;
    fa_made = 1;
    if ((e = posix_spawnattr_init(&attr)) != 0)
        goto done;
    attr_made = 1;
    /* Streams: a low source moves above every number we were given, so swaps work. */
    int spare = 3;
    for (int i = 0; i < 3; i++)
        spare = c->streams[i] >= spare ? c->streams[i] + 1 : spare;
    for (Py_ssize_t i = 0; i < c->n_pass; i++)
        spare = c->pass[i] >= spare ? c->pass[i] + 1 : spare;
    int src[3];
    for (int i = 0; i < 3; i++) {
        src[i] = c->streams[i];
        if (src[i] >= 0 && src[i] < 3 && src[i] != i) {
            if ((e = posix_spawn_file_actions_adddup2(&fa, src[i], spare + i)) != 0)
                goto done;
            src[i] = spare + i;
        }
    }
    for (int i = 0; i < 3; i++) {
        if (src[i] == i)
            e = posix_spawn_file_actions_addinherit_np(&fa, i);
        else if (src[i] >= 0)
            e = posix_spawn_file_actions_adddup2(&fa, src[i], i);
        else {
            int flags = fcntl(i, F_GETFD); /* inherit the stream only when it is open and inheritable here */
            e = flags >= 0 && !(flags & FD_CLOEXEC) ? posix_spawn_file_actions_addinherit_np(&fa, i) : 0;
        }
        if (e != 0)
            goto done;
    }
    for (int i = 0; i < 3; i++) { /* the moved copies were made by file actions: CLOEXEC_DEFAULT keeps those */
        if (c->streams[i] >= 0 && c->streams[i] < 3 && c->streams[i] != i &&
            (e = posix_spawn_file_actions_addclose(&fa, spare + i)) != 0)
            goto done;
    }
    c->step = STEP_PASS_FDS;
    for (Py_ssize_t i = 0; i < c->n_pass; i++) {
        if ((e = posix_spawn_file_actions_addinherit_np(&fa, c->pass[i])) != 0)
            goto done;
    }
    c->step = STEP_CHDIR;
    if (c->cwd != NULL && (e = posix_spawn_file_actions_addchdir_np(&fa, c->cwd)) != 0)
        goto done;
    c->step = STEP_EXEC;
    short flags = POSIX_SPAWN_CLOEXEC_DEFAULT | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (c->setsid)
        flags |= POSIX_SPAWN_SETSID;
    if (c->pgroup >= 0) {
        flags |= POSIX_SPAWN_SETPGROUP;
        if ((e = posix_spawnattr_setpgroup(&attr, (pid_t)c->pgroup)) != 0)
            goto done;
    }
    sigset_t none, def;
    sigemptyset(&none);
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    sigaddset(&def, SIGXFSZ);
    if ((e = posix_spawnattr_setsigmask(&attr, &none)) != 0 || (e = posix_spawnattr_setsigdefault(&attr, &def)) != 0)
        goto done;
    int credentials = c->umask_value >= 0 || c->uid >= 0 || c->gid >= 0 || c->n_groups >= 0 || c->n_rlimits > 0;
    if (!credentials) {
        if ((e = posix_spawnattr_setflags(&attr, flags)) != 0)
            goto done;
        int saw_eacces = 0;
        e = ENOENT;
        char **envp = c->envp != NULL ? c->envp : environ;
        for (Py_ssize_t i = 0; i < c->n_execs; i++) {
            e = posix_spawn(&pid, c->execs[i], &fa, &attr, c->argv, envp);
            if (e == 0 || e == EACCES)
                saw_eacces |= e == EACCES;
            else if (e != ENOENT && e != ENOTDIR && e != ESTALE && e != ENODEV && e != ETIMEDOUT)
                break;
            if (e == 0)
                break;
        }
        if (e != 0 && saw_eacces)
            e = EACCES;
        if (e != 0)
            pid = -1;
        goto done;
    }
    c->step = STEP_NONE;
    if ((e = posix_spawnattr_setflags(&attr, flags | POSIX_SPAWN_SETEXEC)) != 0)
        goto done;
    int report[2];
    if (pipe(report) < 0) {
        e = errno;
        goto done;
    }
    fcntl(report[0], F_SETFD, FD_CLOEXEC);
    fcntl(report[1], F_SETFD, FD_CLOEXEC);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid = fork();
    if (pid == 0) {
        close(report[0]);
        child_setexec(c, &fa, &attr, report[1]);
    }
    e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(report[1]);
    if (pid > 0) {
        int msg[2];
        ssize_t n;
        do
            n = read(report[0], msg, sizeof msg);
        while (n < 0 && errno == EINTR);
        if (n == (ssize_t)sizeof msg) {
            int status;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            pid = -1;
            c->step = msg[0];
            e = msg[1];
        }
    }
    close(report[0]);
done:
    if (attr_made)
        posix_spawnattr_destroy(&attr);
    if (fa_made)
        posix_spawn_file_actions_destroy(&fa);
    if (pid < 0)
        errno = e;
    return pid;
}

#endif

/* -- argument conversion ---------------------------------------------------- */

/* A NULL-terminated array of the bytes in *seq* (a tuple of bytes); the pointers borrow from it. */
static char **
bytes_array(PyObject *seq, const char *what, Py_ssize_t *n)
{
    if (!PyTuple_Check(seq)) {
        PyErr_Format(PyExc_TypeError, "spawn: %s must be a tuple of bytes", what);
        return NULL;
    }
    Py_ssize_t len = PyTuple_GET_SIZE(seq);
    char **out = PyMem_New(char *, len + 1);
    if (out == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *item = PyTuple_GET_ITEM(seq, i);
        if (!PyBytes_Check(item) || (Py_ssize_t)strlen(PyBytes_AS_STRING(item)) != PyBytes_GET_SIZE(item)) {
            PyErr_Format(PyExc_ValueError, "spawn: %s must be bytes without NUL", what);
            PyMem_Free(out);
            return NULL;
        }
        out[i] = PyBytes_AS_STRING(item);
    }
    out[len] = NULL;
    if (n != NULL)
        *n = len;
    return out;
}

static int
raise_failure(spawn_ctx *c, int err, PyObject *program, PyObject *cwd)
{
    PyObject *filename = c->step == STEP_EXEC ? program : c->step == STEP_CHDIR ? cwd : Py_None;
    PyObject *msg = c->step == STEP_EXEC || c->step == STEP_NONE || c->step > STEP_EXEC
                        ? PyUnicode_FromString(strerror(err))
                        : PyUnicode_FromFormat("%s (in the child, before exec: %s)", strerror(err),
                                               step_names[c->step]);
    if (msg == NULL)
        return -1;
    PyObject *exc = PyObject_CallFunction(PyExc_OSError, "iOO", err, msg, filename);
    Py_DECREF(msg);
    if (exc == NULL)
        return -1;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return -1;
}

PyDoc_STRVAR(spawn_doc,
"spawn(executables, argv, envp, cwd, stdin, stdout, stderr, pass_fds, setsid, pgroup, umask, uid, gid,\n"
"      groups, rlimits) -> (pid, pidfd)\n\n"
"Start a child (vfork on Linux, posix_spawn on macOS) that execs the first of *executables*\n"
"that runs, with *argv* and *envp* (tuples of bytes; envp None: this environment).  Streams\n"
"are descriptor numbers or -1 (inherit); only they and *pass_fds* (sorted tuple) are inherited.\n"
"*cwd* bytes or None; pgroup, umask, uid, gid -1 for unchanged; *groups* a tuple or None;\n"
"*rlimits* a tuple of (resource, soft, hard).  *pidfd* is the child's pidfd (Linux), opened\n"
"before the signal mask is restored, or -errno: -ESRCH when the child was already reaped\n"
"elsewhere, -ENOSYS without pidfds (macOS).  Raises OSError for a step that failed (the\n"
"failed child is reaped).");

static PyObject *
core_spawn(PyObject *module, PyObject *args)
{
    PyObject *execs, *argv, *envp, *cwd, *pass, *groups, *rlimits;
    int in, out, err, new_session;
    long pgroup, mask, uid, gid;
    if (!PyArg_ParseTuple(args, "O!O!OOiiiO!pllllOO!:spawn", &PyTuple_Type, &execs, &PyTuple_Type, &argv, &envp,
                          &cwd, &in, &out, &err, &PyTuple_Type, &pass, &new_session, &pgroup, &mask, &uid, &gid,
                          &groups, &PyTuple_Type, &rlimits))
        return NULL;
    if (PyTuple_GET_SIZE(argv) == 0 || PyTuple_GET_SIZE(execs) == 0) {
        PyErr_SetString(PyExc_ValueError, "spawn: argv and executables must not be empty");
        return NULL;
    }
    if (cwd != Py_None && !PyBytes_Check(cwd)) {
        PyErr_SetString(PyExc_TypeError, "spawn: cwd must be bytes or None");
        return NULL;
    }
    spawn_ctx c;
    memset(&c, 0, sizeof c);
    PyObject *result = NULL;
    c.execs = bytes_array(execs, "executables", &c.n_execs);
    c.argv = c.execs == NULL ? NULL : bytes_array(argv, "argv", NULL);
    if (c.argv == NULL)
        goto done;
    if (envp != Py_None && (c.envp = bytes_array(envp, "envp", NULL)) == NULL)
        goto done;
    if (cwd != Py_None) {
        c.cwd = PyBytes_AS_STRING(cwd);
        if ((Py_ssize_t)strlen(c.cwd) != PyBytes_GET_SIZE(cwd)) {
            PyErr_SetString(PyExc_ValueError, "spawn: cwd must not contain NUL");
            goto done;
        }
    }
    c.streams[0] = in;
    c.streams[1] = out;
    c.streams[2] = err;
    c.n_pass = PyTuple_GET_SIZE(pass);
    c.pass = PyMem_New(int, c.n_pass + 1);
    if (c.pass == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < c.n_pass; i++) {
        long fd = PyLong_AsLong(PyTuple_GET_ITEM(pass, i));
        if (fd == -1 && PyErr_Occurred())
            goto done;
        if (fd < 0 || fd > INT_MAX || (i > 0 && fd <= c.pass[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "spawn: pass_fds must be sorted, distinct and not negative");
            goto done;
        }
        c.pass[i] = (int)fd;
    }
    c.setsid = new_session;
    c.pgroup = pgroup;
    c.umask_value = mask;
    c.uid = uid;
    c.gid = gid;
    c.n_groups = -1;
    if (groups != Py_None) {
        if (!PyTuple_Check(groups)) {
            PyErr_SetString(PyExc_TypeError, "spawn: groups must be a tuple or None");
            goto done;
        }
        c.n_groups = PyTuple_GET_SIZE(groups);
        c.groups = PyMem_New(gid_t, c.n_groups + 1);
        if (c.groups == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (Py_ssize_t i = 0; i < c.n_groups; i++) {
            unsigned long g = PyLong_AsUnsignedLong(PyTuple_GET_ITEM(groups, i));
            if (PyErr_Occurred())
                goto done;
            c.groups[i] = (gid_t)g;
        }
    }
    c.n_rlimits = PyTuple_GET_SIZE(rlimits);
    c.rlimits = PyMem_New(spawn_rlimit, c.n_rlimits + 1);
    if (c.rlimits == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < c.n_rlimits; i++) {
        int resource;
        unsigned long long soft, hard;
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(rlimits, i), "iKK:rlimit", &resource, &soft, &hard))
            goto done;
        c.rlimits[i].resource = resource;
        c.rlimits[i].limit.rlim_cur = (rlim_t)soft;
        c.rlimits[i].limit.rlim_max = (rlim_t)hard;
    }
    pid_t pid;
    int saved, pidfd;
    Py_BEGIN_ALLOW_THREADS
    pid = start_child(&c, &pidfd);
    saved = errno;
    Py_END_ALLOW_THREADS
    if (pid < 0)
        raise_failure(&c, saved, PyTuple_GET_ITEM(argv, 0), cwd);
    else if ((result = Py_BuildValue("(ii)", (int)pid, pidfd)) == NULL && pidfd >= 0)
        close(pidfd);
done:
    PyMem_Free(c.execs);
    PyMem_Free(c.argv);
    PyMem_Free(c.envp);
    PyMem_Free(c.pass);
    PyMem_Free(c.groups);
    PyMem_Free(c.rlimits);
    return result;
}

PyMethodDef mr_spawn_functions[] = {
    {"spawn", core_spawn, METH_VARARGS, spawn_doc},
    {NULL},
};
