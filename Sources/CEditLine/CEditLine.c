// Fixed-signature wrappers around libedit for LineEditor.swift, and the
// signal flags. See include/CEditLine.h for why this file exists at all.

#include "CEditLine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <histedit.h>

struct evq_editor {
    EditLine *el;
    History *history;
    HistEvent event;        // scratch: history() reports through it
    FILE *out;              // the terminal, as given to el_init
    char *prompt;           // owned; returned by prompt_of on every redraw
    void *context;
    evq_complete_fn complete;
    evq_read_key_fn read_key;
};

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
    switch (editor->complete(editor->context, info->buffer, length, cursor)) {
    case EVQ_COMPLETE_REFRESH:
        return CC_REFRESH;
    case EVQ_COMPLETE_REDISPLAY:
        return CC_REDISPLAY;
    default:
        return CC_ERROR; // libedit beeps on CC_ERROR
    }
}

static int read_key(EditLine *el, wchar_t *character)
{
    evq_editor *editor = editor_of(el);
    if (editor == NULL || editor->read_key == NULL) {
        errno = EINVAL;
        return -1;
    }
    return editor->read_key(editor->context, character);
}

// MARK: Editor

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
    evq_editor *editor = calloc(1, sizeof *editor);
    if (editor == NULL)
        return NULL;
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
    el_set(el, EL_GETCFN, read_key);
    el_set(el, EL_HIST, history, editor->history);
    el_set(el, EL_PROMPT, prompt_of);
    disable_in_place_edits(el);
    bind_keys(el);
    // Last, so settings in ~/.editrc override the defaults above.
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
    free(editor);
}

void evq_editor_set_callbacks(evq_editor *editor, void *context,
                              evq_complete_fn complete, evq_read_key_fn read_key_fn)
{
    editor->context = context;
    editor->complete = complete;
    editor->read_key = read_key_fn;
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

const char *evq_editor_gets(evq_editor *editor, int *count)
{
    *count = 0;
    errno = 0;
    return el_gets(editor->el, count);
}

void evq_editor_line(evq_editor *editor, const char **text, int *length, int *cursor)
{
    const LineInfo *info = el_line(editor->el);
    *text = info->buffer;
    *length = (int)(info->lastchar - info->buffer);
    *cursor = (int)(info->cursor - info->buffer);
}

int evq_editor_insert(evq_editor *editor, const char *text)
{
    return el_insertstr(editor->el, text);
}

void evq_editor_delete(evq_editor *editor, int characters)
{
    if (characters > 0)
        el_deletestr(editor->el, characters);
}

void evq_editor_move_cursor(evq_editor *editor, int characters)
{
    (void)el_cursor(editor->el, characters);
}

void evq_editor_refresh(evq_editor *editor)
{
    el_set(editor->el, EL_REFRESH);
}

void evq_editor_write(evq_editor *editor, const char *text)
{
    fputs(text, editor->out);
    fflush(editor->out);
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

int evq_history_load(evq_editor *editor, const char *path)
{
    int count = history(editor->history, &editor->event, H_LOAD, path);
    return count < 0 ? -1 : count;
}

// H_SAVE_FP writes the cookie line whenever ftell says 0, then each entry
// encoded as H_LOAD reads it. A failed write (ENOSPC) may only surface when
// fclose flushes.
static int save(History *entries, int fd, const char *mode)
{
    FILE *file = fdopen(fd, mode);
    if (file == NULL) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    HistEvent event;
    errno = 0;
    int result = fseek(file, 0, SEEK_END) == 0 && history(entries, &event, H_SAVE_FP, file) >= 0 ? 0 : -1;
    int saved = errno != 0 ? errno : EIO;
    if (fclose(file) != 0 && result == 0) {
        saved = errno;
        result = -1;
    }
    if (result != 0)
        errno = saved;
    return result;
}

int evq_history_save(evq_editor *editor, int fd)
{
    return save(editor->history, fd, "w");
}

int evq_history_save_line(int fd, const char *line)
{
    // libedit has no "append one entry" (H_NSAVE_FP(n) writes n+1 entries
    // in this version), so save a History holding just this one. A new
    // History keeps nothing until its size is set.
    History *single = history_init();
    if (single == NULL) {
        close(fd);
        errno = ENOMEM;
        return -1;
    }
    HistEvent event;
    int result = -1;
    if (history(single, &event, H_SETSIZE, 1) >= 0 && history(single, &event, H_ENTER, line) >= 0) {
        result = save(single, fd, "a");
    } else {
        close(fd);
        errno = ENOMEM;
    }
    int saved = errno;
    history_end(single);
    errno = saved;
    return result;
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

// MARK: Signal flags

static volatile sig_atomic_t interrupt_flag = 0;
static volatile sig_atomic_t resize_flag = 0;

static void on_interrupt(int signal)
{
    (void)signal;
    interrupt_flag = 1;
}

static void on_resize(int signal)
{
    (void)signal;
    resize_flag = 1;
}

static int install(int signal, void (*handler)(int), int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = flags;
    return sigaction(signal, &action, NULL);
}

// With EL_SIGNAL, libedit catches SIGINT and SIGWINCH itself during el_gets,
// restores the tty, and then passes the signal on to these handlers.
int evq_interrupt_install(void) { return install(SIGINT, on_interrupt, 0); }
int evq_interrupt_requested(void) { return interrupt_flag != 0; }
void evq_interrupt_clear(void) { interrupt_flag = 0; }

int evq_resize_install(void) { return install(SIGWINCH, on_resize, SA_RESTART); }
int evq_resize_requested(void) { return resize_flag != 0; }
void evq_resize_clear(void) { resize_flag = 0; }
