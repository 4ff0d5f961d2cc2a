import Foundation
import Testing
import ECTestSupport

/// How the built binary reads scripts: from standard input (`-f -` and piped), in the encodings
/// Windows editors save, and the chain of `run` statements named under an error in a nested script.
@Suite struct ScriptInputTests {
    // MARK: standard input

    /// `-f -` is the script on standard input: it stops at the first error, which names `<stdin>`
    /// and the line:column, with exit 1; exactly what a piped script (no -f) does.
    @Test func dashReadsTheScriptFromStandardInput() throws {
        let script = "sql select 1+1 as two\nsql select 3 as three\n  kpi aovv\nsql select 4 as four\n"
        let dashed = try runECSH(["--no-rc", "--format", "csv", "-f", "-"], stdin: script)
        #expect(dashed.status == 1)
        #expect(dashed.stdout == "two\n2\nthree\n3\n")
        // Line 3, after two spaces and `kpi `: column 7.
        #expect(dashed.stderr.contains(" --> <stdin>:3:7\n"), "\(dashed.stderr)")
        let piped = try runECSH(["--no-rc", "--format", "csv"], stdin: script)
        #expect(piped.status == dashed.status && piped.stdout == dashed.stdout && piped.stderr == dashed.stderr)
        // --keep-going applies as to a file.
        let going = try runECSH(["--no-rc", "--format", "csv", "--keep-going", "-f", "-"], stdin: script)
        #expect(going.status == 1 && going.stdout == "two\n2\nthree\n3\nfour\n4\n")
    }

    /// The script on standard input runs in the files' turn, before the `-c` statements; once only.
    @Test func dashRunsBeforeCommandsAndOnlyOnce() throws {
        let both = try runECSH(["--no-rc", "--format", "csv", "-c", "sql select 2 as b", "-f", "-"], stdin: "sql select 1 as a\n")
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout == "a\n1\nb\n2\n")
        let twice = try runECSH(["--no-rc", "-f", "-", "-f", "-"], stdin: "sql select 1 as a\n")
        #expect(twice.status != 0 && twice.stdout.isEmpty)
        #expect(twice.stderr.contains("give -f - once"), "\(twice.stderr)")
    }

    /// A script on standard input has no folder: its relative paths are from the current folder.
    @Test func standardInputPathsAreFromTheCurrentFolder() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        _ = try dir.write("sub/five.ecsh", "sql select 5 as five\n")
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "-"], stdin: "run 'sub/five.ecsh'\n", directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "five\n5\n")
    }

    /// `run` in a script reads beside the script first, then in the current folder (docs/language.md, as `load` does):
    /// `d/o.ecsh` runs `five.ecsh` from the current folder when `d/` has none, and its own `d/six.ecsh` when it has one.
    @Test func runInAScriptFallsBackToTheCurrentFolder() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("d"), withIntermediateDirectories: true)
        _ = try dir.write("five.ecsh", "sql select 5 as five\n")
        _ = try dir.write("six.ecsh", "sql select 0 as wrong\n")
        _ = try dir.write("d/six.ecsh", "sql select 6 as six\n")
        _ = try dir.write("d/o.ecsh", "run 'five.ecsh'\nrun 'six.ecsh'\n")
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "d/o.ecsh"], directory: dir.url)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "five\n5\nsix\n6\n", "\(out.stdout)")
    }

    /// A line ending in `,` goes on to the next (no statement ends in one), in a file as on standard input;
    /// an error after it keeps its own line and column. `kpi`'s two columns: one statement, one result.
    @Test func aLineEndingInACommaContinues() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try dir.write("list.ecsh", "sql select 1 as a,  -- and\n\n   2 as b\nsql select 3 as c,\n  nosuch\n")
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "list.ecsh"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stdout == "a,b\n1,2\n", "\(out.stdout)")
        #expect(out.stderr.contains(" --> list.ecsh:5:3\n"), "\(out.stderr)")
        let piped = try runECSH(["--no-rc", "--format", "csv", "-f", "-"], stdin: "sql select 1 as a,\n 2 as b\n")
        #expect(piped.stdout == "a,b\n1,2\n", "\(piped.stderr)")
    }

    /// SQLite's `/* … */`, `[name]` and `` `name` `` in SQL statements: a `;` or `'` inside neither ends the
    /// statement nor opens a string, a comment may span lines, and one left open is an error at its `/*`
    /// (line 5, column 19) instead of SQLite skipping the rest of the file. The binary before split
    /// line 1 at the `;` in the comment (a syntax error) and ran line 5 with the rest as a comment.
    @Test func sqliteCommentsAndBracketedNamesKeepStatementsApart() throws {
        let script = """
            sql select 1 as a /* it's ; here */, 2 as b
            sql select [x;y], `p;q` from (select 3 as [x;y], 4 as `p;q`)
            select 5 as c /* a comment
              over two lines; it's */
            sql select 6 as d /* left open
            sql select 7 as e

            """
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "-"], stdin: script)
        #expect(out.status == 1)
        #expect(out.stdout == "a,b\n1,2\nx;y,p;q\n3,4\nc\n5\n", "\(out.stderr)")
        #expect(out.stderr.contains("error: unterminated comment\n --> <stdin>:5:19\n"), "\(out.stderr)")
    }

    /// A `run` (or `.read`) of a script already running is an error at that `run`, before anything runs again:
    /// with no conditions a script cannot stop repeating itself. The binary before ran a.ecsh → b.ecsh eight
    /// times over (16 levels: "one", "two" eight times each, and a load or export in them as often) and then
    /// failed on the nesting limit.
    @Test func aScriptThatRunsItselfStopsAtTheRunThatLeadsBack() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        _ = try dir.write("a.ecsh", "sql select 1 as one\nrun 'sub/b.ecsh'\n")
        _ = try dir.write("sub/b.ecsh", "sql select 2 as two\n.read ../a.ecsh\n")
        _ = try dir.write("self.ecsh", "sql select 3 as three\n  run 'self.ecsh'\n")
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "a.ecsh"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stdout == "one\n1\ntwo\n2\n", "\(out.stdout)")
        #expect(out.stderr.contains("error: run '../a.ecsh' would run a script that is already running, again and again\n"), "\(out.stderr)")
        #expect(out.stderr.contains("= help: remove the run that leads back: a.ecsh → sub/b.ecsh → sub/../a.ecsh\n"), "\(out.stderr)")
        #expect(out.stderr.contains("  in a.ecsh:2:1 (run 'sub/b.ecsh')\n"), "\(out.stderr)")
        let selfRun = try runECSH(["--no-rc", "--format", "csv", "--keep-going", "-f", "self.ecsh", "-c", "sql select 4 as four"], directory: dir.url)
        #expect(selfRun.status == 1)
        #expect(selfRun.stdout == "three\n3\nfour\n4\n", "\(selfRun.stdout)")
        #expect(selfRun.stderr.contains(" --> self.ecsh:2:7\n"), "\(selfRun.stderr)")
    }

    /// `run '-'`: standard input is read as a script only with `-f -`; the error says so (it used to say
    /// "no such script file '-'" and to check the path). A file named `-` still runs.
    @Test func runDashSaysStandardInputIsForTheCommandLine() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        let out = try runECSH(["--no-rc", "-c", "run '-'"], stdin: "sql select 1\n", directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stderr.contains("error: run reads a script file, not standard input: '-' (standard input) is for the command line's -f -"),
                "\(out.stderr)")
        _ = try dir.write("-", "sql select 7 as seven\n")
        let file = try runECSH(["--no-rc", "--format", "csv", "-c", "run '-'"], directory: dir.url)
        #expect(file.stdout == "seven\n7\n", "\(file.stderr)")
    }

    // MARK: encodings

    /// Lines 2–3 are one statement (an open parenthesis); line 4 fails at `nosuch`, column 23:
    /// `sql select ` is 11 characters, `'日本'` 4, ` as c, ` 7.
    static let japaneseScript = ["-- 売上の確認", "sql select (", "  'あいう') as \"名前\", 2 as b", "sql select '日本' as c, nosuch", ""]

    static func encode(_ text: String, _ encoding: String) -> [UInt8] {
        switch encoding {
        case "utf-8+bom": return [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        case "utf-16le+bom": return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case "utf-16be+bom": return [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        default: return Array(text.utf8)
        }
    }

    /// A script saved with a byte-order mark (Notepad's "Unicode" is UTF-16 LE), or with CR LF line ends,
    /// prints exactly what the UTF-8 one does, from a file and from standard input.
    @Test(arguments: ["utf-8", "utf-8+bom", "utf-16le+bom", "utf-16be+bom"], ["\n", "\r\n"])
    func encodedScriptRunsAsItsUTF8Self(_ encoding: String, _ lineEnd: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try dir.write("plain.ecsh", Self.japaneseScript.joined(separator: "\n"))
        _ = try dir.write("saved.ecsh", bytes: Self.encode(Self.japaneseScript.joined(separator: lineEnd), encoding))
        let arguments = ["--no-rc", "--echo", "--format", "csv"]
        let plain = try runECSH(arguments + ["-f", "plain.ecsh"], directory: dir.url)
        #expect(plain.stdout == "ecsh> sql select (\n  'あいう') as \"名前\", 2 as b\n名前,b\nあいう,2\necsh> sql select '日本' as c, nosuch\n")
        #expect(plain.stderr.hasPrefix("error: no such column: nosuch\n --> plain.ecsh:4:23\n"), "\(plain.stderr)")
        let saved = try runECSH(arguments + ["-f", "saved.ecsh"], directory: dir.url)
        #expect(saved.status == 1)
        #expect(saved.stdout == plain.stdout)
        #expect(saved.stderr == plain.stderr.replacingOccurrences(of: "plain.ecsh", with: "saved.ecsh"), "\(saved.stderr)")
        let piped = try runECSH(arguments + ["-f", "-"], stdinBytes: Self.encode(Self.japaneseScript.joined(separator: lineEnd), encoding))
        #expect(piped.stdout == plain.stdout)
        #expect(piped.stderr == plain.stderr.replacingOccurrences(of: "plain.ecsh", with: "<stdin>"), "\(piped.stderr)")
    }

    /// What does not decode is named with where it stops being text and a way out.
    @Test(arguments: [
        // 日本 in CP932 is 93 FA 96 7B (7B is `{`), after `-- `: line 2, column 4.
        ([0x73, 0x71, 0x6C, 0x0A, 0x2D, 0x2D, 0x20, 0x93, 0xFA, 0x96, 0x7B, 0x0A],
         "error: 'x.ecsh' is not UTF-8 text: bytes 0x93 0xFA 0x96 at line 2, column 4 are not UTF-8 (the text would read as cp932)\n"
            + "  = help: save the script as UTF-8 (in Notepad: File › Save As, Encoding: UTF-8); or: iconv -f cp932 -t utf-8 'x.ecsh' > new.ecsh\n"),
        // "tables" in UTF-16 LE, no byte-order mark.
        ([0x74, 0, 0x61, 0, 0x62, 0, 0x6C, 0, 0x65, 0, 0x73, 0, 0x0A, 0],
         "error: 'x.ecsh' is utf-16le text without a byte-order mark; ecsh reads scripts in UTF-8, or in UTF-16 that starts with its byte-order mark\n"
            + "  = help: save the script as UTF-8 (in Notepad: File › Save As, Encoding: UTF-8); or: iconv -f utf-16le -t utf-8 'x.ecsh' > new.ecsh\n"),
        // FF FE, `a`, then D800 with no trail surrogate at byte 4.
        ([0xFF, 0xFE, 0x61, 0, 0x00, 0xD8, 0x62, 0],
         "error: 'x.ecsh' starts with the utf-16le byte-order mark but is not utf-16le text: a lone surrogate 0xD800 at byte offset 4\n"
            + "  = help: save the script as UTF-8 (in Notepad: File › Save As, Encoding: UTF-8); or: iconv -f utf-16le -t utf-8 'x.ecsh' > new.ecsh\n"),
    ] as [([UInt8], String)])
    func undecodableScriptIsNamed(_ bytes: [UInt8], _ message: String) throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        _ = try dir.write("x.ecsh", bytes: bytes)
        let out = try runECSH(["--no-rc", "-f", "x.ecsh"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stderr == message)
    }

    // MARK: the chain of `run`

    /// outer.ecsh runs sub/mid.ecsh at 3:1, which runs sub/inner.ecsh at 2:3; inner fails at 2:12.
    static func writeNestedScripts(in dir: TemporaryDirectory) throws {
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        _ = try dir.write("outer.ecsh", "sql select 1 as one\n-- the monthly part\nrun 'sub/mid.ecsh'\nsql select 9 as nine\n")
        _ = try dir.write("sub/mid.ecsh", "sql select 2 as two\n  run 'inner.ecsh'\n")
        _ = try dir.write("sub/inner.ecsh", "sql select 3 as three\nsql select nosuch\n")
    }

    static let innerError = """
        error: no such column: nosuch
         --> sub/inner.ecsh:2:12
          |
        2 | sql select nosuch
          |            ^^^^^^
          = help: the SQL is passed to SQLite as written; 'tables' and 'describe NAME' show the names available

        """

    /// The error in the innermost script, then every `run` that led there, innermost first; exit 1.
    @Test func nestedErrorNamesEveryIncludingRun() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try Self.writeNestedScripts(in: dir)
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "outer.ecsh"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stdout == "one\n1\ntwo\n2\nthree\n3\n")
        #expect(out.stderr == Self.innerError + "  in sub/mid.ecsh:2:3 (run 'inner.ecsh')\n  in outer.ecsh:3:1 (run 'sub/mid.ecsh')\n",
                "\(out.stderr)")
        // From a command line, that level too; --keep-going goes on after it and still exits 1.
        let command = try runECSH(["--no-rc", "--format", "csv", "--keep-going", "-c", "run 'outer.ecsh'"], directory: dir.url)
        #expect(command.status == 1)
        #expect(command.stdout == "one\n1\ntwo\n2\nthree\n3\nnine\n9\n")
        #expect(command.stderr.hasSuffix("  in outer.ecsh:3:1 (run 'sub/mid.ecsh')\n  in <command line>:1:1 (run 'outer.ecsh')\n"),
                "\(command.stderr)")
    }

    /// An error in the script run at the top level is not nested: no chain, as before.
    @Test func topLevelErrorHasNoChain() throws {
        let dir = try TemporaryDirectory(); defer { dir.remove() }
        try Self.writeNestedScripts(in: dir)
        let out = try runECSH(["--no-rc", "--format", "csv", "-f", "sub/inner.ecsh"], directory: dir.url)
        #expect(out.status == 1)
        #expect(out.stderr == Self.innerError)
    }
}
