/*
 * hello: prints "hello from <libc>" followed by its arguments, then exits with the code in
 * $HELLO_EXIT (default 0). Used to prove that a slimmed image behaves like the original:
 * same output, same exit code.
 */
#include <stdio.h>
#include <stdlib.h>

#ifdef __GLIBC__
#define LIBC_NAME "glibc"
#else
#define LIBC_NAME "musl" /* musl deliberately defines no identifying macro */
#endif

int main(int argc, char **argv) {
    fputs("hello from " LIBC_NAME, stdout);
    for (int i = 1; i < argc; i++) printf(" %s", argv[i]);
    putchar('\n');

    const char *code = getenv("HELLO_EXIT");
    int status = code != NULL && *code != '\0' ? atoi(code) : 0;
    if (fflush(stdout) != 0) return 120;
    return status;
}
