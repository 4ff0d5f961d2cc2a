#ifndef ECSH_CSQLITE_SHIM_H
#define ECSH_CSQLITE_SHIM_H
#include <sys/types.h>
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro Swift cannot import; these helpers ask
// SQLite to copy the bytes before the call returns.
static inline int ecsh_bind_text(sqlite3_stmt *stmt, int index, const char *text, int length) {
    // An empty Swift buffer has no base address; bind "" rather than NULL.
    return sqlite3_bind_text(stmt, index, text ? text : "", length, SQLITE_TRANSIENT);
}
// SQLITE_STATIC: SQLite reads the bytes where they are, until the parameter is bound again or the
// statement is reset with its bindings cleared; the caller keeps them alive that long.
static inline int ecsh_bind_text_static(sqlite3_stmt *stmt, int index, const char *text, int length) {
    return sqlite3_bind_text(stmt, index, text ? text : "", length, SQLITE_STATIC);
}
static inline int ecsh_bind_blob(sqlite3_stmt *stmt, int index, const void *bytes, int length) {
    return sqlite3_bind_blob(stmt, index, bytes, length, SQLITE_TRANSIENT);
}
static inline int ecsh_result_text(sqlite3_context *ctx, const char *text, int length) {
    sqlite3_result_text(ctx, text, length, SQLITE_TRANSIENT);
    return 0;
}
// sqlite3_db_config is variadic and unavailable from Swift.
static inline int ecsh_enable_defensive(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
}
// sqlite3_config is variadic too. Memory statistics (on by default) take a process-wide
// mutex on every allocation SQLite makes; ecsh never reads them.
static inline int ecsh_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
// sync_file_range is a GNU extension (fcntl.h with _GNU_SOURCE) Swift's Glibc module does not
// show: it starts writing a file's dirty pages to disk without waiting for them (LogWriteback, for
// SQLite's log file). 2 is SYNC_FILE_RANGE_WRITE.
extern int sync_file_range(int fd, __off64_t offset, __off64_t count, unsigned int flags);
static inline int ecsh_start_writeback(int fd) {
    return sync_file_range(fd, 0, 0, 2);
}
// A hint to bring the cache line at `p` in for writing, without waiting for it (it never faults):
// the snapshot passes (KPIs, cohorts, unit economics, predict ltv) read and set per-customer values
// at random, once per order, and at millions of customers most of those reads miss the cache.
// Not SQLite's, but the one C header ecsh has.
static inline void ecsh_prefetch(const void *p) {
    __builtin_prefetch(p, 1, 3);
}
#endif
