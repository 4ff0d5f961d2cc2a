extension Loader {
    /// The order (day or month first) of each column's `1/5/2024`-style dates.
    ///
    /// A value with a number over 12 decides (`13/5/2024` is day first). When the
    /// sample has such dates and none decides, the rest of the column is read for
    /// one that does; only if the whole column is ambiguous is it an error asking
    /// for `date_format`. A column whose values decide both ways is not a date.
    func slashOrders(_ request: LoadRequest, plan: FilePlan, guesses: [KindGuess], sampled: Int) throws -> [Int: SlashOrder] {
        var guesses = guesses
        let undecided = guesses.indices.filter { i in
            guesses[i].slashUndecided && [.date, .timestamp].contains(plan.columns[i].kind)
        }
        if !undecided.isEmpty && sampled >= Loader.sampleRecords {
            try scanSlashEvidence(request, plan: plan, columns: undecided, into: &guesses)
        }
        var orders: [Int: SlashOrder] = [:]
        for i in guesses.indices {
            if let order = guesses[i].slashOrder {
                orders[i] = order
            } else if guesses[i].slashUndecided && [.date, .timestamp].contains(plan.columns[i].kind) {
                // Located at the first value that could be read either way (the sample holds it).
                let example = guesses[i].firstAmbiguous ?? "1/5/2024"
                throw LoadError(file: request.path, line: guesses[i].firstAmbiguousLine, column: i + 1, field: plan.names[i], rawValue: example,
                                reason: "could be day/month/year or month/day/year, and no value in the column decides (none has a number over 12 first or second)",
                                help: "say which: with date_format '%d/%m/%Y' (day first) or with date_format '%m/%d/%Y' (month first)")
            }
        }
        return orders
    }

    /// Reads the whole file once more, only for the columns still undecided.
    private func scanSlashEvidence(_ request: LoadRequest, plan: FilePlan, columns: [Int], into guesses: inout [KindGuess]) throws {
        let reader = CSVReader(source: try TextSource(path: request.readPath, encoding: plan.encoding), dialect: plan.dialect,
                               maxFields: plan.names.count + 64, passControls: request.options.onError == .skip)
        var skip = plan.skip + (plan.hasHeader ? 1 : 0)
        while skip > 0, try readRecord(reader, request) { skip -= 1 }
        reader.commentRowFields = plan.dialect.commentRowFields
        let dates = DateReader(format: nil)
        var open = Set(columns)
        while !open.isEmpty, try readRecord(reader, request) {
            for i in open where i < reader.count {
                guard let dt = dates.parse(reader.field(i)) else { continue }
                switch dt.slashEvidence {
                case .dayFirst: guesses[i].addSlashEvidence(dayFirst: 1, monthFirst: 0); open.remove(i)
                case .monthFirst: guesses[i].addSlashEvidence(dayFirst: 0, monthFirst: 1); open.remove(i)
                default: break
                }
            }
        }
    }
}
