/// The candidate closest to a misspelt word, or nil when none is close enough.
///
/// Uses the Damerau-Levenshtein distance (optimal string alignment: insertions,
/// deletions, substitutions and swaps of two neighbours), ignoring case. A
/// candidate qualifies within 1 edit for words of up to 3 characters, 2 for up
/// to 6 and 3 beyond, so short words are not matched to unrelated ones. Ties
/// go to the earlier candidate.
public func didYouMean(_ word: String, among candidates: [String]) -> String? {
    let target = Array(word.lowercased())
    let limit = target.count <= 3 ? 1 : (target.count <= 6 ? 2 : 3)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
        // Lengths further apart than the limit cannot be within it; skipping them keeps a
        // 100,000-character word from costing 100,000 × length work per candidate.
        if abs(candidate.count - target.count) > limit { continue }
        let distance = editDistance(target, Array(candidate.lowercased()))
        if distance == 0 { continue }  // the word itself is not a suggestion
        if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    return best?.candidate
}

/// The optimal-string-alignment distance between two character arrays.
///
/// Three rows of the table rather than all of it (row i needs rows i-1 and i-2 only):
/// every unknown word is measured against every command name, and allocating a row per
/// character was most of that cost.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // previous2, previous, row: d[i-2], d[i-1], d[i], where d[i][j] = distance between a[..<i] and b[..<j]
    var previous2 = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var row = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        row[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                row[j] = min(row[j], previous2[j - 2] + 1)
            }
        }
        swap(&previous2, &previous)
        swap(&previous, &row)
    }
    return previous[b.count]
}
