-- The PostgreSQL tests' tables (issue 17), loaded by scripts/postgres into each test database:
-- psql -v fixtures=FOLDER -v db=NAME -f load.sql. Database cohort holds every row of cohort.csv;
-- site_a, site_b and site_c hold centre A's, B's and C's rows in a table of the same name.
CREATE TABLE cohort (
    patient_id integer PRIMARY KEY,
    centre text NOT NULL,
    age integer,
    ldh double precision,
    sex text,
    disease text,
    icans_high integer,
    bleeding integer
);
\set csv :fixtures '/cohort.csv'
COPY cohort FROM :'csv' WITH (FORMAT csv, HEADER true);
DELETE FROM cohort WHERE :'db' LIKE 'site_%' AND lower(centre) <> substr(:'db', 6);

-- age as text: contradicts the codebook's integer.
CREATE TABLE cohort_age_text AS SELECT patient_id, centre, age::text AS age, ldh, sex, disease, icans_high, bleeding FROM cohort;

-- Fewer rows than the disclosure minimum (10).
CREATE TABLE tiny AS SELECT * FROM cohort ORDER BY patient_id LIMIT 8;

-- 200,000 synthetic rows (same columns, no real patients): the coordinator's bytes do not grow with n.
CREATE TABLE big AS
SELECT i AS patient_id, 'A'::text AS centre, 20 + (i * 7919) % 60 AS age,
       (100 + (i * 104729) % 900)::double precision AS ldh,
       CASE WHEN i % 2 = 0 THEN 'F' ELSE 'M' END AS sex,
       CASE WHEN i % 5 = 0 THEN 'B-ALL' WHEN i % 7 = 0 THEN 'MCL' ELSE 'LBCL' END AS disease,
       CASE WHEN (i * 31) % 10 < 3 THEN 1 ELSE 0 END AS icans_high,
       CASE WHEN (i * 2654435761) % 1000 < 150 + (i * 7919) % 60 * 3 + CASE WHEN (i * 31) % 10 < 3 THEN 100 ELSE 0 END
            THEN 1 ELSE 0 END AS bleeding
FROM generate_series(1::bigint, CASE WHEN :'db' = 'cohort' THEN 200000 ELSE 0 END) AS i;
ANALYZE;
