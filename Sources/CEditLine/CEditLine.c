// Fixed-signature wrappers around libedit for LineEditor.swift.
// See include/CEditLine.h for why this file exists at all.

// SwiftPM compiles C in strict ISO mode, which hides POSIX's wcwidth.
#define _XOPEN_SOURCE 700

#include "CEditLine.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include <histedit.h>

struct evq_editor {
    EditLine *el;
    History *history;
    HistEvent event;        // scratch: history() reports through it
    int in;                 // the terminal's input descriptor
    FILE *out;              // the terminal, as given to el_init
    char *prompt;           // owned; returned by prompt_of on every redraw
    evq_complete_fn complete;
    void *context;
    char *resume_text;      // owned; the line to put back after a restart
    size_t resume_cursor;   // its cursor, in characters from the end
};

static const char hist_cookie_prefix[] = "_HiStOrY_V";

// MARK: Locale

static int ctype_is_utf8(void)
{
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && strcmp(codeset, "UTF-8") == 0;
}

// libedit decodes keystrokes with mbrtowc and measures columns with wcwidth,
// and it decides at el_init whether the charset is UTF-8. Swift never calls
// setlocale, so without this the process stays in the "C" locale and every
// non-ASCII byte typed (小米) is silently discarded. A user locale that is
// not UTF-8 is overridden: evq's data is UTF-8 throughout. A fully static
// binary finds C.UTF-8 only as locale data on disk (/usr/lib/locale/C.utf8).
static void use_utf8_ctype(void)
{
    if (setlocale(LC_CTYPE, "") != NULL && ctype_is_utf8())
        return;
    if (setlocale(LC_CTYPE, "C.UTF-8") != NULL && ctype_is_utf8())
        return;
    (void)setlocale(LC_CTYPE, "C.utf8");
}

int evq_editor_is_utf8(void)
{
    return ctype_is_utf8();
}

// MARK: Callbacks from libedit

// libedit callbacks receive only the EditLine; the editor rides along as
// its client data, so no global editor pointer is needed.
static evq_editor *editor_of(EditLine *el)
{
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0)
        return NULL;
    return data;
}

static char *prompt_of(EditLine *el)
{
    static char empty[] = "";
    evq_editor *editor = editor_of(el);
    return editor != NULL && editor->prompt != NULL ? editor->prompt : empty;
}

static unsigned char complete_word(EditLine *el, int key)
{
    (void)key;
    evq_editor *editor = editor_of(el);
    if (editor == NULL || editor->complete == NULL)
        return CC_ERROR;
    const LineInfo *info = el_line(el);
    int length = (int)(info->lastchar - info->buffer);
    int cursor = (int)(info->cursor - info->buffer);
    switch (editor->complete(editor, editor->context, info->buffer, length, cursor)) {
    case EVQ_COMPLETE_REFRESH:
        return CC_REFRESH;
    case EVQ_COMPLETE_REDISPLAY:
        return CC_REDISPLAY;
    default:
        return CC_ERROR; // libedit beeps on CC_ERROR
    }
}

// MARK: Reading keys
//
// libedit's built-in reader hides resizes: it adopts the new width, forgets
// what is on screen, assumes the cursor is back where the prompt starts, and
// reads on, so the next key draws the line rows away from where it is. (Its
// reader would also be the only one to re-arm libedit's signal handlers.) So
// evq reads keys itself and ends el_gets on any signal; evq_editor_read then
// restarts el_gets on the same text, which re-arms the handlers, re-measures
// the terminal and redraws the line in the right place.

// Set by SIGWINCH. libedit (EL_SIGNAL) catches the signal first and then
// calls this handler as the program's own; alone it catches a resize that
// came between two reads instead of during one.
static volatile sig_atomic_t window_resized = 0;

static void on_window_change(int signal)
{
    (void)signal;
    window_resized = 1;
}

// Decodes bytes[0..<*count]: 1 when they form a character. Otherwise
// *count says how many bytes to keep (an incomplete sequence waits for more;
// an invalid one is dropped, except a last byte that may start the next).
static int decode(char *bytes, size_t *count, wchar_t *character)
{
    for (;;) {
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t used = mbrtowc(character, bytes, *count, &state);
        if (used == (size_t)-2 && *count < MB_LEN_MAX)
            return 0;
        if (used == (size_t)-1 && *count > 1) {
            bytes[0] = bytes[*count - 1];
            *count = 1;
            continue;
        }
        if (used == (size_t)-1 || used == (size_t)-2) {
            *count = 0;
            return 0;
        }
        return 1;
    }
}

static void resume_line(evq_editor *editor);

// libedit's reader, minus its signal handling: a failed read(2) (EINTR on any
// signal) ends el_gets with errno kept, EOF returns 0, and bytes are decoded
// as libedit decodes them.
static int read_char(EditLine *el, wchar_t *character)
{
    evq_editor *editor = editor_of(el);
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    *character = L'\0';
    if (editor != NULL && editor->resume_text != NULL)
        resume_line(editor);
    for (;;) {
        if (window_resized) {
            errno = EINTR;
            return -1;
        }
        ssize_t got = read(editor != NULL ? editor->in : STDIN_FILENO, bytes + count, 1);
        if (got < 0)
            return -1;
        if (got == 0)
            return 0;
        count++;
        if (decode(bytes, &count, character))
            return 1;
    }
}

// MARK: Editor

// Outside el_gets nothing needs to hear of a resize, and SA_RESTART keeps
// it from disturbing evaluation.
static void watch_window_size(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_window_change;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    (void)sigaction(SIGWINCH, &action, NULL);
}

// libedit's incremental redraw garbles a line wrapped over several rows when
// it edits in place with the terminal's insert/delete-character capabilities
// (seen in tmux after typing twice near the start of a long line). Without
// them it rewrites the changed text instead, which stays correct.
static void disable_in_place_edits(EditLine *el)
{
    static const char *const capabilities[] = {"im", "ei", "ic", "IC", "dc", "DC"};
    for (size_t i = 0; i < sizeof capabilities / sizeof *capabilities; i++)
        el_set(el, EL_SETTC, capabilities[i], "", NULL);
}

static void bind_keys(EditLine *el)
{
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_ADDFN, "evq-complete", "Complete the word before the cursor", complete_word);
    el_set(el, EL_BIND, "^I", "evq-complete", NULL);
    // The emacs map binds ^R to ed-redisplay; shells have taught people it
    // searches history. (em-inc-search-prev looks keys up by their low byte,
    // so some CJK characters end the search; Meta-P, ed-search-prev-history,
    // finds earlier lines containing what is typed, CJK included.)
    el_set(el, EL_BIND, "^R", "em-inc-search-prev", NULL);
}

evq_editor *evq_editor_create(const char *program, int read_editrc)
{
    use_utf8_ctype();
    evq_editor *editor = calloc(1, sizeof *editor);
    if (editor == NULL)
        return NULL;
    editor->in = fileno(stdin);
    editor->out = stdout;
    editor->history = history_init();
    editor->el = el_init(program, stdin, stdout, stderr);
    if (editor->history == NULL || editor->el == NULL) {
        evq_editor_destroy(editor);
        return NULL;
    }
    history(editor->history, &editor->event, H_SETUNIQUE, 1);

    EditLine *el = editor->el;
    el_set(el, EL_CLIENTDATA, editor);
    // libedit then puts the tty back before SIGINT/SIGTSTP/... reach the
    // program and tracks the window size while reading.
    el_set(el, EL_SIGNAL, 1);
    el_set(el, EL_GETCFN, read_char);
    watch_window_size();
    el_set(el, EL_HIST, history, editor->history);
    el_set(el, EL_PROMPT, prompt_of);
    disable_in_place_edits(el);
    bind_keys(el);
    // Last, so settings in ~/.editrc override the defaults above; --safe touches no file of the user's.
    if (read_editrc)
        (void)el_source(el, NULL);
    return editor;
}

void evq_editor_destroy(evq_editor *editor)
{
    if (editor == NULL)
        return;
    if (editor->el != NULL)
        el_end(editor->el);
    if (editor->history != NULL)
        history_end(editor->history);
    free(editor->prompt);
    free(editor->resume_text);
    free(editor);
}

void evq_editor_set_completer(evq_editor *editor, evq_complete_fn complete, void *context)
{
    editor->complete = complete;
    editor->context = context;
}

int evq_editor_set_prompt(evq_editor *editor, const char *prompt)
{
    char *copy = strdup(prompt);
    if (copy == NULL)
        return -1;
    free(editor->prompt);
    editor->prompt = copy;
    return 0;
}

static void keep_line_for_restart(evq_editor *editor);

evq_read_status evq_editor_read(evq_editor *editor, const char **line, int *length)
{
    *line = NULL;
    *length = 0;
    for (;;) {
        int count = 0;
        window_resized = 0; // el_gets measures the terminal as it starts
        errno = 0;
        const char *text = el_gets(editor->el, &count);
        if (text != NULL && count > 0) {
            if (text[count - 1] == '\n')
                count--;
            *line = text;
            *length = count;
            return EVQ_READ_LINE;
        }
        // el_gets reports EOF as count 0 and a failed read as count -1 with
        // errno kept from read(2).
        if (count == 0) {
            // libedit echoed ^D on the prompt's row; end that row so what
            // comes next (the shell's prompt) starts on its own.
            fputs("\r\n", editor->out);
            fflush(editor->out);
            return EVQ_READ_END_OF_FILE;
        }
        if (errno != EINTR)
            return EVQ_READ_ERROR;
        if (evq_interrupt_requested())
            return EVQ_READ_INTERRUPTED;
        keep_line_for_restart(editor); // a resize, or Ctrl-Z and fg
    }
}

// MARK: Where the cursor is on screen

static int prompt_width(evq_editor *editor)
{
    const char *prompt = editor->prompt != NULL ? editor->prompt : "";
    return evq_display_width(prompt, strlen(prompt));
}

// Screen rows, counted from the prompt's row, holding the cursor and the end
// of the line. libedit keeps its own copy private, so recompute it the way it
// wraps: by columns, prompt included.
static void line_rows(evq_editor *editor, int *cursor_row, int *last_row)
{
    const LineInfo *info = el_line(editor->el);
    int columns = evq_editor_terminal_width(editor);
    int prompt = prompt_width(editor);
    int before = evq_display_width(info->buffer, (size_t)(info->cursor - info->buffer));
    int all = evq_display_width(info->buffer, (size_t)(info->lastchar - info->buffer));
    *cursor_row = (prompt + before) / columns;
    *last_row = (prompt + all) / columns;
}

// "\r\n" rather than "\n": libedit's raw mode keeps the terminal's output
// processing (ONLCR), but an .editrc "setty" can turn it off.
static void new_lines(FILE *out, int count)
{
    for (int i = 0; i < count; i++)
        fputs("\r\n", out);
}

// Characters (as libedit counts them: wchar_t) in UTF-8 text. el_line's
// buffer is not reliably NUL-terminated at lastchar, hence the length.
static size_t count_characters(const char *text, size_t length)
{
    mbstate_t state;
    memset(&state, 0, sizeof state);
    size_t count = 0;
    size_t at = 0;
    while (at < length) {
        size_t used = mbrlen(text + at, length - at, &state);
        if (used == 0 || used == (size_t)-1 || used == (size_t)-2) {
            memset(&state, 0, sizeof state);
            used = 1;
        }
        at += used;
        count++;
    }
    return count;
}

// Saves the line and cursor, then moves to where the prompt starts and
// clears below, so the restarted el_gets draws the prompt in place. Where
// the cursor is after a resize depends on the terminal: this assumes it
// re-wrapped the line to the new width (tmux, VTE, kitty, iTerm2, Windows
// Terminal; not xterm). Plain ANSI sequences, as on every terminal in use.
static void keep_line_for_restart(evq_editor *editor)
{
    const LineInfo *info = el_line(editor->el);
    size_t length = (size_t)(info->lastchar - info->buffer);
    free(editor->resume_text);
    editor->resume_text = malloc(length + 1);
    if (editor->resume_text != NULL) {
        memcpy(editor->resume_text, info->buffer, length);
        editor->resume_text[length] = '\0';
        editor->resume_cursor = count_characters(info->cursor, (size_t)(info->lastchar - info->cursor));
    }
    int cursor_row, last_row;
    line_rows(editor, &cursor_row, &last_row);
    if (cursor_row > 0)
        fprintf(editor->out, "\033[%dA", cursor_row);
    fputs("\r\033[J", editor->out);
    fflush(editor->out);
}

// Puts the kept line back once the restarted el_gets has drawn its prompt
// (el_gets empties the line as it starts, so it cannot be done before).
static void resume_line(evq_editor *editor)
{
    char *text = editor->resume_text;
    editor->resume_text = NULL;
    if (text[0] != '\0' && el_insertstr(editor->el, text) == 0)
        el_cursor(editor->el, -(int)editor->resume_cursor);
    free(text);
    // The prompt stands alone on its row: from its start, EL_REFRESH
    // (which assumes a blank screen there) redraws prompt and line.
    fputc('\r', editor->out);
    el_set(editor->el, EL_REFRESH);
}

void evq_editor_print_below(evq_editor *editor, const char *text)
{
    int cursor_row, last_row;
    line_rows(editor, &cursor_row, &last_row);
    new_lines(editor->out, last_row - cursor_row + 1);
    for (const char *c = text; *c != '\0'; c++) {
        if (*c == '\n')
            new_lines(editor->out, 1);
        else
            fputc(*c, editor->out);
    }
    if (text[0] != '\0' && text[strlen(text) - 1] != '\n')
        new_lines(editor->out, 1);
    // CC_REDISPLAY first climbs from the cursor's row to the prompt's row,
    // clearing as it goes; leave that many blank rows so it stops just
    // under the listing instead of erasing it.
    new_lines(editor->out, cursor_row);
    fflush(editor->out);
}

void evq_editor_abandon_line(evq_editor *editor)
{
    int cursor_row, last_row;
    line_rows(editor, &cursor_row, &last_row);
    fputs("^C", editor->out);
    new_lines(editor->out, last_row - cursor_row + 1);
    fflush(editor->out);
}

// MARK: Inside the completion callback

int evq_editor_insert(evq_editor *editor, const char *text)
{
    return el_insertstr(editor->el, text);
}

void evq_editor_delete(evq_editor *editor, int characters)
{
    if (characters > 0)
        el_deletestr(editor->el, characters);
}

// MARK: Terminal

int evq_editor_terminal_width(evq_editor *editor)
{
    struct winsize size;
    if (editor != NULL && ioctl(fileno(editor->out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    int columns = 0;
    if (editor != NULL && el_get(editor->el, EL_GETTC, "co", &columns) == 0 && columns > 0)
        return columns;
    return 80;
}

int evq_display_width(const char *text, size_t length)
{
    mbstate_t state;
    memset(&state, 0, sizeof state);
    int width = 0;
    size_t at = 0;
    while (at < length) {
        wchar_t wc;
        size_t used = mbrtowc(&wc, text + at, length - at, &state);
        if (used == (size_t)-1 || used == (size_t)-2) {
            // Not UTF-8 here: count the byte as one column and resync.
            memset(&state, 0, sizeof state);
            width++;
            at++;
            continue;
        }
        if (used == 0)
            break;
        int w = wcwidth(wc);
        width += w > 0 ? w : 0;
        at += used;
    }
    return width;
}

// MARK: History

int evq_history_set_size(evq_editor *editor, int size)
{
    return history(editor->history, &editor->event, H_SETSIZE, size) < 0 ? -1 : 0;
}

int evq_history_add(evq_editor *editor, const char *line)
{
    // H_SETUNIQUE drops a repeat silently; look first so the caller knows
    // not to append it to the file either.
    if (history(editor->history, &editor->event, H_FIRST) == 0 &&
        strcmp(editor->event.str, line) == 0)
        return 0;
    return history(editor->history, &editor->event, H_ENTER, line) < 0 ? -1 : 1;
}

// history(H_LOAD) returns -1 both for an unreadable file and for one without
// libedit's cookie line, and says nothing about errno; open it ourselves
// first so the caller can tell the user which.
int evq_history_load(evq_editor *editor, const char *path)
{
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return -1;
    char head[sizeof hist_cookie_prefix] = {0};
    size_t got = fread(head, 1, sizeof hist_cookie_prefix - 1, file);
    int failed = ferror(file);
    int saved = errno;
    fclose(file);
    if (failed) {
        errno = saved;
        return -1;
    }
    if (got == 0)
        return 0;
    if (got < sizeof hist_cookie_prefix - 1 || memcmp(head, hist_cookie_prefix, got) != 0)
        return -2;
    int count = history(editor->history, &editor->event, H_LOAD, path);
    return count < 0 ? -2 : count;
}

// open(2) with mode 0600 (history can hold anything typed), as a stream.
static FILE *open_private(const char *path, int flags, const char *mode)
{
    int fd = open(path, flags | O_CLOEXEC, 0600);
    if (fd < 0)
        return NULL;
    FILE *file = fdopen(fd, mode);
    if (file == NULL) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return file;
}

// Writes every entry with H_SAVE_FP (the cookie line first if the stream is
// at offset 0) and closes the stream. Returns 0, or -1 with errno set; a
// failed write (ENOSPC) may only surface when fclose flushes.
static int save_and_close(History *entries, FILE *file)
{
    HistEvent event;
    errno = 0;
    int result = history(entries, &event, H_SAVE_FP, file) < 0 ? -1 : 0;
    int saved = errno != 0 ? errno : EIO;
    if (fclose(file) != 0 && result == 0) {
        saved = errno;
        result = -1;
    }
    if (result != 0)
        errno = saved;
    return result;
}

int evq_history_append(const char *path, const char *line)
{
    // libedit has no "append one entry": H_NSAVE_FP(n) writes n+1 entries in
    // this version, and writes the cookie line whenever ftell says 0, which
    // it does on a fresh append stream. So save a one-entry History through
    // a stream moved to the end: the cookie goes only into an empty file and
    // the entry is encoded exactly as H_LOAD expects. Appending, rather than
    // rewriting, keeps concurrent sessions from overwriting each other.
    History *single = history_init();
    if (single == NULL)
        return -1;
    HistEvent event;
    int result = -1;
    errno = ENOMEM;
    // A new History holds nothing (its size is 0) until told otherwise.
    if (history(single, &event, H_SETSIZE, 1) >= 0 && history(single, &event, H_ENTER, line) >= 0) {
        FILE *file = open_private(path, O_WRONLY | O_APPEND | O_CREAT, "a");
        if (file != NULL && fseek(file, 0, SEEK_END) == 0)
            result = save_and_close(single, file);
        else if (file != NULL)
            fclose(file);
    }
    int saved = errno;
    history_end(single);
    errno = saved;
    return result;
}

int evq_history_rewrite(evq_editor *editor, const char *path)
{
    char temporary[4096];
    int length = snprintf(temporary, sizeof temporary, "%s.%ld.tmp", path, (long)getpid());
    if (length < 0 || (size_t)length >= sizeof temporary) {
        errno = ENAMETOOLONG;
        return -1;
    }
    FILE *file = open_private(temporary, O_WRONLY | O_CREAT | O_EXCL, "w");
    if (file == NULL)
        return -1;
    if (save_and_close(editor->history, file) == 0 && rename(temporary, path) == 0)
        return 0;
    int saved = errno;
    unlink(temporary);
    errno = saved;
    return -1;
}

// libedit keeps the newest entry first: H_LAST is the oldest and H_PREV
// steps towards the newest.
const char *evq_history_entry(evq_editor *editor, int restart)
{
    int op = restart ? H_LAST : H_PREV;
    if (history(editor->history, &editor->event, op) != 0)
        return NULL;
    return editor->event.str;
}

// MARK: Interrupt (Ctrl-C)

// The flag lives in C because Swift 6 forbids mutable globals, and a signal
// handler may only touch a volatile sig_atomic_t.
static volatile sig_atomic_t interrupt_flag = 0;

static void on_interrupt(int signal)
{
    (void)signal;
    interrupt_flag = 1;
}

int evq_interrupt_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: Ctrl-C must end a read or open that waits (a FIFO with
    // no writer) with EINTR; the Swift side retries EINTR unless the flag is
    // set, so other reads and writes go on. A read inside el_gets fails too:
    // with EL_SIGNAL, libedit catches SIGINT itself, restores the tty, and
    // then re-raises it to this handler.
    action.sa_flags = 0;
    return sigaction(SIGINT, &action, NULL);
}

int evq_interrupt_requested(void)
{
    return interrupt_flag != 0;
}

void evq_interrupt_clear(void)
{
    interrupt_flag = 0;
}
