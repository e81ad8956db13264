/*
 * greet: calls greet() from libgreet.so, a library this program is linked against and finds at
 * run time through DT_RPATH or DT_RUNPATH = $ORIGIN/../lib (see the Makefile).
 */
int greet(const char *who);

int main(int argc, char **argv) {
    return greet(argc > 1 ? argv[1] : "world");
}
