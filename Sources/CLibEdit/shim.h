// The system libedit (Debian: libedit-dev), reached through pkg-config.
// Only CEditLine includes this: Swift cannot call libedit's variadic
// el_set/el_get/history, so Swift talks to CEditLine's wrappers instead.
#ifndef EVQ_CLIBEDIT_SHIM_H
#define EVQ_CLIBEDIT_SHIM_H

#include <stdio.h>
#include <histedit.h>

#endif
