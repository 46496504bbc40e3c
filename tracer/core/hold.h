/*
 * hold.h - the race arranger: make SIGCHLDs coalesce every time.
 *
 * When several children exit close together, their parent may get one
 * SIGCHLD for all of them, or one each: it depends on timing. A handler
 * that calls wait() once is wrong either way, but only shows it when the
 * signals coalesce. With hold on, the parent's first SIGCHLD is held at its
 * delivery stop until every child it has has exited. The children's own
 * SIGCHLDs meanwhile merge into one pending signal, and the held one is
 * then dropped into it: one SIGCHLD for all the exits, every time.
 */
#ifndef TRACELAB_HOLD_H
#define TRACELAB_HOLD_H

#include "core/loop.h"

/* At a SIGCHLD delivery stop of tid (process pid): 1 if held back. */
int hold_sigchld(struct tracer *tr, pid_t tid, pid_t pid, const siginfo_t *si);
/* A child of parent died: deliver the held SIGCHLD if none is left alive. */
void hold_release(struct tracer *tr, pid_t parent);

#endif
