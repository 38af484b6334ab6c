/* Callgrind client requests for bench/instructions.py, loaded with ctypes.
 * bench/instructions.py compiles this at run time (cc -shared -fPIC); it needs
 * <valgrind/callgrind.h>, which ships with valgrind.  Outside valgrind every
 * request is a no-op. */
#include <valgrind/callgrind.h>

/* Instrument from here on (the worker starts with --instr-atstart=no). */
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }

/* Stop instrumenting: the interpreter's exit runs at the faster speed. */
void cg_stop(void) { CALLGRIND_STOP_INSTRUMENTATION; }

/* Set every counter to zero: a measured window starts here. */
void cg_zero(void) { CALLGRIND_ZERO_STATS; }

/* Write the counters since the last zero to a dump file labelled `label`. */
void cg_dump(const char *label) { CALLGRIND_DUMP_STATS_AT(label); }

/* Nonzero when running under valgrind. */
int cg_running(void) { return (int)RUNNING_ON_VALGRIND; }
