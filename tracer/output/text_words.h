/*
 * text_words.h - the words the text timeline uses for a signal's fate.
 */
#ifndef TRACELAB_TEXT_WORDS_H
#define TRACELAB_TEXT_WORDS_H

#include "event/fields.h"

/* "-> runs the handler", "-> default action: nothing runs; ...": what a
 * signal event's delivery does, after the arrow. */
const char *signal_action_words(const struct fields *fs);

#endif
