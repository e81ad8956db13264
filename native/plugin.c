/*
 * plugin: dlopens a library by name at run time and calls its greet() function. Nothing in the
 * ELF file names the library (no DT_NEEDED entry), so static analysis cannot see this
 * dependency: it can only flag that the program calls dlopen.
 * Usage: plugin [library [who]]   (defaults: libgreet.so, plugin). Exit 2 when loading fails.
 */
#include <dlfcn.h>
#include <stdio.h>

typedef int (*greet_fn)(const char *);

int main(int argc, char **argv) {
    const char *library = argc > 1 ? argv[1] : "libgreet.so";
    const char *who = argc > 2 ? argv[2] : "plugin";
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        printf("plugin: cannot load %s: %s\n", library, dlerror());
        return 2;
    }
    greet_fn greet = (greet_fn)dlsym(handle, "greet");
    if (greet == NULL) {
        printf("plugin: %s has no greet(): %s\n", library, dlerror());
        dlclose(handle);
        return 2;
    }
    int status = greet(who);
    dlclose(handle);
    return status;
}
