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
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // d[i][j] = distance between a[..<i] and b[..<j]
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
