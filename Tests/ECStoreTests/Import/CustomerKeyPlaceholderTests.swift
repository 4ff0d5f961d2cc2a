import Testing
@testable import ECStore
import ECTestSupport

/// Placeholders for "no customer" in a customer id column are guests, not customers (`CustomerKeyPlaceholders`).
@Suite struct CustomerKeyPlaceholderTests {
    /// The QA repro: only G7–G9 have a customer (`C1`, `c1`, ` C1` trimmed to `C1`).
    static let guests = """
        order_id,customer_id,ordered_at,amount,status
        G1," ",2024-01-05,100,completed
        G2,-,2024-01-06,100,completed
        G3,NULL,2024-01-07,100,completed
        G4,guest,2024-01-08,100,completed
        G5,0,2024-01-09,100,completed
        G6,,2024-01-10,100,completed
        G7,C1,2024-01-11,100,completed
        G8,c1,2024-01-12,100,completed
        G9, C1,2024-01-13,100,completed
        G10,N/A,2024-01-14,100,completed
        G11,-,2024-01-15,100,completed

        """

    @Test func placeholdersAreGuestOrdersAndTheNoteListsThem() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("guests.csv", CustomerKeyPlaceholderTests.guests))
        // Guests: G1–G6, G10, G11 (8); customers: C1 (G7, G9) and c1 (G8).
        #expect(s.guests == 8)
        #expect(try f.rows("SELECT customer_id, count(*) FROM orders GROUP BY 1 ORDER BY 1") == [[nil, 8], ["C1", 2], ["c1", 1]])
        #expect(s.notes.contains("6 orders have a placeholder for a customer id ('-' ×2, 'NULL', 'guest', '0', 'N/A'): read as guest orders, not as customers"
                                 + "; if customer 0 is a real customer: load again with zero_is_customer true"), "\(s.notes)")
        #expect(s.notes.contains(Loader.guestNote(8)))
    }

    /// A shop whose customer 0 is real: `with zero_is_customer true` keeps G5's `0` (guests 8 → 7), the other
    /// placeholders stay guests, and the note lists no `0`.
    @Test func zeroIsCustomerKeepsCustomerZero() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("guests.csv", CustomerKeyPlaceholderTests.guests), [("zero_is_customer", "true")])
        #expect(s.guests == 7)
        #expect(try f.rows("SELECT customer_id, count(*) FROM orders GROUP BY 1 ORDER BY 1") == [[nil, 7], ["0", 1], ["C1", 2], ["c1", 1]])
        #expect(s.notes.contains("5 orders have a placeholder for a customer id ('-' ×2, 'NULL', 'guest', 'N/A'): read as guest orders, not as customers"), "\(s.notes)")
        #expect { try f.load(.role(.orders), try f.file("o.csv", "order_id,customer_id,ordered_at,amount\nA,0,2024-01-05,100\n"), [("zero_is_customer", "maybe")]) } throws: { e in
            (e as? StoreError)?.message == "zero_is_customer must be true or false, not 'maybe'"
        }
    }

    @Test(arguments: ["-", "--", "NULL", "Nil", "n/a", "NA", "#N/A", "None", "GUEST", "unknown", "0", "ゲスト", "非会員", " null "])
    func everyPlaceholderIsNoCustomer(_ word: String) throws {
        let f = try LoadFixture()
        try f.load(.role(.orders), try f.file("o.csv", "order_id,customer_id,ordered_at,amount\nA,\"\(word)\",2024-01-05,100\n"))
        #expect(try f.rows("SELECT customer_id FROM orders") == [[nil]])
    }

    /// Zero-padded ids and words that merely contain a placeholder are customers.
    @Test(arguments: ["00", "000123", "0.0", "guest1", "n/a2", "Anna"])
    func lookalikesAreCustomers(_ id: String) throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.orders), try f.file("o.csv", "order_id,customer_id,ordered_at,amount\nA,\(id),2024-01-05,100\n"))
        #expect(try f.rows("SELECT customer_id FROM orders") == [[.text(id)]])
        #expect(s.guests == 0 && !s.notes.contains { $0.contains("placeholder") })
    }

    @Test func npsResponsesWithAPlaceholderHaveNoCustomer() throws {
        let f = try LoadFixture()
        let s = try f.load(.role(.nps), try f.file("n.csv", "responded_at,customer_id,score\n2024-01-10,C1,10\n2024-01-11,-,9\n2024-01-12,none,3\n"))
        #expect(try f.rows("SELECT customer_id, score FROM nps ORDER BY score") == [[nil, 3], [nil, 9], ["C1", 10]])
        #expect(s.notes.contains("2 responses have a placeholder for a customer id ('-', 'none'): read as responses without a customer"))
    }

    /// A customers row must name a customer: a placeholder is a located bad row, skipped only when asked.
    @Test func aCustomersRowWithAPlaceholderIsABadRow() throws {
        let f = try LoadFixture()
        let path = try f.file("c.csv", "customer_id,acquisition_channel\nC1,ads\nguest,organic\n")
        do {
            try f.load(.role(.customers), path)
            Issue.record("expected an error")
        } catch let e as LoadError {
            #expect(e.line == 3 && e.column == 1)
            #expect(e.reason.contains("is 'guest', a placeholder for no customer, but customer_id is required"))
            #expect(e.help?.contains("on_error skip") == true)
        }
        #expect(try !f.db.tableExists("customers"))
        let s = try f.load(.role(.customers), path, [("on_error", "skip")])
        #expect(try f.rows("SELECT customer_id FROM customers") == [["C1"]])
        #expect(s.skipped == 1)
    }
}
