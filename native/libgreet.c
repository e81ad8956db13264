/* libgreet: a tiny shared library, found by greet through its RPATH or RUNPATH ($ORIGIN/../lib). */
#include <stdio.h>

int greet(const char *who) {
    return printf("greetings, %s (from libgreet)\n", who) < 0 ? 1 : 0;
}
