/*
 * status.h - a process's wait status (as waitpid() returns it): as fields
 * of an event, and from the siginfo of a SIGCHLD or waitid().
 */
#ifndef TRACELAB_STATUS_H
#define TRACELAB_STATUS_H

#include "event/fields.h"

/* {"exited": 3}, {"signaled": "SIGKILL", "core": false}, {"stopped":
 * "SIGSTOP"} or {"continued": true}, at key. */
void fs_status(struct fields *fs, const char *key, int status);
/* The wait status that si_code (CLD_EXITED...) and si_status describe,
 * or -1 when code is not one of a child's (CLD_EXITED...). */
int status_from_child_info(int code, int value);

#endif
