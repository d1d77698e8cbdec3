#!/bin/sh
# charter under valgrind's memcheck, for `make check-valgrind`: an invalid
# read or write, a use of uninitialised memory, or a definite or indirect
# leak makes it exit 25, a status no test expects.  CHARTER_REAL is the
# binary (tests/run.sh sets CHARTER to this script).
exec valgrind -q --error-exitcode=25 --leak-check=full \
    --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$(dirname "$0")/valgrind.supp" \
    "${CHARTER_REAL:?}" "$@"
