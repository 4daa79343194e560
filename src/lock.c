/* lock.c — flock(2) on a job's lock file (see lock.h). */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct ri_lock {
    int fd;
};

/* How often a bounded wait retries: short enough not to add noticeable delay. */
#define POLL_NS 100000000L

/* The pid the holder wrote, or 0 when the file holds none (another tool may hold the lock). */
static long holder_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    char *end;
    long pid;

    if (n <= 0)
        return 0;
    buf[n] = '\0';
    pid = strtol(buf, &end, 10);
    return end != buf && (*end == '\n' || *end == '\0') && pid > 0 ? pid : 0;
}

static ri_rc held(const char *path, int fd, long waited, ri_error *err)
{
    char who[64] = "another process";
    char how[64] = "";
    long pid = holder_pid(fd);

    if (pid > 0)
        snprintf(who, sizeof who, "another regind run (pid %ld)", pid);
    if (waited > 0)
        snprintf(how, sizeof how, " after waiting %ld s", waited);
    return ri_fail(err, RI_RC_LOCK, "%s: the job's lock is held by %s%s; expected no other run of this job",
                   path, who, how);
}

/* Write pid (0: nothing) as the file's whole content; -1 on failure, which callers
   ignore: the pid only improves the message of a refused run. */
static int set_pid(int fd, long pid)
{
    char buf[32];
    int len = pid > 0 ? snprintf(buf, sizeof buf, "%ld\n", pid) : 0;

    if (ftruncate(fd, 0) != 0)
        return -1;
    return len == 0 || pwrite(fd, buf, (size_t)len, 0) == len ? 0 : -1;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* flock with the waiting policy of ri_lock_acquire: 0 locked, 1 held by another, -1 error (errno). */
static int take(int fd, long wait_seconds)
{
    double deadline = now_seconds() + (double)wait_seconds;

    for (;;) {
        int how = wait_seconds == RI_LOCK_WAIT_FOREVER ? LOCK_EX : LOCK_EX | LOCK_NB;
        if (flock(fd, how) == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK)
            return -1;
        if (wait_seconds < 0 || now_seconds() >= deadline)
            return 1;
        {
            struct timespec pause = {0, POLL_NS};
            nanosleep(&pause, NULL);
        }
    }
}

ri_rc ri_lock_acquire(const char *path, long wait_seconds, ri_lock **out, ri_error *err)
{
    ri_lock *l;
    int fd, r;

    *out = NULL;
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && errno == ENOENT)
        return ri_fail(err, RI_RC_DATA, "%s: cannot create the lock file: its directory does not exist; expected an existing directory (create it, or move the lock with run.lock_file)",
                       path);
    if (fd < 0)
        return ri_fail(err, RI_RC_DATA, "%s: cannot open the lock file: %s; expected a writable directory (run.lock_file moves it)",
                       path, strerror(errno));
    r = take(fd, wait_seconds);
    if (r != 0) {
        ri_rc rc = r > 0 ? held(path, fd, wait_seconds > 0 ? wait_seconds : 0, err)
                         : ri_fail(err, RI_RC_DATA, "%s: cannot lock: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    (void)set_pid(fd, (long)getpid());
    if (!(l = malloc(sizeof *l))) {
        close(fd);
        return ri_oom(err);
    }
    l->fd = fd;
    *out = l;
    return RI_RC_OK;
}

void ri_lock_release(ri_lock *lock)
{
    if (!lock)
        return;
    /* A stale pid would blame the wrong process when another tool holds the lock later. */
    (void)set_pid(lock->fd, 0);
    close(lock->fd);
    free(lock);
}
