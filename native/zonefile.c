/* Reads a named time zone the way Debian's PHP does: from a path template compiled into the
   program (not through the C library's TZ handling). Prints the file's size. */
#include <stdio.h>

int main(int argc, char **argv) {
  char path[512];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", argc > 1 ? argv[1] : "UTC");
  FILE *file = fopen(path, "rb");
  if (!file) {
    perror(path);
    return 1;
  }
  fseek(file, 0, SEEK_END);
  printf("%s: %ld bytes\n", path, ftell(file));
  fclose(file);
  return 0;
}
