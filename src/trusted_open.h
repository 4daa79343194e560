/*
 * trusted_open.h — opening a file that only root and the user running
 * regind could have put there, with no gap between checking and using it.
 *
 * Owns the trust rule for the code regind loads (plugins). The path is
 * walked one name at a time from / (a relative path from the working
 * directory), each directory and the file opened relative to the one
 * before with O_NOFOLLOW and checked through its descriptor, so what is
 * checked is what is returned: a link swapped after the check cannot
 * redirect the open. Every directory walked and the file must belong to
 * root or the user and be writable by nobody else; a directory above the
 * file's own may be writable by all when it is sticky (like /tmp). A
 * symbolic link is followed only when the directory holding it is
 * writable by its owner alone (sticky or not: in /tmp anyone can plant a
 * link of their own), and then its target is walked the same way.
 */
#ifndef RI_TRUSTED_OPEN_H
#define RI_TRUSTED_OPEN_H

#include <stddef.h>

/*
 * A read-only, close-on-exec descriptor of the regular file at path, or -1
 * with errno set and why[0..n) saying which file or directory failed and
 * what was expected. errno is ENOENT when a name on the path does not
 * exist, EACCES when a check failed. With check == 0 nothing is checked
 * beyond the file being regular.
 */
int ri_trusted_open(const char *path, int check, char *why, size_t n);

#endif
