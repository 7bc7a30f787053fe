// libzstd's buffer-less streaming functions (ZSTD_decompressContinue and friends) are declared only
// under ZSTD_STATIC_LINKING_ONLY; the shared library exports them.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
