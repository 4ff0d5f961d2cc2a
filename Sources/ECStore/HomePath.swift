import Foundation

/// `~` at the start of a file name, expanded as a POSIX shell expands it before a command sees the word
/// (<https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_06_01>):
/// `~` and `~/…` are the home folder (`$HOME`, else the user's entry in the password database),
/// `~NAME` and `~NAME/…` that user's home folder. Anything else, `~` elsewhere in the name, or a user
/// that does not exist, is left as it is, as a shell leaves it. ecsh's file names are always quoted,
/// so the expansion happens inside the quotes; a file really named `~` is written `./~`.
public enum HomePath {
    public static func expand(_ path: String, home: String? = ProcessInfo.processInfo.environment["HOME"]) -> String {
        guard path.hasPrefix("~") else { return path }
        let rest = path.dropFirst()
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let user = String(rest[..<slash])
        let folder: String?
        if user.isEmpty {
            folder = home.flatMap { $0.isEmpty ? nil : $0 } ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) }
        } else {
            folder = getpwnam(user).map { String(cString: $0.pointee.pw_dir) }
        }
        guard var folder, !folder.isEmpty else { return path }
        // `~/x` with HOME=/ is `/x`, not `//x`.
        if folder.hasSuffix("/") && rest[slash...].hasPrefix("/") { folder.removeLast() }
        return folder + rest[slash...]
    }
}
