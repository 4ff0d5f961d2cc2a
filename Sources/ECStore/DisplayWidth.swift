/// How many terminal columns text occupies, independent of the process locale.
///
/// Counts per grapheme cluster (a user-perceived character): East Asian Wide and
/// Fullwidth characters and emoji take 2 columns, combining marks and other
/// zero-width scalars take 0, everything else 1. The ranges are a compact hand-made
/// subset of Unicode's EastAsianWidth.txt (W and F) and emoji presentation, enough
/// for Japanese, Chinese, Korean and common emoji; `wcwidth` is avoided because its
/// answer depends on the locale the shell happens to run in. East Asian Ambiguous
/// characters (box drawing, "…", "∅") count as 1, as in most Western and modern CJK
/// terminal settings; where a terminal draws them wide, `TableBorder.ascii` helps.
/// A tab counts 4, as diagnostics print it. The one width table for tables,
/// charts and diagnostic carets (it lives in ECStore, which every target shares).
public enum DisplayWidth {
    /// The display width of a whole string.
    public static func of<S: StringProtocol>(_ text: S) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The display width of one grapheme cluster: its first visible scalar decides,
    /// except that an emoji presentation selector (U+FE0F) makes it 2 columns.
    public static func of(_ character: Character) -> Int {
        var width = 0
        for scalar in character.unicodeScalars {
            if scalar.value == 0xFE0F { return 2 }
            if width == 0 { width = of(scalar) }
        }
        return width
    }

    /// The display width of a single scalar taken on its own.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0x09 { return 4 }
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }  // fast path: Latin
        if contains(zeroWidth, v) { return 0 }
        if contains(wide, v) { return 2 }
        return 1
    }

    /// Binary search over sorted, non-overlapping closed ranges.
    private static func contains(_ ranges: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
        var lo = 0, hi = ranges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < ranges[mid].lowerBound { hi = mid - 1 }
            else if v > ranges[mid].upperBound { lo = mid + 1 }
            else { return true }
        }
        return false
    }

    /// Combining marks (Mn, Me), format characters (Cf) and joiners: 0 columns.
    private static let zeroWidth: [ClosedRange<UInt32>] = [
        0x0300...0x036F, 0x0483...0x0489, 0x0591...0x05BD, 0x05BF...0x05BF,
        0x05C1...0x05C2, 0x05C4...0x05C5, 0x05C7...0x05C7, 0x0610...0x061A,
        0x064B...0x065F, 0x0670...0x0670, 0x06D6...0x06DC, 0x06DF...0x06E4,
        0x0900...0x0902, 0x093A...0x093A, 0x093C...0x093C, 0x0941...0x0948,
        0x094D...0x094D, 0x0E31...0x0E31, 0x0E34...0x0E3A, 0x0E47...0x0E4E,
        0x1160...0x11FF,  // Hangul Jamo medial vowels and final consonants
        0x1AB0...0x1AFF, 0x1DC0...0x1DFF,
        0x200B...0x200F,  // zero-width space, joiners, direction marks
        0x202A...0x202E, 0x2060...0x2064, 0x20D0...0x20FF,
        0x302A...0x302D, 0x3099...0x309A,  // ideographic tone marks, kana voicing marks
        0xFE00...0xFE0F,  // variation selectors
        0xFE20...0xFE2F, 0xFEFF...0xFEFF,
        0x1F3FB...0x1F3FF,  // emoji skin-tone modifiers (attach to the emoji before them)
        0xE0000...0xE007F, 0xE0100...0xE01EF,
    ]

    /// East Asian Wide (W) and Fullwidth (F), plus emoji shown with emoji presentation.
    private static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initial consonants
        0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653,
        0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB,
        0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4,
        0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA,
        0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757,
        0x2795...0x2797, 0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C,
        0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK punctuation
        0x3041...0x33FF,  // kana, bopomofo, Hangul compatibility Jamo, CJK compatibility
        0x3400...0x4DBF,  // CJK extension A
        0x4E00...0x9FFF,  // CJK unified ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F, 0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE10...0xFE19, 0xFE30...0xFE6F,  // vertical forms, CJK compatibility forms
        0xFF00...0xFF60, 0xFFE0...0xFFE6,  // fullwidth forms (halfwidth katakana FF61–FFDC stay 1)
        0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
        0x1F1E6...0x1F1FF,  // regional indicators (flags are a pair in one cluster)
        0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
        0x1F260...0x1F265, 0x1F300...0x1F320, 0x1F32D...0x1F335, 0x1F337...0x1F37C,
        0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0,
        0x1F3F4...0x1F3F4, 0x1F3F8...0x1F3FA, 0x1F400...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567,
        0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
        0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7,
        0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB,
        0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FAFF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,  // CJK extensions B and beyond
    ]
}
