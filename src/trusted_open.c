/* trusted_open.c — walking a path with a check at every step (see trusted_open.h). */
/* O_PATH, and readlinkat() of an O_PATH descriptor of the link itself, are Linux's. */
#define _GNU_SOURCE

#include "trusted_open.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* The kernel's own limit on links followed while resolving one path. */
#define MAX_LINKS 40

typedef struct walk {
    char shown[PATH_MAX]; /* the directory reached, as walked, for messages ("" is /) */
    char *why;
    size_t n;
    uid_t me;
} walk;

static int fail(walk *w, int err, const char *fmt, ...) RI_PRINTF(3, 4);

static int fail(walk *w, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, w->n, fmt, ap);
    va_end(ap);
    errno = err;
    return -1;
}

static const char *dir_name(const walk *w)
{
    return w->shown[0] ? w->shown : "/";
}

static const char *writers(mode_t mode)
{
    mode_t wr = mode & (S_IWGRP | S_IWOTH);
    return wr == (S_IWGRP | S_IWOTH) ? "group and others" : wr == S_IWGRP ? "its group" : "others";
}

/*
 * Owned by root or the user, writable by nobody else; a directory above
 * the file's own (ancestor) may be writable by all when sticky.
 */
static int trusted(walk *w, const struct stat *st, const char *name, int ancestor)
{
    mode_t wr = st->st_mode & (S_IWGRP | S_IWOTH);

    if (st->st_uid != 0 && st->st_uid != w->me)
        return fail(w, EACCES,
                    "%s is owned by uid %lu, neither root nor the user running regind (uid %lu); "
                    "expected files and directories only root or you can change",
                    name, (unsigned long)st->st_uid, (unsigned long)w->me);
    if (wr && !(ancestor && S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX))) {
        /* The exact command: a umask of 002 leaves files group-writable, and the user needs to know which. */
        const char *q = name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+~")] ? "'" : "";
        return fail(w, EACCES, "%s is writable by %s (mode %04o); expected only its owner to write it: chmod %s-w %s%s%s",
                    name, writers(st->st_mode), (unsigned)(st->st_mode & 07777),
                    wr == (S_IWGRP | S_IWOTH) ? "go" : wr == S_IWGRP ? "g" : "o", q, name, q);
    }
    return 0;
}

static int check_fd(walk *w, int fd, const char *name, int ancestor)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return fail(w, errno, "cannot check %s: %s", name, strerror(errno));
    return trusted(w, &st, name, ancestor);
}

/* name inside the directory reached so far. */
static void child_name(const walk *w, const char *name, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", w->shown, name);
}

/* Replace *dir by the root directory, checked. */
static int to_root(walk *w, int *dir, int check)
{
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return fail(w, errno, "cannot open /: %s", strerror(errno));
    if (*dir >= 0)
        close(*dir);
    *dir = fd;
    w->shown[0] = '\0';
    return check ? check_fd(w, fd, "/", 1) : 0;
}

/* rest, or the working directory then rest when it is relative, in a new string. */
static char *absolute(const char *rest)
{
    char *cwd = rest[0] == '/' ? NULL : getcwd(NULL, 0), *out;
    size_t len = strlen(rest) + (cwd ? strlen(cwd) + 1 : 0) + 1;

    if (rest[0] != '/' && !cwd)
        return NULL;
    if ((out = malloc(len)))
        snprintf(out, len, "%s%s%s", cwd ? cwd : "", cwd ? "/" : "", rest);
    free(cwd);
    return out;
}

/* The link at fd (named name) in place of its own name: target, then what followed it. */
static char *splice_link(walk *w, int dir, int fd, const char *name, const char *rest, int check)
{
    char target[PATH_MAX], *out;
    struct stat st;
    ssize_t len;
    size_t size;

    if (check) {
        if (fstat(dir, &st) != 0) {
            fail(w, errno, "cannot check %s: %s", dir_name(w), strerror(errno));
            return NULL;
        }
        if (st.st_mode & (S_IWGRP | S_IWOTH)) {
            fail(w, EACCES,
                 "%s is a symbolic link in %s, which is writable by %s (mode %04o); "
                 "expected links only in directories that only their owner can write",
                 name, dir_name(w), writers(st.st_mode), (unsigned)(st.st_mode & 07777));
            return NULL;
        }
    }
    len = readlinkat(fd, "", target, sizeof target);
    if (len < 0 || (size_t)len >= sizeof target) {
        fail(w, len < 0 ? errno : ENAMETOOLONG, "cannot read the link %s: %s", name,
             strerror(len < 0 ? errno : ENAMETOOLONG));
        return NULL;
    }
    size = (size_t)len + strlen(rest) + 2;
    if (!(out = malloc(size))) {
        fail(w, ENOMEM, "out of memory");
        return NULL;
    }
    snprintf(out, size, "%.*s/%s", (int)len, target, rest);
    return out;
}

int ri_trusted_open(const char *path, int check, char *why, size_t n)
{
    walk w = {.why = why, .n = n, .me = geteuid()};
    char *todo = absolute(path), *p, name_buf[2 * PATH_MAX];
    int dir = -1, fd = -1, links = 0, out = -1;
    struct stat st, again;

    if (!todo)
        return fail(&w, errno, "cannot resolve %s: %s", path, strerror(errno));
    if (to_root(&w, &dir, check) != 0)
        goto done;
    p = todo;
    for (;;) {
        char *name, *rest;
        int last;

        while (*p == '/')
            p++;
        if (!*p) {
            fail(&w, EISDIR, "%s is a directory; expected a plugin file", dir_name(&w));
            goto done;
        }
        name = p;
        rest = p + strcspn(p, "/");
        if (*rest)
            *rest++ = '\0';
        while (*rest == '/')
            rest++;
        last = *rest == '\0';
        p = rest;
        if (strcmp(name, ".") == 0)
            continue;
        child_name(&w, name, name_buf, sizeof name_buf);
        if (strcmp(name, "..") == 0) {
            char *slash = strrchr(w.shown, '/');
            if ((fd = openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
                fail(&w, errno, "cannot open %s: %s", name_buf, strerror(errno));
                goto done;
            }
            if (slash)
                *slash = '\0';
            if (check && check_fd(&w, fd, dir_name(&w), 1) != 0)
                goto done;
            close(dir);
            dir = fd;
            fd = -1;
            continue;
        }
        if ((fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
            fail(&w, errno, "cannot open %s: %s", name_buf, strerror(errno));
            goto done;
        }
        if (S_ISLNK(st.st_mode)) {
            char *spliced;
            if (++links > MAX_LINKS) {
                fail(&w, ELOOP, "%s: more than %d symbolic links; expected a path that ends", path, MAX_LINKS);
                goto done;
            }
            if (!(spliced = splice_link(&w, dir, fd, name_buf, rest, check)))
                goto done;
            close(fd);
            fd = -1;
            free(todo);
            p = todo = spliced;
            if (*todo == '/' && to_root(&w, &dir, check) != 0)
                goto done;
            continue;
        }
        if (S_ISDIR(st.st_mode) && !last) {
            if (check && trusted(&w, &st, name_buf, 1) != 0)
                goto done;
            if (strlen(name_buf) >= sizeof w.shown) {
                fail(&w, ENAMETOOLONG, "%s: name too long", path);
                goto done;
            }
            strcpy(w.shown, name_buf);
            close(dir);
            dir = fd;
            fd = -1;
            continue;
        }
        if (!S_ISREG(st.st_mode) || !last) {
            fail(&w, last ? EINVAL : ENOTDIR, "%s is not a %s", name_buf,
                 last ? "regular file; expected a plugin file" : "directory");
            goto done;
        }
        /* The file's own directory may not be writable by others even when sticky. */
        if (check && (trusted(&w, &st, name_buf, 0) != 0 || check_fd(&w, dir, dir_name(&w), 0) != 0))
            goto done;
        out = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (out < 0) {
            fail(&w, errno, "cannot open %s: %s", name_buf, strerror(errno));
            goto done;
        }
        if (fstat(out, &again) != 0 || again.st_dev != st.st_dev || again.st_ino != st.st_ino) {
            close(out);
            out = -1;
            fail(&w, EACCES, "%s changed while it was being checked; expected a file nobody else changes", name_buf);
        }
        goto done;
    }
done:
    {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        if (dir >= 0)
            close(dir);
        free(todo);
        errno = saved;
    }
    return out;
}
