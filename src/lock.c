/* lock.c — flock(2) on a job's lock file (see lock.h). */
#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct ri_lock {
    int fd;
    int writes_pid; /* the file holds only a pid field (or nothing) */
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

/*
 * The pid field: fixed width, so a later pid overwrites an earlier one
 * whole without truncating the file. regind writes the field only into an
 * empty file or one that holds nothing but such a field, so a lock path
 * that names some other file of the user's never changes its bytes.
 */
#define PID_FIELD 21

static int holds_only_pid(int fd)
{
    char buf[PID_FIELD + 1];
    ssize_t n = pread(fd, buf, sizeof buf, 0);

    if (n < 0 || n > PID_FIELD)
        return 0;
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] != ' ' && buf[i] != '\n' && (buf[i] < '0' || buf[i] > '9'))
            return 0;
    return 1;
}

/* Write pid (0: none) as the file's pid field; -1 on failure, which callers
   ignore: the pid only improves the message of a refused run. */
static int set_pid(int fd, long pid)
{
    char buf[PID_FIELD + 1];

    snprintf(buf, sizeof buf, "%*ld\n", PID_FIELD - 1, pid);
    return pwrite(fd, buf, PID_FIELD, 0) == PID_FIELD ? 0 : -1;
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

/* Open path as a lock file: never through a link, only a regular file of the user's. */
static ri_rc open_lock(const char *path, int *out, ri_error *err)
{
    struct stat st;
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);

    *out = -1;
    if (fd < 0 && errno == ENOENT)
        return ri_fail(err, RI_RC_DATA, "%s: cannot create the lock file: its directory does not exist; expected an existing directory (create it, or move the lock with run.lock_file)",
                       path);
    if (fd < 0 && errno == ELOOP)
        return ri_fail(err, RI_RC_DATA, "%s: the lock file is a symbolic link; expected a regular file (remove the link: whoever planted it could make regind write where it points)",
                       path);
    if (fd < 0)
        return ri_fail(err, RI_RC_DATA, "%s: cannot open the lock file: %s; expected a writable directory (run.lock_file moves it)",
                       path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        ri_rc rc = ri_fail(err, RI_RC_DATA, "%s: cannot check the lock file: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
        close(fd);
        if (!S_ISREG(st.st_mode))
            return ri_fail(err, RI_RC_DATA, "%s: the lock file is not a regular file; expected a regular file (run.lock_file moves it)",
                           path);
        return ri_fail(err, RI_RC_DATA, "%s: the lock file belongs to uid %lu, not to the user running regind (uid %lu); expected a lock file of your own (remove it, or move it with run.lock_file)",
                       path, (unsigned long)st.st_uid, (unsigned long)geteuid());
    }
    *out = fd;
    return RI_RC_OK;
}

ri_rc ri_lock_acquire(const char *path, long wait_seconds, ri_lock **out, ri_error *err)
{
    ri_lock *l;
    int fd, r;
    ri_rc rc;

    *out = NULL;
    if ((rc = open_lock(path, &fd, err)))
        return rc;
    r = take(fd, wait_seconds);
    if (r != 0) {
        rc = r > 0 ? held(path, fd, wait_seconds > 0 ? wait_seconds : 0, err)
                   : ri_fail(err, RI_RC_DATA, "%s: cannot lock: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    if (!(l = malloc(sizeof *l))) {
        close(fd);
        return ri_oom(err);
    }
    l->fd = fd;
    l->writes_pid = holds_only_pid(fd);
    if (l->writes_pid)
        (void)set_pid(fd, (long)getpid());
    *out = l;
    return RI_RC_OK;
}

void ri_lock_release(ri_lock *lock)
{
    if (!lock)
        return;
    /* A stale pid would blame the wrong process when another tool holds the lock later. */
    if (lock->writes_pid)
        (void)set_pid(lock->fd, 0);
    close(lock->fd);
    free(lock);
}
