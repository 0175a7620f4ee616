# Sourced by .ci/cross and .ci/release: a throwaway wine prefix in which Rust's Windows programs can start.
#
# Wine 8 has no bcryptprimitives.dll, whose ProcessPrng Rust's std calls for random bytes, so the prefix gets
# one built with mingw that forwards to advapi32's RtlGenRandom (SystemFunction036).
#
# Paths the packages install to (`dpkg -L wine64`): wine64's launcher is not on PATH.
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver

# wine_prefix DIR: make DIR/wine a wine prefix holding the bcryptprimitives.dll, and export WINEPREFIX.
# The caller stops the prefix's server with `wine_stop` before DIR is removed.
wine_prefix() {
    local dir=$1
    export WINEPREFIX="$dir/wine" WINEDEBUG=-all
    cat >"$dir/bcryptprimitives.c" <<'CSOURCE'
/* Written by .ci/lib/wine.sh: wine 8 has no bcryptprimitives.dll. ProcessPrng (Windows 10+) fills a buffer
 * with random bytes and always succeeds; RtlGenRandom (SystemFunction036) does the same, in chunks of ULONG. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
CSOURCE
    x86_64-w64-mingw32-gcc -shared -O2 -o "$dir/bcryptprimitives.dll" "$dir/bcryptprimitives.c" -ladvapi32
    "$wine" wineboot --init >/dev/null 2>&1
    cp "$dir/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
}

# Stop the prefix's server, if a prefix was made.
wine_stop() {
    if [[ -n ${WINEPREFIX:-} ]]; then
        "$wineserver" -k 2>/dev/null || true
    fi
}
