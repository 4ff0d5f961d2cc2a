import Testing
import ECStore

/// ecsh's own bookkeeping SQL, written for SQLite, as PostgreSQL gets it: each form
/// `PostgresDialect` knows, worked out by hand. (That the results run on a real server is
/// `PostgresParityTests`' part: every statement there writes through these translations.)
@Suite struct PostgresDialectTests {
    @Test func placeholdersAreNumbered() {
        #expect(PostgresDialect.translate("SELECT a FROM t WHERE b = ? AND c = '?' AND d = ?") == ["SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2"])
    }

    @Test func pragmasAreDropped() {
        #expect(PostgresDialect.translate("PRAGMA analysis_limit = 1000") == [])
        #expect(PostgresDialect.translate("  pragma foreign_keys = ON") == [])
    }

    @Test func bookkeepingTablesGoToTheEcshSchemaWithPostgresTypes() {
        #expect(PostgresDialect.translate("CREATE TABLE IF NOT EXISTS ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                == ["CREATE TABLE IF NOT EXISTS ecsh.ecsh_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"])
        #expect(PostgresDialect.translate("CREATE TABLE main.ecsh_calendar (day INTEGER PRIMARY KEY, x REAL, y BLOB) WITHOUT ROWID")
                == ["CREATE TABLE ecsh.ecsh_calendar (day bigint PRIMARY KEY, x double precision, y bytea)"])
        // An index is named without a schema: PostgreSQL puts it beside its table.
        #expect(PostgresDialect.translate("CREATE UNIQUE INDEX ecsh.ecsh_customer_facts_id ON ecsh.ecsh_customer_facts(customer_id)")
                == ["CREATE UNIQUE INDEX ecsh_customer_facts_id ON ecsh_customer_facts(customer_id)"])
        // A user's table keeps its schema (the search path's first) and its name.
        #expect(PostgresDialect.translate("CREATE TABLE \"orders\" (\"amount\" REAL, \"n\" INTEGER)")
                == ["CREATE TABLE \"orders\" (\"amount\" double precision, \"n\" bigint)"])
    }

    @Test func insertOrReplaceBecomesAnUpsertOnTheKey() {
        #expect(PostgresDialect.translate("INSERT OR REPLACE INTO ecsh_settings (name, value) VALUES (?, ?)")
                == ["INSERT INTO ecsh_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value"])
        #expect(PostgresDialect.translate("INSERT OR REPLACE INTO ecsh_fields (dataset, field, source_header, type) VALUES (?, ?, ?, ?)")
                == ["INSERT INTO ecsh_fields (dataset, field, source_header, type) VALUES ($1, $2, $3, $4) ON CONFLICT (dataset, field) DO UPDATE SET source_header = EXCLUDED.source_header, type = EXCLUDED.type"])
        #expect(PostgresDialect.translate("INSERT OR IGNORE INTO ecsh_kpis (name, definition) VALUES (?, ?)")
                == ["INSERT INTO ecsh_kpis (name, definition) VALUES ($1, $2) ON CONFLICT DO NOTHING"])
    }

    @Test func sqliteFunctionsAndCasts() {
        #expect(PostgresDialect.translate("SELECT strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime'), CAST(x AS REAL), CAST(y AS INTEGER)")
                == ["SELECT to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS'), CAST(x AS double precision), CAST(y AS bigint)"])
    }

    @Test func serverTypesReadInSQLiteWords() {
        #expect(["bigint", "integer", "double precision", "numeric(12,2)", "text", "character varying(20)", "bytea", "date"]
                    .map(PostgresDialect.sqliteType) == ["INTEGER", "INTEGER", "REAL", "REAL", "TEXT", "TEXT", "BLOB", "DATE"])
    }
}
