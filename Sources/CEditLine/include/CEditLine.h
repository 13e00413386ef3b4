// CEditLine: the only C in evq, and only what must be C.
//
// libedit's el_set, el_get and history are variadic, which Swift cannot call;
// el_init wants the C library's stdin/stdout/stderr, which Swift 6 rejects; and
// a signal handler may touch nothing but a volatile sig_atomic_t, which Swift
// cannot declare. Everything else (reading keys, decoding UTF-8, where the
// cursor is on screen, the history file, the locale) is LineEditor.swift's.
// The header does not include <histedit.h>, so Swift sees nothing of libedit.

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
typedef evq_complete_result (*evq_complete_fn)(void *context, const char *line, int length, int cursor);

/// Called by libedit for each key: stores one character and returns 1, returns
/// 0 at end of input, or -1 with errno set (EINTR ends the el_gets).
typedef int (*evq_read_key_fn)(void *context, wchar_t *character);

// MARK: Editor

/// Creates an editor on the process's terminal: emacs bindings, Tab bound to
/// the completion callback, Ctrl-R to incremental history search, then
/// ~/.editrc unless read_editrc is 0 (so the user's bindings win). Set the
/// locale first: libedit decides here whether characters are UTF-8. Reads
/// nothing until evq_editor_set_callbacks. NULL if libedit cannot start.
evq_editor *evq_editor_create(const char *program, int read_editrc);
void evq_editor_destroy(evq_editor *editor);

/// Installs the Tab handler and the key reader; `context` is passed back to
/// both untouched.
void evq_editor_set_callbacks(evq_editor *editor, void *context,
                              evq_complete_fn complete, evq_read_key_fn read_key);

/// Copies the prompt shown by the next reads. Returns 0, or -1 if out of memory.
int evq_editor_set_prompt(evq_editor *editor, const char *prompt);

/// el_gets: the line (with its newline, valid until the next call) and its
/// byte count in *count; NULL with *count 0 at end of input, or -1 with errno
/// kept from the key reader.
const char *evq_editor_gets(evq_editor *editor, int *count);

/// The line being edited: its bytes (not NUL-terminated), their count, and
/// the cursor as a byte offset.
void evq_editor_line(evq_editor *editor, const char **text, int *length, int *cursor);

/// Inserts UTF-8 text at the cursor. Returns 0, or -1 on failure.
int evq_editor_insert(evq_editor *editor, const char *text);

/// Deletes `characters` characters (wchar_t, not bytes) before the cursor.
void evq_editor_delete(evq_editor *editor, int characters);

/// Moves the cursor by `characters` (negative: left).
void evq_editor_move_cursor(evq_editor *editor, int characters);

/// Redraws prompt and line, assuming the cursor stands where the prompt starts.
void evq_editor_refresh(evq_editor *editor);

/// Writes text to the terminal through libedit's own output stream, flushed,
/// so it lands in order with what libedit has drawn.
void evq_editor_write(evq_editor *editor, const char *text);

// MARK: History

/// Keeps at most `size` entries in memory. Returns 0 or -1.
int evq_history_set_size(evq_editor *editor, int size);

/// Adds a line as the newest entry. Returns 1 if added, 0 if it repeats the
/// newest entry (dropped), -1 on failure.
int evq_history_add(evq_editor *editor, const char *line);

/// Loads a libedit history file. Returns the number of entries read, or -1.
int evq_history_load(evq_editor *editor, const char *path);

/// Writes every entry to `fd` in libedit's file format (the cookie line first
/// when fd is at offset 0), then closes fd. Returns 0, or -1 with errno set.
int evq_history_save(evq_editor *editor, int fd);

/// Appends one entry to `fd` (open for appending), encoded as
/// evq_history_load reads it, then closes fd. Returns 0, or -1 with errno set.
int evq_history_save_line(int fd, const char *line);

/// Walks the history from oldest to newest: the first call with restart=1,
/// then restart=0 until NULL. Strings are valid until the history changes.
const char *evq_history_entry(evq_editor *editor, int restart);

// MARK: Signal flags

/// Installs the SIGINT handler that sets the interrupt flag (no SA_RESTART:
/// a read or open that waits ends with EINTR). Returns 0 or -1.
int evq_interrupt_install(void);
/// Whether SIGINT arrived since the last clear.
int evq_interrupt_requested(void);
/// Forgets any SIGINT that has arrived.
void evq_interrupt_clear(void);

/// Installs the SIGWINCH handler that sets the resize flag (SA_RESTART: a
/// resize disturbs nothing but the key reader, which polls the flag).
int evq_resize_install(void);
/// Whether the terminal was resized since the last clear.
int evq_resize_requested(void);
/// Forgets any resize.
void evq_resize_clear(void);

#endif
