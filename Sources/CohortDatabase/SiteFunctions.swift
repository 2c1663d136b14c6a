/// The site side of the pooled fit (issue 17, `cohort site install`): SQL functions, `SECURITY
/// DEFINER`, that return only a logistic model's aggregate sums over one table and apply the
/// disclosure rules themselves, and a role that may execute them but not `SELECT` the table. The
/// boundary is then the site's: a coordinator connecting as that role gets sums or a refusal, never
/// rows, whatever it sends.
///
/// Functions, in schema `cohort_site` and named after the table:
/// - `"T_levels"(col text, complete text[]) → text[]`: the distinct values of a column among the
///   rows where every column of `complete` is present, refused when any is held by 1..C−1 rows (the
///   cell floor below: a level of one row is that row's value);
/// - `"T_logit"(outcome, event, term_columns, term_levels, factor_columns, factor_levels, beta) →
///   float8[]`: with `beta` NULL, `[rows, complete rows, events]` once the rules pass; with `beta`,
///   `[n, events, XᵀWX (packed upper triangle), Xᵀ(y − μ), deviance]` (``CohortStats/LogisticSums``).
///   A term is a numeric column (its level NULL) or a column's indicator of a level. The query is the
///   one ``PushdownLogit`` sends directly: each derived value once a row, subqueries fenced by
///   `OFFSET 0`.
/// - `"T_counts"(col_names text[]) → TABLE(v1, v2, v3, v4 text, n bigint)`: for `cohort describe`
///   and `cohort incidence` (``PushdownCounts``), each distinct combination of at most
///   ``maximumCountColumns`` columns' values (NULL included, booleans as 1/0, the rest as PostgreSQL
///   writes them as text; the unused v columns NULL) with how many rows hold it; no columns: one row,
///   the table's row count.
///
/// Rules, fixed at install time (the caller cannot change them): at least `minimumRows` complete rows,
/// parameters at most `maximumParameterFraction` of them, and with `suppressBelow` K no events,
/// non-events or outcome x level cell of 1..K−1 rows. Counts are more disclosive than a model's sums,
/// so `T_counts` always has a cell floor: a request where any combination (one with a missing value
/// included) holds 1..C−1 rows is refused whole, as DataSHIELD refuses a table with a small cell
/// (`nfilter.tab`), with C the install's `cellMinimum` (`--cell-minimum`; default `suppressBelow`,
/// else ``defaultCellMinimum``, 5); so is one whose rows with every value present are fewer than
/// `minimumRows`. A refusal raises an error whose message starts with `cohort_site refused:` and names
/// the columns and the rule, never a value. Order statistics (medians, quartiles, extremes) are one
/// patient's values and no function returns them; nor does one return a measurement's sums.
public enum SiteFunctions {
    public static let schema = "cohort_site"
    /// The cell floor of `T_counts` when the install gives neither `--cell-minimum` nor `--suppress-below` (issue 17).
    public static let defaultCellMinimum = 5
    /// The most columns one `T_counts` request may combine (describe asks for a variable and the group,
    /// incidence for the outcome and the group).
    public static let maximumCountColumns = 4

    /// The statements that install the functions for `table` (schema-qualified, as given) and grant
    /// `role` execution only.
    public static func installSQL(table: String, role: String, rules: PushdownLogit.DisclosureRules, cellMinimum: Int? = nil, password: String?) -> [String] {
        let name = table.split(separator: ".").last.map(String.init) ?? table
        let q = PostgresURL.quoteIdentifier
        let lit = PostgresURL.quoteLiteral
        let levels = PushdownLogit.function((schema, name), "levels")
        let logit = PushdownLogit.function((schema, name), "logit")
        let countsFunction = PushdownLogit.function((schema, name), "counts")
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
        // A column's levels are counts in disguise (a level held by one row names that row's value):
        // the same cell floor as T_counts, checked before any level is returned.
        let levelsBody = """
            DECLARE
              complete_rows text := '';
              cell_min constant int := \(cellMinimum ?? rules.suppressBelow ?? defaultCellMinimum);
              min_rows constant int := \(rules.minimumRows);
              small bigint;
              total bigint;
              result text[];
            BEGIN
              FOR i IN 1..coalesce(array_length(complete, 1), 0) LOOP
                complete_rows := complete_rows || format(' AND %I IS NOT NULL', complete[i]);
              END LOOP;
              EXECUTE format('SELECT array_agg(v ORDER BY v), count(*) FILTER (WHERE n < %s), coalesce(sum(n), 0) FROM '
                             '(SELECT (%I)::text AS v, count(*) AS n FROM %s WHERE %I IS NOT NULL%s GROUP BY 1) g',
                             cell_min, col, \(lit(qualifiedTable)), col, complete_rows)
                INTO result, small, total;
              IF total < min_rows THEN RAISE EXCEPTION 'cohort_site refused: fewer than % complete rows', min_rows; END IF;
              IF small > 0 THEN
                RAISE EXCEPTION 'cohort_site refused: % of the levels of % hold 1 to % rows (cell minimum %)', small, col, cell_min - 1, cell_min;
              END IF;
              RETURN result;
            END
            """
        // Two passes: the rules on the grouped counts first, then the counts themselves, so that a
        // refusal comes before any count is returned.
        let countsBody = """
            DECLARE
              tbl constant text := \(lit(qualifiedTable));
              min_rows constant int := \(rules.minimumRows);
              cell_min constant int := \(cellMinimum ?? rules.suppressBelow ?? defaultCellMinimum);
              max_columns constant int := \(maximumCountColumns);
              ncol int := coalesce(array_length(col_names, 1), 0);
              inner_list text := '';
              outer_list text := '';
              padded text := '';
              complete text := 'true';
              named text;
              category text;
              grouped text;
              present bigint;
              small bigint;
            BEGIN
              IF ncol > max_columns THEN
                RAISE EXCEPTION 'cohort_site refused: counts of % columns at once; at most %', ncol, max_columns;
              END IF;
              FOR i IN 1..ncol LOOP
                SELECT t.typcategory::text INTO category FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                  WHERE a.attrelid = tbl::regclass AND a.attname = col_names[i] AND a.attnum > 0 AND NOT a.attisdropped;
                IF NOT FOUND THEN RAISE EXCEPTION 'no column % in the table', col_names[i]; END IF;
                inner_list := inner_list || CASE WHEN i > 1 THEN ', ' ELSE '' END
                  || format(CASE WHEN category = 'B' THEN '(%I)::int::text' ELSE '(%I)::text' END, col_names[i]) || ' AS c' || i;
                outer_list := outer_list || CASE WHEN i > 1 THEN ', ' ELSE '' END || 'c' || i;
                complete := complete || ' AND c' || i || ' IS NOT NULL';
              END LOOP;
              named := coalesce(array_to_string(col_names, ' x '), '');
              FOR i IN 1..max_columns LOOP
                padded := padded || CASE WHEN i <= ncol THEN 'c' || i ELSE 'NULL::text' END || ' AS v' || i || ', ';
              END LOOP;
              IF ncol = 0 THEN
                grouped := format('SELECT %s count(*) AS n, true AS complete FROM %s', padded, tbl);
              ELSE
                grouped := format('SELECT %s count(*) AS n, bool_and(%s) AS complete FROM (SELECT %s FROM %s OFFSET 0) s GROUP BY %s',
                                  padded, complete, inner_list, tbl, outer_list);
              END IF;
              EXECUTE format('SELECT coalesce(sum(n) FILTER (WHERE complete), 0), count(*) FILTER (WHERE n < %s) FROM (%s) g', cell_min, grouped)
                INTO present, small;
              IF present < min_rows THEN
                RAISE EXCEPTION 'cohort_site refused: fewer than % rows with % present', min_rows, CASE WHEN ncol = 0 THEN 'the table''s rows' ELSE named END;
              END IF;
              IF small > 0 THEN
                RAISE EXCEPTION 'cohort_site refused: % of the combinations of % hold 1 to % rows (cell minimum %)', small, named, cell_min - 1, cell_min;
              END IF;
              RETURN QUERY EXECUTE format('SELECT v1, v2, v3, v4, n FROM (%s) g', grouped);
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
            "CREATE OR REPLACE FUNCTION \(countsFunction)(col_names text[]) RETURNS TABLE (v1 text, v2 text, v3 text, v4 text, n bigint) \(attributes) AS $fn$\n\(countsBody)\n$fn$",
            "REVOKE ALL ON FUNCTION \(countsFunction)(text[]) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION \(countsFunction)(text[]) TO \(q(role))",
            "REVOKE ALL ON FUNCTION \(levels)(text, text[]) FROM PUBLIC",
            "REVOKE ALL ON FUNCTION \(logit)(text, text, text[], text[], text[], text[], float8[]) FROM PUBLIC",
            "GRANT EXECUTE ON FUNCTION \(levels)(text, text[]) TO \(q(role))",
            "GRANT EXECUTE ON FUNCTION \(logit)(text, text, text[], text[], text[], text[], float8[]) TO \(q(role))",
        ]
        return statements
    }

    /// Installs the functions through `url` (a user that owns the table or may grant on it).
    public static func install(url: PostgresURL, table: String, role: String, rules: PushdownLogit.DisclosureRules, cellMinimum: Int? = nil,
                               password: String?) throws(DatabaseError) {
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
        for statement in installSQL(table: qualified, role: role, rules: rules, cellMinimum: cellMinimum, password: password) { _ = try client.rows(statement) }
    }

    /// A PostgreSQL array literal of text values (NULL for nil), for a function argument.
    static func textArray(_ values: [String?]) -> String {
        "ARRAY[" + values.map { $0.map(PostgresURL.quoteLiteral) ?? "NULL" }.joined(separator: ", ") + "]::text[]"
    }
}
