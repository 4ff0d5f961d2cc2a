#ifndef ECSH_CREADLINE_SHIM_H
#define ECSH_CREADLINE_SHIM_H
// readline.h uses FILE without including stdio.h.
#include <stdio.h>
#include <stdlib.h>
#include <readline/readline.h>
#include <readline/history.h>

// Swift 6 strict concurrency rejects writes to C globals; these setters do it in C.
static inline void ecsh_rl_set_name(const char *name) { rl_readline_name = name; }
static inline void ecsh_rl_set_catch_signals(int on) { rl_catch_signals = on; rl_catch_sigwinch = on; }
static inline void ecsh_rl_set_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void ecsh_rl_set_completion_entry(rl_compentry_func_t *f) { rl_completion_entry_function = f; }
static inline void ecsh_rl_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void ecsh_rl_set_word_break_characters(const char *s) { rl_completer_word_break_characters = (char *)s; }
static inline void ecsh_rl_set_basic_quote_characters(const char *s) { rl_completer_quote_characters = s; }
static inline void ecsh_rl_set_outstream(FILE *f) { rl_outstream = f; }
static inline void ecsh_rl_set_instream(FILE *f) { rl_instream = f; }
static inline char *ecsh_rl_line_buffer(void) { return rl_line_buffer; }
static inline int ecsh_rl_point(void) { return rl_point; }
static inline void ecsh_rl_set_done(int v) { rl_done = v; }
static inline void ecsh_rl_set_append_character(int c) { rl_completion_append_character = c; }
// Set inside the completion function (readline resets both before each completion):
// no closing quote and no space after the one match (a folder the user completes into).
static inline void ecsh_rl_keep_word_open(void) { rl_completion_suppress_quote = 1; rl_completion_suppress_append = 1; }
// stdout is a mutable C global Swift 6 will not touch: write and flush through C,
// to readline's output stream once readline has set it up.
static inline void ecsh_rl_write(const char *s) {
    FILE *out = rl_outstream ? rl_outstream : stdout;
    fputs(s, out);
    fflush(out);
}
#endif
