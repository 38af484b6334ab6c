/* The C floor for bench/run.py: the same loops as the Python contenders,
 * timed with CLOCK_MONOTONIC.  Usage: floor OP ITERATIONS PATH
 * Prints nanoseconds per operation. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 4) return 2;
    const char *op = argv[1];
    long n = atol(argv[2]);
    const char *path = argv[3];
    static char buf[65536];
    int fd = open(path, O_RDWR);
    int sv[2];
    if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) return 1;
    int one = 1 << 20;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &one, sizeof one);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &one, sizeof one);
#define LOOP(NAME, BODY) \
    if (!strcmp(op, NAME)) { t0 = now(); for (long i = 0; i < n; i++) { BODY } goto done; }
    double t0 = 0;
    LOOP("getpid", if (getpid() < 0) return 1;)
    LOOP("fstat", struct stat st; if (fstat(fd, &st)) return 1;)
    LOOP("pread_into_4k", if (pread(fd, buf, 4096, 0) < 0) return 1;)
    LOOP("pread_4k", if (pread(fd, buf, 4096, 0) < 0) return 1;)
    LOOP("pwrite_4k", if (pwrite(fd, buf, 4096, 0) < 0) return 1;)
    LOOP("read_64k", if (lseek(fd, 0, SEEK_SET) < 0 || read(fd, buf, 65536) < 0) return 1;)
    LOOP("sendrecv_64",
         if (send(sv[0], buf, 64, 0) != 64) return 1;
         for (long got = 0; got < 64;) { ssize_t r = recv(sv[1], buf, 64 - got, 0); if (r <= 0) return 1; got += r; })
    LOOP("sendrecv_64k",
         for (long sent = 0; sent < 65536;) { ssize_t r = send(sv[0], buf + sent, 65536 - sent, 0); if (r <= 0) return 1; sent += r; }
         for (long got = 0; got < 65536;) { ssize_t r = recv(sv[1], buf, 65536, 0); if (r <= 0) return 1; got += r; })
    LOOP("getsockopt_int", int v; socklen_t l = sizeof v; if (getsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, &l)) return 1;)
    LOOP("setsockopt_int", int v = 1; if (setsockopt(sv[0], SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v)) return 1;)
    LOOP("kill0", if (kill(getpid(), 0)) return 1;)
    LOOP("getrusage", struct rusage ru; if (getrusage(RUSAGE_SELF, &ru)) return 1;)
    LOOP("open_close", int f = open(path, O_RDONLY | O_CLOEXEC); if (f < 0 || close(f)) return 1;)
    return 3;
done:
    printf("%.1f\n", (now() - t0) / n);
    return 0;
}
