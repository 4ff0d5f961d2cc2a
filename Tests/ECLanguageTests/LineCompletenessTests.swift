import Testing
@testable import ECLanguage

/// `LineCompleteness` (one line at a time, for the REPL) against the whole-text splitter it must agree with.
@Suite struct LineCompletenessTests {
    /// The incremental answer after each line, next to the whole-text splitter's answer on the lines so far,
    /// each ended by the line break its Enter typed.
    func both(_ lines: [String]) -> [(incremental: InputCompleteness, whole: InputCompleteness)] {
        var tracker = LineCompleteness()
        return lines.indices.map { k in
            (tracker.append(line: lines[k]), StatementSplitter.completeness(of: lines[...k].joined(separator: "\n") + "\n"))
        }
    }

    @Test(arguments: [
        // Worked by hand: what the shell must do after the last line.
        (["sql select 1"], InputCompleteness.complete),
        (["sql select (1"], .needsContinuation(.unclosedParenthesis)),
        (["sql select (1", "  + 2)"], .complete),
        (["sql select (1))"], .complete),
        (["x 'a(b'"], .complete),                       // the parenthesis is inside a string
        (["x 'it''s'"], .complete),                     // a doubled quote
        (["x 'it''s"], .needsContinuation(.unclosedString)),
        (["x 'one", "two' (", "3)"], .complete),        // a string across lines, then a parenthesis
        (["x \"Created at"], .needsContinuation(.unclosedQuotedIdentifier)),
        (["x \\"], .needsContinuation(.trailingBackslash)),
        (["x \\  "], .needsContinuation(.trailingBackslash)),
        // The join takes the line break after the `\`; an empty (or blank) line then ends the statement,
        // as in bash and in a script: the prompt runs `x` at once instead of waiting on `...>`.
        (["x \\", ""], .complete),
        (["x \\", "  \t"], .complete),
        (["x \\", "y \\", ""], .complete),
        (["x \\", "", "by month"], .complete),          // `by month` is a statement of its own, as in a script
        (["x ( \\", ""], .needsContinuation(.unclosedParenthesis)),  // a blank line closes no parenthesis
        (["x, \\", ""], .needsContinuation(.trailingComma)),       // nor ends a list
        (["x \\\r", ""], .complete),
        (["x \\", "by month"], .complete),
        (["x # ("], .complete),                         // a comment
        (["x -- 'y"], .complete),
        (["x -", "- ("], .needsContinuation(.unclosedParenthesis)),  // '-' then '-' on the next line is no comment
        (["x (", "# )", ")"], .complete),
        (["x ) (", "y"], .complete),                    // a statement ends where depth is not above 0
        (["x (; y"], .needsContinuation(.unclosedParenthesis)),
        (["x \\\r", "(y"], .needsContinuation(.unclosedParenthesis)),  // \r + the joining \n are one line break
        (["x (\r"], .needsContinuation(.unclosedParenthesis)),
        // A line ending in `,` goes on (no statement ends in one), after blanks and comments too; not inside quotes.
        (["kpi gmv,"], .needsContinuation(.trailingComma)),
        (["kpi gmv,", "aov by month"], .complete),
        (["kpi gmv,  # and", "", "aov"], .complete),
        (["kpi gmv, -- more", "  "], .needsContinuation(.trailingComma)),
        (["x ',"], .needsContinuation(.unclosedString)),
        (["x ','"], .complete),
        (["x ,;"], .complete),                          // `;` ends it all the same
        (["x ,\r"], .needsContinuation(.trailingComma)),
        // A `/* … */` before the first word is a comment, for any statement; after it a bare select is SQL.
        (["/* weekly", "report */ select [a"], .needsContinuation(.unclosedQuotedIdentifier)),
        (["/* weekly", "report */ select [a", "b]"], .complete),
        (["  /* open"], .needsContinuation(.unclosedComment)),
        (["/* c */ kpi [a"], .complete),
        (["x (a,", "b)"], .complete),
        // SQL statements: `/* … */` across lines, `[…]` and `` `…` `` (not in ecsh's own statements).
        (["sql select 1 /* a", "b */ as x"], .complete),
        (["sql select 1 /* a", "b *", "/"], .needsContinuation(.unclosedComment)),  // `*` and `/` on two lines
        (["select [a", "b]"], .complete),
        (["select `a", "b``", "c`"], .complete),
        (["explain query plan select [a"], .needsContinuation(.unclosedQuotedIdentifier)),
        (["explain [a"], .complete),
        (["sql \\", "select /*"], .needsContinuation(.unclosedComment)),
        (["kpi gmv /*", "kpis"], .complete),
    ])
    func answersAsWorkedByHand(lines: [String], expected: InputCompleteness) {
        let answers = both(lines)
        #expect(answers.last?.incremental == expected)
        #expect(answers.last?.whole == expected)
        for (k, answer) in answers.enumerated() { #expect(answer.incremental == answer.whole, "after line \(k + 1) of \(lines)") }
    }

    /// 20,000 seeded random line sequences over the characters that matter to the splitter.
    @Test func agreesWithTheWholeTextSplitterOnRandomLines() {
        let alphabet: [Character] = ["a", " ", "\t", "'", "\"", "(", ")", "\\", "#", "-", ";", "\r", "\u{2028}", "é", ","]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407  // Knuth's MMIX LCG
            return Int((seed >> 33) % UInt64(bound))
        }
        var disagreements: [[String]] = []
        for _ in 0..<20_000 {
            let lines = (0..<(1 + next(5))).map { _ in String((0..<next(7)).map { _ in alphabet[next(alphabet.count)] }) }
            if both(lines).contains(where: { $0.incremental != $0.whole }) { disagreements.append(lines) }
        }
        #expect(disagreements.isEmpty, "first disagreements: \(disagreements.prefix(3).map { $0.debugDescription })")
    }

    /// The same on random lines of SQL words and SQLite's quoting characters, so SQL statements
    /// (and ecsh's, where `[`, `` ` `` and `/*` are plain) are decided alike by both scanners.
    @Test func agreesOnSQLQuotingOnRandomLines() {
        let alphabet = ["sql ", "select ", "SELECT", "explain ", "query ", "kpi ", "a", " ", "[", "]", "`", "/", "*", "/*", "*/",
                        "'", "\"", ";", "(", ")", ",", "\\", "#", "-", "\r", "é"]
        var seed: UInt64 = 46
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407  // Knuth's MMIX LCG
            return Int((seed >> 33) % UInt64(bound))
        }
        var disagreements: [[String]] = []
        var sqlAnswers = 0
        for _ in 0..<20_000 {
            let lines = (0..<(1 + next(4))).map { _ in (0..<next(8)).map { _ in alphabet[next(alphabet.count)] }.joined() }
            let answers = both(lines)
            if answers.contains(where: { $0.incremental != $0.whole }) { disagreements.append(lines) }
            if answers.last?.whole == .needsContinuation(.unclosedComment) { sqlAnswers += 1 }
        }
        #expect(disagreements.isEmpty, "first disagreements: \(disagreements.prefix(3).map { $0.debugDescription })")
        #expect(sqlAnswers > 100)  // the texts do reach SQL statements with open comments
    }

    /// Work is counted, not timed: a 20,000-line statement costs one scan of its characters.
    /// Rescanning all lines typed so far (the shell before this change) scans about
    /// 20,000² / 2 lines of 5 characters, a billion characters.
    @Test func aLongStatementIsScannedOnce() {
        var tracker = LineCompleteness()
        let lines = ["sql select ("] + Array(repeating: "  1 +", count: 19_998) + ["  1)"]
        var answers: [InputCompleteness] = []
        for line in lines { answers.append(tracker.append(line: line)) }
        #expect(answers.dropLast().allSatisfy { $0 == .needsContinuation(.unclosedParenthesis) })
        #expect(answers.last == .complete)
        // 12 + 19,998 × 5 + 4 characters, and 19,999 joining line breaks.
        #expect(tracker.scannedCharacters == 12 + 19_998 * 5 + 4 + 19_999)
        tracker.reset()
        #expect(tracker.append(line: "kpis") == .complete)
        #expect(tracker.scannedCharacters == 12 + 19_998 * 5 + 4 + 19_999 + 4)
    }
}
