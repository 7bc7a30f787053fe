#include <archive.h>
#include <archive_entry.h>

/* archive_set_error is variadic, which Swift cannot call: a read callback reports its failure here. */
static inline void oomlens_archive_set_error(struct archive *a, const char *message) {
    archive_set_error(a, -1, "%s", message);  /* ARCHIVE_ERRNO_MISC */
}
