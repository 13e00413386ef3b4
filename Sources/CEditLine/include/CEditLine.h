// CEditLine: the only C in evq.
//
// libedit's el_set, el_get and history are variadic, which Swift cannot call,
// and Swift 6 rejects the global stdin/stdout/stderr that el_init needs. These
// small fixed-signature wrappers are the whole bridge; LineEditor.swift is the
// only Swift that uses them. The header deliberately does not include
// <histedit.h>, so Swift sees these functions and nothing of libedit.

#ifndef EVQ_CEDITLINE_H
#define EVQ_CEDITLINE_H

#include <stddef.h>

/// One terminal line editor: a libedit EditLine plus its History.
typedef struct evq_editor evq_editor;

/// How the line must be redrawn after a Tab completion.
typedef enum {
    EVQ_COMPLETE_REFRESH = 0,   ///< The line changed: redraw it.
    EVQ_COMPLETE_REDISPLAY = 1, ///< Text was printed below: redraw prompt and line.
    EVQ_COMPLETE_BEEP = 2,      ///< Nothing to complete: ring the bell.
} evq_complete_result;

/// Called on Tab with the line as UTF-8 and the cursor as a byte offset into it.
typedef evq_complete_result (*evq_complete_fn)(evq_editor *editor, void *context,
                                               const char *line, int length, int cursor);

/// What one read produced.
typedef enum {
    EVQ_READ_LINE = 0,        ///< A line (possibly empty) ended by Return.
    EVQ_READ_END_OF_FILE = 1, ///< Ctrl-D on an empty line, or input closed.
    EVQ_READ_INTERRUPTED = 2, ///< A signal (Ctrl-C) interrupted the read.
    EVQ_READ_ERROR = 3,       ///< The terminal failed; errno says why.
} evq_read_status;

// MARK: Editor

/// Creates an editor on the process's terminal: emacs bindings, Tab bound to
/// the completion callback, Ctrl-R to incremental history search, then
/// ~/.editrc (so the user's bindings win). Switches LC_CTYPE to UTF-8 first
/// and installs a SIGWINCH handler (a flag; SA_RESTART).
/// Returns NULL if libedit cannot be initialised.
/// With read_editrc 0 (`--safe`), ~/.editrc is not read.
evq_editor *evq_editor_create(const char *program, int read_editrc);
void evq_editor_destroy(evq_editor *editor);

/// Whether characters are UTF-8 (after evq_editor_create chose the locale).
/// When not, only ASCII can be typed.
int evq_editor_is_utf8(void);

/// Installs the Tab handler; `context` is passed back to it untouched.
void evq_editor_set_completer(evq_editor *editor, evq_complete_fn complete, void *context);

/// Copies the prompt shown by the next reads. Returns 0, or -1 if out of memory.
int evq_editor_set_prompt(evq_editor *editor, const char *prompt);

/// Reads one line. On EVQ_READ_LINE, *line is the UTF-8 text (without the
/// newline, valid until the next read) and *length its byte count. A resize
/// or Ctrl-Z/fg during the read is handled inside; Ctrl-C (SIGINT while the
/// evq_interrupt handler is installed) gives EVQ_READ_INTERRUPTED.
evq_read_status evq_editor_read(evq_editor *editor, const char **line, int *length);

/// After EVQ_READ_INTERRUPTED: shows ^C and moves below the abandoned line.
void evq_editor_abandon_line(evq_editor *editor);

// MARK: Inside the completion callback

/// Inserts UTF-8 text at the cursor. Returns 0, or -1 on failure.
int evq_editor_insert(evq_editor *editor, const char *text);

/// Deletes `characters` Unicode scalars (not bytes) before the cursor.
void evq_editor_delete(evq_editor *editor, int characters);

/// Prints text (lines separated by '\n') below the line being edited and
/// leaves the terminal so that returning EVQ_COMPLETE_REDISPLAY redraws the
/// prompt and line underneath it.
void evq_editor_print_below(evq_editor *editor, const char *text);

// MARK: Terminal

/// Columns of the terminal (80 if unknown).
int evq_editor_terminal_width(evq_editor *editor);

/// Columns a UTF-8 string occupies (CJK count two, control characters none).
int evq_display_width(const char *text, size_t length);

// MARK: History

/// Keeps at most `size` entries in memory. Returns 0 or -1.
int evq_history_set_size(evq_editor *editor, int size);

/// Adds a line as the newest entry. Returns 1 if added, 0 if it repeats the
/// newest entry (dropped), -1 on failure.
int evq_history_add(evq_editor *editor, const char *line);

/// Loads a history file. Returns the number of lines read; -1 with errno set
/// if it cannot be read; -2 if it is not a libedit history file. An empty
/// file counts as an empty history.
int evq_history_load(evq_editor *editor, const char *path);

/// Appends one entry to a history file, creating it with mode 0600.
/// Returns 0, or -1 with errno set.
int evq_history_append(const char *path, const char *line);

/// Replaces a history file with the in-memory history (written to a
/// temporary file, then renamed, so a crash never leaves it half written).
/// Returns 0, or -1 with errno set.
int evq_history_rewrite(evq_editor *editor, const char *path);

/// Walks the history from oldest to newest: the first call with restart=1,
/// then restart=0 until NULL. Strings are valid until the history changes.
const char *evq_history_entry(evq_editor *editor, int restart);

// MARK: Interrupt (Ctrl-C)

/// Installs the SIGINT handler that sets the interrupt flag. Returns 0 or -1.
int evq_interrupt_install(void);

/// Whether SIGINT arrived since the last clear.
int evq_interrupt_requested(void);

/// Forgets any SIGINT that has arrived.
void evq_interrupt_clear(void);

#endif
