import Glibc

/// Starting and waiting for a child program with `posix_spawn` (the pager; the tests' tmux): the signal set-up every
/// such child needs, and the wait, in one place.
public enum ChildProcess {
    /// Runs `body` with spawn attributes that block no signal in the child and put `defaultSignals` back at their
    /// defaults: a child inherits the caller's mask (test runners' worker threads block signals) and any signal it
    /// ignores, so it would not see Ctrl-C, resizes or a closed pipe as it does from a shell.
    public static func withAttributes<T>(defaultSignals: [Int32], _ body: (inout posix_spawnattr_t) throws -> T) rethrows -> T {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return try body(&attributes)
    }

    /// Waits for `pid`, retrying after signals: its status as a shell reports it (the exit code, or 128 + N when
    /// signal N ended it; `WIFEXITED` and `WEXITSTATUS` are macros Swift cannot import), nil when waiting failed.
    public static func wait(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return nil }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }
}
