/// Results sent to a file instead of standard output: `.output FILE` until
/// `.output` alone, or `.once FILE` for the next result only (as in sqlite3).
struct ResultRedirect {
    var sink: FileSink
    var path: String
    /// `.once`: back to standard output after one result.
    var once: Bool
}

extension Session {
    /// Called after each result: ends a `.once` redirect.
    func resultShown() {
        guard let r = redirect, r.once else { return }
        r.sink.flush()
        redirect = nil
    }
}
