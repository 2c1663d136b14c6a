/// The site side of the pooled fit (issue 17, `cohort site install`): SQL functions, `SECURITY
/// DEFINER`, that return only a logistic model's aggregate sums over one table and apply the
/// disclosure rules themselves, and a role that may execute them but not `SELECT` the table. The
/// boundary is then the site's: a coordinator connecting as that role gets sums or a refusal, never
/// rows, whatever it sends.
///
/// Functions, in schema `cohort_site` and named after the table:
/// - `"T_levels"(col text, complete text[]) → text[]`: the distinct values of a column among the
///   rows where every column of `complete` is present;
/// - `"T_logit"(outcome, event, term_columns, term_levels, factor_columns, factor_levels, beta) →
///   float8[]`: with `beta` NULL, `[rows, complete rows, events]` once the rules pass; with `beta`,
///   `[n, events, XᵀWX (packed upper triangle), Xᵀ(y − μ), deviance]` (``CohortStats/LogisticSums``).
///   A term is a numeric column (its level NULL) or a column's indicator of a level. The query is the
///   one ``PushdownLogit`` sends directly: each derived value once a row, subqueries fenced by
///   `OFFSET 0`.
///
/// Rules, fixed at install time (the caller cannot change them): at least `minimumRows` complete rows,
/// parameters at most `maximumParameterFraction` of them, and with `suppressBelow` K no events,
/// non-events or outcome x level cell of 1..K−1 rows. A refusal raises an error whose message starts
/// with `cohort_site refused:`.
public enum SiteFunctions {
    public static let schema = "cohort_site"

    /// The statements that install the functions for `table` (schema-qualified, as given) and grant
    /// `role` execution only.
    public static func installSQL(table: String, role: String, rules: PushdownLogit.DisclosureRules, password: String?) -> [String] {
        let name = table.split(separator: ".").last.map(String.init) ?? table
        let q = PostgresURL.quoteIdentifier
        let lit = PostgresURL.quoteLiteral
        let levels = PushdownLogit.function((schema, name), "levels")
        let logit = PushdownLogit.function((schema, name), "logit")
        let qualifiedTable = table.split(separator: ".").map { q(String($0)) }.joined(separator: ".")
        let suppress = rules.suppressBelow ?? 0
        let body = """
            DECLARE
              tbl constant text := \(lit(qualifiedTable));
              min_rows constant int := \(rules.minimumRows);
              fraction constant float8 := \(rules.maximumParameterFraction);
              suppress constant int := \(suppress);
              nterms int := coalesce(array_length(term_columns, 1), 0);
              k int := nterms + 1;
              complete text;
              y text;
              design text := '';
              eta text;
              sums text := 'count(*)::float8, coalesce(sum(y), 0)';
              total bigint; n bigint; events bigint; bad bigint; c1 bigint; c0 bigint;
              result float8[];
            BEGIN
              complete := format('%I IS NOT NULL', outcome);
              FOR i IN 1..nterms LOOP complete := complete || format(' AND %I IS NOT NULL', term_columns[i]); END LOOP;
              IF event IS NULL THEN
                y := format('(%I)::int::float8', outcome);
              ELSE
                y := format('(CASE WHEN (%I)::text = %L THEN 1 ELSE 0 END)::float8', outcome, event);
              END IF;
              EXECUTE format('SELECT count(*), count(*) FILTER (WHERE %s), count(*) FILTER (WHERE %s AND %s = 1), '
                             'count(*) FILTER (WHERE %s AND %s NOT IN (0, 1)) FROM %s', complete, complete, y, complete, y, tbl)
                INTO total, n, events, bad;
              IF bad > 0 THEN RAISE EXCEPTION 'cohort_site refused: the outcome % holds values other than 0 and 1', outcome; END IF;
              IF n < min_rows THEN RAISE EXCEPTION 'cohort_site refused: fewer than % complete rows', min_rows; END IF;
              IF k > fraction * n THEN
                RAISE EXCEPTION 'cohort_site refused: the model''s % parameters exceed % of the site''s complete rows', k, fraction;
              END IF;
              IF suppress > 1 THEN
                IF events BETWEEN 1 AND suppress - 1 OR n - events BETWEEN 1 AND suppress - 1 THEN
                  RAISE EXCEPTION 'cohort_site refused: the events or non-events hold fewer than % rows', suppress;
                END IF;
                FOR i IN 1..coalesce(array_length(factor_columns, 1), 0) LOOP
                  EXECUTE format('SELECT count(*) FILTER (WHERE %s AND (%I)::text = %L AND %s = 1), '
                                 'count(*) FILTER (WHERE %s AND (%I)::text = %L AND %s = 0) FROM %s',
                                 complete, factor_columns[i], factor_levels[i], y, complete, factor_columns[i], factor_levels[i], y, tbl)
                    INTO c1, c0;
                  IF c1 BETWEEN 1 AND suppress - 1 OR c0 BETWEEN 1 AND suppress - 1 THEN
                    RAISE EXCEPTION 'cohort_site refused: an outcome x %[%] cell holds fewer than % rows', factor_columns[i], factor_levels[i], suppress;
                  END IF;
                END LOOP;
              END IF;
              IF beta IS NULL THEN RETURN ARRAY[total, n, events]::float8[]; END IF;
              IF coalesce(array_length(beta, 1), 0) <> k THEN RAISE EXCEPTION 'beta has % values for % parameters', array_length(beta, 1), k; END IF;
              eta := format('%s::float8', beta[1]);
              FOR i IN 1..nterms LOOP
                design := design || format('%s AS d%s, ', CASE WHEN term_levels[i] IS NULL THEN format('(%I)::float8', term_columns[i])
                  ELSE format('(CASE WHEN (%I)::text = %L THEN 1 ELSE 0 END)::float8', term_columns[i], term_levels[i]) END, i);
                eta := eta || format(' + %s::float8 * d%s', beta[i + 1], i);
              END LOOP;
              FOR b IN 0..k - 1 LOOP
                FOR a IN 0..b LOOP
                  sums := sums || ', coalesce(sum(w' || CASE WHEN a > 0 THEN ' * d' || a ELSE '' END
                                 || CASE WHEN b > 0 THEN ' * d' || b ELSE '' END || '), 0)';
                END LOOP;
              END LOOP;
              FOR a IN 0..k - 1 LOOP
                sums := sums || ', coalesce(sum(r' || CASE WHEN a > 0 THEN ' * d' || a ELSE '' END || '), 0)';
              END LOOP;
              sums := sums || ', coalesce(sum(dev), 0)';
              EXECUTE format('SELECT ARRAY[%s] FROM ('
                'SELECT s3.*, e / ((1 + e) * (1 + e)) AS w, y - mu AS r, 2 * (greatest(eta, 0) + ln(1 + e) - y * eta) AS dev FROM ('
                'SELECT s2.*, CASE WHEN eta >= 0 THEN 1 / (1 + e) ELSE e / (1 + e) END AS mu FROM ('
                'SELECT s1.*, exp(-least(abs(eta), 700)) AS e FROM ('
                'SELECT s0.*, %s AS eta FROM (SELECT %s%s AS y FROM %s WHERE %s OFFSET 0) s0 OFFSET 0) s1 OFFSET 0) s2 OFFSET 0) s3 OFFSET 0) s4',
                sums, eta, design, y, tbl, complete) INTO result;
              RETURN result;
            END
            """
        let levelsBody = """
            DECLARE
              complete_rows text := '';
              result text[];
            BEGIN
              FOR i IN 1..coalesce(array_length(complete, 1), 0) LOOP
                complete_rows := complete_rows || format(' AND %I IS NOT NULL', complete[i]);
              END LOOP;
              EXECUTE format('SELECT array_agg(DISTINCT (%I)::text) FROM %s WHERE %I IS NOT NULL%s', col, \(lit(qualifiedTable)), col, complete_rows)
                INTO result;
              RETURN result;
            END
            """
        let attributes = "LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
        var statements = [
            "CREATE SCHEMA IF NOT EXISTS \(q(schema))",
            "REVOKE ALL ON SCHEMA \(q(schema)) FROM PUBLIC",
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \(lit(role))) THEN CREATE ROLE \(q(role)) LOGIN; END IF; END $$",
        ]
        if let password { statements.append("ALTER ROLE \(q(role)) PASSWORD \(lit(password))") }
        statements += [
            "GRANT USAGE ON SCHEMA \(q(schema)) TO \(q(role))",
            "REVOKE ALL ON TABLE \(qualifiedTable) FROM \(q(role))",
            "CREATE OR REPLACE FUNCTION \(levels)(col text, complete text[]) RETURNS text[] \(attributes) AS $fn$\n\(levelsBody)\n$fn$",
            """
            CREATE OR REPLACE FUNCTION \(logit)(outcome text, event text, term_columns text[], term_levels text[], \
            factor_columns text[], factor_levels text[], beta float8[]) RETURNS float8[] \(attributes) AS $fn$
            \(body)
            $fn$
            """,
            "REVOKE ALL ON FUNCTION \(levels)(text, text[]) FROM PUBLIC",
            "REVOKE ALL ON FUNCTION \(logit)(text, text, text[], text[], text[], text[], float8[]) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION \(levels)(text, text[]) TO \(q(role))",
            "GRANT EXECUTE ON FUNCTION \(logit)(text, text, text[], text[], text[], text[], float8[]) TO \(q(role))",
        ]
        return statements
    }

    /// Installs the functions through `url` (a user that owns the table or may grant on it).
    public static func install(url: PostgresURL, table: String, role: String, rules: PushdownLogit.DisclosureRules, password: String?) throws(DatabaseError) {
        let client = try PostgresClient(url)
        defer { client.close() }
        // The table schema-qualified: the functions run with a search path of pg_catalog only.
        let quoted = table.split(separator: ".").map { PostgresURL.quoteIdentifier(String($0)) }.joined(separator: ".")
        let found = try client.rows("""
            SELECT n.nspname::text, c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = to_regclass(\(PostgresURL.quoteLiteral(quoted)))
            """)
        guard let row = found.first else { throw .missingTable(url, table) }
        let cells = Array(row)
        let qualified: String
        do { qualified = "\(try cells[0].text() ?? "public").\(try cells[1].text() ?? table)" } catch { throw .server(url, "\(error)") }
        for statement in installSQL(table: qualified, role: role, rules: rules, password: password) { _ = try client.rows(statement) }
    }

    /// A PostgreSQL array literal of text values (NULL for nil), for a function argument.
    static func textArray(_ values: [String?]) -> String {
        "ARRAY[" + values.map { $0.map(PostgresURL.quoteLiteral) ?? "NULL" }.joined(separator: ", ") + "]::text[]"
    }
}
