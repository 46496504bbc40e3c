/*
 * text_words.h - the words the text timeline uses for a signal: how it
 * came and what it does.
 */
#ifndef TRACELAB_TEXT_WORDS_H
#define TRACELAB_TEXT_WORDS_H

#include "event/fields.h"

/* "-> runs the handler", "-> default action: nothing runs; ...": what a
 * signal event's delivery does, after the arrow. */
const char *signal_action_words(const struct fields *fs);
/* How a signal came, in words, for its si_code ("SI_USER": "sent by
 * kill()"), or NULL when there are none. */
const char *signal_code_words(const char *code);

#endif
