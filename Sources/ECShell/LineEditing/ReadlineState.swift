import CReadline
import Foundation
import Synchronization

/// The Swift side of readline's C callbacks, which cannot capture context.
///
/// Readline is process-global, so this state is too; it lives in mutexes
/// because Swift 6 forbids unsynchronised mutable globals.
enum ReadlineState {
    typealias Completer = @Sendable (_ line: String, _ wordStart: Int, _ word: String) -> [String]

    /// The line (or end of input) the line handler received, taken by the read loop.
    static let pending = Mutex<LineInput?>(nil)
    /// The completer of the current reader.
    static let completer = Mutex<Completer?>(nil)
    /// The earlier lines of an unfinished statement, joined by blanks; completion reads them before the line.
    static let statementSoFar = Mutex<String>("")

    /// Readline's line handler: records the line and uninstalls itself, as CPython's does.
    static let lineArrived: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { text in
        let input: LineInput
        if let text {
            input = .line(String(cString: text))
            free(text)
        } else {
            input = .end
        }
        ReadlineState.pending.withLock { $0 = input }
        rl_callback_handler_remove()
    }

    /// `rl_attempted_completion_function`: asks the completer and hands readline its matches.
    static let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
        -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
            // Never fall back to completing file names: they are not ecsh words.
            ecsh_rl_set_attempted_completion_over(1)
            guard let complete = ReadlineState.completer.withLock({ $0 }) else { return nil }
            let word = text.map { String(cString: $0) } ?? ""
            let lineBytes = ecsh_rl_line_buffer().map { Array(UnsafeBufferPointer(start: UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), count: strlen($0))) } ?? []
            let earlier = ReadlineState.statementSoFar.withLock { $0 }
            let line = earlier + String(decoding: lineBytes, as: UTF8.self)
            let wordStart = earlier.count + String(decoding: lineBytes.prefix(max(0, Int(start))), as: UTF8.self).count
            let matches = Completion.matches(complete(line, wordStart, word), for: word)
            // A folder (`'sub/`): leave its quote open and add no space, so the next Tab completes
            // inside it, as bash does. Readline would otherwise close the quote after the one match.
            if matches.count == 1, matches[0].hasSuffix("/") { ecsh_rl_keep_word_open() }
            return Completion.readlineArray(matches)
        }
}

/// How completion candidates become readline's match list.
enum Completion {
    /// Candidates that start with `word` (ignoring case), without repeats, in their given order.
    static func matches(_ candidates: [String], for word: String) -> [String] {
        var seen = Set<String>()
        let lowered = word.lowercased()
        return candidates.filter { $0.lowercased().hasPrefix(lowered) && seen.insert($0).inserted }
    }

    /// The longest prefix all matches share (comparing case-insensitively, spelled as the first match).
    static func commonPrefix(_ matches: [String]) -> String {
        guard var prefix = matches.first.map(Array.init) else { return "" }
        for match in matches.dropFirst() {
            let other = Array(match)
            var n = 0
            while n < prefix.count, n < other.count, prefix[n].lowercased() == other[n].lowercased() { n += 1 }
            prefix.removeLast(prefix.count - n)
        }
        return String(prefix)
    }

    /// A malloc'd, NULL-terminated array as `rl_completion_matches` builds it:
    /// the text to insert first, then every match. Readline frees it.
    static func readlineArray(_ matches: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !matches.isEmpty else { return nil }
        let entries = matches.count == 1 ? matches : [commonPrefix(matches)] + matches
        let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1)
        guard let raw = malloc(size) else { return nil }
        let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (i, entry) in entries.enumerated() { array[i] = strdup(entry) }
        array[entries.count] = nil
        return array
    }
}
