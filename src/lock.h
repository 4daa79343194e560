/*
 * lock.h — the exclusive lock that keeps two runs of one job from overlapping.
 *
 * Owns the lock file: flock(2) on a file beside the outputs (or wherever
 * the job's run.lock_file says), held from before the first output is
 * touched until the process ends or releases it. flock is used rather than
 * a lock file's mere existence because the kernel drops it when a run dies,
 * even under SIGKILL, so a crashed run never blocks the next one; for the
 * same reason the file itself is never deleted (deleting it would let two
 * runs lock two different files of the same name). The holder writes its
 * process id into the file so that the run that is refused can name it.
 * The file is opened without following a symbolic link, must be a regular
 * file of the user's, and is never truncated: a lock path planted or
 * mistyped to name another file cannot empty it.
 */
#ifndef RI_LOCK_H
#define RI_LOCK_H

#include "error.h"

typedef struct ri_lock ri_lock;

/* Do not wait: fail at once when another process holds the lock. */
#define RI_LOCK_NO_WAIT (-1L)
/* Wait as long as it takes. */
#define RI_LOCK_WAIT_FOREVER 0L

/*
 * Take the lock on path (created when absent). wait_seconds is
 * RI_LOCK_NO_WAIT, RI_LOCK_WAIT_FOREVER or a positive number of seconds.
 * RI_RC_LOCK when another process holds it (after waiting, if asked):
 * the message names the file and, when it can be read, the holder's pid.
 * RI_RC_DATA when the file cannot be opened or locked, is a symbolic
 * link, is not a regular file or belongs to another user.
 */
ri_rc ri_lock_acquire(const char *path, long wait_seconds, ri_lock **out, ri_error *err);

/* Release and close; NULL is allowed. */
void ri_lock_release(ri_lock *lock);

#endif
