/*
 * nss: resolves a user name with getpwnam and a host name with getaddrinfo, then prints the
 * results. With glibc both go through NSS: at run time it reads /etc/nsswitch.conf, then
 * /etc/passwd and /etc/hosts. Since glibc 2.34 the "files" and "dns" sources are built into
 * libc.so.6; any other source named in nsswitch.conf (systemd, mdns4_minimal, sss, ...) is
 * dlopened as libnss_<source>.so.2 -- invisible to DT_NEEDED. A static glibc build still does
 * that dlopen, which needs the shared libc of the exact version it was linked with (Debian 12's
 * static build crashes when it reaches "systemd" for an unknown user). musl reads the files
 * directly and has no NSS.
 * Usage: nss [user [host]]   (defaults: root, localhost). Exit 0 when both resolve, else 1.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int lookup_user(const char *name) {
    struct passwd *entry = getpwnam(name);
    if (entry == NULL) {
        printf("user %s: not found\n", name);
        return 1;
    }
    printf("user %s: uid=%u gid=%u home=%s shell=%s\n", name, (unsigned)entry->pw_uid,
           (unsigned)entry->pw_gid, entry->pw_dir, entry->pw_shell);
    return 0;
}

static int lookup_host(const char *name) {
    struct addrinfo hints, *found = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(name, NULL, &hints, &found);
    if (rc != 0) {
        printf("host %s: %s\n", name, gai_strerror(rc));
        return 1;
    }
    for (struct addrinfo *ai = found; ai != NULL; ai = ai->ai_next) {
        char text[INET6_ADDRSTRLEN] = "?";
        const void *addr = ai->ai_family == AF_INET
                               ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                               : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
        inet_ntop(ai->ai_family, addr, text, sizeof text);
        printf("host %s: %s\n", name, text);
    }
    freeaddrinfo(found);
    return 0;
}

int main(int argc, char **argv) {
    const char *user = argc > 1 ? argv[1] : "root";
    const char *host = argc > 2 ? argv[2] : "localhost";
    int failures = lookup_user(user) + lookup_host(host);
    return failures == 0 ? 0 : 1;
}
